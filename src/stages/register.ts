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
  const what = { operation: 'RegisterTaskDefinition', doing: 'registering the task definition' };
  const { arn } = await writeUnlessCancelled(ctx, what, () =>
    ctx.aws.ecs.registerTaskDefinition(done.rendered.taskDefinition, {
      tags: done.base.tags,
      signal: ctx.signal,
    }),
  );
  ctx.runner.info(`Registered ${arn}.`);
  return { kind: 'done', taskDefinitionArn: arn, registered: true };
}

/** A write that a cancel abandoned: AWS may or may not have carried it out. */
export class AbandonedWriteError extends Error {
  constructor(readonly operation: string) {
    super(
      `The step was cancelled while ${operation} was in flight; the request was abandoned, so it may or may not have taken effect.`,
    );
    this.name = 'AbandonedWriteError';
  }
}

/**
 * A write, unless the step was cancelled first (then it is not made). A cancel while it is in
 * flight abandons it at once, so the step ends within seconds whatever AWS does.
 */
export async function writeUnlessCancelled<T>(
  ctx: StepContext,
  what: { operation: string; doing: string },
  write: () => Promise<T>,
): Promise<T> {
  const { operation, doing } = what;
  if (ctx.signal.aborted) throw new Error(`The step was cancelled before ${doing}; that was not done.`);
  try {
    return await write();
  } catch (err) {
    if (ctx.signal.aborted) throw new AbandonedWriteError(operation);
    throw err;
  }
}
