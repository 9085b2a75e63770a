// The cleanup's EcsPort methods (src/aws/ecs-housekeeping.ts) over the real SDK against the
// emulator's ECS: ListTaskDefinitions and ListServices paged as ECS pages them,
// DeregisterTaskDefinition, and DeleteTaskDefinitions with ECS's per-revision failures.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { createEcsPort } from '../../src/aws/ecs.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { NETWORK, T0, webTaskDefinition } from '../emulator/ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(revisions: number, serviceCount: number) {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }],
      taskDefinitions: Array.from({ length: revisions }, (_, i) => webTaskDefinition(`v${i + 1}`)),
      services: Array.from({ length: serviceCount }, (_, i) => ({
        cluster: 'main',
        serviceName: `svc-${i}`,
        taskDefinition: 'web:1',
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      })),
    },
  });
  const client = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return { client, ecs: createEcsPort(client) };
}

describe('cleanup operations over the SDK and the emulator', () => {
  it('lists every revision across pages, newest first with DESC', async () => {
    const { client, ecs } = await start(130, 0);
    const desc = await ecs.listTaskDefinitions({ family: 'web', status: 'ACTIVE', sort: 'DESC' });
    expect(desc).toHaveLength(130);
    expect(desc[0]).toBe(arn(130));
    expect(desc.at(-1)).toBe(arn(1));
    const pages = emu!.requests.filter((r) => r.operation === 'ListTaskDefinitions');
    expect(pages).toHaveLength(2);
    // ECS's own paging: maxResults, then nextToken.
    const first = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', maxResults: 50 }));
    expect(first.taskDefinitionArns).toHaveLength(50);
    expect(first.taskDefinitionArns![0]).toBe(arn(1));
    const second = await client.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', maxResults: 50, nextToken: first.nextToken }),
    );
    expect(second.taskDefinitionArns![0]).toBe(arn(51));
    await expect(
      client.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'GONE' as never })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('lists every service of the cluster across pages', async () => {
    const { client, ecs } = await start(1, 23);
    const arns = await ecs.listServices('main');
    expect(arns).toHaveLength(23);
    expect(arns[0]).toBe('arn:aws:ecs:us-east-1:123456789012:service/main/svc-0');
    // As ECS: 10 per page by default, then nextToken.
    const first = await client.send(new ListServicesCommand({ cluster: 'main' }));
    expect(first.serviceArns).toHaveLength(10);
    const second = await client.send(
      new ListServicesCommand({ cluster: 'main', nextToken: first.nextToken }),
    );
    expect(second.serviceArns![0]).toBe('arn:aws:ecs:us-east-1:123456789012:service/main/svc-10');
  });

  it('deregisters, then deletes only INACTIVE revisions; the others are failures', async () => {
    const { client, ecs } = await start(4, 0);
    expect(await ecs.deregisterTaskDefinition(arn(1))).toBe(arn(1));
    expect(await ecs.deregisterTaskDefinition('web:2')).toBe(arn(2));
    const { deleted, failures } = await ecs.deleteTaskDefinitions([arn(1), arn(2), arn(3), 'web:9']);
    expect(deleted).toEqual([arn(1), arn(2)]);
    expect(failures.map((f) => f.arn)).toEqual([arn(3), 'web:9']);
    expect(failures[0].reason).toMatch(/ACTIVE/);
    const described = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(described.taskDefinition?.status).toBe('DELETE_IN_PROGRESS');
    expect(described.taskDefinition?.deleteRequestedAt).toBeInstanceOf(Date);
    expect(await ecs.listTaskDefinitions({ family: 'web', status: 'DELETE_IN_PROGRESS' })).toEqual([
      arn(1),
      arn(2),
    ]);
    expect(await ecs.listTaskDefinitions({ family: 'web' })).toEqual([arn(3), arn(4)]);
  });

  it('sends at most 10 revisions per DeleteTaskDefinitions call, as ECS requires', async () => {
    const { ecs } = await start(23, 0);
    const all = Array.from({ length: 23 }, (_, i) => arn(i + 1));
    for (const a of all) await ecs.deregisterTaskDefinition(a);
    const { deleted } = await ecs.deleteTaskDefinitions(all);
    expect(deleted).toHaveLength(23);
    const calls = emu!.requests.filter((r) => r.operation === 'DeleteTaskDefinitions');
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200]);
  });
});
