// `on-timeout: rollback` for a CodeDeploy deployment: StopDeployment with autoRollbackEnabled, so
// CodeDeploy sends production traffic back to the original task set, then a short follow to see
// the stop take effect (Stopped, with the rollback deployment named). A deployment that finished
// at the very deadline cannot be stopped (DeploymentAlreadyCompletedException): that is said.

import { AwsCallError } from '../aws/errors.js';
import type { CodeDeployFollow } from './follow.js';
import type { TimeoutStop } from './types.js';

/** How long the stop is followed before the step ends; the rollback goes on in CodeDeploy after. */
export const STOP_FOLLOW_MINUTES = 5;

const STOP_POLL_MS = 3_000;

export interface StopOutcome {
  text: string;
  stop: TimeoutStop;
  cancelled?: boolean;
}

export async function stopOnTimeout(f: CodeDeployFollow): Promise<StopOutcome> {
  const { codedeploy, clock } = f.deps;
  const { deploymentId } = f.target;
  const signal = f.options.signal;
  if (signal.aborted) return { text: '', stop: {}, cancelled: true };
  let answer: { status?: string; statusMessage?: string };
  try {
    answer = await codedeploy.stopDeployment({ deploymentId, autoRollbackEnabled: true }, { signal });
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'DeploymentAlreadyCompletedException') {
      return {
        text: `It completed as it was being stopped (${f.last?.info.status ?? 'status unknown'}); nothing was rolled back.`,
        stop: { finalStatus: f.last?.info.status },
      };
    }
    throw err;
  }
  f.print(
    `Stopping CodeDeploy deployment ${deploymentId} with rollback: ${answer.status ?? 'asked'}${answer.statusMessage ? ` (${answer.statusMessage})` : ''}.`,
  );
  const deadline = clock.now() + STOP_FOLLOW_MINUTES * 60_000;
  const calls = f.phaseSignal(deadline);
  for (;;) {
    const look = await f.look(calls);
    const status = look?.info.status;
    const rollbackDeploymentId = look?.info.rollbackInfo?.rollbackDeploymentId;
    const stop: TimeoutStop = { ...answer, finalStatus: status ?? f.last?.info.status, rollbackDeploymentId };
    if (status === 'Stopped' || status === 'Failed' || status === 'Succeeded') {
      const rolled = rollbackDeploymentId
        ? ` CodeDeploy is rolling the service back (rollback deployment ${rollbackDeploymentId}).`
        : '';
      return {
        text: `Stopped CodeDeploy deployment ${deploymentId} with rollback: it is ${status}.${rolled}`,
        stop,
      };
    }
    if (signal.aborted) return { text: '', stop, cancelled: true };
    if (clock.now() >= deadline) {
      return {
        text: `Asked CodeDeploy to stop deployment ${deploymentId} with rollback; it was still ${status ?? f.last?.info.status ?? 'not stopped'} ${STOP_FOLLOW_MINUTES} minute(s) later.`,
        stop,
      };
    }
    await clock.sleep(STOP_POLL_MS, signal);
  }
}
