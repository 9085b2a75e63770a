// The one-off task (run-task) through the whole step in-process: the fake ECS world runs a task
// for `runsForSeconds` and ends it with the scripted exit codes. One test per branch of the gate
// and of the outcome; the end-to-end suite (__tests__/e2e/run-task.test.ts) runs the same paths
// through dist/index.js and the emulator.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { NEW, T0, TD_NEW, oldActive, ours, service } from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  containerDefinitions: [
    {
      name: 'app',
      image: 'nginx:1',
      essential: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-stream-prefix': 'web',
          'awslogs-region': 'us-east-1',
        },
      },
    },
    { name: 'sidecar', image: 'envoy:1', essential: false },
  ],
};
const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'], securityGroups: ['sg-0123456789abcdef0'] },
};
const MIGRATE = {
  cluster: 'prod',
  service: 'web',
  image: 'nginx:2',
  'container-name': 'app',
  'run-task': 'true',
  'run-task-command': './migrate up',
  'wait-for-task-stopped': 'true',
};
const TASK_ARN = `arn:aws:ecs:us-east-1:123456789012:task/prod/${'1'.padStart(32, '0')}`;
const TASK_ID = '1'.padStart(32, '0');

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  const steady: Service = {
    ...service([oldActive({ status: 'PRIMARY' })]),
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    networkConfiguration: NETWORK,
  };
  aws.world.seedService(steady);
  aws.world.timeline = [
    [0, service([ours(), oldActive()])],
    [45, service([ours({ runningCount: 2, rolloutState: 'COMPLETED', rolloutStateReason: 'done' })])],
  ];
  aws.streams.set(`/ecs/web web/app/${TASK_ID}`, ['Migrating 3 tables', 'ERROR: relation "users" exists']);
});

async function step(inputs: Record<string, string>, options: { cancelAt?: number } = {}) {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'run-task-')) });
  const cancel = new AbortController();
  if (options.cancelAt !== undefined) {
    const at = T0.getTime() + options.cancelAt * 1000;
    clock.onSleep = (now) => {
      if (now >= at) cancel.abort();
    };
  }
  await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
  return runner;
}

function runTaskInput(): Record<string, unknown> {
  return aws.ecs.callsOf('runTask')[0]?.args[0] as Record<string, unknown>;
}

describe('run-task with a service', () => {
  it('exit 0: the service is updated after the task, which ran where the service runs', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 12 };
    const runner = await step(MIGRATE);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(runTaskInput()).toEqual({
      cluster: 'prod',
      count: 1,
      startedBy: 'GitHub-Actions',
      taskDefinition: TD_NEW,
      overrides: { containerOverrides: [{ name: 'app', command: ['./migrate', 'up'] }] },
      networkConfiguration: NETWORK,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
    });
    expect(JSON.parse(runner.outputs['run-task-arn'])).toEqual([TASK_ARN]);
    expect(JSON.parse(runner.outputs['run-task-exit-codes'])).toEqual({ [TASK_ARN]: { app: 0, sidecar: 0 } });
    expect(runner.outputs['deployment-id']).toBe(NEW);
    // The log lines, as one group of the task, each prefixed with its container.
    expect(runner.texts('group')).toContain(`Logs of task ${TASK_ID}`);
    expect(runner.texts('info')).toContain('app | ERROR: relation "users" exists');
  });

  it('exit non-zero: task-failed, no UpdateService, the last log lines in the summary', async () => {
    aws.world.taskScript = { exitCodes: { app: 2, sidecar: 137 }, runsForSeconds: 12 };
    const runner = await step(MIGRATE);
    expect(runner.outputs.outcome).toBe('task-failed');
    expect(runner.failed).toContain('(outcome: task-failed)');
    expect(runner.failed).toContain('essential container app stopped with exit code 2');
    expect(runner.failed).toContain('Service web was not updated.');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(runner.outputs['deployment-id']).toBeUndefined();
    expect(runner.summaries[0]).toContain('ERROR: relation "users" exists');
    // The sidecar's 137 is a warning, not the reason.
    expect(runner.texts('warning')).toContainEqual(expect.stringContaining('Container sidecar of task'));
  });

  it('a sidecar exiting non-zero does not fail the task: the essential container decides', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 1 }, runsForSeconds: 12 };
    const runner = await step(MIGRATE);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.texts('warning')).toContain(
      `Container sidecar of task ${TASK_ID} exited with code 1; it is not essential, so it does not fail the task.`,
    );
  });

  it('not placed (failures[]): task-failed with the reason, nothing followed', async () => {
    aws.world.taskScript = {
      exitCodes: {},
      runsForSeconds: 0,
      failures: [
        { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/abc', reason: 'RESOURCE:MEMORY' },
      ],
    };
    const runner = await step(MIGRATE);
    expect(runner.outputs.outcome).toBe('task-failed');
    expect(runner.failed).toContain('ECS could not place the task: RESOURCE:MEMORY');
    expect(JSON.parse(runner.outputs['run-task-arn'])).toEqual([]);
    expect(aws.ecs.callsOf('describeTasks')).toEqual([]);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  it('never started (TaskFailedToStart): says so with ECS reason', async () => {
    aws.world.taskScript = {
      exitCodes: { app: 0, sidecar: 0 },
      runsForSeconds: 10,
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
    };
    const runner = await step(MIGRATE);
    expect(runner.outputs.outcome).toBe('task-failed');
    expect(runner.failed).toContain(
      `Task ${TASK_ID} never started: ResourceInitializationError: unable to pull secrets or registry auth (stop code TaskFailedToStart)`,
    );
  });

  it('without wait-for-task-stopped the service is updated at once, as in the official action', async () => {
    aws.world.taskScript = { exitCodes: { app: 1, sidecar: 0 }, runsForSeconds: 12 };
    const runner = await step({ ...MIGRATE, 'wait-for-task-stopped': 'false' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(runner.outputs['run-task-arn']).toBe(JSON.stringify([TASK_ARN]));
    expect(runner.outputs['run-task-exit-codes']).toBeUndefined();
  });

  it('timed out: the task is left running, the service not updated, where it stands is said', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 3600 };
    const runner = await step({ ...MIGRATE, 'wait-for-minutes': '1' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.failed).toContain(
      `No verdict on the one-off task within 1 minute(s): task ${TASK_ID} was RUNNING`,
    );
    expect(runner.failed).toContain('It was left running');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  it('timed out with stop-task-on-timeout: StopTask is sent', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 3600 };
    const runner = await step({ ...MIGRATE, 'wait-for-minutes': '1', 'stop-task-on-timeout': 'true' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
    expect(runner.failed).toContain('StopTask was sent for it');
  });

  it('StopTask refused on timeout: warned, still timed-out, the task said to run on', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 3600 };
    aws.world.fail(
      'StopTask',
      new AwsCallError('StopTask was denied: the role needs ecs:StopTask.', {
        kind: 'access-denied',
        operation: 'StopTask',
      }),
    );
    const runner = await step({ ...MIGRATE, 'wait-for-minutes': '1', 'stop-task-on-timeout': 'true' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.texts('warning')).toContain(
      'StopTask was denied: the role needs ecs:StopTask. The task was left running.',
    );
    expect(runner.failed).toContain('It was left running');
  });

  it('cancelled while waiting: the task is left running and the service not updated', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 3600 };
    const runner = await step({ ...MIGRATE, 'stop-task-on-timeout': 'true' }, { cancelAt: 5 });
    expect(runner.outputs.outcome).toBe('cancelled');
    expect(runner.failed).toContain('Cancelled while waiting for the one-off task');
    expect(runner.failed).toContain('It was left running');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  it('secret-looking values of the overrides are masked before anything is printed', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 12 };
    const overrides = [{ name: 'sidecar', environment: [{ name: 'DB_PASSWORD', value: 'hunter2-Zq9x' }] }];
    const runner = await step({ ...MIGRATE, 'run-task-container-overrides': JSON.stringify(overrides) });
    expect(runner.secrets).toContain('hunter2-Zq9x');
    expect(runner.outputs.outcome).toBe('succeeded');
  });

  it('run-task inputs without run-task: true are warned about, and nothing runs', async () => {
    const runner = await step({ ...MIGRATE, 'run-task': 'false' });
    expect(runner.texts('warning')).toContain(
      'run-task-command, wait-for-task-stopped are set, but run-task is not true; no task is run.',
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('dry run: the task is planned and checked, not run', async () => {
    const runner = await step({ ...MIGRATE, 'dry-run': 'true' });
    expect(runner.outputs.outcome).toBe('planned');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('run-task without a service (a batch job)', () => {
  const BATCH = {
    cluster: 'prod',
    'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8',
    'run-task': 'true',
    'run-task-subnets': 'subnet-0aaaabbbbccccdddd',
    'wait-for-task-stopped': 'true',
  };

  it('runs an existing revision as is and ends succeeded', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 30 };
    const runner = await step(BATCH);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RunTask']);
    expect(runTaskInput()).toMatchObject({
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0aaaabbbbccccdddd'], assignPublicIp: 'DISABLED' },
      },
      launchType: 'FARGATE',
    });
    expect(runner.summaries[0]).toContain('### One-off task: passed');
  });

  it('ends task-failed when the job fails', async () => {
    aws.world.taskScript = { exitCodes: { app: 4, sidecar: 0 }, runsForSeconds: 30 };
    const runner = await step(BATCH);
    expect(runner.outputs.outcome).toBe('task-failed');
    expect(runner.failed).not.toContain('was not updated');
  });

  // The official action returns once the task started unless wait-for-task-stopped is true; here
  // a batch task's exit codes are its result, so it is followed to its end (README migration table).
  it('without wait-for-task-stopped a batch task is still followed to its end: its exit code decides', async () => {
    aws.world.taskScript = { exitCodes: { app: 4, sidecar: 0 }, runsForSeconds: 30 };
    const unset = await step({ ...BATCH, 'wait-for-task-stopped': '' });
    expect(unset.outputs.outcome).toBe('task-failed');
    const no = await step({ ...BATCH, 'wait-for-task-stopped': 'false' });
    expect(no.outputs.outcome).toBe('task-failed');
    expect(no.outputs['run-task-exit-codes']).toContain('4');
  });

  it('an awsvpc task with no subnets and no service is an error before any write', async () => {
    const runner = await step({ ...BATCH, 'run-task-subnets': '' });
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.texts('error')).toContainEqual(
      expect.stringContaining('there is no service to copy them from'),
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it("the task plan's problems are listed beside another run-task input's, in one run", async () => {
    const runner = await step({ ...BATCH, 'run-task-subnets': '', 'run-task-started-by': 'bad by!' });
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain("input 'run-task-started-by'");
    expect(errors).toContain('there is no service to copy them from');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('cluster and wait-for-minutes apply to the task, so they are not deploy-only with run-task', async () => {
    aws.world.taskScript = { exitCodes: { app: 0, sidecar: 0 }, runsForSeconds: 30 };
    const runner = await step({ ...BATCH, 'wait-for-minutes': '5', 'enable-ecs-managed-tags': 'true' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runTaskInput()).toMatchObject({ enableECSManagedTags: true });
  });
});
