// One-off tasks (RunTask) in the emulator, driven with the real @aws-sdk/client-ecs on a manual
// clock: input checks worded as ECS words them, the task's life to STOPPED with exit codes, stop
// codes and awslogs lines, `exit-N` commands and `:exit-N` images, `-full` clusters, StopTask,
// ListTasks filters, the request log and clientToken idempotency.
import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';

import { exitCodeOf, lastWord } from '../../emulator/ecs/behaviours.js';
import { RUN_TASK_MESSAGES as M } from '../../emulator/ecs/run-task-input.js';
import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { ACCOUNT, NETWORK, REGION, REPO, T0, webTaskDefinition } from './ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const awslogs = (group: string) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': group, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
});

/** A Fargate task definition `family` with these containers (each logging to `/ecs/<family>`). */
function jobDefinition(
  family: string,
  containers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: containers.map((c) => ({
      image: `${REPO}:v1`,
      essential: true,
      logConfiguration: awslogs(`/ecs/${family}`),
      ...c,
    })),
    ...extra,
  };
}

async function start() {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }, { name: 'batch-full' }],
      taskDefinitions: [webTaskDefinition('v1')],
    },
  });
  const config = { endpoint: emu.url, region: REGION, credentials, maxAttempts: 1 };
  const ecs = new ECSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const register = async (td: Record<string, unknown>): Promise<string> =>
    (await ecs.send(new RegisterTaskDefinitionCommand(td as never))).taskDefinition!.taskDefinitionArn!;
  const run = (input: Partial<RunTaskCommandInput>) =>
    ecs.send(
      new RunTaskCommand({
        cluster: 'main',
        taskDefinition: 'web:1',
        networkConfiguration: NETWORK as RunTaskCommandInput['networkConfiguration'],
        ...input,
      }),
    );
  const describeTask = async (arn: string): Promise<Task> =>
    (await ecs.send(new DescribeTasksCommand({ cluster: 'main', tasks: [arn], include: ['TAGS'] })))
      .tasks![0]!;
  /** Step the clock 1 s at a time until `done`; returns the statuses seen on the way. */
  const until = async (arn: string, done: (t: Task) => boolean, maxMs = 10 * 60_000) => {
    const seen: string[] = [];
    for (let t = 0; t <= maxMs; t += 1000) {
      const task = await describeTask(arn);
      if (seen.at(-1) !== task.lastStatus) seen.push(task.lastStatus!);
      if (done(task)) return { task, seen };
      emu!.advance(1000);
    }
    throw new Error('not reached');
  };
  const stopped = (arn: string) => until(arn, (t) => t.lastStatus === 'STOPPED');
  const logLines = async (group: string, container: string, arn: string): Promise<string[]> => {
    const stream = `ecs/${container}/${arn.split('/').at(-1)}`;
    const out = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }),
    );
    return out.events!.map((e) => e.message!);
  };
  const listTasks = async (input: Record<string, unknown>): Promise<string[]> =>
    (await ecs.send(new ListTasksCommand({ cluster: 'main', ...input }))).taskArns!;
  return { emu, ecs, register, run, describeTask, until, stopped, logLines, listTasks };
}

describe('a one-off task run with RunTask', () => {
  it('runs `./migrate exit-0` through PROVISIONING, PENDING, RUNNING to STOPPED, logging as it goes', async () => {
    const { run, until, stopped, logLines, listTasks } = await start();
    const command = ['./migrate', 'exit-0'];
    const out = await run({
      launchType: 'FARGATE',
      startedBy: 'migrate-job',
      overrides: { containerOverrides: [{ name: 'web', command }] },
    });
    expect(out.failures).toEqual([]);
    expect(out.tasks).toHaveLength(1);
    const arn = out.tasks![0]!.taskArn!;
    expect(out.tasks![0]).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: 'migrate-job',
      group: 'family:web',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      overrides: { containerOverrides: [{ name: 'web', command }] },
    });

    const running = await until(arn, (t) => t.lastStatus === 'RUNNING');
    expect(await logLines('/ecs/web', 'web', arn)).toEqual(['Running ./migrate exit-0']);
    expect(await listTasks({ startedBy: 'migrate-job' })).toEqual([arn]);

    const { task, seen } = await stopped(arn);
    expect([...running.seen, ...seen.slice(1)]).toEqual([
      'PROVISIONING',
      'PENDING',
      'RUNNING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
    expect(task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task.containers![0]).toMatchObject({ name: 'web', lastStatus: 'STOPPED', exitCode: 0 });
    expect(task.containers![0]!.reason).toBeUndefined();
    const at = (k: keyof Task) => (task[k] as Date).getTime();
    expect(at('createdAt')).toBeLessThanOrEqual(at('pullStartedAt'));
    expect(at('pullStartedAt')).toBeLessThanOrEqual(at('pullStoppedAt'));
    expect(at('pullStoppedAt')).toBeLessThanOrEqual(at('startedAt'));
    expect(at('executionStoppedAt') - at('startedAt')).toBe(10_000); // "about ten seconds"
    expect(at('stoppingAt')).toBeLessThanOrEqual(at('stoppedAt'));
    expect(await logLines('/ecs/web', 'web', arn)).toEqual([
      'Running ./migrate exit-0',
      'Working...',
      'Exiting with code 0',
    ]);

    expect(await listTasks({ startedBy: 'migrate-job' })).toEqual([]);
    expect(await listTasks({ startedBy: 'migrate-job', desiredStatus: 'STOPPED' })).toEqual([arn]);
    expect(await listTasks({ family: 'web', desiredStatus: 'STOPPED' })).toEqual([arn]);
    expect(await listTasks({ family: 'other', desiredStatus: 'STOPPED' })).toEqual([]);
  });

  it('takes the exit code from a shell-form command, or from an `:exit-N` image whatever the command', async () => {
    const { run, register, stopped } = await start();
    const shell = await run({
      overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', './migrate --all exit-3'] }] },
    });
    const fromCommand = await stopped(shell.tasks![0]!.taskArn!);
    expect(fromCommand.task.containers![0]!.exitCode).toBe(3);

    await register(jobDefinition('job', [{ name: 'job', image: `${REPO}:exit-7`, command: ['./serve'] }]));
    const tagged = await run({
      taskDefinition: 'job',
      overrides: { containerOverrides: [{ name: 'job', command: ['./migrate', 'exit-3'] }] },
    });
    const fromImage = await stopped(tagged.tasks![0]!.taskArn!);
    expect(fromImage.task.containers![0]).toMatchObject({ name: 'job', exitCode: 7 });
    expect(fromImage.task.stopCode).toBe('EssentialContainerExited');
  });

  it('stops the task when an essential container exits; the containers still running report 137', async () => {
    const { run, register, stopped } = await start();
    await register(
      jobDefinition('batch', [
        { name: 'migrate', command: ['./migrate', 'exit-4'] },
        { name: 'proxy' },
        { name: 'agent', essential: false },
      ]),
    );
    const out = await run({ taskDefinition: 'batch' });
    const { task } = await stopped(out.tasks![0]!.taskArn!);
    expect(task).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    const codes = Object.fromEntries(task.containers!.map((c) => [c.name, [c.lastStatus, c.exitCode]]));
    expect(codes).toEqual({
      migrate: ['STOPPED', 4],
      proxy: ['STOPPED', 137],
      agent: ['STOPPED', 137],
    });
  });

  it('lets a non-essential container exit on its own; StopTask then stops the task UserInitiated', async () => {
    const { ecs, run, register, until, stopped } = await start();
    await register(
      jobDefinition('worker', [
        { name: 'worker' },
        { name: 'seed', essential: false, command: ['seed', 'exit-0'] },
      ]),
    );
    const arn = (await run({ taskDefinition: 'worker', startedBy: 'nightly' })).tasks![0]!.taskArn!;
    const { task: seeded } = await until(arn, (t) => t.containers!.some((c) => c.exitCode !== undefined));
    emu!.advance(60_000);
    const later = await until(arn, () => true);
    expect(later.task).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' });
    expect(later.task.containers!.find((c) => c.name === 'seed')).toMatchObject({
      lastStatus: 'STOPPED',
      exitCode: 0,
    });
    expect(later.task.containers!.find((c) => c.name === 'worker')!.lastStatus).toBe('RUNNING');
    expect(seeded.lastStatus).toBe('RUNNING');

    const stop = await ecs.send(
      new StopTaskCommand({ cluster: 'main', task: arn.split('/').at(-1), reason: 'Nightly window over' }),
    );
    expect(stop.task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Nightly window over',
    });
    const { task } = await stopped(arn);
    expect(task).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'Nightly window over' });
    expect(task.containers!.find((c) => c.name === 'worker')).toMatchObject({
      lastStatus: 'STOPPED',
      exitCode: 0,
    });
  });

  it('keeps the image tags: :pull-error never starts, :crash exits 1 with its log lines', async () => {
    const { run, register, stopped, logLines } = await start();
    await register(webTaskDefinition('pull-error'));
    const pull = await stopped((await run({ taskDefinition: 'web:2' })).tasks![0]!.taskArn!);
    expect(pull.task.stopCode).toBe('TaskFailedToStart');
    expect(pull.task.stoppedReason).toMatch(
      /^CannotPullContainerError: pull image manifest has been retried/,
    );
    expect(pull.task.startedAt).toBeUndefined();
    expect(pull.task.containers![0]!.reason).toBe(pull.task.stoppedReason);
    expect(pull.task.containers![0]!.exitCode).toBeUndefined();

    await register(webTaskDefinition('crash'));
    const arn = (await run({ taskDefinition: 'web:3' })).tasks![0]!.taskArn!;
    const crash = await stopped(arn);
    expect(crash.task.stopCode).toBe('EssentialContainerExited');
    expect(crash.task.containers![0]!.exitCode).toBe(1);
    expect(await logLines('/ecs/web', 'web', arn)).toEqual([
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      'Process exited with code 1',
    ]);
  });
});

describe('what RunTask answers', () => {
  it('on a `-full` cluster: RESOURCE:CPU for its container instance, and no task', async () => {
    const { ecs, run } = await start();
    const out = await run({ cluster: 'batch-full', count: 2 });
    expect(out.tasks).toEqual([]);
    expect(out.failures).toHaveLength(1);
    expect(out.failures![0]!.reason).toBe('RESOURCE:CPU');
    expect(out.failures![0]!.arn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:container-instance\/batch-full\/[0-9a-f]{32}$/,
    );
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const listed = await ecs.send(new ListTasksCommand({ cluster: 'batch-full', desiredStatus }));
      expect(listed.taskArns).toEqual([]);
    }
  });

  it('refuses bad input with ECS’s exception and words, and starts nothing', async () => {
    const { run, register, listTasks } = await start();
    await register({
      family: 'legacy',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'app', image: `${REPO}:v1`, memory: 256, essential: true }],
    });
    const bad: [Partial<RunTaskCommandInput>, string, string][] = [
      [{ networkConfiguration: undefined }, 'InvalidParameterException', M.awsvpcNeedsNetwork],
      [
        { networkConfiguration: { awsvpcConfiguration: { subnets: [] } } },
        'InvalidParameterException',
        M.noSubnets,
      ],
      [
        { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
        'InvalidParameterException',
        M.bothLaunchTypeAndStrategy,
      ],
      [{ count: 11 }, 'InvalidParameterException', M.count],
      [
        { overrides: { containerOverrides: [{ name: 'api', command: ['x'] }] } },
        'InvalidParameterException',
        'Override for container named api is not a container in the TaskDefinition.',
      ],
      [
        {
          overrides: {
            containerOverrides: [{ name: 'web', environment: [{ name: 'BIG', value: 'x'.repeat(9000) }] }],
          },
        },
        'InvalidParameterException',
        'Container Overrides length must be at most 8192',
      ],
      [{ propagateTags: 'SERVICE' }, 'InvalidParameterException', 'Invalid value for propagateTags'],
      [{ launchType: 'EC2', platformVersion: '1.4.0' }, 'InvalidParameterException', M.platformWithEc2],
      [
        { taskDefinition: 'legacy', networkConfiguration: undefined, launchType: 'FARGATE' },
        'InvalidParameterException',
        'Task definition does not support launch_type FARGATE.',
      ],
      [{ taskDefinition: 'legacy' }, 'InvalidParameterException', M.networkNotAwsvpc],
      [
        { capacityProviderStrategy: [{ capacityProvider: 'my-asg', weight: 1 }] },
        'InvalidParameterException',
        M.unknownProvider,
      ],
      [{ tags: [{ key: 'aws:owner', value: 'x' }] }, 'InvalidParameterException', M.awsTag],
      [{ taskDefinition: 'nope:1' }, 'ClientException', 'TaskDefinition not found.'],
    ];
    for (const [input, name, message] of bad) {
      await expect(run(input)).rejects.toMatchObject({ name, message });
    }
    expect(await listTasks({})).toEqual([]);
    expect(await listTasks({ desiredStatus: 'STOPPED' })).toEqual([]);
    const runs = mutatingCalls(emu!.requests).filter((r) => r.operation === 'RunTask');
    expect(runs).toHaveLength(bad.length);
    expect(runs.every((r) => r.status === 400)).toBe(true);
  });

  it('echoes count, group, tags, capacity provider, overrides and managed EBS volumes', async () => {
    const { run, register, describeTask, listTasks } = await start();
    await register(
      jobDefinition('report', [{ name: 'report', cpu: 128, command: ['./report'] }], {
        volumes: [{ name: 'scratch', configuredAtLaunch: true }],
        tags: [{ key: 'team', value: 'data' }],
      }),
    );
    const out = await run({
      taskDefinition: 'report',
      count: 3,
      group: 'reports',
      startedBy: 'ci/run-42',
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      tags: [{ key: 'run', value: '42' }],
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
      overrides: {
        cpu: '512',
        memory: '1024',
        containerOverrides: [
          { name: 'report', cpu: 256, memory: 400, environment: [{ name: 'DAY', value: 'mon' }] },
        ],
      },
      volumeConfigurations: [
        {
          name: 'scratch',
          managedEBSVolume: { roleArn: `arn:aws:iam::${ACCOUNT}:role/ebs`, sizeInGiB: 20, volumeType: 'gp3' },
        },
      ],
    });
    expect(out.failures).toEqual([]);
    expect(out.tasks).toHaveLength(3);
    expect(await listTasks({ startedBy: 'ci/run-42' })).toHaveLength(3);
    const t = await describeTask(out.tasks![0]!.taskArn!);
    expect(t).toMatchObject({
      group: 'reports',
      capacityProviderName: 'FARGATE_SPOT',
      launchType: 'FARGATE',
      cpu: '512',
      memory: '1024',
      tags: [
        { key: 'run', value: '42' },
        { key: 'team', value: 'data' },
        { key: 'aws:ecs:clusterName', value: 'main' },
      ],
    });
    expect(t.containers![0]).toMatchObject({ name: 'report', cpu: '256', memory: '400' });
    expect(t.overrides!.containerOverrides![0]).toMatchObject({
      name: 'report',
      environment: [{ name: 'DAY', value: 'mon' }],
    });
    expect(t.attachments).toHaveLength(1);
    expect(t.attachments![0]).toMatchObject({ type: 'AmazonElasticBlockStorage', status: 'ATTACHED' });
    expect(t.attachments![0]!.details).toEqual(
      expect.arrayContaining([
        { name: 'volumeName', value: 'scratch' },
        { name: 'sizeInGiB', value: '20' },
      ]),
    );
  });

  it('names the family of a RunTask and the task of a StopTask in the request log', async () => {
    const { ecs, run } = await start();
    const arn = (await run({})).tasks![0]!.taskArn!;
    const id = arn.split('/').at(-1)!;
    await ecs.send(new StopTaskCommand({ cluster: 'main', task: arn }));
    expect(mutatingCalls(emu!.requests).map((r) => [r.operation, r.target, r.status])).toEqual([
      ['RunTask', 'web:1', 200],
      ['StopTask', id, 200],
    ]);
  });

  it('starts the tasks once per clientToken; the same token with other parameters is a conflict', async () => {
    const { run, listTasks } = await start();
    const first = await run({ clientToken: 'deploy-42-migrate' });
    const again = await run({ clientToken: 'deploy-42-migrate' });
    expect(again.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn));
    expect(await listTasks({})).toHaveLength(1);
    await expect(run({ clientToken: 'deploy-42-migrate', count: 2 })).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });
});

describe('exit-N', () => {
  it('reads the last word of exec- and shell-form commands, 0..255 only; an :exit-N image wins', () => {
    expect(lastWord(['./migrate', 'exit-0'])).toBe('exit-0');
    expect(lastWord(['sh', '-c', './migrate exit-3 '])).toBe('exit-3');
    expect(lastWord(undefined)).toBeUndefined();
    expect(exitCodeOf('web:v1', ['./migrate', 'exit-255'])).toBe(255);
    expect(exitCodeOf('web:v1', ['./migrate', 'exit-256'])).toBeUndefined();
    expect(exitCodeOf('web:v1', ['exit-3', './serve'])).toBeUndefined();
    expect(exitCodeOf('web:exit-9', ['./migrate', 'exit-0'])).toBe(9);
    expect(exitCodeOf('web:exit-x', undefined)).toBeUndefined();
  });
});
