// Stage "register": the first write. A dry run stops before it; an identical ACTIVE revision
// found by the plan is used as is.
import type { DeployRequest } from '../lib/request.js';
import type { Base } from '../taskdef/base.js';
import type { Plan, Registration, Rendered, StepContext } from './context.js';

export async function registerStage(
  ctx: StepContext,
  done: { request: DeployRequest; base: Base; rendered: Rendered; plan: Plan },
): Promise<Registration> {
  if (done.request.dryRun) return { kind: 'skipped', why: 'dry-run' };
  const reuse = done.plan.reuseArn;
  if (reuse) {
    ctx.runner.info(`${reuse} already has this definition: using it, nothing registered.`);
    return { kind: 'done', taskDefinitionArn: reuse, registered: false };
  }
  stopIfCancelled(ctx.signal, 'registering the task definition');
  const { arn } = await ctx.aws.ecs.registerTaskDefinition(done.rendered.taskDefinition, done.base.tags);
  ctx.runner.info(`Registered ${arn}.`);
  return { kind: 'done', taskDefinitionArn: arn, registered: true };
}

/** A cancel before a write stops the step there; once following, the follower handles it. */
export function stopIfCancelled(signal: AbortSignal, beforeWhat: string): void {
  if (signal.aborted) throw new Error(`The step was cancelled before ${beforeWhat}; that was not done.`);
}
