// The verdict on stopped one-off tasks (pure): essential containers decide.
import { describe, expect, test } from '@jest/globals';
import type { Task } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../src/lib/json.js';
import { exitCodesOf } from '../../src/run-task/types.js';
import { judgeStopped, sidecarWarnings, stoppedReason, taskEnd } from '../../src/run-task/verdict.js';

const TD: JsonObject = {
  containerDefinitions: [
    { name: 'app', essential: true },
    { name: 'log-router', essential: false },
  ],
};
const ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc123';

function stopped(codes: Record<string, number | undefined>, extra: Partial<Task> = {}): Task {
  return {
    taskArn: ARN,
    lastStatus: 'STOPPED',
    startedAt: new Date(0),
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: Object.entries(codes).map(([name, exitCode]) => ({ name, exitCode })),
    ...extra,
  } as Task;
}

describe('judgeStopped', () => {
  test('passes on exit 0 of every essential container, even with EssentialContainerExited', () => {
    const tasks = [taskEnd(stopped({ app: 0, 'log-router': 137 }), TD)];
    expect(judgeStopped(tasks, [])).toBe('passed');
    expect(stoppedReason('passed', tasks, [])).toBe(
      'The one-off task stopped with every essential container at exit code 0: abc123 (app: 0, log-router: 137).',
    );
    expect(sidecarWarnings(tasks)).toEqual([
      'Container log-router of task abc123 exited with code 137; it is not essential, so it does not fail the task.',
    ]);
    expect(exitCodesOf(tasks)).toEqual({ [ARN]: { app: 0, 'log-router': 137 } });
  });

  test('fails on a non-zero essential exit, naming the container, code and reason', () => {
    const tasks = [
      taskEnd(
        stopped(
          { app: 137, 'log-router': 0 },
          {
            containers: [
              {
                name: 'app',
                exitCode: 137,
                reason: 'OutOfMemoryError: Container killed due to memory usage',
              },
              { name: 'log-router', exitCode: 0 },
            ],
          },
        ),
        TD,
      ),
    ];
    expect(judgeStopped(tasks, [])).toBe('failed');
    expect(stoppedReason('failed', tasks, [])).toBe(
      'Task abc123 failed: essential container app stopped with exit code 137 (OutOfMemoryError: Container killed due to memory usage); exit codes: app: 137, log-router: 0.',
    );
  });

  test('a task that never started, with the ECS reason', () => {
    const task = stopped(
      { app: undefined },
      {
        startedAt: undefined,
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      },
    );
    const tasks = [taskEnd(task, TD)];
    expect(judgeStopped(tasks, [])).toBe('not-started');
    expect(stoppedReason('not-started', tasks, [])).toBe(
      'Task abc123 never started: CannotPullContainerError: pull image manifest has been retried 5 time(s) (stop code TaskFailedToStart).',
    );
    expect(exitCodesOf(tasks)).toEqual({ [ARN]: { app: null } });
  });

  test('no task placed: RunTask failures say why', () => {
    const failures = [
      { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/x', reason: 'RESOURCE:CPU' },
    ];
    expect(judgeStopped([], failures)).toBe('not-started');
    expect(stoppedReason('not-started', [], failures)).toBe(
      'ECS could not place the task: RESOURCE:CPU on arn:aws:ecs:us-east-1:123456789012:container-instance/prod/x.',
    );
  });

  test('a container without an essential flag is essential (the ECS default)', () => {
    const tasks = [taskEnd(stopped({ worker: 1 }), { containerDefinitions: [{ name: 'worker' }] })];
    expect(judgeStopped(tasks, [])).toBe('failed');
  });
});
