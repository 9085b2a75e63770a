// on-service-failure: rollback — one service failed, so the others still rolling out are rolled
// back: StopServiceDeployment with stopType ROLLBACK on each one's own ServiceDeployment
// (docs/ecs-behaviour.md, "StopServiceDeployment ROLLBACK"). Its follower goes on polling and
// sees ECS roll back (the ServiceDeployment turns ROLLBACK_*), so its verdict is rolled-back. Only
// a deployment this step started is stopped, and only an ARN checked to be that deployment's.
import { toAwsCallError } from '../aws/errors.js';
import type { EcsPort } from '../aws/ports.js';
import { findServiceDeploymentArn } from '../rollout/deploy.js';
import { serviceDeploymentIsOurs } from '../rollout/deployment-facts.js';
import type { FollowLog } from '../rollout/follow.js';

export interface RollbackTarget {
  cluster: string;
  service: string;
  /** What the log calls it: `cluster/name` when another service of the step has the same name. */
  label?: string;
  deploymentId: string;
  startedAt?: Date;
  /** The service's currentServiceDeployment as last seen (checked before it is used). */
  current?: string;
}

/** Asks ECS to roll `target` back; says what happened (a warning when it could not). */
export async function rollBackService(
  deps: { ecs: EcsPort; log: FollowLog; signal?: AbortSignal },
  target: RollbackTarget,
  because: string,
): Promise<boolean> {
  const { ecs, log, signal } = deps;
  const { cluster, deploymentId } = target;
  const service = target.label ?? target.service;
  let operation = 'ListServiceDeployments';
  try {
    const arn = await ourArn(ecs, target, signal);
    if (!arn) {
      log.warning(`${service}: could not roll back ${deploymentId}: no service deployment of it was found.`);
      return false;
    }
    operation = 'StopServiceDeployment';
    log.info(`${service}: rolling back ${deploymentId} because ${because} (on-service-failure: rollback).`);
    await ecs.stopServiceDeployment(arn, 'ROLLBACK', { signal });
    return true;
  } catch (err) {
    const e = toAwsCallError(err, operation);
    log.warning(`${service}: could not roll back ${deploymentId} in cluster ${cluster}: ${e.message}`);
    return false;
  }
}

/** The ServiceDeployment ARN of our deployment: the service's current one when it is ours, else listed. */
async function ourArn(
  ecs: EcsPort,
  target: RollbackTarget,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const isOurs = async (arn: string | undefined): Promise<boolean> => {
    if (!arn) return false;
    const out = await ecs.describeServiceDeployments([arn], { signal });
    return serviceDeploymentIsOurs(out.serviceDeployments[0], target.deploymentId);
  };
  if (await isOurs(target.current)) return target.current;
  const listed = await findServiceDeploymentArn(
    ecs,
    {
      cluster: target.cluster,
      service: target.service,
      deploymentId: target.deploymentId,
      startedAt: target.startedAt,
    },
    { signal },
  );
  return (await isOurs(listed)) ? listed : undefined;
}
