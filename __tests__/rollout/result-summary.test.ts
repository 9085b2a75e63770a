// The follower's new result fields as the job summary shows them (additive rows in
// src/report/summary.ts): why there was no verdict, the state last seen with its time, and the
// identical deployment of another run that was followed on.

import { describe, expect, it } from '@jest/globals';
import { renderSummary, type SummaryInput } from '../../src/report/summary.js';
import type { DeploymentResult } from '../../src/rollout/types.js';

const TD = (n: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${n}`;

function input(deployment: Partial<DeploymentResult>): SummaryInput {
  const d: DeploymentResult = {
    outcome: 'timed-out',
    reason: 'No verdict within 30 minute(s).',
    deploymentId: 'ecs-svc/1111111111111111111',
    events: [],
    stoppedTasks: [],
    logTails: [],
    startedAt: new Date('2026-03-01T12:00:00Z'),
    finishedAt: new Date('2026-03-01T12:30:00Z'),
    ...deployment,
  };
  return {
    outcome: d.outcome,
    reason: d.reason,
    region: 'eu-west-1',
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: TD(12),
    images: [],
    deployment: d,
    warnings: [],
    dryRun: false,
    durationMs: 1_800_000,
  };
}

describe('summary rows for the follower', () => {
  it('says why there was no verdict and when the state was last seen', () => {
    const md = renderSummary(
      input({
        counts: { desired: 4, pending: 0, running: 2, failed: 0 },
        countsStale: true,
        noVerdict: {
          cause: 'aws-unreachable',
          failingSince: new Date('2026-03-01T12:03:14Z'),
          failedPolls: 7,
          lastSeenAt: new Date('2026-03-01T12:03:10Z'),
          lastSeenState: 'IN_PROGRESS',
        },
      }),
    );
    expect(md).toContain('| No verdict | AWS unreachable since 12:03:14Z (7 polls) |');
    expect(md).toContain('| Last seen | `IN_PROGRESS` at 12:03:10Z |');
    expect(md).toContain('| Tasks (last seen) | 2 running of 4 desired, 0 pending, 0 failed |');
    expect(md).not.toContain('| Rollout state |');
  });

  it('says when ECS simply reported no final state', () => {
    const md = renderSummary(input({ rolloutState: 'IN_PROGRESS', noVerdict: { cause: 'no-final-state' } }));
    expect(md).toContain('| No verdict | ECS reported no final state in time |');
    expect(md).not.toContain('| Last seen |');
  });

  it('names the identical deployment of another run that was followed on', () => {
    const md = renderSummary(
      input({
        outcome: 'succeeded',
        followedOn: { deploymentId: 'ecs-svc/2222222222222222222', taskDefinitionArn: TD(13) },
      }),
    );
    expect(md).toMatch(
      /\| Followed on \| .*ecs-svc\/2222222222222222222.*: identical task definition, started by another run \|/,
    );
  });
});
