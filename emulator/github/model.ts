// The state of the loopback GitHub API: deployments and their statuses per repository, with the
// REST API's validation and response shapes (GitHub REST reference, "Deployments" and "Deployment
// statuses"). Pure data in, data out; emulator/github/server.ts speaks HTTP over it.

/** An answer: HTTP status and JSON body. */
export interface GitHubReply {
  status: number;
  body: unknown;
}

export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;
export type DeploymentStatusState = (typeof DEPLOYMENT_STATES)[number];

/** GitHub's limit on a status description. */
export const MAX_STATUS_DESCRIPTION = 140;

interface Deployment {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  updated_at: string;
  statuses: Status[];
}

interface Status {
  id: number;
  state: DeploymentStatusState;
  description: string;
  environment: string;
  log_url: string;
  environment_url: string;
  created_at: string;
}

const CREATOR = { login: 'github-actions[bot]', id: 41898282, type: 'Bot', site_admin: false };
const DOCS = 'https://docs.github.com/rest/deployments';

export function githubError(status: number, message: string, errors?: unknown[]): GitHubReply {
  return {
    status,
    body: {
      message,
      ...(errors ? { errors } : {}),
      documentation_url: `${DOCS}/deployments`,
      status: String(status),
    },
  };
}

const invalid = (resource: string, field: string, message?: string): GitHubReply =>
  githubError(422, 'Validation Failed', [
    { resource, code: 'invalid', field, ...(message ? { message } : {}) },
  ]);

const isString = (v: unknown): v is string => typeof v === 'string';
const optional = <T>(v: unknown, check: (x: unknown) => x is T): boolean => v === undefined || check(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

export interface GitHubModel {
  createDeployment(repo: RepoRef, body: Record<string, unknown>): GitHubReply;
  createStatus(repo: RepoRef, deploymentId: number, body: Record<string, unknown>): GitHubReply;
  listDeployments(repo: RepoRef, query: URLSearchParams): GitHubReply;
  getDeployment(repo: RepoRef, deploymentId: number): GitHubReply;
  listStatuses(repo: RepoRef, deploymentId: number): GitHubReply;
  getStatus(repo: RepoRef, deploymentId: number, statusId: number): GitHubReply;
}

export interface RepoRef {
  owner: string;
  repo: string;
  /** The API's base URL, for the `url` fields. */
  apiUrl: string;
}

export function createGitHubModel(options: { now?: () => number } = {}): GitHubModel {
  const now = (): string => new Date((options.now ?? Date.now)()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const deployments: Deployment[] = [];
  let nextDeployment = 1;
  let nextStatus = 1;
  const find = (repo: RepoRef, id: number): Deployment | undefined =>
    deployments.find((d) => d.id === id && d.owner === repo.owner && d.repo === repo.repo);
  const notFound = githubError(404, 'Not Found');

  return {
    createDeployment(repo, body) {
      const problem = deploymentProblem(body) ?? refusedByName(repo, body);
      if (problem) return problem;
      const environment = (body.environment as string | undefined) ?? 'production';
      const ref = body.ref as string;
      const stamp = now();
      const d: Deployment = {
        id: nextDeployment++,
        owner: repo.owner,
        repo: repo.repo,
        // A ref that is not a full SHA stands for a branch or tag; the emulator has no git, so
        // it resolves every ref to a SHA made from it.
        sha: /^[0-9a-f]{40}$/.test(ref) ? ref : shaOf(ref),
        ref,
        task: (body.task as string | undefined) ?? 'deploy',
        payload: body.payload ?? {},
        environment,
        original_environment: environment,
        description: (body.description as string | null | undefined) ?? '',
        transient_environment: (body.transient_environment as boolean | undefined) ?? false,
        production_environment:
          (body.production_environment as boolean | undefined) ?? environment === 'production',
        created_at: stamp,
        updated_at: stamp,
        statuses: [],
      };
      deployments.push(d);
      return { status: 201, body: deploymentShape(repo, d) };
    },
    createStatus(repo, deploymentId, body) {
      const d = find(repo, deploymentId);
      if (!d) return notFound;
      const problem = statusProblem(body);
      if (problem) return problem;
      const state = body.state as DeploymentStatusState;
      const logUrl = (body.log_url as string | undefined) ?? (body.target_url as string | undefined) ?? '';
      const s: Status = {
        id: nextStatus++,
        state,
        description: (body.description as string | undefined) ?? '',
        environment:
          (body.environment as string | undefined) ?? d.statuses.at(-1)?.environment ?? d.environment,
        log_url: logUrl,
        environment_url: (body.environment_url as string | undefined) ?? '',
        created_at: now(),
      };
      d.statuses.push(s);
      d.updated_at = s.created_at;
      if (state === 'success' && body.auto_inactive !== false) markOthersInactive(d);
      return { status: 201, body: statusShape(repo, d, s) };
    },
    listDeployments(repo, query) {
      const matches = deployments
        .filter((d) => d.owner === repo.owner && d.repo === repo.repo)
        .filter((d) =>
          ['sha', 'ref', 'task', 'environment'].every((k) => !query.get(k) || query.get(k) === d[k as 'sha']),
        )
        .reverse();
      return { status: 200, body: matches.map((d) => deploymentShape(repo, d)) };
    },
    getDeployment(repo, deploymentId) {
      const d = find(repo, deploymentId);
      return d ? { status: 200, body: deploymentShape(repo, d) } : notFound;
    },
    listStatuses(repo, deploymentId) {
      const d = find(repo, deploymentId);
      if (!d) return notFound;
      return { status: 200, body: [...d.statuses].reverse().map((s) => statusShape(repo, d, s)) };
    },
    getStatus(repo, deploymentId, statusId) {
      const d = find(repo, deploymentId);
      const s = d?.statuses.find((x) => x.id === statusId);
      return d && s ? { status: 200, body: statusShape(repo, d, s) } : notFound;
    },
  };

  /**
   * A success marks the earlier successful deployments of the same environment inactive, as
   * GitHub's `auto_inactive` (default true) does for non-transient, non-production environments.
   */
  function markOthersInactive(current: Deployment): void {
    for (const d of deployments) {
      if (d === current || d.owner !== current.owner || d.repo !== current.repo) continue;
      if (d.environment !== current.environment || d.transient_environment || d.production_environment)
        continue;
      if (d.statuses.at(-1)?.state !== 'success') continue;
      d.statuses.push({ ...d.statuses.at(-1)!, id: nextStatus++, state: 'inactive', created_at: now() });
    }
  }
}

function deploymentProblem(body: Record<string, unknown>): GitHubReply | undefined {
  if (body.ref === undefined) return githubError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
  if (!isString(body.ref)) return invalid('Deployment', 'ref');
  // GitHub resolves the ref first: an empty one names nothing.
  if (body.ref.trim() === '') return githubError(422, `No ref found for: ${body.ref}`);
  for (const field of ['task', 'environment']) {
    if (!optional(body[field], isString)) return invalid('Deployment', field);
  }
  if (body.description !== null && !optional(body.description, isString))
    return invalid('Deployment', 'description');
  for (const field of ['auto_merge', 'transient_environment', 'production_environment']) {
    if (!optional(body[field], isBoolean)) return invalid('Deployment', field);
  }
  const contexts = body.required_contexts;
  if (contexts !== undefined && (!Array.isArray(contexts) || !contexts.every(isString))) {
    return invalid('Deployment', 'required_contexts');
  }
  return undefined;
}

/**
 * What GitHub does with the defaults the action overrides, chosen by name (the emulator has no
 * branches or commit statuses). A ref or repository containing `behind` is behind the default
 * branch: with `auto_merge` left true (the default) GitHub merges the default branch into the
 * ref and answers 202 with a message and no deployment. A repository containing
 * `failing-checks` has a failing commit status: unless `required_contexts` is `[]`, GitHub
 * answers 409. GitHub REST reference, "Create a deployment".
 */
function refusedByName(repo: RepoRef, body: Record<string, unknown>): GitHubReply | undefined {
  const ref = body.ref as string;
  const repository = `${repo.owner}/${repo.repo}`;
  if (body.auto_merge !== false && /behind/i.test(`${repository} ${ref}`)) {
    return { status: 202, body: { message: `Auto-merged main into ${ref} on deployment.` } };
  }
  const contexts = body.required_contexts;
  if (/failing-checks/i.test(repository) && !(Array.isArray(contexts) && contexts.length === 0)) {
    return {
      status: 409,
      body: {
        message: `Conflict: Commit status checks failed for ${ref}.`,
        errors: [
          {
            contexts: [{ context: 'ci/test', state: 'failure' }],
            resource: 'Deployment',
            field: 'required_contexts',
            code: 'invalid',
          },
        ],
        documentation_url: `${DOCS}/deployments#create-a-deployment`,
        status: '409',
      },
    };
  }
  return undefined;
}

function statusProblem(body: Record<string, unknown>): GitHubReply | undefined {
  if (body.state === undefined) return githubError(422, 'Invalid request.\n\n"state" wasn\'t supplied.');
  if (!(DEPLOYMENT_STATES as readonly unknown[]).includes(body.state)) {
    return invalid('DeploymentStatus', 'state', `state is not included in the list: ${String(body.state)}`);
  }
  for (const field of ['description', 'log_url', 'target_url', 'environment_url', 'environment']) {
    if (!optional(body[field], isString)) return invalid('DeploymentStatus', field);
  }
  if (isString(body.description) && body.description.length > MAX_STATUS_DESCRIPTION) {
    return invalid(
      'DeploymentStatus',
      'description',
      `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
    );
  }
  if (!optional(body.auto_inactive, isBoolean)) return invalid('DeploymentStatus', 'auto_inactive');
  return undefined;
}

function repoUrl(repo: RepoRef): string {
  return `${repo.apiUrl}/repos/${repo.owner}/${repo.repo}`;
}

function deploymentShape(repo: RepoRef, d: Deployment): Record<string, unknown> {
  const url = `${repoUrl(repo)}/deployments/${d.id}`;
  const { id, sha, ref, task, payload, original_environment, environment, description } = d;
  return {
    url,
    id,
    node_id: nodeId('DE', id),
    sha,
    ref,
    task,
    payload,
    original_environment,
    environment,
    description,
    creator: CREATOR,
    created_at: d.created_at,
    updated_at: d.updated_at,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(repo),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: null,
  };
}

function statusShape(repo: RepoRef, d: Deployment, s: Status): Record<string, unknown> {
  const deploymentUrl = `${repoUrl(repo)}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: CREATOR,
    description: s.description,
    environment: s.environment,
    target_url: s.log_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: repoUrl(repo),
    performed_via_github_app: null,
  };
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`emulator:${id}`).toString('base64url')}`;
}

function shaOf(ref: string): string {
  let h = 0x811c9dc5;
  for (const c of ref) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(5);
}
