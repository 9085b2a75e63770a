// The Cleanup section of the job summary (src/report/cleanup.ts) and the output
// deregistered-task-definitions (src/report/outputs.ts).
import { describe, expect, it } from '@jest/globals';
import type { CleanupReport } from '../../src/cleanup/types.js';
import { cleanupSection } from '../../src/report/cleanup.js';
import { actionOutputs } from '../../src/report/outputs.js';

const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;

const report = (extra: Partial<CleanupReport> = {}): CleanupReport => ({
  family: 'web',
  keep: 2,
  dryRun: false,
  deleteDeregistered: false,
  wouldRegister: false,
  planned: true,
  kept: [
    { arn: arn(9), reasons: [{ kind: 'newest', rank: 1 }, { kind: 'deployed' }] },
    {
      arn: arn(8),
      reasons: [
        { kind: 'newest', rank: 2 },
        { kind: 'previous', services: ['web'] },
      ],
    },
    { arn: arn(3), reasons: [{ kind: 'running', services: ['worker', 'cron'] }] },
  ],
  deregistered: [arn(1), arn(2)],
  deleted: [],
  failures: [],
  notDone: [],
  ...extra,
});

describe('cleanupSection', () => {
  it('is empty without keep-revisions', () => {
    expect(cleanupSection(undefined)).toBe('');
  });

  it('says why nothing was done after a failed deploy', () => {
    expect(cleanupSection({ kind: 'skipped', why: 'the deployment did not succeed (rolled-back)' })).toBe(
      '### Cleanup\n\nNot run: the deployment did not succeed (rolled-back). No revision was deregistered.',
    );
  });

  it('lists each revision deregistered and each kept with why', () => {
    const md = cleanupSection({ kind: 'done', report: report() });
    expect(md).toContain('2 revisions of `web` deregistered; 3 kept (keep-revisions: 2).');
    expect(md).toContain('| `web:1` | deregistered (INACTIVE) |');
    expect(md).toContain('| `web:9` | kept: newest 1; deployed by this step |');
    expect(md).toContain('| `web:8` | kept: newest 2; previous revision of web (rollback target) |');
    expect(md).toContain('| `web:3` | kept: running in service worker, cron |');
  });

  it('says which deregistered revisions were deleted, and each failure with its IAM action', () => {
    const md = cleanupSection({
      kind: 'done',
      report: report({
        deleteDeregistered: true,
        deleted: [arn(1)],
        failures: [{ arn: arn(2), iamAction: 'ecs:DeleteTaskDefinitions', message: 'refused' }],
      }),
    });
    expect(md).toContain('| `web:1` | deregistered and deleted |');
    expect(md).toContain('| `web:2` | deregistered, not deleted |');
    expect(md).toContain('- ⚠️ `ecs:DeleteTaskDefinitions`: refused');
  });

  it('a dry run says what would be done, with the revision it would register counted', () => {
    const md = cleanupSection({
      kind: 'done',
      report: report({ dryRun: true, wouldRegister: true, deleteDeregistered: true }),
    });
    expect(md).toContain('Dry run: 2 revisions of `web` would be deregistered and deleted; 4 kept');
    expect(md).toContain('| the revision this step would register | kept: newest 1 (counted) |');
    expect(md).toContain('| `web:1` | would be deregistered and deleted |');
  });

  it('a stopped cleanup says how many were left ACTIVE', () => {
    const md = cleanupSection({
      kind: 'done',
      report: report({ deregistered: [arn(1)], notDone: [arn(2)], stopped: 'deadline' }),
    });
    expect(md).toContain('Stopped (deadline): 1 left ACTIVE.');
    expect(md).toContain('| `web:2` | not tried (cleanup stopped), still ACTIVE |');
  });

  it('a refused deregistration shows its revision as still ACTIVE, and the rest as not tried', () => {
    const md = cleanupSection({
      kind: 'done',
      report: report({
        deregistered: [],
        notDone: [arn(2)],
        failures: [{ arn: arn(1), iamAction: 'ecs:DeregisterTaskDefinition', message: 'web:1: denied' }],
      }),
    });
    expect(md).toContain('Stopped (refused): 1 left ACTIVE. 1 refused (below).');
    expect(md).toContain('| `web:1` | refused (see below), still ACTIVE |');
    expect(md).toContain('| `web:2` | not tried (cleanup stopped), still ACTIVE |');
    expect(md).toContain('- ⚠️ `ecs:DeregisterTaskDefinition`: web:1: denied');
  });

  it('nothing planned when the listing failed', () => {
    const md = cleanupSection({
      kind: 'done',
      report: report({ planned: false, kept: [], deregistered: [] }),
    });
    expect(md).toContain('Nothing was deregistered from `web`: what to keep could not be listed.');
  });
});

describe('deregistered-task-definitions output', () => {
  it('is a JSON array of ARNs when the cleanup ran, and unset otherwise', () => {
    expect(actionOutputs({ outcome: 'succeeded', deregisteredTaskDefinitions: [arn(1)] })).toMatchObject({
      'deregistered-task-definitions': JSON.stringify([arn(1)]),
    });
    expect(actionOutputs({ outcome: 'succeeded' })['deregistered-task-definitions']).toBeUndefined();
  });
});
