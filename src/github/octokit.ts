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
      // 202: GitHub merged the default branch into the ref instead of creating a deployment (only
      // with auto_merge, which the action sets false). Without an id there is nothing to give
      // statuses to: a GitHubCallError with status 202 (refusalWarning says what happened).
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

/** The octokit call, its failure as a GitHubCallError (see callErrorOf). */
async function call<T>(
  { operation, timeoutMs }: { operation: string; timeoutMs: number },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw callErrorOf(err, { operation, timeoutMs });
  }
}

/** Causes that mean the request never got an HTTP answer. */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError']);

/**
 * An octokit failure as a GitHubCallError. GitHub's answer gives the status and GitHub's message.
 * Without an answer octokit still throws a RequestError with status 500 (its fetch wrapper does
 * so for a timeout, a refused connection, a reset): that is no answer (status 0), named by its
 * cause, never "HTTP 500".
 */
export function callErrorOf(
  err: unknown,
  { operation, timeoutMs }: { operation: string; timeoutMs: number },
): GitHubCallError {
  const e = err as { status?: unknown; message?: unknown; response?: unknown };
  const answered = typeof e.response === 'object' && e.response !== null && typeof e.status === 'number';
  if (answered)
    return new GitHubCallError({ operation, status: e.status as number, message: messageOf(err) });
  const causes = causesOf(err);
  const message = causes.some((c) => TIMEOUT_NAMES.has(String(c.name)))
    ? `no answer within ${timeoutMs / 1000} s`
    : `no answer: ${networkCause(causes) ?? messageOf(err)}`;
  return new GitHubCallError({ operation, status: 0, message });
}

interface Cause {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (a few levels: fetch wraps undici's error). */
function causesOf(err: unknown): Cause[] {
  const out: Cause[] = [];
  for (let c: unknown = err; typeof c === 'object' && c !== null && out.length < 5; c = (c as Cause).cause) {
    out.push(c as Cause);
  }
  return out;
}

/** The innermost cause with a system error code: `connect ECONNREFUSED 127.0.0.1:9`, or the code. */
function networkCause(causes: Cause[]): string | undefined {
  const coded = [...causes].reverse().find((c) => typeof c.code === 'string' && /^E[A-Z]+$/.test(c.code));
  if (!coded) return undefined;
  const message = typeof coded.message === 'string' ? coded.message.trim() : '';
  return message.includes(String(coded.code))
    ? message
    : `${String(coded.code)}${message ? ` (${message})` : ''}`;
}

function messageOf(err: unknown): string {
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && message !== '' ? message : String(err);
}
