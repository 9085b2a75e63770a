// The GitHub seam: the two Deployments REST calls the action makes, as plain data. Implemented
// over @actions/github's octokit in ./octokit.ts, faked in __tests__/fakes/github.ts, answered on
// 127.0.0.1 by the emulator's GitHub API (emulator/github/). Shapes follow GitHub's REST
// reference, "Deployments" and "Deployment statuses".

/** The repository a deployment belongs to (`GITHUB_REPOSITORY` split at the slash). */
export interface Repository {
  owner: string;
  repo: string;
}

/** POST /repos/{owner}/{repo}/deployments: the fields the action sets. */
export interface CreateDeploymentInput extends Repository {
  /** The commit being deployed (`GITHUB_SHA`). */
  ref: string;
  environment: string;
  description: string;
  /** Always false: the action deploys the commit as it is, never a merge of it. */
  auto_merge: false;
  /** Always []: the step itself is the check; other commit statuses must not block the record. */
  required_contexts: [];
}

/** The states the action sets (GitHub takes queued, pending and inactive too). */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses. */
export interface CreateStatusInput extends Repository {
  deployment_id: number;
  state: DeploymentState;
  /** At most 140 characters (GitHub's limit). */
  description: string;
  /** The workflow run that deployed (unset outside a workflow run). */
  log_url?: string;
  /** `environment-url`, when given. */
  environment_url?: string;
}

export interface GitHubPort {
  createDeployment(input: CreateDeploymentInput): Promise<{ id: number }>;
  createDeploymentStatus(input: CreateStatusInput): Promise<{ id: number }>;
}

/** How the step makes its port: the token comes from the inputs, the URL from the environment. */
export type GitHubPortFactory = (options: {
  token: string;
  /** `GITHUB_API_URL` (GitHub Enterprise Server: `https://<host>/api/v3`); unset: api.github.com. */
  apiUrl?: string;
}) => GitHubPort;

/** A call GitHub refused or that never got an answer; `status` is 0 without an HTTP answer. */
export class GitHubCallError extends Error {
  readonly status: number;
  readonly operation: string;
  constructor(options: { operation: string; status: number; message: string }) {
    super(options.message);
    this.name = 'GitHubCallError';
    this.status = options.status;
    this.operation = options.operation;
  }
}
