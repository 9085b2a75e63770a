// ContinueServiceDeployment: a PAUSE hook of a BLUE_GREEN, LINEAR or CANARY deployment goes on or
// rolls back (docs/ecs-behaviour.md, "Pause hooks and ContinueServiceDeployment").
import { AwsError } from '../core.js';
import { serviceKey, type Ctx } from './context.js';
import { setServiceDeploymentStatus } from './deployments.js';
import { asInput, clientError, invalidParameter, optString, reqString } from './input.js';
import { requestReconcile } from './rollout.js';
import { shiftReason } from './traffic-shift.js';

const notFound = (): AwsError =>
  new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.', 400);

/** ContinueServiceDeployment: CONTINUE goes on past a PAUSE hook; ROLLBACK rolls the deployment back. */
export function continueServiceDeployment(ctx: Ctx, raw: unknown): { serviceDeploymentArn: string } {
  const input = asInput(raw);
  const arn = reqString(input, 'serviceDeploymentArn');
  const hookId = reqString(input, 'hookId');
  const action = optString(input, 'action') ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
    throw invalidParameter(`action ${action} is not valid. Valid values are CONTINUE, ROLLBACK.`);
  }
  const sd = ctx.serviceDeployments.get(arn);
  if (!sd) throw notFound();
  const run = sd.shift?.hooks.find((r) => r.hookId === hookId);
  if (!run) throw invalidParameter(`The hook ID ${hookId} was not found for service deployment ${arn}.`);
  if (sd.status !== 'IN_PROGRESS') {
    throw clientError(`The service deployment is not IN_PROGRESS (its status is ${sd.status}).`);
  }
  if (run.status !== 'AWAITING_ACTION') {
    throw clientError(`The lifecycle hook ${hookId} is not awaiting action (its status is ${run.status}).`);
  }
  const now = ctx.now();
  run.finishedAt = now;
  if (action === 'CONTINUE') {
    run.status = 'SUCCEEDED';
  } else {
    run.status = 'FAILED';
    run.reason = 'Rolled back with ContinueServiceDeployment.';
    sd.shift!.pendingRollback = shiftReason.continueRollback(hookId);
    sd.userRollback = true;
    setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_REQUESTED', shiftReason.continueRollback(hookId));
  }
  sd.updatedAt = now;
  const svc = ctx.services.get(serviceKey(sd.cluster, sd.service));
  // The scheduler acts on it in its next pass (as for StopServiceDeployment).
  if (svc) requestReconcile(ctx, svc);
  return { serviceDeploymentArn: arn };
}
