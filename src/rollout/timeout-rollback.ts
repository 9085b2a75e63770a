// `on-timeout: rollback`: no verdict in time, so ask ECS to roll our deployment back
// (StopServiceDeployment with stopType ROLLBACK) and follow the rollback for a while. Only our own
// deployment is ever rolled back: a ServiceDeployment ARN that may be another's (the service's
// current one, used as a fallback) is checked first.

import { toAwsCallError, withSessionHint } from '../aws/errors.js';
import { ABORTED, deadlineSignal, unlessAborted } from './clock.js';
import { serviceDeploymentIsOurs, type DeploymentRef } from './deployment-facts.js';
import { pollUntil } from './poll-loop.js';
import { judgeRollback } from './rollback-verdict.js';
import type { ServiceDeploymentTracker } from './service-deployment.js';
import type { FollowSession } from './session.js';

export const DEFAULT_ROLLBACK_WAIT_MINUTES = 10;
/** How long the calls that find and stop the ServiceDeployment may take together. */
const ROLLBACK_REQUEST_MS = 60_000;

export interface TimeoutRollback {
  text: string;
  to?: DeploymentRef;
  cancelled?: boolean;
}

const UNABLE =
  "Could not roll back: rolling back needs the deployment's ServiceDeployment (ecs:ListServiceDeployments, ecs:DescribeServiceDeployments, ecs:StopServiceDeployment)";

export async function rollBackOnTimeout(
  s: FollowSession,
  sd: ServiceDeploymentTracker,
): Promise<TimeoutRollback> {
  const { target, options } = s;
  s.log.info(
    `${target.serviceName}: no verdict after ${options.waitForMinutes} minute(s); asking ECS to roll back ${target.deploymentId}.`,
  );
  const signal = deadlineSignal(s.clock, s.clock.now() + ROLLBACK_REQUEST_MS, options.signal);
  const found = await findOurArn(s, sd, signal);
  if (found === ABORTED) return abandoned(s);
  if ('text' in found) return found;
  const { arn } = found;
  if (!arn) return { text: `${UNABLE}, and none was found for ${target.deploymentId}.` };
  try {
    const stopped = await unlessAborted(s.ecs.stopServiceDeployment(arn, 'ROLLBACK', { signal }), signal);
    if (stopped === ABORTED) return abandoned(s);
  } catch (err) {
    const e = toAwsCallError(err, 'StopServiceDeployment');
    if (e.kind.startsWith('credentials')) throw withSessionHint(e, options.waitForMinutes);
    s.log.warning(e.message);
    return { text: `The rollback request failed: ${e.message}` };
  }
  sd.adopt(arn);
  return followRollback(s, sd);
}

/** Our ServiceDeployment's ARN (undefined: none found), or why it could not be looked up. */
async function findOurArn(
  s: FollowSession,
  sd: ServiceDeploymentTracker,
  signal: AbortSignal,
): Promise<{ arn?: string } | { text: string } | typeof ABORTED> {
  if (s.options.serviceDeployments === false) return {};
  const { deploymentId } = s.target;
  try {
    let arn = sd.arn ?? (await unlessAborted(sd.find(signal), signal));
    if (arn === ABORTED) return ABORTED;
    // Only our own deployment may be rolled back: check a found ARN (it may be the fallback) first.
    if (arn && !sd.verified) {
      const record = await unlessAborted(sd.describe(arn, signal), signal);
      if (record === ABORTED) return ABORTED;
      if (!serviceDeploymentIsOurs(record, deploymentId)) arn = undefined;
      else sd.last = record;
    }
    return { arn };
  } catch (err) {
    const e = toAwsCallError(err, 'ListServiceDeployments');
    if (e.kind.startsWith('credentials')) throw withSessionHint(e, s.options.waitForMinutes);
    return { text: `${UNABLE}: ${e.message}` };
  }
}

async function followRollback(s: FollowSession, sd: ServiceDeploymentTracker): Promise<TimeoutRollback> {
  const minutes = s.options.rollbackWaitMinutes ?? DEFAULT_ROLLBACK_WAIT_MINUTES;
  const end = await pollUntil(s, sd, s.clock.now() + minutes * 60_000, (obs) => {
    const r = judgeRollback(obs, s.target);
    return r.done ? r : undefined;
  });
  if (end.kind === 'done') {
    const verb = end.value.completed ? 'Rolled back on timeout' : 'Asked ECS to roll back on timeout';
    return { text: `${verb}: ${end.value.reason}`, to: end.value.rolledBackTo };
  }
  if (end.kind === 'aborted')
    return { text: 'Asked ECS to roll back; cancelled while the rollback was running.', cancelled: true };
  return { text: `Asked ECS to roll back; the rollback had not finished ${minutes} minute(s) later.` };
}

/** Cancelled (or out of time) while asking for the rollback. */
function abandoned(s: FollowSession): TimeoutRollback {
  if (s.cancelled) return { text: 'Cancelled before the rollback was asked for.', cancelled: true };
  return { text: `${UNABLE}: ECS did not answer within ${ROLLBACK_REQUEST_MS / 1000} s.` };
}
