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
import { finalStatus } from '../../src/stages/github.js';

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
  it('isRefusal: a refused token, not a failing GitHub', () => {
    expect(isRefusal(new GitHubCallError({ operation: 'x', status: 403, message: '' }))).toBe(true);
    expect(isRefusal(new GitHubCallError({ operation: 'x', status: 500, message: '' }))).toBe(false);
    expect(isRefusal(new Error('x'))).toBe(false);
  });
});
