// The GitHub deployment record (`github-environment`), in three steps of the line: right after
// the gate (before RegisterTaskDefinition, so every failure after the gate ends the record) one
// deployment for the commit; `in_progress` once the service update is made (never when nothing
// is deployed); the verdict when the step ends. GitHub never decides the step: a refused or
// failed call is a warning and the deploy goes on.
import { clusterNameOf } from '../inputs/arns.js';
import { shortTaskDefinition } from '../lib/arn.js';
import type { DeployRequest } from '../lib/request.js';
import type { DeploymentState, GitHubPort } from '../github/port.js';
import {
  deploymentDescription,
  finalDescription,
  inProgressDescription,
  isRefusal,
  refusalWarning,
  repositoryOf,
  runUrl,
  type DeploymentSubject,
} from '../github/record.js';
import { FAILING_OUTCOMES, type Outcome } from '../rollout/types.js';
import type {
  Fleet,
  GitHubDeployment,
  Plan,
  Rendered,
  ServiceCheck,
  ServiceUpdate,
  StepContext,
} from './context.js';

type Created = Extract<GitHubDeployment, { kind: 'created' }>;

/** What the record is about, known before anything is registered. */
interface Before {
  request: DeployRequest;
  service: ServiceCheck;
  plan: Plan;
  rendered: Rendered;
}

/** Creates the deployment (nothing in a dry run, which says what it would create). */
export async function createGitHubDeploymentStage(ctx: StepContext, done: Before): Promise<GitHubDeployment> {
  const { request } = done;
  const environment = request.githubEnvironment;
  if (!environment) return { kind: 'skipped', why: 'not-asked' };
  const env = ctx.runner.env;
  const subject = subjectOf(done);
  const description = deploymentDescription(subject);
  const ref = env.GITHUB_SHA?.trim();
  const repository = repositoryOf(env);
  if (request.dryRun) {
    ctx.runner.info(
      `Dry run: would create a GitHub deployment of ${ref ?? '(GITHUB_SHA unset)'} in environment "${environment}" of ${env.GITHUB_REPOSITORY ?? '(GITHUB_REPOSITORY unset)'} ("${description}"), then set its status to in_progress and to the verdict.`,
    );
    return { kind: 'skipped', why: 'dry-run' };
  }
  const token = request.githubToken;
  if (!ref || !repository || !token || !ctx.github) {
    const why = !ref
      ? 'GITHUB_SHA is not set'
      : !repository
        ? 'GITHUB_REPOSITORY is not set as owner/repo'
        : !token
          ? 'github-token is empty'
          : 'this runner has no GitHub client';
    return unrecorded(ctx, `The GitHub deployment was not recorded: ${why}.`);
  }
  if (ctx.signal.aborted)
    return unrecorded(ctx, 'The GitHub deployment was not recorded: the step was cancelled.');
  const port = portOf(ctx, token);
  try {
    const { id } = await port.createDeployment({
      ...repository,
      ref,
      environment,
      description,
      auto_merge: false,
      required_contexts: [],
    });
    ctx.runner.info(`Created GitHub deployment ${id} of ${ref.slice(0, 7)} in environment "${environment}".`);
    return {
      kind: 'created',
      id,
      environment,
      states: [],
      repository,
      subject,
      logUrl: runUrl(env),
      ...(request.environmentUrl ? { environmentUrl: request.environmentUrl } : {}),
    };
  } catch (err) {
    return unrecorded(ctx, refusalWarning(err, 'create the deployment'));
  }
}

/**
 * `in_progress` once the service update is made; not when nothing was deployed (`unchanged`: no
 * UpdateService, the service already runs this revision), whose record goes straight to success.
 */
export async function githubInProgressStage(
  ctx: StepContext,
  done: { github: GitHubDeployment; update: ServiceUpdate; request: DeployRequest; fleet?: Fleet },
): Promise<GitHubDeployment> {
  const { github, update } = done;
  if (github.kind !== 'created' || github.stopped) return github;
  if (update.kind === 'skipped' || update.kind === 'unchanged') return github;
  // Several services: every ECS deployment the step started, not only the first service's.
  const updates = [update, ...(done.fleet?.members ?? []).map((m) => m.update)];
  const ids = updates.flatMap((u) => (u && 'deploymentId' in u && u.deploymentId ? [u.deploymentId] : []));
  const description = inProgressDescription(github.subject, ids);
  return postStatus(ctx, { github, token: done.request.githubToken, state: 'in_progress', description });
}

/** How each outcome ends the record; an outcome not listed leaves it as it is (in_progress). */
const FINAL: Partial<Record<Outcome, { state: DeploymentState; headline: string }>> = {
  succeeded: { state: 'success', headline: 'Succeeded' },
  unchanged: { state: 'success', headline: 'Unchanged' },
  registered: { state: 'success', headline: 'Registered' },
  'rolled-back': { state: 'failure', headline: 'Rolled back' },
  failed: { state: 'failure', headline: 'Failed' },
  superseded: { state: 'failure', headline: 'Superseded by another deployment' },
  'task-failed': { state: 'failure', headline: 'One-off task failed' },
  // No verdict: the deployment may still succeed or fail in ECS.
  'timed-out': { state: 'error', headline: 'Timed out' },
  cancelled: { state: 'error', headline: 'Cancelled' },
};

/**
 * The words both ECS followers (src/rollout/timeout-rollback.ts, src/strategy/follow.ts) use when
 * the rollback they asked for on timeout completed (`on-timeout: rollback`; docs/ecs-behaviour.md,
 * "StopServiceDeployment ROLLBACK"). A rollback only asked for says "Asked ECS to roll back": no
 * verdict, so `error`. __tests__/github/pipeline.test.ts holds the rolling follower to these words.
 */
const ROLLED_BACK_ON_TIMEOUT = /\bRolled back on timeout\b[:;,.]?\s*/;

/** The step's verdict, as the final status reads it. */
export interface Verdict {
  outcome?: Outcome;
  reason: string;
  /** The revision deployed, to name when the record was created before it was registered. */
  revision?: string;
}

/**
 * The final status, from the step's verdict; no verdict (a stop before one) is `error`. The
 * headline comes first, so GitHub's 140-character cut never hides it.
 */
export function finalStatus(verdict: Verdict): { state: DeploymentState; description: string } | undefined {
  const reason = verdict.reason.split('\n')[0];
  const revision = verdict.revision && !reason.includes(verdict.revision) ? `${verdict.revision}. ` : '';
  if (verdict.outcome === undefined)
    return { state: 'error', description: finalDescription('Error', reason) };
  // A timeout whose rollback completed has a verdict after all: the deploy did not go out.
  const back = verdict.outcome === 'timed-out' ? ROLLED_BACK_ON_TIMEOUT.exec(reason) : null;
  if (back) {
    const detail = `${reason.slice(back.index + back[0].length)} ${reason.slice(0, back.index)}`;
    return {
      state: 'failure',
      description: finalDescription('Rolled back on timeout', `${revision}${detail}`),
    };
  }
  const final =
    FINAL[verdict.outcome] ??
    (FAILING_OUTCOMES.has(verdict.outcome) ? { state: 'failure' as const, headline: 'Failed' } : undefined);
  return (
    final && { state: final.state, description: finalDescription(final.headline, `${revision}${reason}`) }
  );
}

/** Sets the verdict on the record; safe to call with any record (it never throws). */
export async function finishGitHubDeployment(
  ctx: StepContext,
  github: GitHubDeployment | undefined,
  verdict: {
    outcome?: Outcome;
    reason: string;
    token?: string;
    taskDefinitionArn?: string;
    services?: { taskDefinitionArn?: string }[];
  },
): Promise<GitHubDeployment | undefined> {
  if (github?.kind !== 'created' || github.stopped) return github;
  // Created before RegisterTaskDefinition: the verdict names the revision the record could not.
  // With several services, a success names every revision deployed (one, or one more per own
  // base); a failure's reason names the service first, which is what matters there.
  const several = github.subject.services.length > 1;
  const deployed = verdict.outcome === 'succeeded' ? (verdict.services ?? [verdict]) : [];
  const arns = several ? deployed : [verdict];
  const named = arns.map((s) => shortTaskDefinition(s.taskDefinitionArn)).filter((r) => r !== undefined);
  const revision = [...new Set(named)].filter((r) => r !== github.subject.revision).join(', ') || undefined;
  const status = finalStatus({ outcome: verdict.outcome, reason: verdict.reason, revision });
  if (!status) {
    ctx.runner.info(
      `GitHub deployment ${github.id} is left in_progress: the step ends before ECS's verdict.`,
    );
    return github;
  }
  return postStatus(ctx, { github, token: verdict.token, ...status });
}

async function postStatus(
  ctx: StepContext,
  post: { github: Created; token?: string; state: DeploymentState; description: string },
): Promise<GitHubDeployment> {
  const { github, state, description } = post;
  if (!ctx.github || !post.token) return github;
  try {
    // Not tied to ctx.signal: a cancelled step still says so on its record (the call has its own timeout).
    await portOf(ctx, post.token).createDeploymentStatus({
      ...github.repository,
      deployment_id: github.id,
      state,
      description,
      ...(github.logUrl ? { log_url: github.logUrl } : {}),
      ...(github.environmentUrl ? { environment_url: github.environmentUrl } : {}),
    });
    ctx.runner.info(`GitHub deployment ${github.id}: ${state}.`);
    // Appended in place: the job summary, written after the last call, reads the final state.
    github.states.push(state);
    return github;
  } catch (err) {
    ctx.runner.warning(refusalWarning(err, `set GitHub deployment ${github.id} to ${state}`));
    return isRefusal(err) ? { ...github, stopped: true } : github;
  }
}

/** What the deployment's description names: the services (in the order given), the cluster, the revision. */
export function subjectOf(done: Before): DeploymentSubject {
  const { request, service, plan, rendered } = done;
  const name = service.service?.serviceName ?? request.service ?? '';
  const cluster = clusterNameOf(request.cluster);
  // Several services: every one, in the order given (the first is `service`); one in another
  // cluster than the first is named `cluster/name`, since the description names one cluster.
  const others = (request.services ?? []).slice(1).map((s) => {
    const own = clusterNameOf(s.cluster);
    const bare = s.service.replace(/^.*\//, '');
    return own === cluster ? bare : `${own}/${bare}`;
  });
  const names = [name.replace(/^.*\//, ''), ...others].filter(Boolean);
  const family = typeof rendered.taskDefinition.family === 'string' ? rendered.taskDefinition.family : '';
  return {
    services: names,
    cluster,
    // Nothing is registered yet: an identical revision reused is known, a new one is not.
    revision: plan.reuseArn
      ? shortTaskDefinition(plan.reuseArn)
      : `a new revision${family ? ` of ${family}` : ''}`,
  };
}

/** One port per step: the factory is called again only for the same token. */
function portOf(ctx: StepContext, token: string): GitHubPort {
  // main.ts keeps one port per token, so its octokit client is made once.
  return ctx.github!({ token, apiUrl: ctx.runner.env.GITHUB_API_URL?.trim() || undefined });
}

function unrecorded(ctx: StepContext, warning: string): GitHubDeployment {
  ctx.runner.warning(warning);
  return { kind: 'unrecorded', warning };
}
