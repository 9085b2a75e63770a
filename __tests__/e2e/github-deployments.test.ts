// GitHub deployment records end to end: `node dist/index.js` as the runner runs it, against the
// AWS emulator and the loopback GitHub API (emulator/github/), which GITHUB_API_URL points at.
// Each run gets its own pair of servers; the runs go in parallel in beforeAll and each test
// checks one: the deployment and its statuses in order with the right URLs, a failed deploy's
// failure, a 403 that only warns, and a step without github-environment that asks GitHub nothing;
// repositories where GitHub's defaults would refuse (a ref behind the default branch: 202; failing
// required status checks: 409) still get a deployment, because of what the action sends.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import {
  startEmulator,
  startGitHubApi,
  type GitHubRequestLogEntry,
  type RequestLogEntry,
} from '../../emulator/index.js';
import {
  runAction,
  unexpectedStderr,
  WORKFLOW_TOKEN,
  type RunActionResult,
} from '../../emulator/run-action.js';
import { baseSeed, deployInputs, SPEED } from './scenarios.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const RUN_URL = 'https://github.com/acme/web/actions/runs/4242';

interface Run {
  result: RunActionResult;
  aws: RequestLogEntry[];
  github: GitHubRequestLogEntry[];
}

async function run(inputs: Record<string, string>, repository = 'acme/web'): Promise<Run> {
  const emulator = await startEmulator({ speed: SPEED, seed: baseSeed() });
  const github = await startGitHubApi();
  try {
    const result = await runAction({
      endpoint: emulator.url,
      githubApiUrl: github.url,
      inputs,
      env: { GITHUB_REPOSITORY: repository },
      timeoutMs: 60_000,
    });
    return { result, aws: [...emulator.requests], github: [...github.requests] };
  } finally {
    await Promise.all([emulator.stop(), github.stop()]);
  }
}

const GH = { 'github-environment': 'staging', 'environment-url': 'https://staging.example.com' };
const RUNS = {
  succeeded: deployInputs('2.0', GH),
  behind: deployInputs('2.0', GH),
  failingChecks: deployInputs('2.0', GH),
  failed: deployInputs('crash', GH),
  forbidden: deployInputs('2.0', { 'github-environment': 'forbidden-staging' }),
  without: deployInputs('2.0'),
  dryRun: deployInputs('2.0', { ...GH, 'dry-run': 'true' }),
};
/** By name, the loopback API answers as GitHub would to its defaults (emulator/README.md). */
const REPOSITORIES: Partial<Record<keyof typeof RUNS, string>> = {
  behind: 'acme/web-behind',
  failingChecks: 'acme/failing-checks',
};
let runs: Record<keyof typeof RUNS, Run>;

beforeAll(async () => {
  const names = Object.keys(RUNS) as (keyof typeof RUNS)[];
  const done = await Promise.all(names.map((name) => run(RUNS[name], REPOSITORIES[name])));
  runs = Object.fromEntries(names.map((name, i) => [name, done[i]])) as typeof runs;
}, 180_000);

afterAll(() => undefined);

const statuses = (r: Run) => r.github.filter((e) => e.operation === 'createDeploymentStatus');

describe('GitHub deployments', () => {
  test('a deploy records one deployment, then in_progress after UpdateService, then success, with the URLs', () => {
    const r = runs.succeeded;
    expect(unexpectedStderr(r.result.stderr)).toBe('');
    expect(r.result.exitCode).toBe(0);
    expect(r.result.outputs.outcome).toBe('succeeded');
    expect(r.github.map((e) => [e.method, e.operation, e.status])).toEqual([
      ['POST', 'createDeployment', 201],
      ['POST', 'createDeploymentStatus', 201],
      ['POST', 'createDeploymentStatus', 201],
    ]);
    const [create] = r.github;
    expect(create.path).toBe('/repos/acme/web/deployments');
    expect(create.token).toBe(WORKFLOW_TOKEN);
    expect(create.body).toEqual({
      ref: SHA,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      description: 'Deploy a new revision of web to ECS service web (cluster prod)',
    });
    const id = (create.response as { id: number }).id;
    expect(r.result.outputs['github-deployment-id']).toBe(String(id));
    const [inProgress, success] = statuses(r);
    expect(inProgress.path).toBe(`/repos/acme/web/deployments/${id}/statuses`);
    expect(inProgress.body).toMatchObject({ state: 'in_progress', log_url: RUN_URL });
    expect(success.body).toMatchObject({
      state: 'success',
      log_url: RUN_URL,
      environment_url: 'https://staging.example.com',
    });
    expect(String(success.body?.description)).toMatch(/^Succeeded: web:2\. /);
    // The deployment right after the gate, before RegisterTaskDefinition; in_progress once the
    // service update is made.
    const update = r.aws.find((e) => e.operation === 'UpdateService');
    const register = r.aws.find((e) => e.operation === 'RegisterTaskDefinition');
    expect(update).toBeDefined();
    expect(create.time).toBeLessThanOrEqual(register!.time);
    expect(inProgress.time).toBeGreaterThanOrEqual(update!.time);
    expect(create.time).toBeLessThanOrEqual(update!.time);
    // The token never reaches the log, and is registered as a secret.
    expect(r.result.masks).toContain(WORKFLOW_TOKEN);
    expect(r.result.log).not.toContain(WORKFLOW_TOKEN);
    expect(r.result.summary).not.toContain(WORKFLOW_TOKEN);
    // One line of the job summary for the record.
    expect(r.result.summary).toContain(
      `**GitHub deployment:** \`${id}\` in environment \`staging\`, final state \`success\`.`,
    );
  });

  test.each([
    ['behind', 'acme/web-behind'],
    ['failingChecks', 'acme/failing-checks'],
  ] as const)(
    '%s: auto_merge false and required_contexts [] get a deployment where GitHub’s defaults would not',
    (name, repository) => {
      const r = runs[name];
      expect(r.result.exitCode).toBe(0);
      expect(r.result.outputs.outcome).toBe('succeeded');
      const [create] = r.github;
      expect(create.path).toBe(`/repos/${repository}/deployments`);
      expect(create.body).toMatchObject({ auto_merge: false, required_contexts: [] });
      expect(create.status).toBe(201);
      expect(statuses(r).map((e) => [e.body?.state, e.status])).toEqual([
        ['in_progress', 201],
        ['success', 201],
      ]);
      expect(r.result.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    },
  );

  test('a failed deploy (rolled back) ends the record in failure, and the description says so', () => {
    const r = runs.failed;
    expect(r.result.exitCode).toBe(1);
    expect(r.result.outputs.outcome).toBe('rolled-back');
    expect(statuses(r).map((e) => e.body?.state)).toEqual(['in_progress', 'failure']);
    const final = statuses(r)[1].body!;
    expect(String(final.description)).toMatch(/^Rolled back: /);
    expect(String(final.description).length).toBeLessThanOrEqual(140);
    expect(final).toMatchObject({ log_url: RUN_URL, environment_url: 'https://staging.example.com' });
  });

  test('a 403 from GitHub warns, naming deployments: write, and the deploy succeeds', () => {
    const r = runs.forbidden;
    expect(r.result.exitCode).toBe(0);
    expect(r.result.outputs.outcome).toBe('succeeded');
    expect(r.github.map((e) => [e.operation, e.status])).toEqual([['createDeployment', 403]]);
    const warnings = r.result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([expect.stringContaining('permissions: deployments: write')]);
    expect(warnings[0]).toContain('403');
    expect(r.result.outputs['github-deployment-id']).toBeUndefined();
    expect(r.result.summary).toMatch(/\*\*GitHub deployment:\*\* not recorded\. GitHub refused/);
  });

  test('without github-environment GitHub is not asked at all', () => {
    const r = runs.without;
    expect(r.result.exitCode).toBe(0);
    expect(r.result.outputs.outcome).toBe('succeeded');
    expect(r.github).toEqual([]);
  });

  test('a dry run creates nothing on GitHub and says what it would create', () => {
    const r = runs.dryRun;
    expect(r.result.exitCode).toBe(0);
    expect(r.result.outputs.outcome).toBe('planned');
    expect(r.github).toEqual([]);
    expect(r.result.log).toMatch(
      /Dry run: would create a GitHub deployment of 0123456789ab\S* in environment "staging"/,
    );
  });
});
