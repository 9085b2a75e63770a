// on-service-failure: rollback — one service failed, so the others still rolling out are rolled
// back: StopServiceDeployment with stopType ROLLBACK on each one's own ServiceDeployment
// (docs/ecs-behaviour.md, "StopServiceDeployment ROLLBACK"). Its follower goes on polling and
// sees ECS roll back (the ServiceDeployment turns ROLLBACK_*), so its verdict is rolled-back. Only
// a deployment this step started is stopped, and only an ARN checked to be that deployment's.
// When the stop cannot be made (ECS has just finished the deployment: ConflictException), the
// caller is told why; it updates the service back once its follower sees it end on the new
// revision (stages/fleet-follow.ts).
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

/** What asking came to: ECS took the stop, or why not (already said in the log). */
export type RollbackAsked = { asked: true } | { asked: false; why: string };

/**
 * Asks ECS to roll `target` back; says what happened. A deployment ECS has already finished
 * (ConflictException: docs/ecs-behaviour.md, "StopServiceDeployment ROLLBACK") is said as info,
 * any other refusal as a warning.
 */
export async function rollBackService(
  deps: { ecs: EcsPort; log: FollowLog; signal?: AbortSignal },
  target: RollbackTarget,
  because: string,
): Promise<RollbackAsked> {
  const { ecs, log, signal } = deps;
  const { cluster, deploymentId } = target;
  const service = target.label ?? target.service;
  let operation = 'ListServiceDeployments';
  try {
    const arn = await ourArn(ecs, target, signal);
    if (!arn) {
      const why = 'no service deployment of it was found';
      log.warning(`${service}: could not roll back ${deploymentId}: ${why}.`);
      return { asked: false, why };
    }
    operation = 'StopServiceDeployment';
    log.info(`${service}: rolling back ${deploymentId} because ${because} (on-service-failure: rollback).`);
    await ecs.stopServiceDeployment(arn, 'ROLLBACK', { signal });
    return { asked: true };
  } catch (err) {
    const e = toAwsCallError(err, operation);
    const said = `${service}: could not roll back ${deploymentId} in cluster ${cluster}: ${e.message}`;
    const next = 'If it ends on the new revision, it is updated back to its previous one.';
    if (e.awsName === 'ConflictException') log.info(`${said} ${next}`);
    else log.warning(`${said} ${next}`);
    return { asked: false, why: `${operation}: ${e.message}` };
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
