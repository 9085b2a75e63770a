// The verdict on one deployment, from one look at the service (DescribeServices) and, where the
// account has it, at its ServiceDeployment. Pure: the poll loop (poll-loop.ts) calls it after every
// poll, and the tests drive it with a table of observations in every shape docs/ecs-behaviour.md
// describes ("Deployments", "Rollbacks", "Service deployments").
//
// Decisions ECS's documentation leaves open:
// - Success is our deployment PRIMARY with rolloutState COMPLETED (or the ServiceDeployment
//   SUCCESSFUL). We do not also wait for the older deployments to drain: ECS's own COMPLETED is
//   the verdict, waiting longer is the "idle after stable" complaint, and with
//   earlySuccessCriteria DEFERRED the old tasks are meant to outlive success. The reason mentions
//   tasks still draining. Only where ECS reports no rolloutState (Classic Load Balancer) is the
//   old "one deployment, running == desired" rule used.
// - A rollback is reported as soon as it is certain (a rollback signal, below), not when it has
//   finished: the step fails either way and the user should not wait minutes for the old tasks.
//   The reason says whether the rollback had completed.
// - A rollback is certain when: the PRIMARY's rolloutStateReason starts with the circuit
//   breaker's "rolling back" prefix, or a service event newer than our start says "rolling back
//   to deployment", or the ServiceDeployment is ROLLBACK_*, or an OLDER deployment is PRIMARY
//   again (only a rollback re-promotes an old deployment id; docs/ecs-behaviour.md, "Rollbacks").

import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import {
  deploymentIdOfRevision,
  describeRef,
  eventsSince,
  primaryOf,
  refOf,
  serviceDeploymentIsOurs,
  type DeploymentRef,
  type Observation,
  type OurDeployment,
} from './deployment-facts.js';

// The pieces the verdict is judged on, re-exported for the modules and tests that import them from here.
export {
  deploymentIdOfRevision,
  deploymentNumber,
  eventsSince,
  primaryOf,
  revisionIsDeployment,
  serviceDeploymentIsOurs,
  type DeploymentRef,
  type Observation,
  type OurDeployment,
} from './deployment-facts.js';
export { judgeRollback, type RollbackProgress } from './rollback-verdict.js';

/** Every circuit-breaker reason starts so; the rest of the text varies (docs/ecs-behaviour.md, "Rollout state"), so match the prefix only. */
export const CIRCUIT_BREAKER_PREFIX = 'ECS deployment circuit breaker:';
export const ROLLBACK_REASON_PREFIX = 'ECS deployment circuit breaker: rolling back to deploymentId';
const ROLLBACK_REASON_TARGET = /rolling back to deploymentId (ecs-svc\/\d+)/;
const ROLLBACK_EVENT = /\brolling back to deployment (ecs-svc\/\d+)\./;
const FAILED_EVENT = /\(deployment (ecs-svc\/\d+)\) deployment failed: (.+)$/;

/**
 * With rollback on, the circuit breaker marks our deployment FAILED and then promotes the old one;
 * a poll may fall in between. This long we wait for the rollback to show before calling it a
 * failure without rollback.
 */
export const ROLLBACK_START_GRACE_MS = 60_000;

export type FinalOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'superseded';

export type Verdict =
  | { done: false; waitingFor?: string }
  | {
      done: true;
      outcome: FinalOutcome;
      reason: string;
      rolledBackTo?: DeploymentRef;
      supersededBy?: DeploymentRef;
      /** For rolled-back: whether the deployment ECS went back to had finished. */
      rollbackCompleted?: boolean;
    };

const SD_ROLLBACK_STATUSES = new Set([
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);

interface RollbackSignal {
  /** The deployment ECS rolls back to, when the signal names it. */
  targetId?: string;
  /** How we know, when the rest of the reason does not already say it. */
  evidence?: string;
}

function findRollbackSignal(
  ours: OurDeployment,
  primary: Deployment | undefined,
  recent: ServiceEvent[],
  sd: ServiceDeployment | undefined,
): RollbackSignal | undefined {
  if (
    primary &&
    primary.id !== ours.deploymentId &&
    primary.rolloutStateReason?.startsWith(ROLLBACK_REASON_PREFIX)
  ) {
    return { targetId: primary.rolloutStateReason.match(ROLLBACK_REASON_TARGET)?.[1] ?? primary.id };
  }
  for (const e of recent) {
    const m = e.message?.match(ROLLBACK_EVENT);
    if (m && m[1] !== ours.deploymentId) return { targetId: m[1] };
  }
  if (sd && (SD_ROLLBACK_STATUSES.has(sd.status ?? '') || sd.rollback)) {
    return {
      targetId: deploymentIdOfRevision(sd.rollback?.serviceRevisionArn),
      evidence: `service deployment ${sd.status}`,
    };
  }
  return undefined;
}

/** Why our deployment failed, from the best source there is. */
function failureReason(
  ours: OurDeployment,
  d: Deployment | undefined,
  recent: ServiceEvent[],
  sd: ServiceDeployment | undefined,
): string | undefined {
  if (d?.rolloutState === 'FAILED' && d.rolloutStateReason) return d.rolloutStateReason;
  for (const e of recent) {
    const m = e.message?.match(FAILED_EVENT);
    if (m && m[1] === ours.deploymentId) return m[2];
  }
  return sd?.rollback?.reason ?? sd?.statusReason ?? undefined;
}

function rollbackConfigured(
  service: Service,
  sd: ServiceDeployment | undefined,
  reason: string | undefined,
): boolean {
  const config = sd?.deploymentConfiguration ?? service.deploymentConfiguration;
  const breaker = !!(config?.deploymentCircuitBreaker?.enable && config.deploymentCircuitBreaker.rollback);
  if (reason?.startsWith(CIRCUIT_BREAKER_PREFIX)) return breaker;
  // Not the breaker's text: an alarm (whose text AWS does not document) or unknown, so either detector may roll back.
  return breaker || !!(config?.alarms?.enable && config.alarms.rollback);
}

function isOlder(primary: Deployment, d: Deployment | undefined, ours: OurDeployment): boolean {
  const ourStart = d?.createdAt ?? ours.createdAt ?? ours.startedAt;
  if (primary.createdAt && ourStart) return primary.createdAt.getTime() < ourStart.getTime();
  return primary.id !== undefined && primary.id === ours.previousPrimaryId;
}

function countsText(d: Deployment): string {
  return `${d.runningCount ?? 0}/${d.desiredCount ?? 0} tasks running`;
}

function drainingNote(deployments: Deployment[], ours: string): string {
  const draining = deployments
    .filter((d) => d.id !== ours)
    .reduce((n, d) => n + (d.runningCount ?? 0) + (d.pendingCount ?? 0), 0);
  return draining > 0
    ? `; ${draining} task${draining === 1 ? '' : 's'} of earlier deployments still stopping`
    : '';
}

/** One observation, read once for the judging functions below. */
interface Facts {
  observation: Observation;
  ours: OurDeployment;
  deployments: Deployment[];
  /** Our deployment as DescribeServices lists it, if it does. */
  d?: Deployment;
  primary?: Deployment;
  /** Our ServiceDeployment, when the observation's is ours. */
  sd?: ServiceDeployment;
  signal?: RollbackSignal;
  /** `The deployment ecs-svc/… failed: <why>`, without a final period. */
  failedText: string;
}

function factsOf(observation: Observation, ours: OurDeployment): Facts {
  const { service } = observation;
  const deployments = service.deployments ?? [];
  const d = deployments.find((x) => x.id === ours.deploymentId);
  const primary = primaryOf(service);
  const sd = serviceDeploymentIsOurs(observation.serviceDeployment, ours.deploymentId)
    ? observation.serviceDeployment
    : undefined;
  const recent = eventsSince(service.events, ours.startedAt);
  const why = failureReason(ours, d, recent, sd);
  return {
    observation,
    ours,
    deployments,
    d,
    primary,
    sd,
    signal: findRollbackSignal(ours, primary, recent, sd),
    failedText: `The deployment ${ours.deploymentId} failed${why ? `: ${why.replace(/\.$/, '')}` : ''}`,
  };
}

export function judge(observation: Observation, ours: OurDeployment): Verdict {
  const f = factsOf(observation, ours);
  const { d, sd, signal, failedText } = f;
  if (sd?.status === 'ROLLBACK_FAILED') {
    return {
      done: true,
      outcome: 'failed',
      reason: `${failedText}; ECS tried to roll back and the rollback failed${sd.statusReason ? `: ${sd.statusReason}` : ''}.`,
    };
  }
  // A SUCCESSFUL service deployment that carries rollback details is a rollback that succeeded.
  if (sd?.status === 'SUCCESSFUL' && !sd.rollback && !signal) {
    return {
      done: true,
      outcome: 'succeeded',
      reason: `ECS reports service deployment ${ours.deploymentId} SUCCESSFUL${d ? ` (${countsText(d)})` : ''}.`,
    };
  }
  if (d && d.status === 'PRIMARY') return judgePrimary(f, d);
  return judgeReplaced(f);
}

/** Our deployment is PRIMARY: finished, failed, or still going. */
function judgePrimary(f: Facts, d: Deployment): Verdict {
  const { ours, deployments, sd, failedText } = f;
  const { service } = f.observation;
  if (d.rolloutState === 'COMPLETED') {
    return {
      done: true,
      outcome: 'succeeded',
      reason: `${d.rolloutStateReason ?? `ECS deployment ${ours.deploymentId} completed.`} ${countsText(d)}${drainingNote(deployments, ours.deploymentId)}.`,
    };
  }
  if (
    d.rolloutState === undefined &&
    deployments.length === 1 &&
    d.runningCount === d.desiredCount &&
    service.runningCount === service.desiredCount
  ) {
    return {
      done: true,
      outcome: 'succeeded',
      reason: `The service is stable on ${ours.deploymentId}: one deployment, ${countsText(d)} (ECS reports no rollout state for this service).`,
    };
  }
  if (d.rolloutState === 'FAILED') return judgeFailed(f, d);
  if (sd?.status === 'STOPPED') {
    return { done: true, outcome: 'failed', reason: `${failedText}. ECS stopped the service deployment.` };
  }
  return { done: false };
}

/** Our deployment is PRIMARY and FAILED: rolled back, failed for good, or a rollback still to show. */
function judgeFailed(f: Facts, d: Deployment): Verdict {
  const { ours, deployments, sd, signal, failedText } = f;
  if (signal) return rolledBack(f, signal);
  const failed = (reason: string): Verdict => ({
    done: true,
    outcome: 'failed',
    reason: `${failedText}. ${reason}`,
  });
  if (sd?.status === 'STOP_REQUESTED' || sd?.status === 'STOPPED') {
    return failed('ECS stopped the deployment (rollback is off).');
  }
  if (!rollbackConfigured(f.observation.service, sd, d.rolloutStateReason)) {
    return failed('Rollback is off, so ECS keeps this failed deployment and starts no new tasks for it.');
  }
  const target = deployments.find((x) => x.id !== ours.deploymentId && x.rolloutState === 'COMPLETED');
  if (!target) {
    return failed(
      "Rollback is on, but there is no earlier COMPLETED deployment to roll back to (for example the service's first deployment), so ECS has stalled the deployment: it starts no new tasks.",
    );
  }
  const { now, failedSince } = f.observation;
  if (now && failedSince && now.getTime() - failedSince.getTime() < ROLLBACK_START_GRACE_MS) {
    return { done: false, waitingFor: `the rollback to ${target.id}` };
  }
  return failed(
    `Rollback is on, but ECS had not started rolling back to ${target.id} ${ROLLBACK_START_GRACE_MS / 1000} s after the failure.`,
  );
}

/** Our deployment is no longer PRIMARY (it is ACTIVE and draining, or gone). */
function judgeReplaced(f: Facts): Verdict {
  const { ours, deployments, d, primary, signal } = f;
  if (!primary?.id) return { done: false };
  if (signal) return rolledBack(f, signal);
  if (isOlder(primary, d, ours)) {
    // Only a rollback makes an older deployment PRIMARY again, even when its event was not seen.
    return rolledBack(f, { targetId: primary.id, evidence: 'the earlier deployment is PRIMARY again' });
  }
  const by = refOf(deployments, primary.id);
  if (d?.rolloutState === 'COMPLETED') {
    // Ours finished between two polls and a newer deployment has started since: ours did succeed.
    return {
      done: true,
      outcome: 'succeeded',
      reason: `ECS deployment ${ours.deploymentId} completed; a newer deployment, ${describeRef(by)}, has started since.`,
    };
  }
  return {
    done: true,
    outcome: 'superseded',
    reason: `Another deployment, ${describeRef(by)}, replaced ${ours.deploymentId} before it finished (someone or something else updated the service).`,
    supersededBy: by,
  };
}

function rolledBack(f: Facts, signal: RollbackSignal): Verdict {
  const { deployments, sd, primary, failedText } = f;
  const targetId = signal.targetId ?? primary?.id;
  const to = targetId ? refOf(deployments, targetId) : undefined;
  const target = targetId ? deployments.find((x) => x.id === targetId) : undefined;
  const completed =
    sd?.status === 'ROLLBACK_SUCCESSFUL' ||
    (target?.status === 'PRIMARY' && target.rolloutState === 'COMPLETED');
  const where = to ? ` to ${describeRef(to)}` : '';
  return {
    done: true,
    outcome: 'rolled-back',
    reason: completed
      ? `${failedText}; ECS rolled back${where} and the rollback completed.`
      : `${failedText}; ECS is rolling back${where}${signal.evidence ? ` (${signal.evidence})` : ''}; the rollback had not finished when this step ended.`,
    rolledBackTo: to,
    rollbackCompleted: completed,
  };
}
