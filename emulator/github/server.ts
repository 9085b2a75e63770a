// A loopback GitHub REST API for the deployment records: the action's octokit talks to it
// unchanged when GITHUB_API_URL points here (emulator/run-action.ts sets it). It serves the
// Deployments and Deployment statuses endpoints (model.ts), with or without GitHub Enterprise
// Server's `/api/v3` prefix, and keeps a request log the tests read.
//
// Refusals are chosen by name, like the ECS behaviours: a repository (owner/repo) or an
// environment whose name contains `forbidden` answers 403 ("Resource not accessible by
// integration", what a workflow token without `deployments: write` gets), `not-found` answers
// 404, `unavailable` answers 503. A request without an Authorization header answers 401. What
// GitHub does with the defaults of a new deployment is chosen by name too (model.ts,
// refusedByName): `behind` answers 202 unless auto_merge is false, `failing-checks` answers 409
// unless required_contexts is [].
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createGitHubModel, githubError, type GitHubModel, type GitHubReply, type RepoRef } from './model.js';

export interface GitHubRequestLogEntry {
  /** Real ms epoch the answer went out (the AWS emulator's log uses the same clock). */
  time: number;
  method: string;
  /** The path without the query string and without an `/api/v3` prefix. */
  path: string;
  /** `createDeployment`, `createDeploymentStatus`, `listDeployments`, `getDeployment`, `listDeploymentStatuses`, `getDeploymentStatus`, or `unknown`. */
  operation: string;
  owner?: string;
  repo?: string;
  deploymentId?: number;
  /** The JSON body sent, parsed. */
  body?: Record<string, unknown>;
  /** The token of the Authorization header (`token X` or `Bearer X`), when one was sent. */
  token?: string;
  status: number;
  /** The JSON answered. */
  response: unknown;
}

export interface GitHubApi {
  url: string;
  port: number;
  /** Every request in the order answered (live array). */
  requests: GitHubRequestLogEntry[];
  model: GitHubModel;
  stop(): Promise<void>;
}

/** Refusal by name: the first word found in the repository or environment decides. */
const REFUSALS: [RegExp, GitHubReply][] = [
  [/forbidden/i, githubError(403, 'Resource not accessible by integration')],
  [/not-?found/i, githubError(404, 'Not Found')],
  [/unavailable/i, githubError(503, 'Service Unavailable')],
];

interface Route {
  operation: string;
  owner: string;
  repo: string;
  deploymentId?: number;
  statusId?: number;
}

/** `/repos/{owner}/{repo}/deployments[/{id}[/statuses[/{status_id}]]]` → the operation. */
export function routeOf(method: string, path: string): Route | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(?:\/(statuses)(?:\/(\d+))?)?)?\/?$/.exec(path);
  if (!m) return undefined;
  const [, owner, repo, id, statuses, statusId] = m;
  const base = { owner: decodeURIComponent(owner), repo: decodeURIComponent(repo) };
  const ids = {
    ...(id ? { deploymentId: Number(id) } : {}),
    ...(statusId ? { statusId: Number(statusId) } : {}),
  };
  const operation =
    method === 'POST'
      ? !id
        ? 'createDeployment'
        : statuses && !statusId
          ? 'createDeploymentStatus'
          : undefined
      : method === 'GET'
        ? !id
          ? 'listDeployments'
          : !statuses
            ? 'getDeployment'
            : statusId
              ? 'getDeploymentStatus'
              : 'listDeploymentStatuses'
        : undefined;
  return operation ? { operation, ...base, ...ids } : undefined;
}

export async function startGitHubApi(
  options: { port?: number; now?: () => number } = {},
): Promise<GitHubApi> {
  const model = createGitHubModel({ now: options.now });
  const requests: GitHubRequestLogEntry[] = [];
  let url = '';

  const answer = (route: Route, body: Record<string, unknown>, query: URLSearchParams): GitHubReply => {
    const repo: RepoRef = { owner: route.owner, repo: route.repo, apiUrl: url };
    const id = route.deploymentId ?? 0;
    switch (route.operation) {
      case 'createDeployment':
        return model.createDeployment(repo, body);
      case 'createDeploymentStatus':
        return model.createStatus(repo, id, body);
      case 'listDeployments':
        return model.listDeployments(repo, query);
      case 'getDeployment':
        return model.getDeployment(repo, id);
      case 'listDeploymentStatuses':
        return model.listStatuses(repo, id);
      default:
        return model.getStatus(repo, id, route.statusId ?? 0);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const target = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = target.pathname.replace(/^\/api\/v3(?=\/)/, '');
      const route = routeOf(method, path);
      const entry: GitHubRequestLogEntry = {
        time: 0,
        method,
        path,
        operation: route?.operation ?? 'unknown',
        ...(route ? { owner: route.owner, repo: route.repo } : {}),
        ...(route?.deploymentId !== undefined ? { deploymentId: route.deploymentId } : {}),
        status: 0,
        response: undefined,
      };
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      if (token) entry.token = token;
      let reply: GitHubReply;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        if (text) entry.body = body;
        reply = !route
          ? githubError(404, 'Not Found')
          : !token
            ? githubError(401, 'Requires authentication')
            : (refusal(model, route, body) ?? answer(route, body, target.searchParams));
      } catch {
        reply = githubError(400, 'Problems parsing JSON');
      }
      entry.time = Date.now();
      entry.status = reply.status;
      entry.response = reply.body;
      requests.push(entry);
      const payload = Buffer.from(JSON.stringify(reply.body));
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(payload.length),
        'x-github-media-type': 'github.v3; format=json',
      });
      res.end(payload);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    model,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The refusal a name asks for: the repository's, else the environment's (given, or the deployment's). */
function refusal(model: GitHubModel, route: Route, body: Record<string, unknown>): GitHubReply | undefined {
  const names = [
    `${route.owner}/${route.repo}`,
    typeof body.environment === 'string' ? body.environment : '',
  ];
  if (route.deploymentId !== undefined) {
    const found = model.getDeployment({ ...route, apiUrl: '' }, route.deploymentId);
    const environment = (found.body as { environment?: unknown }).environment;
    if (typeof environment === 'string') names.push(environment);
  }
  for (const [pattern, reply] of REFUSALS) if (names.some((n) => pattern.test(n))) return reply;
  return undefined;
}
