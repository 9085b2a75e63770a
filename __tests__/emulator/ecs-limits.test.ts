// Out-of-range counts and percentages are refused with ECS's errors, and a service at the
// per-service quota (5,000 tasks) rolls out without wedging the model: through the real SDK.
// No timing is asserted; a wedged model would show as a test that never ends.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';

import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { MAX_TASK_CHANGES_PER_PASS, MAX_TASKS_PER_SERVICE } from '../../emulator/ecs/limits.js';
import { NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(desiredCount = 2) {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }],
      taskDefinitions: [webTaskDefinition('v1')],
      services: [
        {
          cluster: 'main',
          serviceName: 'web',
          taskDefinition: 'web:1',
          desiredCount,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        },
      ],
    },
  });
  const ecs = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const describe = async (): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))).services![0]!;
  /**
   * Move the clock by `ms` in 30 s steps, polling between them as the action does. (One long jump
   * gives the same history, but on a loaded machine it can block the event loop for longer than
   * the server keeps an idle keep-alive socket, and the SDK's next request then hits a reset.)
   */
  const follow = async (ms: number): Promise<Service> => {
    for (let t = 0; t < ms; t += 30_000) {
      emu!.advance(Math.min(30_000, ms - t));
      await describe();
    }
    return describe();
  };
  return { ecs, describe, follow };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('the call succeeded');
}

const invalid = (message: string) => ({ name: 'InvalidParameterException', message });

describe('desiredCount', () => {
  it('is refused above the 5,000 tasks-per-service quota, below 0 or fractional; nothing changes', async () => {
    const { ecs, describe } = await start();
    const update = (desiredCount: number) =>
      ecs.send(new UpdateServiceCommand({ cluster: 'main', service: 'web', desiredCount }));
    expect(MAX_TASKS_PER_SERVICE).toBe(5_000);
    expect(await failure(update(5_001))).toEqual(invalid('Desired count exceeds limit.'));
    expect(await failure(update(2 ** 31 - 1))).toEqual(invalid('Desired count exceeds limit.'));
    expect(await failure(update(-1))).toEqual(invalid('desiredCount must be greater than or equal to 0.'));
    expect(await failure(update(1.5))).toEqual(invalid('desiredCount must be an integer.'));
    const create = (desiredCount: number) =>
      ecs.send(
        new CreateServiceCommand({
          cluster: 'main',
          serviceName: 'api',
          taskDefinition: 'web:1',
          desiredCount,
          networkConfiguration: NETWORK as never,
        }),
      );
    expect(await failure(create(5_001))).toEqual(invalid('Desired count exceeds limit.'));
    expect(await failure(create(-3))).toEqual(invalid('desiredCount must be greater than or equal to 0.'));
    const s = await describe();
    expect([s.desiredCount, s.deployments?.length, s.runningCount]).toEqual([2, 1, 2]);
    emu!.advance(60_000);
    expect((await describe()).runningCount).toBe(2);
  });

  it('refuses a seed above the quota, naming the limit', async () => {
    await expect(
      startEmulator({
        manualClock: true,
        seed: {
          clusters: [{ name: 'main' }],
          taskDefinitions: [webTaskDefinition('v1')],
          services: [
            { cluster: 'main', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 1_000_000 },
          ],
        },
      }),
    ).rejects.toThrow('Desired count exceeds limit.');
  });
});

describe('deploymentConfiguration', () => {
  it('refuses minimumHealthyPercent outside 0-100 and maximumPercent below 100 or fractional', async () => {
    const { ecs, describe } = await start();
    const update = (deploymentConfiguration: Record<string, number>) =>
      ecs.send(new UpdateServiceCommand({ cluster: 'main', service: 'web', deploymentConfiguration }));
    const minMessage = invalid('minimumHealthyPercent must be between 0 and 100.');
    const maxMessage = invalid('maximumPercent must be greater than or equal to 100.');
    expect(await failure(update({ minimumHealthyPercent: -1 }))).toEqual(minMessage);
    expect(await failure(update({ minimumHealthyPercent: 101 }))).toEqual(minMessage);
    expect(await failure(update({ minimumHealthyPercent: 50.5 }))).toEqual(minMessage);
    expect(await failure(update({ maximumPercent: 99 }))).toEqual(maxMessage);
    expect(await failure(update({ maximumPercent: -200 }))).toEqual(maxMessage);
    expect(await failure(update({ maximumPercent: 150.5 }))).toEqual(maxMessage);
    expect(
      await failure(
        ecs.send(
          new CreateServiceCommand({
            cluster: 'main',
            serviceName: 'api',
            taskDefinition: 'web:1',
            desiredCount: 1,
            networkConfiguration: NETWORK as never,
            deploymentConfiguration: { maximumPercent: 50, minimumHealthyPercent: 0 },
          }),
        ),
      ),
    ).toEqual(maxMessage);
    expect((await describe()).deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
    });
    // The edges are accepted.
    const ok = await update({ minimumHealthyPercent: 0, maximumPercent: 100 });
    expect(ok.service?.deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 0,
      maximumPercent: 100,
    });
    expect(mutatingCalls(emu!.requests).filter((r) => r.error === undefined)).toHaveLength(1);
  });
});

describe('a service at the quota', () => {
  /** Tasks per "has started N tasks" event, oldest first. */
  const startedBatches = (s: Service): number[] =>
    s
      .events!.map((e) => /has started (\d+) tasks/.exec(e.message!)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .reverse();

  it('scales 2 -> 5,000 in batches and reaches a steady state', async () => {
    const { ecs, follow } = await start(2);
    await ecs.send(new UpdateServiceCommand({ cluster: 'main', service: 'web', desiredCount: 5_000 }));
    const early = await follow(20_000);
    // A scheduler pass starts at most a batch; the rest follow in the next passes.
    expect(early.pendingCount! + early.runningCount!).toBeLessThan(5_000);
    expect(Math.max(...startedBatches(early))).toBeLessThanOrEqual(MAX_TASK_CHANGES_PER_PASS);
    const s = await follow(10 * 60_000);
    expect([s.desiredCount, s.runningCount, s.pendingCount, s.deployments?.length]).toEqual([
      5_000, 5_000, 0, 1,
    ]);
    expect(s.events![0]!.message).toBe('(service web) has reached a steady state.');
  });

  it('rolls a 5,000-task service to a new revision and completes', async () => {
    const { ecs, follow } = await start(5_000);
    const td = await ecs.send(new RegisterTaskDefinitionCommand(webTaskDefinition('v2') as never));
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'main',
        service: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    const newId = out.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id;
    const s = await follow(15 * 60_000);
    expect(s.deployments?.map((d) => [d.id, d.rolloutState, d.runningCount])).toEqual([
      [newId, 'COMPLETED', 5_000],
    ]);
    expect(s.taskDefinition).toBe(td.taskDefinition!.taskDefinitionArn);
    const batches = startedBatches(s);
    expect(Math.max(...batches)).toBeLessThanOrEqual(MAX_TASK_CHANGES_PER_PASS);
  });

  it('launches a :pull-error rollout of 5,000 in batches, trips the breaker and rolls back', async () => {
    const { ecs, follow } = await start(5_000);
    const td = await ecs.send(new RegisterTaskDefinitionCommand(webTaskDefinition('pull-error') as never));
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'main',
        service: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    const oldId = out.service!.deployments!.find((d) => d.status === 'ACTIVE')!.id;
    const early = await follow(10_000);
    const failing = early.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(failing.pendingCount! + failing.runningCount!).toBeLessThan(5_000);
    expect(Math.max(...startedBatches(early))).toBeLessThanOrEqual(MAX_TASK_CHANGES_PER_PASS);
    const s = await follow(30 * 60_000);
    expect(s.deployments?.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [oldId, 'PRIMARY', 'COMPLETED'],
    ]);
    expect(s.runningCount).toBe(5_000);
  });
});

describe('healthCheckGracePeriodSeconds', () => {
  it('is refused beyond the API Integer, on UpdateService', async () => {
    const { ecs } = await start();
    const update = (healthCheckGracePeriodSeconds: number) =>
      ecs.send(new UpdateServiceCommand({ cluster: 'main', service: 'web', healthCheckGracePeriodSeconds }));
    expect(await failure(update(2 ** 31))).toEqual(
      invalid('healthCheckGracePeriodSeconds must be a whole number from 0 to 2147483647.'),
    );
    expect(await failure(update(-1))).toEqual(
      invalid('healthCheckGracePeriodSeconds must be a whole number from 0 to 2147483647.'),
    );
    expect(mutatingCalls(emu!.requests).filter((r) => r.status === 200)).toEqual([]);
  });
});
