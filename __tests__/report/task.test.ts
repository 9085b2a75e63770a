// The one-off task in the summary and in the outputs.
import { describe, expect, test } from '@jest/globals';
import { actionOutputs } from '../../src/report/outputs.js';
import { renderTaskSection } from '../../src/report/task.js';
import type { TaskRunReport } from '../../src/run-task/types.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc';
const FAILED: TaskRunReport = {
  verdict: 'failed',
  reason: 'Task abc failed: essential container app stopped with exit code 3.',
  cluster: 'prod',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
  taskArns: [ARN],
  tasks: [
    {
      taskArn: ARN,
      taskId: 'abc',
      lastStatus: 'STOPPED',
      stoppedReason: 'Essential container in task exited',
      started: true,
      containers: [
        { name: 'app', essential: true, exitCode: 3 },
        { name: 'envoy', essential: false, exitCode: 137 },
      ],
    },
  ],
  failures: [],
  warnings: [
    'Container envoy of task abc exited with code 137; it is not essential, so it does not fail the task.',
  ],
  logTails: [
    { taskId: 'abc', container: 'app', logGroup: '/ecs/web', logStream: 'web/app/abc', lines: ['boom | ok'] },
  ],
};

describe('renderTaskSection', () => {
  test('each container with its exit code, sidecars marked, the warnings and the last log lines', () => {
    const md = renderTaskSection(FAILED);
    expect(md).toContain('### One-off task: failed');
    expect(md).toContain('| `abc` | `STOPPED` | `app` | `3` | Essential container in task exited |');
    expect(md).toContain('| `abc` | `STOPPED` | `envoy` (not essential) | `137` |  |');
    expect(md).toContain('- ⚠️ Container envoy of task abc exited with code 137');
    expect(md).toContain('```text\nboom | ok\n```');
  });

  test('nothing without a task', () => {
    expect(renderTaskSection(undefined)).toBe('');
  });
});

describe('outputs', () => {
  test('run-task-arn is a JSON array; run-task-exit-codes JSON by task ARN', () => {
    const out = actionOutputs({
      outcome: 'task-failed',
      runTaskArns: [ARN],
      runTaskExitCodes: { [ARN]: { app: 3, envoy: null } },
    });
    expect(out['run-task-arn']).toBe(`["${ARN}"]`);
    expect(JSON.parse(out['run-task-exit-codes'])).toEqual({ [ARN]: { app: 3, envoy: null } });
    expect(actionOutputs({ outcome: 'succeeded' })).not.toHaveProperty('run-task-arn');
  });
});
