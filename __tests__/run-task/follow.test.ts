// Following started tasks: DescribeTasks until every task is STOPPED, a task not listed yet
// (eventual consistency right after RunTask) waited for, transient failures polled through.
import { describe, expect, test } from '@jest/globals';
import type { Task } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import { followTasks, type TaskLog } from '../../src/run-task/follow.js';
import { fakeEcs, fakeLogs } from '../fakes/aws.js';
import { FakeClock } from '../fakes/clock.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc';
const TD = { containerDefinitions: [{ name: 'app' }] };

function log(): TaskLog & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { infos, warnings, info: (l) => infos.push(l), warning: (l) => warnings.push(l), lines: () => {} };
}

describe('followTasks', () => {
  test('waits for a task DescribeTasks does not list yet, polls through throttling, ends when STOPPED', async () => {
    const answers: (Task[] | Error)[] = [
      [],
      new AwsCallError('DescribeTasks was throttled.', {
        kind: 'retryable',
        operation: 'DescribeTasks',
        awsName: 'ThrottlingException',
        cause: Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        }),
      }),
      [{ taskArn: ARN, lastStatus: 'RUNNING', startedAt: new Date(0) }],
      [
        {
          taskArn: ARN,
          lastStatus: 'STOPPED',
          startedAt: new Date(0),
          stoppedReason: 'Essential container in task exited',
        },
      ],
    ];
    const ecs = fakeEcs({
      describeTasks: async () => {
        const next = answers.shift() ?? [];
        if (next instanceof Error) throw next;
        return { tasks: next, failures: next.length ? [] : [{ arn: ARN, reason: 'MISSING' }] };
      },
    });
    const logs = fakeLogs({
      getLogPage: async (q) => ({ lines: [], nextForwardToken: q.nextToken, exists: false }),
    });
    const clock = new FakeClock(0);
    const out = log();
    const end = await followTasks(
      { ecs, logs, clock, log: out, signal: new AbortController().signal },
      { cluster: 'prod', arns: [ARN], taskDefinition: TD, deadline: 60_000 },
    );
    expect(end.kind).toBe('stopped');
    expect(ecs.callsOf('describeTasks')).toHaveLength(4);
    expect(out.infos).toEqual([
      'Task abc: RUNNING',
      'Task abc: STOPPED (Essential container in task exited)',
    ]);
    expect(out.warnings).toEqual([
      expect.stringContaining('Polling again; this does not change the verdict.'),
    ]);
  });

  test('ends at the deadline with the last look at the tasks', async () => {
    const ecs = fakeEcs({
      describeTasks: async () => ({
        tasks: [{ taskArn: ARN, lastStatus: 'RUNNING', startedAt: new Date(0) }],
        failures: [],
      }),
    });
    const logs = fakeLogs({
      getLogPage: async (q) => ({ lines: [], nextForwardToken: q.nextToken, exists: false }),
    });
    const end = await followTasks(
      { ecs, logs, clock: new FakeClock(0), log: log(), signal: new AbortController().signal },
      { cluster: 'prod', arns: [ARN], taskDefinition: TD, deadline: 30_000 },
    );
    expect(end.kind).toBe('timeout');
    expect(end.tasks.map((t) => t.lastStatus)).toEqual(['RUNNING']);
  });
});
