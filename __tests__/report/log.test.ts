import { describe, expect, it } from '@jest/globals';

import { formatLogTails, formatStoppedTasks, outcomeLine, problemAnnotation } from '../../src/report/log.js';

describe('outcomeLine', () => {
  it('says a rollback failed, and names the outcome', () => {
    expect(outcomeLine('rolled-back', 'ECS deployment circuit breaker: tasks failed to start.')).toBe(
      '❌ Failed: rolled back (outcome: rolled-back). ECS deployment circuit breaker: tasks failed to start.',
    );
  });

  it('reads well for a success and without a reason', () => {
    expect(outcomeLine('succeeded', 'ECS deployment ecs-svc/1 completed.')).toBe(
      '✅ Succeeded (outcome: succeeded). ECS deployment ecs-svc/1 completed.',
    );
    expect(outcomeLine('planned', '  ')).toBe('📝 Planned (dry run) (outcome: planned).');
  });
});

describe('formatStoppedTasks', () => {
  it('prints each group with its containers and example tasks', () => {
    const lines = formatStoppedTasks([
      {
        count: 3,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
          { name: 'log-router' },
        ],
        taskIds: ['0a1b', '2c3d'],
      },
      {
        count: 1,
        stoppedReason: 'CannotPullContainerError: https://user:pull-secret@registry.example.com/v2/ failed',
        containers: [],
        taskIds: [],
      },
    ]);
    expect(lines).toEqual([
      'Stopped tasks of this deployment: 4 in 2 groups',
      '  3 tasks stopped · EssentialContainerExited · Essential container in task exited',
      '    container app: exit code 137: OutOfMemoryError: Container killed due to memory usage',
      '    container log-router: no exit code',
      '    tasks: 0a1b, 2c3d',
      '  1 task stopped · CannotPullContainerError: https://user:***@registry.example.com/v2/ failed',
    ]);
  });

  it('prints nothing when no task stopped', () => {
    expect(formatStoppedTasks([])).toEqual([]);
  });
});

describe('formatLogTails', () => {
  it('prints the lines under a heading naming the stream, with secrets redacted', () => {
    const lines = formatLogTails([
      {
        container: 'app',
        logGroup: '/ecs/web',
        logStream: 'ecs/app/0a1b',
        lines: ['boot', 'API_TOKEN=tok-abcdef-123 rejected'],
      },
      { container: 'worker', logGroup: '/ecs/web', logStream: 'ecs/worker/0a1b', lines: [] },
    ]);
    expect(lines).toEqual([
      'Last 2 log lines of container app (/ecs/web ecs/app/0a1b):',
      '  | boot',
      '  | API_TOKEN=*** rejected',
      'No log lines from container worker (/ecs/web ecs/worker/0a1b).',
    ]);
  });
});

describe('problemAnnotation', () => {
  it('anchors a template problem on its file, line and column', () => {
    expect(
      problemAnnotation({
        severity: 'error',
        message: 'hostPort must equal containerPort under awsvpc.',
        path: 'containerDefinitions[0].portMappings[0].hostPort',
        file: 'deploy/taskdef.yaml',
        line: 14,
        column: 21,
      }),
    ).toEqual({
      message:
        'containerDefinitions[0].portMappings[0].hostPort: hostPort must equal containerPort under awsvpc.',
      properties: { title: 'Task definition', file: 'deploy/taskdef.yaml', startLine: 14, startColumn: 21 },
    });
  });

  it('titles an input problem with the input and sets no position', () => {
    expect(
      problemAnnotation({
        severity: 'error',
        message: 'Expected NAME=value.',
        input: 'environment-variables',
      }),
    ).toEqual({
      message: "input 'environment-variables': Expected NAME=value.",
      properties: { title: "Input 'environment-variables'" },
    });
  });

  it('sets a column only with a line, and leaves out what is unknown', () => {
    expect(problemAnnotation({ severity: 'warning', message: 'm', file: 'td.json', column: 3 })).toEqual({
      message: 'm',
      properties: { title: 'Task definition', file: 'td.json' },
    });
    expect(problemAnnotation({ severity: 'warning', message: 'Just a note.' })).toEqual({
      message: 'Just a note.',
      properties: {},
    });
  });
});
