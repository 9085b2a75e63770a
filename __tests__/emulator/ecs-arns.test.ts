// ARNs of another region, account or cluster are refused as ECS refuses them, through the real SDK:
// a deploy whose region input does not match its ARNs must fail here as it would against AWS,
// not quietly act on the emulator's resource of the same name.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';

import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ACCOUNT = '123456789012';
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

/** An emulator in `region` with clusters `main`, `other`, `default`, `web:1` and a steady 1-task `web` in `main`. */
async function start(region = 'us-east-1') {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    region,
    seed: {
      clusters: [{ name: 'main' }, { name: 'other' }, { name: 'default' }],
      taskDefinitions: [webTaskDefinition('v1')],
      services: [
        {
          cluster: 'main',
          serviceName: 'web',
          taskDefinition: 'web:1',
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
        },
      ],
    },
  });
  const ecs = new ECSClient({ endpoint: emu.url, region, credentials, maxAttempts: 1 });
  const arn = (resource: string, r = region, account = ACCOUNT): string =>
    `arn:aws:ecs:${r}:${account}:${resource}`;
  return { ecs, arn };
}

/** The error a call fails with, as the SDK raises it. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const WRONG_REGION = { name: 'InvalidParameterException', message: 'Invalid Region in ARN', status: 400 };
const wrongAccount = (account: string) => ({
  name: 'InvalidParameterException',
  message: `Invalid identifier: Identifier is for ${account}. Your accountId is ${ACCOUNT}`,
  status: 400,
});

describe('ARNs of another region', () => {
  it('DescribeServices refuses a cluster or service ARN of another region', async () => {
    const { ecs, arn } = await start();
    expect(
      await failure(
        ecs.send(
          new DescribeServicesCommand({ cluster: arn('cluster/main', 'eu-west-1'), services: ['web'] }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    expect(
      await failure(
        ecs.send(
          new DescribeServicesCommand({ cluster: 'main', services: [arn('service/main/web', 'us-west-2')] }),
        ),
      ),
    ).toEqual(WRONG_REGION);
  });

  it('UpdateService writes nothing for a service or task-definition ARN of another region', async () => {
    const { ecs, arn } = await start();
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: 'main',
            service: arn('service/main/web', 'us-west-2'),
            forceNewDeployment: true,
          }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: 'main',
            service: 'web',
            taskDefinition: arn('task-definition/web:1', 'us-west-2'),
          }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] })))
      .services![0]!;
    expect(s.deployments).toHaveLength(1);
    expect(s.taskDefinition).toBe(arn('task-definition/web:1'));
    expect(mutatingCalls(emu!.requests).map((r) => [r.operation, r.error])).toEqual([
      ['UpdateService', 'InvalidParameterException'],
      ['UpdateService', 'InvalidParameterException'],
    ]);
  });

  it('CreateService refuses a cluster or task-definition ARN of another region', async () => {
    const { ecs, arn } = await start();
    const create = (cluster: string, taskDefinition: string) =>
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: 'api',
          taskDefinition,
          desiredCount: 1,
          networkConfiguration: NETWORK as never,
        }),
      );
    expect(await failure(create(arn('cluster/main', 'us-west-2'), 'web:1'))).toEqual(WRONG_REGION);
    expect(await failure(create('main', arn('task-definition/web:1', 'us-west-2')))).toEqual(WRONG_REGION);
    const listed = await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['api'] }));
    expect(listed.services).toEqual([]);
  });

  it('DescribeTaskDefinition and DeregisterTaskDefinition refuse one rather than finding web:1 here', async () => {
    const { ecs, arn } = await start();
    expect(
      await failure(
        ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: arn('task-definition/web:1', 'eu-west-1') }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    expect(
      await failure(
        ecs.send(
          new DeregisterTaskDefinitionCommand({ taskDefinition: arn('task-definition/web:1', 'eu-west-1') }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    // The same ARN in the emulator's region is found.
    const td = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: arn('task-definition/web:1') }),
    );
    expect(td.taskDefinition?.status).toBe('ACTIVE');
  });

  it('RunTask, DescribeTasks, StopTask, ListTasks and DescribeClusters refuse one too', async () => {
    const { ecs, arn } = await start();
    const run = (cluster: string, taskDefinition: string) =>
      ecs.send(
        new RunTaskCommand({ cluster, taskDefinition, networkConfiguration: NETWORK as never, count: 1 }),
      );
    expect(await failure(run(arn('cluster/main', 'us-west-2'), 'web:1'))).toEqual(WRONG_REGION);
    expect(await failure(run('main', arn('task-definition/web:1', 'us-west-2')))).toEqual(WRONG_REGION);
    const task = arn('task/main/0123456789abcdef0123456789abcdef', 'us-west-2');
    expect(await failure(ecs.send(new DescribeTasksCommand({ cluster: 'main', tasks: [task] })))).toEqual(
      WRONG_REGION,
    );
    expect(await failure(ecs.send(new StopTaskCommand({ cluster: 'main', task })))).toEqual(WRONG_REGION);
    expect(
      await failure(
        ecs.send(
          new ListTasksCommand({ cluster: 'main', serviceName: arn('service/main/web', 'us-west-2') }),
        ),
      ),
    ).toEqual(WRONG_REGION);
    expect(
      await failure(ecs.send(new DescribeClustersCommand({ clusters: [arn('cluster/main', 'us-west-2')] }))),
    ).toEqual(WRONG_REGION);
    expect(mutatingCalls(emu!.requests).every((r) => r.error === 'InvalidParameterException')).toBe(true);
  });

  it('takes the region from the emulator: in eu-west-1, us-east-1 ARNs are the foreign ones', async () => {
    const { ecs, arn } = await start('eu-west-1');
    const own = await ecs.send(
      new DescribeServicesCommand({ cluster: arn('cluster/main'), services: [arn('service/main/web')] }),
    );
    expect(own.services?.map((s) => s.serviceArn)).toEqual([arn('service/main/web')]);
    expect(
      await failure(
        ecs.send(
          new DescribeServicesCommand({ cluster: arn('cluster/main', 'us-east-1'), services: ['web'] }),
        ),
      ),
    ).toEqual(WRONG_REGION);
  });
});

describe('ARNs of another account or cluster', () => {
  it('refuses a cluster, service or task-definition ARN of another account', async () => {
    const { ecs, arn } = await start();
    const other = '210987654321';
    expect(
      await failure(
        ecs.send(
          new DescribeServicesCommand({ cluster: arn('cluster/main', undefined, other), services: ['web'] }),
        ),
      ),
    ).toEqual(wrongAccount(other));
    expect(
      await failure(
        ecs.send(
          new UpdateServiceCommand({
            cluster: 'main',
            service: arn('service/main/web', undefined, other),
            desiredCount: 2,
          }),
        ),
      ),
    ).toEqual(wrongAccount(other));
    expect(
      await failure(
        ecs.send(
          new DescribeTaskDefinitionCommand({
            taskDefinition: arn('task-definition/web:1', undefined, other),
          }),
        ),
      ),
    ).toEqual(wrongAccount(other));
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] })))
      .services![0]!;
    expect(s.desiredCount).toBe(1);
  });

  it('refuses a service ARN of another cluster, naming both clusters', async () => {
    const { ecs, arn } = await start();
    const expected = {
      name: 'InvalidParameterException',
      message: 'Invalid identifier: Identifier is for cluster other. Your cluster is main',
      status: 400,
    };
    expect(
      await failure(
        ecs.send(new DescribeServicesCommand({ cluster: 'main', services: [arn('service/other/web')] })),
      ),
    ).toEqual(expected);
    expect(
      await failure(
        ecs.send(new ListServiceDeploymentsCommand({ cluster: 'main', service: arn('service/other/web') })),
      ),
    ).toEqual(expected);
    // Without a cluster the call is about `default`, as in ECS.
    expect(
      (await failure(ecs.send(new DescribeServicesCommand({ services: [arn('service/main/web')] })))).message,
    ).toBe('Invalid identifier: Identifier is for cluster main. Your cluster is default');
  });

  it('still accepts names, full ARNs of its own and old-format service ARNs', async () => {
    const { ecs, arn } = await start();
    const out = await ecs.send(
      new DescribeServicesCommand({
        cluster: arn('cluster/main'),
        services: [arn('service/main/web'), arn('service/web'), 'web'],
      }),
    );
    expect(out.services?.map((s) => s.serviceName)).toEqual(['web', 'web', 'web']);
    expect(out.failures).toEqual([]);
  });
});
