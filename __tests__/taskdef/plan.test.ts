import { describe, expect, it } from '@jest/globals';

import { containerImages, planReason } from '../../src/taskdef/plan.js';

const arn = (rev: string): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/${rev}`;

describe('planReason', () => {
  it('a new revision, with the service switched to it', () => {
    expect(planReason({ changes: 2, diffAgainstArn: arn('web:1'), currentArn: arn('web:1') })).toBe(
      `Dry run: 2 changes against ${arn('web:1')} would be registered as a new revision; nothing was written to AWS. The service would be switched from ${arn('web:1')} to the new revision.`,
    );
  });

  it('a new revision without a service', () => {
    expect(planReason({ changes: 1, diffAgainstArn: arn('web:4') })).toBe(
      `Dry run: 1 change against ${arn('web:4')} would be registered as a new revision; nothing was written to AWS.`,
    );
  });

  it('nothing registered to compare with', () => {
    expect(planReason({ changes: 5 })).toBe(
      'Dry run: a new revision would be registered (there is no registered revision to compare it with); nothing was written to AWS.',
    );
  });

  it('identical to a revision that cannot be reused (deregistered)', () => {
    expect(planReason({ changes: 0, diffAgainstArn: arn('web:1'), currentArn: arn('web:1') })).toBe(
      `Dry run: no changes against ${arn('web:1')}, but it is not ACTIVE, so the same definition would be registered as a new revision; nothing was written to AWS. The service would be switched from ${arn('web:1')} to the new revision.`,
    );
  });

  it('reuses the revision the service runs: not switched, or its tasks replaced with force-new-deployment', () => {
    const facts = {
      changes: 0,
      diffAgainstArn: arn('web:1'),
      reuseArn: arn('web:1'),
      currentArn: arn('web:1'),
    };
    expect(planReason(facts)).toBe(
      `Dry run: the task definition is identical to ${arn('web:1')}, which would be reused; nothing would be registered, and nothing was written to AWS. The service already runs it and would not be switched.`,
    );
    expect(planReason({ ...facts, forceNewDeployment: true })).toBe(
      `Dry run: the task definition is identical to ${arn('web:1')}, which would be reused; nothing would be registered, and nothing was written to AWS. The service already runs it; its tasks would be replaced (force-new-deployment).`,
    );
  });

  it('reuses another revision (after a rollback): says the diff and the switch', () => {
    expect(
      planReason({
        changes: 1,
        diffAgainstArn: arn('web:1'),
        reuseArn: arn('web:2'),
        currentArn: arn('web:1'),
      }),
    ).toBe(
      `Dry run: the task definition is identical to ${arn('web:2')} (1 change against ${arn('web:1')}), which would be reused; nothing would be registered, and nothing was written to AWS. The service would be switched from ${arn('web:1')} to ${arn('web:2')}.`,
    );
  });

  it('reuses a revision without a service', () => {
    expect(planReason({ changes: 0, diffAgainstArn: arn('web:3'), reuseArn: arn('web:3') })).toBe(
      `Dry run: the task definition is identical to ${arn('web:3')}, which would be reused; nothing would be registered, and nothing was written to AWS.`,
    );
  });
});

describe('containerImages', () => {
  it('lists container and image in order, skipping what is not a container', () => {
    expect(
      containerImages({
        containerDefinitions: [{ name: 'app', image: 'app:1' }, 'junk', { name: 'side' }],
      }),
    ).toEqual([
      { container: 'app', image: 'app:1' },
      { container: 'side', image: '' },
    ]);
    expect(containerImages({})).toEqual([]);
  });
});
