// on-service-failure rollback for a service that had already finished on the new revision when
// another service failed. StopServiceDeployment no longer applies (its deployment is over, and
// ECS rolls back only a deployment in progress: docs/ecs-behaviour.md, "StopServiceDeployment
// ROLLBACK"), so it is updated back to the revision it ran before the step, through the same
// update and follow stages, and that deployment is followed to its end, bounded by the step's
// wait-for-minutes like every follower. Its verdict is `rolled-back`. The same goes for one whose
// StopServiceDeployment came too late (ECS had just finished it: its follower had not seen it yet).
import { shortTaskDefinition } from '../lib/arn.js';
import type { Followed, Registration, StepContext } from './context.js';
import type { FollowUnit } from './fleet-follow.js';
import { followStage } from './follow.js';
import { updateStage } from './update.js';

/**
 * UpdateService back to the unit's previous revision, followed; the verdict that replaces its
 * `succeeded` one, or undefined when there is nothing to go back to. A refusal is a warning and
 * leaves the service on the new revision, its row saying so.
 */
export async function revertFinishedService(
  ctx: StepContext,
  done: {
    unit: FollowUnit;
    finished: Followed;
    because: string;
    /** Why StopServiceDeployment did not roll it back, when it was asked while it was followed. */
    stopRefused?: string;
  },
): Promise<Followed | undefined> {
  const { unit, finished, because, stopRefused } = done;
  const { request } = unit;
  const name = request.service ?? '';
  const previous = unit.service?.currentTaskDefinitionArn;
  const deployed = unit.registration.kind === 'done' ? unit.registration.taskDefinitionArn : undefined;
  if (finished.kind !== 'done' || !previous || !deployed || previous === deployed) return undefined;
  const [from, to] = [shortTaskDefinition(deployed), shortTaskDefinition(previous)];
  ctx.runner.info(
    `${name}: had finished on ${from}; updating it back to ${to} because ${because} (on-service-failure: rollback).`,
  );
  const registration: Registration = { kind: 'done', taskDefinitionArn: previous, registered: false };
  try {
    const now = await ctx.aws.ecs.describeService(request.cluster, name, { signal: ctx.signal });
    const service = { service: now, currentTaskDefinitionArn: now.taskDefinition };
    const update = await updateStage(ctx, { request, service, registration });
    const back = await followStage(ctx, { request, registration, update, service });
    const id = update.kind === 'started' ? update.deploymentId : undefined;
    const verdict = back.kind === 'done' ? back.result.outcome : 'not followed';
    return {
      kind: 'done',
      result: {
        ...finished.result,
        outcome: 'rolled-back',
        reason: `It had finished on ${from}${stopRefused ? ` before it could be stopped (${stopRefused})` : ''}; UpdateService back to ${to}${id ? ` (deployment ${id})` : ''}: ${verdict}.`,
        rolledBackTo: { deploymentId: id ?? '', taskDefinitionArn: previous },
        rollbackCompleted: verdict === 'succeeded',
        finishedAt: new Date(ctx.clock.now()),
      },
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.runner.warning(`${name}: could not update it back to ${to}: ${message}`);
    return {
      ...finished,
      result: {
        ...finished.result,
        reason: `${finished.result.reason} It finished before ${because}; updating it back to ${to} failed (${message}), so it was left on ${from}.`,
      },
    };
  }
}
