// What the deployment record says (src/github/record.ts) and how the step's verdict maps onto
// GitHub's states (finalStatus in src/stages/github.ts): pure functions, no GitHub.
import { describe, expect, it } from '@jest/globals';
import { GitHubCallError } from '../../src/github/port.js';
import {
  clip,
  deploymentDescription,
  finalDescription,
  inProgressDescription,
  isRefusal,
  MAX_DESCRIPTION,
  refusalWarning,
  repositoryOf,
  runUrl,
} from '../../src/github/record.js';
import { finalStatus, subjectOf } from '../../src/stages/github.js';

describe('runUrl', () => {
  const env = { GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '99', GITHUB_SERVER_URL: 'https://github.com' };
  it('is the run page, the same for every attempt', () => {
    expect(runUrl(env)).toBe('https://github.com/acme/web/actions/runs/99');
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '3' })).toBe('https://github.com/acme/web/actions/runs/99');
  });
  it('uses the Enterprise server URL, never a hard-coded github.com', () => {
    expect(runUrl({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com/' })).toBe(
      'https://ghe.example.com/acme/web/actions/runs/99',
    );
    expect(runUrl({ GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '1' })).toBe(
      'https://github.com/acme/web/actions/runs/1',
    );
  });
  it('is undefined outside a run', () => {
    expect(runUrl({ GITHUB_REPOSITORY: 'acme/web' })).toBeUndefined();
  });
});

describe('repositoryOf', () => {
  it('splits owner/repo and refuses anything else', () => {
    expect(repositoryOf({ GITHUB_REPOSITORY: 'acme/web' })).toEqual({ owner: 'acme', repo: 'web' });
    expect(repositoryOf({ GITHUB_REPOSITORY: 'acme' })).toBeUndefined();
    expect(repositoryOf({})).toBeUndefined();
  });
});

describe('descriptions', () => {
  const subject = { services: ['web'], cluster: 'prod', revision: 'web:42' };
  it('name the service(s), the cluster and the revision', () => {
    expect(deploymentDescription(subject)).toBe('Deploy web:42 to ECS service web (cluster prod)');
    expect(deploymentDescription({ ...subject, services: ['api', 'worker'] })).toBe(
      'Deploy web:42 to ECS services api, worker (cluster prod)',
    );
    expect(inProgressDescription(subject, 'ecs-svc/123')).toBe(
      'Rolling out web:42 to web (ECS deployment ecs-svc/123)',
    );
  });
  it('in_progress with several ECS deployments: every id when they fit, else their count', () => {
    const two = { ...subject, services: ['web', 'api'] };
    expect(inProgressDescription(two, ['ecs-svc/1', 'ecs-svc/2'])).toBe(
      'Rolling out web:42 to web, api (ECS deployments ecs-svc/1, ecs-svc/2)',
    );
    const ids = ['ecs-svc/4663579697738743899', 'ecs-svc/6064956171522310406', 'ecs-svc/4090081175726397223'];
    const three = inProgressDescription({ ...subject, services: ['web', 'api', 'worker'] }, ids);
    expect(three).toBe('Rolling out web:42 to web, api, worker (3 ECS deployments)');
    const many = inProgressDescription(
      { ...subject, services: Array.from({ length: 30 }, (_, i) => `service-${i}`) },
      ids,
    );
    expect(many.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(many).toMatch(/^Rolling out web:42 to service-0, .* and \d+ more \(3 ECS deployments\)$/);
  });
  it('are cut to GitHub’s 140 characters, keeping the verdict first', () => {
    const long = finalDescription('Rolled back', 'x'.repeat(500));
    expect(long).toHaveLength(MAX_DESCRIPTION);
    expect(long.startsWith('Rolled back: xxx')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect(clip('a\n  b')).toBe('a b');
    const many = deploymentDescription({
      ...subject,
      services: Array.from({ length: 30 }, (_, i) => `service-${i}`),
    });
    expect(many.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    // The headline and the cluster stay; the list of services gives way.
    expect(many).toMatch(
      /^Deploy web:42 to ECS services service-0, service-1, .* and \d+ more \(cluster prod\)$/,
    );
  });
  it('name the family and "a new revision" before anything is registered', () => {
    expect(deploymentDescription({ ...subject, revision: 'a new revision of web' })).toBe(
      'Deploy a new revision of web to ECS service web (cluster prod)',
    );
  });
});

describe('finalStatus', () => {
  it('success for a verdict that succeeded', () => {
    expect(finalStatus({ outcome: 'succeeded', reason: 'done.' })).toEqual({
      state: 'success',
      description: 'Succeeded: done.',
    });
    expect(finalStatus({ outcome: 'unchanged', reason: 'same.' })?.state).toBe('success');
  });
  it('failure for a failed, rolled-back or superseded deployment, saying which', () => {
    expect(finalStatus({ outcome: 'rolled-back', reason: 'breaker.' })).toEqual({
      state: 'failure',
      description: 'Rolled back: breaker.',
    });
    expect(finalStatus({ outcome: 'superseded', reason: 'ecs-svc/2 replaced ours.' })?.description).toMatch(
      /^Superseded/,
    );
    expect(finalStatus({ outcome: 'failed', reason: 'x' })?.state).toBe('failure');
    expect(finalStatus({ outcome: 'task-failed', reason: 'x' })?.state).toBe('failure');
  });
  it('error without a verdict: timed out, cancelled, or stopped before one', () => {
    expect(finalStatus({ outcome: 'timed-out', reason: 'x' })?.state).toBe('error');
    expect(finalStatus({ outcome: 'cancelled', reason: 'x' })?.state).toBe('error');
    expect(finalStatus({ reason: 'UpdateService was denied.\nmore' })).toEqual({
      state: 'error',
      description: 'Error: UpdateService was denied.',
    });
  });
  it('rolled back on timeout (the rollback completed): failure, headline first however long the reason', () => {
    const reason =
      `No verdict within 30 minute(s): ecs-svc/1 was IN_PROGRESS, ${'2 of 4 tasks running, '.repeat(8)}` +
      'Rolled back on timeout: ECS rolled back to ecs-svc/0 (web:8); the rollback completed.';
    const status = finalStatus({ outcome: 'timed-out', reason });
    expect(status?.state).toBe('failure');
    expect(status?.description).toMatch(
      /^Rolled back on timeout: ECS rolled back to ecs-svc\/0 \(web:8\); the rollback completed\. No verdict/,
    );
    expect(status?.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    // The staged follower's words.
    expect(
      finalStatus({
        outcome: 'timed-out',
        reason:
          'No verdict. Rolled back on timeout (StopServiceDeployment ROLLBACK); the rollback completed.',
      })?.state,
    ).toBe('failure');
    // Asked, not completed: still no verdict.
    expect(
      finalStatus({ outcome: 'timed-out', reason: 'No verdict. Asked ECS to roll back on timeout: ...' })
        ?.state,
    ).toBe('error');
  });
  it('names the revision after the headline when given and not already in the reason', () => {
    expect(finalStatus({ outcome: 'succeeded', reason: 'done.', revision: 'web:9' })?.description).toBe(
      'Succeeded: web:9. done.',
    );
    expect(
      finalStatus({ outcome: 'succeeded', reason: 'web:9 is out.', revision: 'web:9' })?.description,
    ).toBe('Succeeded: web:9 is out.');
  });
  it('nothing for a step that ends before ECS decides (started) or writes nothing (planned)', () => {
    expect(finalStatus({ outcome: 'started', reason: 'x' })).toBeUndefined();
    expect(finalStatus({ outcome: 'planned', reason: 'x' })).toBeUndefined();
  });
});

describe('refusalWarning', () => {
  it('names the permission for a 403 and a 404', () => {
    for (const status of [403, 404]) {
      const warning = refusalWarning(
        new GitHubCallError({
          operation: 'createDeployment',
          status,
          message: 'Resource not accessible by integration',
        }),
        'create the deployment',
      );
      expect(warning).toContain(`HTTP ${status}`);
      expect(warning).toContain('permissions: deployments: write');
      expect(warning).toMatch(/deploy itself is not affected/);
    }
  });
  it('says what failed for any other error, without the permission', () => {
    const warning = refusalWarning(
      new GitHubCallError({ operation: 'x', status: 0, message: 'ECONNREFUSED' }),
      'x',
    );
    expect(warning).toBe('Could not x on GitHub (ECONNREFUSED). The deploy itself is not affected.');
  });
  it('a 202 (auto-merged instead of deployed) and a 409 (required checks failed) say what happened', () => {
    const merged = refusalWarning(
      new GitHubCallError({
        operation: 'createDeployment',
        status: 202,
        message: 'Auto-merged main into topic-branch on deployment.',
      }),
      'create the deployment',
    );
    expect(merged).toMatch(
      /^GitHub did not create the deployment: it merged the default branch into the ref/,
    );
    expect(merged).toContain('HTTP 202: Auto-merged main into topic-branch on deployment.');
    expect(merged).not.toContain('permission');
    const conflict = refusalWarning(
      new GitHubCallError({
        operation: 'createDeployment',
        status: 409,
        message: 'Conflict: Commit status checks failed for main.',
      }),
      'create the deployment',
    );
    expect(conflict).toMatch(
      /^GitHub refused to create the deployment: the commit's required status checks failed/,
    );
    expect(conflict).toContain('HTTP 409: Conflict: Commit status checks failed for main.');
    expect(conflict).not.toContain('permission');
  });
  it('no answer (status 0) is never called HTTP 500', () => {
    const warning = refusalWarning(
      new GitHubCallError({ operation: 'x', status: 0, message: 'no answer within 10 s' }),
      'create the deployment',
    );
    expect(warning).toBe(
      'Could not create the deployment on GitHub (no answer within 10 s). The deploy itself is not affected.',
    );
  });
  it('isRefusal: a refused token, not a failing GitHub', () => {
    expect(isRefusal(new GitHubCallError({ operation: 'x', status: 403, message: '' }))).toBe(true);
    expect(isRefusal(new GitHubCallError({ operation: 'x', status: 500, message: '' }))).toBe(false);
    expect(isRefusal(new Error('x'))).toBe(false);
  });
});

describe('subjectOf', () => {
  const base = {
    service: { service: { serviceName: 'web' } },
    plan: {},
    rendered: { taskDefinition: { family: 'web' } },
  } as unknown as Parameters<typeof subjectOf>[0];
  it('names every service; one in another cluster than the first as cluster/name', () => {
    const request = {
      cluster: 'prod',
      service: 'web',
      services: [
        { cluster: 'prod', service: 'web' },
        { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', service: 'api' },
        { cluster: 'staging', service: 'arn:aws:ecs:us-east-1:123456789012:service/staging/worker' },
      ],
    };
    const subject = subjectOf({ ...base, request } as unknown as Parameters<typeof subjectOf>[0]);
    expect(subject).toEqual({
      services: ['web', 'api', 'staging/worker'],
      cluster: 'prod',
      revision: 'a new revision of web',
    });
    expect(deploymentDescription(subject)).toBe(
      'Deploy a new revision of web to ECS services web, api, staging/worker (cluster prod)',
    );
  });
});
