// The DeploymentResult of a follow, from what the session saw: the followed deployment's state as
// known at the end (never an old state shown as current), and, without a verdict, why not.

import { timeOfDay } from './clock.js';
import type { PollHealthSummary } from './poll-health.js';
import type { ServiceDeploymentTracker } from './service-deployment.js';
import type { FollowSession } from './session.js';
import type { DeploymentResult, NoVerdict, Outcome } from './types.js';

export type ResultExtra = Pick<
  DeploymentResult,
  'rolledBackTo' | 'supersededBy' | 'rollbackCompleted' | 'followedOn' | 'noVerdict'
>;

/** Whether the state last seen is what ECS says now: the last poll answered and listed the deployment. */
function isCurrent(s: FollowSession): boolean {
  return s.printer.view.listed && !s.health.failing;
}

/**
 * The followed deployment's rollout state as known at the end. While the last DescribeServices
 * answered and lists it, that is what ECS says now. Otherwise (a quick rollback can remove it
 * between two polls; the polls at the end may have failed) the state last seen may be out of date
 * (IN_PROGRESS before it failed), so:
 * - rolled-back or failed: FAILED, with the reason last seen if it was already FAILED, else the
 *   reason ECS gave elsewhere (the "deployment failed: …" event, the ServiceDeployment), else none;
 * - otherwise a terminal state last seen (COMPLETED, FAILED) still holds, as ECS never leaves one;
 * - otherwise nothing: an in-progress state last seen is not reported as if it were current.
 */
function finalRolloutState(
  s: FollowSession,
  sd: ServiceDeploymentTracker,
  outcome: Outcome,
): Pick<DeploymentResult, 'rolloutState' | 'rolloutStateReason'> {
  const { rolloutState, rolloutStateReason } = s.printer.view;
  if (isCurrent(s)) return { rolloutState, rolloutStateReason };
  if (outcome === 'rolled-back' || outcome === 'failed') {
    return {
      rolloutState: 'FAILED',
      rolloutStateReason: rolloutState === 'FAILED' ? rolloutStateReason : failureReasonElsewhere(s, sd),
    };
  }
  if (rolloutState === 'COMPLETED' || rolloutState === 'FAILED') return { rolloutState, rolloutStateReason };
  return {};
}

/** Why ECS failed the followed deployment, from its events or its ServiceDeployment (as verdict.ts reads them). */
function failureReasonElsewhere(s: FollowSession, sd: ServiceDeploymentTracker): string | undefined {
  const marker = `(deployment ${s.target.deploymentId}) deployment failed: `;
  for (const e of [...s.printer.events].reverse()) {
    const at = e.message.indexOf(marker);
    if (at >= 0) return e.message.slice(at + marker.length);
  }
  if (!sd.verified) return undefined;
  return sd.last?.rollback?.reason ?? sd.last?.statusReason ?? undefined;
}

/**
 * Where the followed deployment stood: `ecs-svc/1 was IN_PROGRESS with 1/2 running, …` when that
 * is current, else `ecs-svc/1 was last seen IN_PROGRESS at 12:03:10Z, with 1/2 running, …`.
 */
export function stateText(s: FollowSession): string {
  const { view } = s.printer;
  const id = s.target.deploymentId;
  if (view.seenAt === undefined) {
    return s.health.summary().lastAnsweredAt === undefined
      ? `${id} was never seen: no DescribeServices answered`
      : `${id} was not listed by DescribeServices`;
  }
  const state = view.rolloutState ?? 'in an unknown state';
  const c = view.counts;
  const counts = c ? `with ${c.running}/${c.desired} running, ${c.pending} pending, ${c.failed} failed` : '';
  if (isCurrent(s)) return `${id} was ${state}${counts ? ` ${counts}` : ''}`;
  return `${id} was last seen ${state} at ${timeOfDay(view.seenAt)}${counts ? `, ${counts}` : ''}`;
}

/** Why the polls gave no verdict, when they were failing at the end; undefined when they were answered. */
export function failingText(health: PollHealthSummary): string | undefined {
  if (health.failingSince === undefined) return undefined;
  const since = timeOfDay(health.failingSince);
  const polls = `${health.failedPolls} poll${health.failedPolls === 1 ? '' : 's'}`;
  switch (health.cause) {
    case 'aws-unreachable':
      return `AWS has been unreachable since ${since}: every DescribeServices since then failed with a network error or timed out, or got no answer (${polls})`;
    case 'throttled':
      return `AWS has throttled every DescribeServices since ${since} (${polls})`;
    default:
      return `every DescribeServices since ${since} failed (throttling, network or AWS server errors; ${polls})`;
  }
}

/** `No verdict within 30 minute(s): <why>; <state>` or, when the polls were answered, `…: <state>`. */
export function noVerdictText(s: FollowSession, lead: string): string {
  const failing = failingText(s.health.summary());
  return `${lead}: ${failing ? `${failing}; ` : ''}${stateText(s)}.`;
}

export function noVerdictOf(s: FollowSession): NoVerdict {
  const health = s.health.summary();
  const { view } = s.printer;
  const noVerdict: NoVerdict = { cause: health.cause };
  if (health.failingSince !== undefined) {
    noVerdict.failingSince = new Date(health.failingSince);
    noVerdict.failedPolls = health.failedPolls;
  }
  if (!isCurrent(s) && view.seenAt !== undefined) {
    noVerdict.lastSeenAt = new Date(view.seenAt);
    if (view.rolloutState) noVerdict.lastSeenState = view.rolloutState;
  }
  return noVerdict;
}

export function buildResult(
  s: FollowSession,
  sd: ServiceDeploymentTracker,
  verdict: { outcome: Outcome; reason: string },
  extra: ResultExtra = {},
): DeploymentResult {
  const { outcome, reason } = verdict;
  const state = finalRolloutState(s, sd, outcome);
  const counts = s.printer.view.counts;
  return {
    outcome,
    reason,
    deploymentId: s.ours.deploymentId,
    serviceDeploymentArn: sd.verified ? sd.last?.serviceDeploymentArn : undefined,
    ...Object.fromEntries(Object.entries({ ...state, ...extra }).filter(([, v]) => v !== undefined)),
    events: s.printer.events,
    stoppedTasks: [],
    logTails: [],
    counts,
    // Counts are kept as last seen: say so when they are not from a look at the end.
    ...(counts && !isCurrent(s) ? { countsStale: true } : {}),
    startedAt: s.ours.startedAt,
    finishedAt: new Date(s.clock.now()),
  };
}
