import { describe, expect, it } from '@jest/globals';

import { formatDuration, renderSummary, type SummaryInput } from '../../src/report/summary.js';
import type { DeploymentResult, Outcome } from '../../src/rollout/types.js';

const TD = (rev: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${rev}`;
const SERVICE_URL =
  'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1';
const TD_URL = (rev: number) =>
  `https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/web/${rev}?region=eu-west-1`;

function deployment(overrides: Partial<DeploymentResult> = {}): DeploymentResult {
  return {
    outcome: 'succeeded',
    reason: 'ECS deployment ecs-svc/1111111111111111111 completed.',
    deploymentId: 'ecs-svc/1111111111111111111',
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 completed.',
    events: [
      {
        id: 'e1',
        createdAt: new Date('2024-05-01T12:00:00Z'),
        message: '(service web) has started 2 tasks: (task abc).',
      },
      {
        id: 'e2',
        createdAt: new Date('2024-05-01T12:01:30Z'),
        message: '(service web) has reached a steady state.',
      },
    ],
    stoppedTasks: [],
    logTails: [],
    counts: { desired: 2, pending: 0, running: 2, failed: 0 },
    startedAt: new Date('2024-05-01T12:00:00Z'),
    finishedAt: new Date('2024-05-01T12:02:00Z'),
    ...overrides,
  };
}

function input(outcome: Outcome, overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    outcome,
    reason: `reason for ${outcome}`,
    region: 'eu-west-1',
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: TD(42),
    previousTaskDefinitionArn: TD(41),
    images: [{ container: 'app', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.1' }],
    warnings: [],
    dryRun: false,
    durationMs: 125_000,
    ...overrides,
  };
}

const rolledBack = deployment({
  outcome: 'rolled-back',
  reason: 'ECS deployment circuit breaker: tasks failed to start.',
  deploymentId: 'ecs-svc/2222222222222222222',
  rolloutState: 'FAILED',
  rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
  rolledBackTo: { deploymentId: 'ecs-svc/1111111111111111111', taskDefinitionArn: TD(41) },
  counts: { desired: 2, pending: 0, running: 0, failed: 3 },
  stoppedTasks: [
    {
      count: 3,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', exitCode: 1, reason: 'Error: connect ECONNREFUSED' }],
      taskIds: ['0a1b2c3d', '4e5f6a7b'],
    },
    {
      count: 1,
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      containers: [{ name: 'app' }],
      taskIds: ['8c9d0e1f'],
    },
  ],
  logTails: [
    {
      container: 'app',
      logGroup: '/ecs/web',
      logStream: 'ecs/app/0a1b2c3d',
      lines: [
        'starting web 1.1',
        'connecting with DB_PASSWORD=hunter2-secret',
        'Error: connect ECONNREFUSED 10.0.0.5:5432',
      ],
    },
  ],
});

describe('renderSummary', () => {
  it('presents a rollback as a failure, with the evidence', () => {
    const md = renderSummary(input('rolled-back', { reason: rolledBack.reason, deployment: rolledBack }));
    const headline = md.split('\n')[0];
    expect(headline).toBe('## ❌ Failed: rolled back · web');
    expect(md).not.toMatch(/succe/i);
    expect(md).toContain('> ECS deployment circuit breaker: tasks failed to start.');
    expect(md).toContain(
      '**The deployment failed.** ECS rolled the service back to `ecs-svc/1111111111111111111` (`web:41`)',
    );
    // Revisions before → after, linked to the console.
    expect(md).toContain(`| Task definition | [\`web:41\`](${TD_URL(41)}) → [\`web:42\`](${TD_URL(42)}) |`);
    expect(md).toContain('| Deployment | `ecs-svc/2222222222222222222` |');
    expect(md).toContain('| Rolled back to | `ecs-svc/1111111111111111111` ([`web:41`]');
    expect(md).toContain('| Tasks | 0 running of 2 desired, 0 pending, 3 failed |');
    expect(md).toContain('| Duration | 2m 05s |');
    // Stopped tasks, grouped.
    expect(md).toContain('### Stopped tasks (4)');
    expect(md).toContain('- **3 tasks** · `EssentialContainerExited` · Essential container in task exited');
    expect(md).toContain('  - container `app`: exit code 1: Error: connect ECONNREFUSED');
    expect(md).toContain('  - tasks: `0a1b2c3d`, `4e5f6a7b`');
    expect(md).toContain(
      '- **1 task** · `TaskFailedToStart` · CannotPullContainerError: pull image manifest',
    );
    expect(md).toContain('  - container `app`: no exit code');
    // Log tails in a code block, with secrets in them redacted.
    expect(md).toContain('**`app`** · log group `/ecs/web`, stream `ecs/app/0a1b2c3d`');
    expect(md).toContain(
      '```text\nstarting web 1.1\nconnecting with DB_PASSWORD=***\nError: connect ECONNREFUSED 10.0.0.5:5432\n```',
    );
    expect(md).not.toContain('hunter2');
    // Links.
    expect(md).toContain(`[Service deployments in the ECS console](${SERVICE_URL})`);
    expect(md).toContain(`[Task definition web:42](${TD_URL(42)})`);
    expect(md).toContain(`[Previous task definition web:41](${TD_URL(41)})`);
  });

  it('says ECS rolled back when the rollback completed, and that it is rolling back when it had not', () => {
    const done = renderSummary(
      input('rolled-back', { deployment: { ...rolledBack, rollbackCompleted: true } }),
    );
    expect(done).toContain(
      '**The deployment failed.** ECS rolled the service back to `ecs-svc/1111111111111111111` (`web:41`); the new task definition is not running.',
    );
    expect(done).toContain('| Rolled back to | `ecs-svc/1111111111111111111` ([`web:41`]');
    const running = renderSummary(
      input('rolled-back', { deployment: { ...rolledBack, rollbackCompleted: false } }),
    );
    expect(running).toContain(
      '**The deployment failed.** ECS is rolling the service back to `ecs-svc/1111111111111111111` (`web:41`); the rollback had not finished when this step ended.',
    );
    expect(running).toContain('| Rolling back to | `ecs-svc/1111111111111111111` ([`web:41`]');
    expect(running).not.toContain('ECS rolled the service back');
    expect(running).not.toContain('the new task definition is not running');
  });

  it('labels task counts from before our deployment left the service as last seen', () => {
    const d = {
      ...rolledBack,
      rolloutState: 'FAILED',
      rolloutStateReason: 'tasks failed to start.',
      counts: { desired: 2, pending: 0, running: 0, failed: 0 },
      countsStale: true,
    };
    const md = renderSummary(input('rolled-back', { deployment: d }));
    expect(md).toContain('| Tasks (last seen) | 0 running of 2 desired, 0 pending, 0 failed |');
    expect(md).not.toContain('| Tasks |');
    expect(md).toContain('| Rollout state | `FAILED` tasks failed to start. |');
    expect(md).not.toContain('IN_PROGRESS');
  });

  it('presents a success with its revisions, images, events and links', () => {
    const md = renderSummary(input('succeeded', { deployment: deployment() }));
    expect(md.split('\n')[0]).toBe('## ✅ Succeeded · web');
    expect(md).toContain('> reason for succeeded');
    expect(md).toContain('| Outcome | `succeeded` |');
    expect(md).toContain(`| Service | [\`web\`](${SERVICE_URL}) |`);
    expect(md).toContain('| Cluster | `prod` |');
    expect(md).toContain('| Region | `eu-west-1` |');
    expect(md).toContain(
      '| Rollout state | `COMPLETED` ECS deployment ecs-svc/1111111111111111111 completed. |',
    );
    expect(md).toContain('| `app` | `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.1` |');
    // Events oldest first, short enough to be shown open.
    expect(md).toContain(
      '### Service events (2, oldest first)\n\n- `2024-05-01 12:00:00Z` (service web) has started 2 tasks: (task abc).\n- `2024-05-01 12:01:30Z` (service web) has reached a steady state.',
    );
    expect(md).not.toContain('<details');
    expect(md).not.toContain('Stopped tasks');
  });

  it.each<[Outcome, string]>([
    ['failed', '## ❌ Failed · web'],
    ['superseded', '## ⚠️ Failed: superseded by another deployment · web'],
    ['timed-out', '## ⏱️ Failed: timed out · web'],
    ['unchanged', '## ➖ Unchanged · web'],
  ])('has a headline and the reason for %s', (outcome, headline) => {
    const md = renderSummary(input(outcome));
    expect(md.split('\n')[0]).toBe(headline);
    expect(md).toContain(`> reason for ${outcome}`);
    expect(md).toContain(`| Outcome | \`${outcome}\` |`);
  });

  it('says when the run was cancelled while ECS goes on', () => {
    const d = deployment({ outcome: 'cancelled', rolloutState: 'IN_PROGRESS' });
    const md = renderSummary(input('cancelled', { reason: 'The run was cancelled.', deployment: d }));
    expect(md.split('\n')[0]).toBe('## 🛑 Failed: cancelled before a verdict · web');
    expect(md).toContain('**The run was cancelled** while following the deployment. ECS goes on with it');
    expect(renderSummary(input('timed-out', { deployment: deployment() }))).not.toContain('cancelled');
  });

  it('names the deployment that superseded ours', () => {
    const d = deployment({
      outcome: 'superseded',
      supersededBy: { deploymentId: 'ecs-svc/3333333333333333333', taskDefinitionArn: TD(43) },
    });
    const md = renderSummary(input('superseded', { deployment: d }));
    expect(md).toContain('**The deployment did not finish:** `ecs-svc/3333333333333333333` replaced it.');
    expect(md).toContain(`| Superseded by | \`ecs-svc/3333333333333333333\` ([\`web:43\`](${TD_URL(43)})) |`);
  });

  it('shows one revision when nothing new was registered', () => {
    const md = renderSummary(
      input('unchanged', { taskDefinitionArn: TD(41), previousTaskDefinitionArn: TD(41), diff: [] }),
    );
    expect(md).toContain(`| Task definition | [\`web:41\`](${TD_URL(41)}) |`);
    expect(md).toContain('No changes to the task definition.');
    expect(md).not.toContain('Previous task definition');
  });

  it('shows a dry run plan open, and says nothing was written', () => {
    const diff = [
      '~ containerDefinitions[app].image: web:1.0 → web:1.1',
      '+ containerDefinitions[app].environment[FEATURE_X]: on',
    ];
    const md = renderSummary(input('planned', { dryRun: true, taskDefinitionArn: undefined, diff }));
    expect(md.split('\n')[0]).toBe('## 📝 Planned (dry run) · web');
    expect(md).toContain('_Dry run: nothing was registered or deployed._');
    expect(md).toContain(
      '<details open><summary>Task definition changes (2)</summary>\n\n```diff\n~ containerDefinitions[app].image: web:1.0 → web:1.1\n+ containerDefinitions[app].environment[FEATURE_X]: on\n```\n\n</details>',
    );
    expect(md).toContain(
      `| Task definition | [\`web:41\`](${TD_URL(41)}) (running; nothing new registered) |`,
    );
  });

  it('collapses the diff outside a dry run', () => {
    const md = renderSummary(input('succeeded', { diff: ['+ family: web'] }));
    expect(md).toContain('<details><summary>Task definition changes (1)</summary>');
  });

  it('names the family for a run without a service', () => {
    const md = renderSummary(
      input('registered', { service: undefined, previousTaskDefinitionArn: undefined }),
    );
    expect(md.split('\n')[0]).toBe('## 📦 Registered · web');
    expect(md).not.toContain('| Service |');
    expect(md).not.toContain('/services/');
    expect(md).toContain(`[Task definition web:42](${TD_URL(42)})`);
  });

  it('collapses many events and keeps only the last 50', () => {
    const events = Array.from({ length: 60 }, (_, i) => ({
      id: `e${i}`,
      createdAt: new Date(Date.UTC(2024, 4, 1, 12, i)),
      message: `(service web) event number ${i}.`,
    }));
    const md = renderSummary(input('timed-out', { deployment: deployment({ events }) }));
    expect(md).toContain('<details><summary>Service events (60, oldest first)</summary>');
    expect(md).toContain('- _10 earlier events not shown_');
    expect(md).not.toContain('event number 9.');
    expect(md).toContain('event number 10.');
    expect(md.indexOf('event number 10.')).toBeLessThan(md.indexOf('event number 59.'));
  });

  it('escapes Markdown in table cells, text and code blocks', () => {
    const d = deployment({
      rolloutState: 'FAILED',
      rolloutStateReason: 'bad | pipe\nand newline <b>html</b>',
      events: [
        { id: 'e', createdAt: new Date('2024-05-01T12:00:00Z'), message: 'text with *stars* and [link](x)' },
      ],
      logTails: [{ container: 'app', logGroup: 'g', logStream: 's', lines: ['a line with ``` fences'] }],
    });
    const md = renderSummary(
      input('failed', {
        reason: 'reason | with <script>',
        images: [{ container: 'a|b', image: 'img`tick' }],
        deployment: d,
      }),
    );
    expect(md).toContain('| Rollout state | `FAILED` bad \\| pipe and newline \\<b\\>html\\</b\\> |');
    expect(md).toContain('> reason \\| with \\<script\\>');
    expect(md).toContain('| `a\\|b` | ``img`tick`` |');
    expect(md).toContain('text with \\*stars\\* and \\[link\\](x)');
    expect(md).toContain('````text\na line with ``` fences\n````');
    // Every table row keeps its two or three cells.
    for (const row of md.split('\n').filter((l) => l.startsWith('| '))) {
      expect(row.replace(/\\\|/g, '').split('|').length).toBeLessThanOrEqual(4);
    }
  });

  it('lists warnings and accepts a cluster given as an ARN', () => {
    const md = renderSummary(
      input('succeeded', {
        cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
        warnings: [
          {
            severity: 'warning',
            message: 'The image is not pinned to a digest.',
            path: 'containerDefinitions[0].image',
          },
        ],
      }),
    );
    expect(md).toContain(
      '### Warnings\n\n- ⚠️ containerDefinitions\\[0\\].image: The image is not pinned to a digest.',
    );
    expect(md).toContain(SERVICE_URL);
  });
});

describe('formatDuration', () => {
  it('reads naturally at each scale', () => {
    expect(formatDuration(400)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
  });
});
