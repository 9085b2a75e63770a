// After we asked ECS to roll our deployment back (on timeout): has the rollback ended? Pure; the
// on-timeout rollback (timeout-rollback.ts) calls it after every poll.

import {
  deploymentIdOfRevision,
  describeRef,
  primaryOf,
  refOf,
  serviceDeploymentIsOurs,
  type DeploymentRef,
  type Observation,
  type OurDeployment,
} from './deployment-facts.js';

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
  const to = targetId ? refOf(deployments, targetId) : undefined;
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
    const back = refOf(deployments, primary.id!);
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
