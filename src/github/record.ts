// What the action writes to GitHub's deployment records, as pure functions of the step's
// environment and results: the repository and commit, the run's URL, the descriptions (GitHub
// keeps at most 140 characters of a status description) and the warning for a refused call.
import { GitHubCallError, type Repository } from './port.js';

/** GitHub's limit on a deployment status description (REST reference, "Deployment statuses"). */
export const MAX_DESCRIPTION = 140;

/** The permission both Deployments endpoints need, as a workflow's `permissions:` names it. */
export const DEPLOYMENTS_PERMISSION = 'deployments: write';

type Env = Record<string, string | undefined>;

/** `text` cut to `max` characters, with an ellipsis when it was cut; whitespace folded. */
export function clip(text: string, max = MAX_DESCRIPTION): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length <= max ? folded : `${folded.slice(0, max - 1).trimEnd()}…`;
}

/** `GITHUB_REPOSITORY` (`owner/repo`) split; undefined when unset or malformed. */
export function repositoryOf(env: Env): Repository | undefined {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(env.GITHUB_REPOSITORY?.trim() ?? '');
  return m ? { owner: m[1], repo: m[2] } : undefined;
}

/**
 * The workflow run's page: `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`, the
 * URL GitHub itself links a run by (a re-run keeps it and GitHub shows the latest attempt there).
 * The server URL is the Enterprise host on GitHub Enterprise Server, so the link is never
 * hard-coded to github.com.
 */
export function runUrl(env: Env): string | undefined {
  const repository = env.GITHUB_REPOSITORY?.trim();
  const runId = env.GITHUB_RUN_ID?.trim();
  if (!repository || !runId) return undefined;
  const server = (env.GITHUB_SERVER_URL?.trim() || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}/actions/runs/${runId}`;
}

/** What is deployed where, for the deployment's own description. */
export interface DeploymentSubject {
  /** The service name(s) the step deploys to. */
  services: string[];
  cluster: string;
  /** `family:revision`, or a phrase when it is not registered yet (a dry run). */
  revision: string;
}

export function deploymentDescription(subject: DeploymentSubject): string {
  const noun = subject.services.length > 1 ? 'services' : 'service';
  const head = `Deploy ${subject.revision} to ECS ${noun} `;
  const tail = ` (cluster ${subject.cluster})`;
  // The headline and the cluster stay; a long list of services gives way ("and 12 more").
  return clip(
    `${head}${servicesWithin(subject.services, MAX_DESCRIPTION - head.length - tail.length)}${tail}`,
  );
}

/**
 * What is rolling out, headline first. With several ECS deployments (several services), every id
 * when they fit with every service named, else their count: never one id as if it were the only one.
 */
export function inProgressDescription(
  subject: DeploymentSubject,
  deploymentIds: string | string[] = [],
): string {
  const ids = typeof deploymentIds === 'string' ? [deploymentIds] : deploymentIds;
  const head = `Rolling out ${subject.revision} to `;
  const within = (ecs: string) =>
    `${head}${servicesWithin(subject.services, MAX_DESCRIPTION - head.length - ecs.length)}${ecs}`;
  if (ids.length <= 1) return clip(within(ids.length ? ` (ECS deployment ${ids[0]})` : ''));
  const every = `${head}${subject.services.join(', ')} (ECS deployments ${ids.join(', ')})`;
  if (every.length <= MAX_DESCRIPTION) return every;
  return clip(within(` (${ids.length} ECS deployments)`));
}

/** The service names joined, as many as fit in `room` characters, then "and N more". */
export function servicesWithin(services: string[], room: number): string {
  if (services.length === 0) return 'no service';
  const all = services.join(', ');
  if (all.length <= room) return all;
  for (let n = services.length - 1; n > 0; n--) {
    const text = `${services.slice(0, n).join(', ')} and ${services.length - n} more`;
    if (text.length <= room) return text;
  }
  return `${services.length} services`;
}

/** A final status's description: what happened first, so a cut keeps the verdict. */
export function finalDescription(headline: string, reason: string): string {
  return clip(`${headline}: ${reason}`);
}

/**
 * The warning for a GitHub call that failed, what happened first. GitHub answers 403 to a token
 * without the permission and 404 when the token cannot see the repository or its deployments;
 * both name the permission. A 202 (GitHub merged the default branch into the ref instead of
 * creating a deployment: `auto_merge`) and a 409 (the commit's required status checks failed:
 * `required_contexts`) say so; neither happens with what the action sends (`auto_merge: false`,
 * `required_contexts: []`). Status 0 is no HTTP answer at all: the message says so ("no answer
 * within 10 s", "no answer: connect ECONNREFUSED ...", see ./octokit.ts).
 * The deploy goes on either way: its verdict is the step's, not GitHub's.
 */
export function refusalWarning(err: unknown, what: string): string {
  const status = err instanceof GitHubCallError ? err.status : 0;
  const detail = err instanceof Error ? err.message : String(err);
  const answered = status > 0 ? `HTTP ${status}: ${detail}` : detail;
  const unaffected = 'The deploy itself is not affected.';
  if (status === 403 || status === 404) {
    return (
      `GitHub refused to ${what} (${answered}). The token needs the "${DEPLOYMENTS_PERMISSION}" permission: ` +
      `add "permissions: ${DEPLOYMENTS_PERMISSION}" to the job (or grant Deployments write to the app or ` +
      `fine-grained token given as github-token). ${unaffected}`
    );
  }
  if (status === 202) {
    return `GitHub did not ${what}: it merged the default branch into the ref instead (auto_merge; ${answered}). ${unaffected}`;
  }
  if (status === 409) {
    return `GitHub refused to ${what}: the commit's required status checks failed (required_contexts; ${answered}). ${unaffected}`;
  }
  return `Could not ${what} on GitHub (${answered}). ${unaffected}`;
}

/** Whether GitHub refused the token: the later calls of the step would be refused too. */
export function isRefusal(err: unknown): boolean {
  return err instanceof GitHubCallError && (err.status === 401 || err.status === 403 || err.status === 404);
}
