// One-off tasks end to end (run-task): `node dist/index.js` against the emulator, whose RunTask
// runs a container for about ten simulated seconds and exits N when its command (after
// overrides) ends in `exit-N`, writing a few awslogs lines. Each scenario checks the outcome, the
// outputs, the step log (the task's streamed lines), the summary, the emulator's request log
// and what RunTask itself received (its handler is wrapped to record the input).
import { beforeAll, describe, expect, test } from '@jest/globals';

import { mutatingCalls, type Emulator } from '../../emulator/index.js';
import { unexpectedStderr } from '../../emulator/run-action.js';
import {
  attempts,
  baseSeed,
  CLUSTER,
  deployInputs,
  expectOutcome,
  longestFirst,
  REGISTRY,
  runOf,
  runScenarios,
  SERVICE,
  serviceSeed,
  SLOW_SPEED,
  succeeded,
  taskDefinitionWith,
  tdArn,
  TEMPLATE,
  type Scenario,
  type ScenarioRun,
  referencedSeed,
} from './scenarios.js';

const SUBNET = 'subnet-0fedcba9876543210';
const SG = 'sg-0fedcba9876543210';
/** The service's own network (scenarios.ts serviceSeed). */
const SERVICE_NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'], securityGroups: ['sg-0123456789abcdef0'] },
};

/** Records every RunTask input the emulator receives, in the notes as `runTask` (JSON lines). */
function recordRunTask(emulator: Emulator, notes: Record<string, string>): void {
  const handlers = emulator.ecs.handlers as Record<string, (input: unknown, ctx: unknown) => unknown>;
  const original = handlers.RunTask;
  handlers.RunTask = (input, ctx) => {
    notes.runTask = `${notes.runTask ?? ''}${JSON.stringify(input)}\n`;
    return original(input, ctx);
  };
}

function runTaskInputs(run: ScenarioRun): Record<string, unknown>[] {
  return (run.notes.runTask ?? '')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Scenario setup that records RunTask's input. */
const recording: Scenario['setup'] = async ({ emulator }) => {
  const notes: Record<string, string> = {};
  recordRunTask(emulator, notes);
  return notes;
};

const TASK_ARN = new RegExp(`^arn:aws:ecs:us-east-1:123456789012:task/[\\w-]+/[0-9a-f]{32}$`);

function taskArns(run: ScenarioRun): string[] {
  const arns = JSON.parse(run.result.outputs['run-task-arn'] ?? 'null') as string[];
  expect(Array.isArray(arns)).toBe(true);
  for (const arn of arns) expect(arn).toMatch(TASK_ARN);
  return arns;
}

function exitCodes(run: ScenarioRun): Record<string, Record<string, number | null>> {
  return JSON.parse(run.result.outputs['run-task-exit-codes'] ?? 'null') as Record<
    string,
    Record<string, number | null>
  >;
}

function indexOf(run: ScenarioRun, operation: string): number {
  return run.requests.findIndex((r) => r.operation === operation && r.status === 200);
}

/** A revision with a second, non-essential container (a sidecar) beside `web`. */
function withSidecar(): Record<string, unknown> {
  const td = taskDefinitionWith('1.0') as { containerDefinitions: Record<string, unknown>[] };
  td.containerDefinitions.push({
    name: 'log-router',
    image: `${REGISTRY}/web:1.0`,
    essential: false,
    command: ['sidecar', 'exit-2'],
  });
  return td;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'migration exits 0, then the service deploys; RunTask got the service network and the new revision',
    seed: baseSeed(),
    setup: recording,
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-command': './migrate exit-0',
      'wait-for-task-stopped': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const [arn] = taskArns(run);
      expect(exitCodes(run)).toEqual({ [arn]: { web: 0 } });
      // RunTask ran the registered revision before UpdateService.
      expect(indexOf(run, 'RunTask')).toBeGreaterThan(indexOf(run, 'RegisterTaskDefinition'));
      expect(indexOf(run, 'UpdateService')).toBeGreaterThan(indexOf(run, 'RunTask'));
      const [input] = runTaskInputs(run);
      expect(input).toMatchObject({
        cluster: CLUSTER,
        taskDefinition: tdArn('web:2'),
        count: 1,
        startedBy: 'GitHub-Actions',
        launchType: 'FARGATE',
        networkConfiguration: SERVICE_NETWORK,
        overrides: { containerOverrides: [{ name: 'web', command: ['./migrate', 'exit-0'] }] },
      });
      // Its log lines streamed into the step log, prefixed with the container.
      expect(run.result.log).toContain('web | Running ./migrate exit-0');
      expect(run.result.log).toContain('web | Exiting with code 0');
      expect(run.result.log).toMatch(/^::group::Logs of task [0-9a-f]{32}$/m);
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
      expect(run.result.summary).toContain('### One-off task: passed');
    },
  },
  {
    name: 'migration exits 3: task-failed, its log lines, and no UpdateService at all',
    seed: baseSeed(),
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-command': './migrate exit-3',
      'wait-for-task-stopped': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'task-failed', 1);
      const [arn] = taskArns(run);
      expect(exitCodes(run)).toEqual({ [arn]: { web: 3 } });
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(run.result.outputs['task-definition-arn']).toBe(tdArn('web:2'));
      expect(run.result.log).toContain('web | Exiting with code 3');
      const error = run.result.log.split('\n').find((l) => l.startsWith('::error::')) ?? '';
      expect(error).toContain('essential container web stopped with exit code 3');
      expect(error).toContain('Service web was not updated.');
      // The summary: the container's exit code and its last log lines.
      expect(run.result.summary).toMatch(/^## \S+ Failed: the one-off task failed · web$/m);
      expect(run.result.summary).toContain('### One-off task: failed');
      expect(run.result.summary).toContain('Exiting with code 3');
      expect(run.result.summary).toContain('Running ./migrate exit-3');
    },
  },
  {
    name: 'a task that cannot start: RunTask failures[] (RESOURCE:CPU) named, service untouched',
    seed: {
      clusters: [{ name: CLUSTER }, { name: 'batch-full' }],
      taskDefinitions: [taskDefinitionWith('1.0')],
      services: [serviceSeed(), serviceSeed({ cluster: 'batch-full' })],
      // What the template points at, for preflight.
      ...referencedSeed(),
    },
    inputs: {
      ...deployInputs('1.1', { cluster: 'batch-full' }),
      'run-task': 'true',
      'run-task-command': './migrate exit-0',
      'wait-for-task-stopped': 'true',
    },
    verify(run) {
      expectOutcome(run, 'task-failed', 1);
      expect(taskArns(run)).toEqual([]);
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      expect(attempts(run.requests, 'DescribeTasks')).toEqual([]);
      expect(run.result.summary).toContain('RESOURCE:CPU');
      expect(run.result.log).toMatch(
        /^::error::.*\(outcome: task-failed\)\. ECS could not place the task: RESOURCE:CPU on arn:aws:ecs:us-east-1:123456789012:container-instance\/batch-full\//m,
      );
    },
  },
  {
    name: 'a task whose image cannot be pulled never starts: CannotPullContainerError named',
    seed: baseSeed(),
    inputs: deployInputs('pull-error', {
      'run-task': 'true',
      'run-task-command': './migrate exit-0',
      'wait-for-task-stopped': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'task-failed', 1);
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      const error = run.result.log.split('\n').find((l) => l.startsWith('::error::')) ?? '';
      expect(error).toMatch(/never started: CannotPullContainerError/);
      expect(error).toContain('TaskFailedToStart');
    },
  },
  {
    name: 'standalone batch job: register, run with the given network, follow, succeeded',
    seed: baseSeed(),
    setup: recording,
    inputs: {
      'task-definition': TEMPLATE,
      cluster: CLUSTER,
      'run-task': 'true',
      'run-task-subnets': SUBNET,
      'run-task-security-groups': SG,
      'run-task-command': '["node", "batch.js", "exit-0"]',
      'wait-for-task-stopped': 'true',
    },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const [arn] = taskArns(run);
      expect(exitCodes(run)).toEqual({ [arn]: { web: 0 } });
      expect(run.result.outputs['task-definition-arn']).toBe(tdArn('web:2'));
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      expect(attempts(run.requests, 'DescribeServices')).toEqual([]);
      const [input] = runTaskInputs(run);
      expect(input.networkConfiguration).toEqual({
        awsvpcConfiguration: { subnets: [SUBNET], securityGroups: [SG], assignPublicIp: 'DISABLED' },
      });
      expect(run.result.log).toContain('web | Exiting with code 0');
    },
  },
  {
    name: 'a workflow written for the official action: same inputs, plus the gate and the logs',
    seed: baseSeed(),
    setup: recording,
    inputs: {
      'task-definition': TEMPLATE,
      cluster: CLUSTER,
      service: SERVICE,
      'wait-for-service-stability': 'true',
      'run-task': 'true',
      'run-task-container-overrides': JSON.stringify([{ name: 'web', command: ['./migrate', 'exit-0'] }]),
      'run-task-subnets': `${SUBNET}, subnet-0aaaabbbbccccdddd`,
      'run-task-security-groups': SG,
      'run-task-assign-public-IP': 'ENABLED',
      'run-task-launch-type': 'FARGATE',
      'run-task-started-by': 'migration',
      'run-task-tags': JSON.stringify([{ key: 'purpose', value: 'migrate' }]),
      'wait-for-task-stopped': 'true',
    },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      expect(taskArns(run)).toHaveLength(1);
      const [input] = runTaskInputs(run);
      expect(input).toMatchObject({
        taskDefinition: tdArn('web:2'),
        startedBy: 'migration',
        launchType: 'FARGATE',
        tags: [{ key: 'purpose', value: 'migrate' }],
        overrides: { containerOverrides: [{ name: 'web', command: ['./migrate', 'exit-0'] }] },
        // Given network inputs replace the service's as a whole.
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [SUBNET, 'subnet-0aaaabbbbccccdddd'],
            securityGroups: [SG],
            assignPublicIp: 'ENABLED',
          },
        },
      });
      expect(run.result.log).toContain('web | Exiting with code 0');
      expect(indexOf(run, 'UpdateService')).toBeGreaterThan(indexOf(run, 'RunTask'));
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
    },
  },
  {
    name: 'a sidecar that exits non-zero is a warning: the essential container decides',
    seed: baseSeed({ revisions: [taskDefinitionWith('1.0'), withSidecar()] }),
    inputs: {
      cluster: CLUSTER,
      service: SERVICE,
      'task-definition-arn': tdArn('web:2'),
      'container-name': 'web',
      'run-task': 'true',
      'run-task-command': './migrate exit-0',
      'wait-for-task-stopped': 'true',
    },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const [arn] = taskArns(run);
      const codes = exitCodes(run)[arn];
      expect(codes.web).toBe(0);
      expect(codes['log-router']).not.toBe(0);
      const warnings = run.result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      expect(warnings).toContainEqual(
        expect.stringMatching(/^Container log-router of task \w+ exited with code \d+; it is not essential/),
      );
      expect(attempts(run.requests, 'RegisterTaskDefinition')).toEqual([]);
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
    },
  },
  {
    name: 'timed out: the task is left running and the service is not updated',
    seed: baseSeed(),
    speed: SLOW_SPEED,
    timeoutMs: 150_000,
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-command': './server',
      'wait-for-task-stopped': 'true',
      'wait-for-minutes': '1',
    }),
    verify(run) {
      expectOutcome(run, 'timed-out', 1);
      expect(attempts(run.requests, 'StopTask')).toEqual([]);
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      const error = run.result.log.split('\n').find((l) => l.startsWith('::error::')) ?? '';
      expect(error).toMatch(/No verdict on the one-off task within 1 minute\(s\): task \w+ was RUNNING/);
      expect(error).toContain('It was left running');
    },
  },
  {
    name: 'timed out with stop-task-on-timeout: StopTask, and the service is not updated',
    seed: baseSeed(),
    speed: SLOW_SPEED,
    timeoutMs: 150_000,
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-command': './server',
      'wait-for-task-stopped': 'true',
      'wait-for-minutes': '1',
      'stop-task-on-timeout': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'timed-out', 1);
      expect(succeeded(run.requests, 'StopTask')).toHaveLength(1);
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      expect(run.result.log).toContain('StopTask was sent for it (stop-task-on-timeout).');
    },
  },
  {
    name: 'cancelled (SIGTERM) while waiting for the task: it is left running, the service not updated',
    seed: baseSeed(),
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-command': './server',
      'wait-for-task-stopped': 'true',
      'stop-task-on-timeout': 'true',
    }),
    signal: { name: 'SIGTERM', whenOutputMatches: /^Task [0-9a-f]{32}: RUNNING$/m },
    verify(run) {
      expectOutcome(run, 'cancelled', 1);
      expect(attempts(run.requests, 'StopTask')).toEqual([]);
      expect(attempts(run.requests, 'UpdateService')).toEqual([]);
      const error = run.result.log.split('\n').find((l) => l.startsWith('::error::')) ?? '';
      expect(error).toMatch(/Cancelled while waiting for the one-off task: task \w+ was RUNNING/);
      expect(error).toContain('It was left running');
      expect(taskArns(run)).toHaveLength(1);
    },
  },
  {
    name: 'bad input: an override of an unknown container, stopped before any write',
    seed: baseSeed(),
    inputs: deployInputs('1.1', {
      'run-task': 'true',
      'run-task-container-overrides': JSON.stringify([{ name: 'migrator', command: ['x'] }]),
    }),
    verify(run) {
      expect(run.result.exitCode).toBe(1);
      expect(unexpectedStderr(run.result.stderr)).toBe('');
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toContainEqual(
        expect.stringContaining(
          `input 'run-task-container-overrides': [0].name: "migrator" is not a container`,
        ),
      );
      expect(mutatingCalls(run.requests)).toEqual([]);
    },
  },
  {
    name: 'bad input: an awsvpc task with no subnets and no service, stopped before any write',
    seed: baseSeed(),
    inputs: { 'task-definition': TEMPLATE, cluster: CLUSTER, 'run-task': 'true' },
    verify(run) {
      expect(run.result.exitCode).toBe(1);
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toContainEqual(
        expect.stringContaining(`input 'run-task-subnets': the task definition uses networkMode awsvpc`),
      );
      expect(mutatingCalls(run.requests)).toEqual([]);
    },
  },
];

let runs: Map<string, PromiseSettledResult<ScenarioRun>> | undefined;

beforeAll(async () => {
  runs = await runScenarios(longestFirst(SCENARIOS), {}, 5);
}, 240_000);

describe('run-task', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
    scenario.verify(runOf(runs, name));
  });
});
