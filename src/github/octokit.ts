// GitHubPort (./port.ts) over @actions/github's octokit. The package (and the HTTP stack under it)
// is imported on first use only: a step without `github-environment` never loads it. The base URL
// is `GITHUB_API_URL`, which the runner sets to `https://<host>/api/v3` on GitHub Enterprise
// Server; the token goes only into octokit's Authorization header, never into a message.
import {
  GitHubCallError,
  type CreateDeploymentInput,
  type CreateStatusInput,
  type GitHubPort,
} from './port.js';

/** How long one GitHub call may take: a slow GitHub must not hold the deploy's verdict back. */
export const GITHUB_CALL_TIMEOUT_MS = 10_000;

type Octokit = ReturnType<(typeof import('@actions/github'))['getOctokit']>;

export interface OctokitPortOptions {
  token: string;
  apiUrl?: string;
  timeoutMs?: number;
}

export function createGitHubPort(options: OctokitPortOptions): GitHubPort {
  let octokit: Promise<Octokit> | undefined;
  const client = (): Promise<Octokit> =>
    (octokit ??= import('@actions/github').then(({ getOctokit }) =>
      getOctokit(options.token, {
        ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, '') } : {}),
      }),
    ));
  const timeoutMs = options.timeoutMs ?? GITHUB_CALL_TIMEOUT_MS;
  const request = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  return {
    async createDeployment(input: CreateDeploymentInput) {
      const gh = await client();
      const res = await call({ operation: 'createDeployment', timeoutMs }, () =>
        gh.rest.repos.createDeployment({ ...input, request: request() }),
      );
      // 202 (GitHub merged the default branch into the ref instead) cannot happen with
      // auto_merge false; without an id there is no deployment to give statuses to.
      const data = res.data as { id?: number; message?: string };
      if (typeof data.id !== 'number') {
        throw new GitHubCallError({
          operation: 'createDeployment',
          status: res.status,
          message: data.message ?? `GitHub answered ${res.status} without a deployment.`,
        });
      }
      return { id: data.id };
    },
    async createDeploymentStatus(input: CreateStatusInput) {
      const gh = await client();
      const res = await call({ operation: 'createDeploymentStatus', timeoutMs }, () =>
        gh.rest.repos.createDeploymentStatus({ ...input, request: request() }),
      );
      return { id: res.data.id };
    },
  };
}

/** The octokit call, its failure as a GitHubCallError (HTTP status, GitHub's message). */
async function call<T>(
  { operation, timeoutMs }: { operation: string; timeoutMs: number },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { status?: unknown; message?: unknown; name?: unknown };
    const status = typeof e.status === 'number' ? e.status : 0;
    const message =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `no answer within ${timeoutMs / 1000} s`
        : String(e.message ?? err);
    throw new GitHubCallError({ operation, status, message });
  }
}
