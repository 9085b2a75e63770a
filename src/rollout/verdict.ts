// The verdict on one deployment, from one look at the service (DescribeServices) and, where the
// account has it, at its ServiceDeployment. Pure: the poll loop (follow.ts) calls it after every
// poll, and the tests drive it with a table of observations in every shape of
// reference/ecs-semantics.md §1.4-1.6 and §1.9.
//
// Decisions the reference leaves open:
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
//   again (only a rollback re-promotes an old deployment id, §1.5).

import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../lib/arn.js';

/** Every circuit-breaker reason starts so; the rest of the text varies (§1.4), so match the prefix only. */
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

export interface OurDeployment {
  /** `ecs-svc/<n>` */
  deploymentId: string;
  taskDefinitionArn: string;
  /** The PRIMARY before our UpdateService. */
  previousPrimaryId?: string;
  serviceDeploymentArn?: string;
  /** When ECS created our deployment (its `createdAt`, on the AWS clock that also stamps events). */
  startedAt?: Date;
  /**
   * When ECS created our deployment (AWS clock), also for a deployment an earlier run started,
   * where `startedAt` is when this run began following. Orders deployments; never the runner clock.
   */
  createdAt?: Date;
}

export interface Observation {
  service: Service;
  /** Ours, from DescribeServiceDeployments; ignored unless its target revision is our deployment. */
  serviceDeployment?: ServiceDeployment;
  now?: Date;
  /** When the follower first saw our deployment FAILED while still PRIMARY. */
  failedSince?: Date;
}

export interface DeploymentRef {
  deploymentId: string;
  taskDefinitionArn?: string;
}

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

/** `1234` for `ecs-svc/1234`. */
export function deploymentNumber(deploymentId: string): string {
  return deploymentId.slice(deploymentId.lastIndexOf('/') + 1);
}

/**
 * Whether a service revision ARN is the one our deployment targets: its numeric suffix is the
 * number in `ecs-svc/<n>` (§1.9, as terraform-provider-aws relies on).
 */
export function revisionIsDeployment(revisionArn: string | undefined, deploymentId: string): boolean {
  return !!revisionArn && revisionArn.endsWith(`/${deploymentNumber(deploymentId)}`);
}

/** `ecs-svc/<n>` for a service revision ARN ending in `/<n>`. */
export function deploymentIdOfRevision(revisionArn: string | undefined): string | undefined {
  const n = revisionArn?.match(/\/(\d+)$/)?.[1];
  return n ? `ecs-svc/${n}` : undefined;
}

export function serviceDeploymentIsOurs(sd: ServiceDeployment | undefined, deploymentId: string): boolean {
  return !!sd && revisionIsDeployment(sd.targetServiceRevision?.arn, deploymentId);
}

// The one in report/links.ts, re-exported for deploy.ts, which imports it from here.
/** The PRIMARY deployment: the one ECS is rolling out (or has rolled out) now. */
export function primaryOf(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY');
}

/** Service events at or after `since`, newest first as ECS lists them. Events without a time count as new. */
export function eventsSince(events: ServiceEvent[] | undefined, since: Date | undefined): ServiceEvent[] {
  if (!events) return [];
  if (!since) return events;
  return events.filter((e) => !e.createdAt || e.createdAt.getTime() >= since.getTime());
}

function ref(deployments: Deployment[], id: string): DeploymentRef {
  const d = deployments.find((x) => x.id === id);
  return d?.taskDefinition ? { deploymentId: id, taskDefinitionArn: d.taskDefinition } : { deploymentId: id };
}

function describeRef(r: DeploymentRef): string {
  const td = shortTaskDefinition(r.taskDefinitionArn);
  return td ? `${r.deploymentId} (${td})` : r.deploymentId;
}

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

export function judge(observation: Observation, ours: OurDeployment): Verdict {
  const { service } = observation;
  const deployments = service.deployments ?? [];
  const d = deployments.find((x) => x.id === ours.deploymentId);
  const primary = primaryOf(service);
  const sd = serviceDeploymentIsOurs(observation.serviceDeployment, ours.deploymentId)
    ? observation.serviceDeployment
    : undefined;
  const recent = eventsSince(service.events, ours.startedAt);
  const signal = findRollbackSignal(ours, primary, recent, sd);
  const why = failureReason(ours, d, recent, sd);
  // Without its final period, as more follows in the same sentence.
  const failedText = `The deployment ${ours.deploymentId} failed${why ? `: ${why.replace(/\.$/, '')}` : ''}`;

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

  if (d && d.status === 'PRIMARY') {
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
    if (d.rolloutState === 'FAILED') {
      if (signal) return rolledBack(failedText, signal, deployments, sd, primary);
      if (sd?.status === 'STOP_REQUESTED' || sd?.status === 'STOPPED') {
        return {
          done: true,
          outcome: 'failed',
          reason: `${failedText}. ECS stopped the deployment (rollback is off).`,
        };
      }
      if (!rollbackConfigured(service, sd, d.rolloutStateReason)) {
        return {
          done: true,
          outcome: 'failed',
          reason: `${failedText}. Rollback is off, so ECS keeps this failed deployment and starts no new tasks for it.`,
        };
      }
      const target = deployments.find((x) => x.id !== ours.deploymentId && x.rolloutState === 'COMPLETED');
      if (!target) {
        return {
          done: true,
          outcome: 'failed',
          reason: `${failedText}. Rollback is on, but there is no earlier COMPLETED deployment to roll back to (for example the service's first deployment), so ECS has stalled the deployment: it starts no new tasks.`,
        };
      }
      const { now, failedSince } = observation;
      if (now && failedSince && now.getTime() - failedSince.getTime() < ROLLBACK_START_GRACE_MS) {
        return { done: false, waitingFor: `the rollback to ${target.id}` };
      }
      return {
        done: true,
        outcome: 'failed',
        reason: `${failedText}. Rollback is on, but ECS had not started rolling back to ${target.id} ${ROLLBACK_START_GRACE_MS / 1000} s after the failure.`,
      };
    }
    if (sd?.status === 'STOPPED') {
      return { done: true, outcome: 'failed', reason: `${failedText}. ECS stopped the service deployment.` };
    }
    return { done: false };
  }

  // Our deployment is no longer PRIMARY (it is ACTIVE and draining, or gone).
  if (!primary?.id) return { done: false };
  if (signal) return rolledBack(failedText, signal, deployments, sd, primary);
  if (isOlder(primary, d, ours)) {
    // Only a rollback makes an older deployment PRIMARY again, even when its event was not seen.
    return rolledBack(
      failedText,
      { targetId: primary.id, evidence: 'the earlier deployment is PRIMARY again' },
      deployments,
      sd,
      primary,
    );
  }
  const by = ref(deployments, primary.id);
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

function rolledBack(
  failedText: string,
  signal: RollbackSignal,
  deployments: Deployment[],
  sd: ServiceDeployment | undefined,
  primary: Deployment | undefined,
): Verdict {
  const targetId = signal.targetId ?? primary?.id;
  const to = targetId ? ref(deployments, targetId) : undefined;
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

export type RollbackProgress =
  { done: false } | { done: true; completed: boolean; reason: string; rolledBackTo?: DeploymentRef };

/**
 * After we asked ECS to roll our deployment back (on timeout): has the rollback ended? Ended means
 * a terminal ServiceDeployment status, or another deployment PRIMARY and COMPLETED with ours
 * drained.
 */
export function judgeRollback(observation: Observation, ours: OurDeployment): RollbackProgress {
  const deployments = observation.service.deployments ?? [];
  const d = deployments.find((x) => x.id === ours.deploymentId);
  const primary = primaryOf(observation.service);
  const sd = serviceDeploymentIsOurs(observation.serviceDeployment, ours.deploymentId)
    ? observation.serviceDeployment
    : undefined;
  const targetId =
    deploymentIdOfRevision(sd?.rollback?.serviceRevisionArn) ??
    (primary?.id !== ours.deploymentId ? primary?.id : undefined);
  const to = targetId ? ref(deployments, targetId) : undefined;
  const toText = to ? ` to ${describeRef(to)}` : '';
  const because = sd?.statusReason ? `: ${sd.statusReason}` : '';
  switch (sd?.status) {
    case 'ROLLBACK_SUCCESSFUL':
      return {
        done: true,
        completed: true,
        reason: `ECS rolled back${toText}; the rollback completed.`,
        rolledBackTo: to,
      };
    case 'ROLLBACK_FAILED':
      return {
        done: true,
        completed: false,
        reason: `ECS tried to roll back${toText} and the rollback failed${because}.`,
        rolledBackTo: to,
      };
    case 'STOPPED':
      return {
        done: true,
        completed: false,
        reason: `ECS stopped the deployment instead of rolling it back${because}.`,
      };
    case 'SUCCESSFUL':
      return {
        done: true,
        completed: false,
        reason: `ECS reports the deployment SUCCESSFUL after the rollback request${because}.`,
      };
  }
  if (
    primary &&
    primary.id !== ours.deploymentId &&
    primary.rolloutState === 'COMPLETED' &&
    !(d && (d.runningCount ?? 0) > 0)
  ) {
    const back = ref(deployments, primary.id!);
    return {
      done: true,
      completed: true,
      reason: `ECS rolled back to ${describeRef(back)}; the rollback completed.`,
      rolledBackTo: back,
    };
  }
  if (d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED') {
    return {
      done: true,
      completed: false,
      reason: `${ours.deploymentId} completed before the rollback took effect.`,
    };
  }
  return { done: false };
}
