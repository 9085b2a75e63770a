// The loopback GitHub API (emulator/github/) and the octokit adapter (src/github/octokit.ts)
// together: the real @actions/github client against GitHub's shapes and validation on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { startGitHubApi, type GitHubApi } from '../../emulator/index.js';
import { createGitHubPort } from '../../src/github/octokit.js';
import { GitHubCallError } from '../../src/github/port.js';
import { refusalWarning } from '../../src/github/record.js';

let api: GitHubApi;
const TOKEN = 'ghs_apiTestToken';
const SHA = 'a'.repeat(40);
const deployment = {
  owner: 'acme',
  repo: 'web',
  ref: SHA,
  environment: 'staging',
  description: 'Deploy web:2',
  auto_merge: false as const,
  required_contexts: [] as [],
};

beforeAll(async () => {
  api = await startGitHubApi();
});
afterAll(async () => {
  await api.stop();
});
beforeEach(() => {
  api.requests.length = 0;
});

async function raw(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `token ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A list endpoint's items, as id and state. */
async function list(path: string): Promise<{ id: number; state: string }[]> {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `token ${TOKEN}` } });
  return (await res.json()) as { id: number; state: string }[];
}

describe('octokit port against the loopback API', () => {
  it('creates a deployment and its statuses; the log shows the calls, bodies and the token used', async () => {
    const port = createGitHubPort({ token: TOKEN, apiUrl: api.url });
    const { id } = await port.createDeployment(deployment);
    await port.createDeploymentStatus({
      owner: 'acme',
      repo: 'web',
      deployment_id: id,
      state: 'in_progress',
      description: 'Rolling out',
      log_url: 'https://github.com/acme/web/actions/runs/1',
    });
    expect(api.requests.map((r) => [r.method, r.operation, r.status])).toEqual([
      ['POST', 'createDeployment', 201],
      ['POST', 'createDeploymentStatus', 201],
    ]);
    expect(api.requests[0].body).toEqual({
      ref: SHA,
      environment: 'staging',
      description: 'Deploy web:2',
      auto_merge: false,
      required_contexts: [],
    });
    expect(api.requests[0].token).toBe(TOKEN);
    expect(api.requests[0].response).toMatchObject({
      id,
      sha: SHA,
      ref: SHA,
      task: 'deploy',
      environment: 'staging',
      original_environment: 'staging',
      production_environment: false,
      transient_environment: false,
      statuses_url: `${api.url}/repos/acme/web/deployments/${id}/statuses`,
      creator: { login: 'github-actions[bot]' },
    });
    expect(api.requests[1].response).toMatchObject({
      state: 'in_progress',
      log_url: 'https://github.com/acme/web/actions/runs/1',
      target_url: 'https://github.com/acme/web/actions/runs/1',
      environment: 'staging',
      deployment_url: `${api.url}/repos/acme/web/deployments/${id}`,
    });
  });

  it('works under GitHub Enterprise Server’s /api/v3 base URL', async () => {
    const port = createGitHubPort({ token: TOKEN, apiUrl: `${api.url}/api/v3` });
    await port.createDeployment(deployment);
    expect(api.requests[0]).toMatchObject({ path: '/repos/acme/web/deployments', status: 201 });
  });

  it('a 403 (a repository named forbidden) becomes a GitHubCallError with the status and GitHub’s message', async () => {
    const port = createGitHubPort({ token: TOKEN, apiUrl: api.url });
    const err = await port
      .createDeployment({ ...deployment, repo: 'forbidden-web' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubCallError);
    expect(err).toMatchObject({ status: 403, operation: 'createDeployment' });
    expect((err as Error).message).toContain('Resource not accessible by integration');
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('no answer (a closed port) is a GitHubCallError too', async () => {
    const port = createGitHubPort({ token: TOKEN, apiUrl: 'http://127.0.0.1:9' });
    await expect(port.createDeployment(deployment)).rejects.toBeInstanceOf(GitHubCallError);
  });

  it('a closed port is status 0, named by its network cause, never "HTTP 500"', async () => {
    // A port that was just free (port 9, above, is one fetch refuses to use at all).
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port: closed } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const port = createGitHubPort({ token: TOKEN, apiUrl: `http://127.0.0.1:${closed}` });
    const err = await port.createDeployment(deployment).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, operation: 'createDeployment' });
    expect((err as Error).message).toMatch(/^no answer: .*ECONNREFUSED/);
    const warning = refusalWarning(err, 'create the deployment');
    expect(warning).toMatch(/^Could not create the deployment on GitHub \(no answer: .*ECONNREFUSED/);
    expect(warning).not.toMatch(/HTTP 500/);
  });

  it('a server that never answers is status 0, "no answer within" the call timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket); // accepted, read, never answered
      socket.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port: silentPort } = silent.address() as net.AddressInfo;
      const port = createGitHubPort({
        token: TOKEN,
        apiUrl: `http://127.0.0.1:${silentPort}`,
        timeoutMs: 200,
      });
      const err = await port.createDeployment(deployment).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 0, message: 'no answer within 0.2 s' });
      const warning = refusalWarning(err, 'create the deployment');
      expect(warning).toBe(
        'Could not create the deployment on GitHub (no answer within 0.2 s). The deploy itself is not affected.',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a 202 (auto-merged, no deployment) and a 409 (required checks failed) are errors that warn what happened', async () => {
    const port = createGitHubPort({ token: TOKEN, apiUrl: api.url });
    // What the action never sends: GitHub's defaults (auto_merge true, every status check required).
    const merged = await port
      .createDeployment({ ...deployment, repo: 'web-behind', auto_merge: true as unknown as false })
      .catch((e: unknown) => e);
    expect(merged).toMatchObject({ status: 202, operation: 'createDeployment' });
    expect(refusalWarning(merged, 'create the deployment')).toMatch(
      /merged the default branch into the ref instead .*HTTP 202: Auto-merged main into a{40} on deployment\./,
    );
    const conflict = await port
      .createDeployment({
        ...deployment,
        repo: 'failing-checks',
        required_contexts: ['ci/test'] as unknown as [],
      })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, operation: 'createDeployment' });
    expect(refusalWarning(conflict, 'create the deployment')).toMatch(
      /required status checks failed .*HTTP 409: Conflict: Commit status checks failed for a{40}\./,
    );
    // What the action sends: a deployment in both repositories.
    expect((await port.createDeployment({ ...deployment, repo: 'web-behind' })).id).toBeGreaterThan(0);
    expect((await port.createDeployment({ ...deployment, repo: 'failing-checks' })).id).toBeGreaterThan(0);
  });
});

describe('the loopback API', () => {
  it('refuses a request without a token (401)', async () => {
    const r = await raw('POST', '/repos/acme/web/deployments', { ref: SHA }, null);
    expect(r.status).toBe(401);
    expect(r.body.message).toBe('Requires authentication');
  });

  it('validates like GitHub: a missing ref, a bad state, a description over 140 characters (422)', async () => {
    expect((await raw('POST', '/repos/acme/web/deployments', {})).status).toBe(422);
    const created = await raw('POST', '/repos/acme/web/deployments', {
      ref: 'main',
      environment: 'production',
    });
    expect(created.status).toBe(201);
    expect(created.body.production_environment).toBe(true);
    const id = created.body.id as number;
    const bad = await raw('POST', `/repos/acme/web/deployments/${id}/statuses`, { state: 'done' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'state', code: 'invalid' }],
    });
    const long = await raw('POST', `/repos/acme/web/deployments/${id}/statuses`, {
      state: 'success',
      description: 'x'.repeat(141),
    });
    expect(long.status).toBe(422);
    expect(
      (await raw('POST', '/repos/acme/web/deployments/9999/statuses', { state: 'success' })).status,
    ).toBe(404);
  });

  it('lists deployments (newest first, filtered) and statuses (newest first), and gets each', async () => {
    const a = await raw('POST', '/repos/acme/list/deployments', { ref: SHA, environment: 'qa' });
    const b = await raw('POST', '/repos/acme/list/deployments', { ref: SHA, environment: 'prod-eu' });
    const id = a.body.id as number;
    await raw('POST', `/repos/acme/list/deployments/${id}/statuses`, { state: 'in_progress' });
    await raw('POST', `/repos/acme/list/deployments/${id}/statuses`, {
      state: 'success',
      environment_url: 'https://qa',
    });
    const all = await list('/repos/acme/list/deployments');
    expect(all.map((d) => d.id)).toEqual([b.body.id, id]);
    const qa = await list('/repos/acme/list/deployments?environment=qa');
    expect(qa.map((d) => d.id)).toEqual([id]);
    const statuses = await list(`/repos/acme/list/deployments/${id}/statuses`);
    expect(statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    const one = await raw('GET', `/repos/acme/list/deployments/${id}`);
    expect(one.body).toMatchObject({ id, environment: 'qa' });
    const status = await raw('GET', `/repos/acme/list/deployments/${id}/statuses/${statuses[0].id}`);
    expect(status.body).toMatchObject({ state: 'success', environment_url: 'https://qa' });
  });

  it('a success marks the earlier successful deployment of the environment inactive (auto_inactive)', async () => {
    const first = await raw('POST', '/repos/acme/inactive/deployments', { ref: SHA, environment: 'qa' });
    await raw('POST', `/repos/acme/inactive/deployments/${first.body.id}/statuses`, { state: 'success' });
    const second = await raw('POST', '/repos/acme/inactive/deployments', { ref: SHA, environment: 'qa' });
    await raw('POST', `/repos/acme/inactive/deployments/${second.body.id}/statuses`, { state: 'success' });
    const statuses = await list(`/repos/acme/inactive/deployments/${first.body.id}/statuses`);
    expect(statuses.map((s) => s.state)).toEqual(['inactive', 'success']);
  });

  it('answers 202 for a ref behind the default branch unless auto_merge is false (by name)', async () => {
    const merged = await raw('POST', '/repos/acme/web/deployments', { ref: 'topic-branch-behind' });
    expect(merged).toEqual({
      status: 202,
      body: { message: 'Auto-merged main into topic-branch-behind on deployment.' },
    });
    expect((await raw('POST', '/repos/acme/behind/deployments', { ref: SHA })).status).toBe(202);
    expect(
      (await raw('POST', '/repos/acme/behind/deployments', { ref: SHA, auto_merge: false })).status,
    ).toBe(201);
  });

  it('answers 409 when required status checks fail unless required_contexts is [] (by name)', async () => {
    const conflict = await raw('POST', '/repos/acme/failing-checks/deployments', { ref: 'main' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe('Conflict: Commit status checks failed for main.');
    const named = await raw('POST', '/repos/acme/failing-checks/deployments', {
      ref: 'main',
      required_contexts: ['ci/test'],
    });
    expect(named.status).toBe(409);
    const none = await raw('POST', '/repos/acme/failing-checks/deployments', {
      ref: 'main',
      required_contexts: [],
    });
    expect(none.status).toBe(201);
  });

  it('answers 422 "No ref found for" an empty ref', async () => {
    const r = await raw('POST', '/repos/acme/web/deployments', { ref: '' });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/^No ref found for/);
  });

  it('answers 403, 404 or 503 by name: repository or environment', async () => {
    expect(
      (await raw('POST', '/repos/acme/web/deployments', { ref: SHA, environment: 'forbidden' })).status,
    ).toBe(403);
    expect((await raw('POST', '/repos/acme/not-found/deployments', { ref: SHA })).status).toBe(404);
    expect(
      (await raw('POST', '/repos/acme/web/deployments', { ref: SHA, environment: 'unavailable' })).status,
    ).toBe(503);
    expect((await raw('GET', '/nothing/here')).status).toBe(404);
  });
});
