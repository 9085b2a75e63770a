// The ECS model behind the real HTTP layer, driven with the real @aws-sdk/client-ecs client: what
// the action will see (wire format, error names, timestamps as Dates) on a manual clock.
import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';

import { startEmulator, type Emulator } from '../../emulator/index.js';
import { NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(desiredCount = 1) {
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
  const config = { endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const ecs = new ECSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const describe = async (): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))).services![0]!;
  /** Move the manual clock in 5 s steps (a poll interval) until `done`. */
  const until = async (done: (s: Service) => boolean, maxMs = 30 * 60_000): Promise<Service> => {
    for (let t = 0; t <= maxMs; t += 5_000) {
      const s = await describe();
      if (done(s)) return s;
      emu!.advance(5_000);
    }
    throw new Error('not reached');
  };
  const deploy = async (tag: string) => {
    const td = await ecs.send(new RegisterTaskDefinitionCommand(webTaskDefinition(tag) as never));
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'main',
        service: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    return out.service!;
  };
  const serviceDeployment = async (deploymentId: string) => {
    const list = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'main', service: 'web' }));
    const brief = list.serviceDeployments!.find((b) =>
      b.targetServiceRevisionArn!.endsWith(deploymentId.split('/')[1]!),
    )!;
    const out = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief.serviceDeploymentArn!] }),
    );
    return out.serviceDeployments![0]!;
  };
  return { emu, ecs, logs, describe, until, deploy, serviceDeployment };
}

describe('ECS model over the wire', () => {
  it('completes a healthy deployment; timestamps arrive as Dates', async () => {
    const { until, deploy, serviceDeployment } = await start(2);
    const updated = await deploy('v2');
    const id = updated.deployments![0]!.id!;
    expect(updated.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(updated.deployments![0]!.createdAt).toBeInstanceOf(Date);
    const s = await until(
      (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED',
    );
    expect(s.deployments![0]!.id).toBe(id);
    expect(s.events![0]).toMatchObject({ message: '(service web) has reached a steady state.' });
    expect(s.events![0]!.createdAt).toBeInstanceOf(Date);
    expect(s.events![0]!.createdAt!.getTime()).toBeGreaterThan(T0);
    const sd = await serviceDeployment(id);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.finishedAt).toBeInstanceOf(Date);
  });

  it('rolls a :pull-error deployment back to the same old deployment id', async () => {
    const { until, deploy, describe, serviceDeployment, ecs } = await start(1);
    const oldId = (await describe()).deployments![0]!.id!;
    const newId = (await deploy('pull-error')).deployments![0]!.id!;
    const s = await until(
      (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED',
    );
    expect(s.deployments![0]!.id).toBe(oldId);
    expect(s.events!.map((e) => e.message)).toContain(`(service web) rolling back to deployment ${oldId}.`);
    const sd = await serviceDeployment(newId);
    expect(sd).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
    });

    const arns = (
      await ecs.send(new ListTasksCommand({ cluster: 'main', serviceName: 'web', desiredStatus: 'STOPPED' }))
    ).taskArns!;
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: 'main', tasks: arns }))).tasks!.filter(
      (t) => t.startedBy === newId,
    );
    expect(tasks).toHaveLength(3);
    expect(tasks[0]).toMatchObject({ stopCode: 'TaskFailedToStart', lastStatus: 'STOPPED' });
    expect(tasks[0]!.stoppedReason).toMatch(/^CannotPullContainerError: /);
  });

  it('writes a crashed container’s log lines where GetLogEvents finds them', async () => {
    const { until, deploy, ecs, logs } = await start(1);
    const newId = (await deploy('crash')).deployments![0]!.id!;
    await until((x) => x.deployments!.some((d) => d.id === newId && d.failedTasks! >= 1));
    const arns = (
      await ecs.send(new ListTasksCommand({ cluster: 'main', serviceName: 'web', desiredStatus: 'STOPPED' }))
    ).taskArns!;
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: 'main', tasks: arns }))).tasks!;
    expect(task).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task!.containers![0]!.exitCode).toBe(1);
    const taskId = task!.taskArn!.split('/').at(-1);
    const events = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: `ecs/web/${taskId}` }),
    );
    expect(events.events!.map((e) => e.message)).toEqual([
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      'Process exited with code 1',
    ]);
  });

  it('answers with ECS error names and messages', async () => {
    const { ecs } = await start(1);
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand(webTaskDefinition('v2', { networkMode: 'bridge' }) as never),
      ),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: "Fargate only supports network mode 'awsvpc'.",
    });
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['ghost'] }));
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/main/ghost', reason: 'MISSING' },
    ]);
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web'] })),
    ).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    });
  });
});
