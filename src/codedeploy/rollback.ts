// Following the rollback deployment CodeDeploy creates for a failed or stopped deployment
// (rollbackInfo.rollbackDeploymentId), so the verdict says what happened to the service: traffic
// is back on the original task set only once the rollback deployment Succeeded
// (docs/ecs-behaviour.md, "Failure, alarms and rollback"). `rolled-back` then, with the cause
// of the failure; `failed` when the rollback failed too; `timed-out` when the step's deadline
// comes first, saying the rollback is still in progress.

import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { toAwsCallError, transientCause, withSessionHint } from '../aws/errors.js';
import type { CodeDeployFollow } from './follow.js';
import type { CodeDeployResult, RollbackLine } from './types.js';
import type { CodeDeployVerdict } from './verdict.js';

/** How long a Failed or Stopped deployment without rollbackInfo is looked at again. */
export const ROLLBACK_INFO_GRACE_MS = 20_000;

/** Seconds between looks at the rollback deployment. */
export const ROLLBACK_POLL_MS = 3_000;

/**
 * Whether CodeDeploy will roll this ending back: the deployment's auto-rollback (its own, or the
 * group's it was created with) is on for the event that ended it.
 */
export function rollbackExpected(info: DeploymentInfo): boolean {
  const auto = info.autoRollbackConfiguration;
  if (auto?.enabled !== true) return false;
  if (info.status !== 'Failed' && info.status !== 'Stopped') return false;
  const event =
    info.status === 'Failed'
      ? 'DEPLOYMENT_FAILURE'
      : info.errorInformation?.code === 'ALARM_ACTIVE'
        ? 'DEPLOYMENT_STOP_ON_ALARM'
        : 'DEPLOYMENT_STOP_ON_REQUEST';
  return (auto.events ?? []).includes(event);
}

type Decided = Extract<CodeDeployVerdict, { done: true }>;

/** The verdict of the rollback deployment's look: undefined while it is under way. */
export function judgeRollback(
  failed: Decided & { rollbackDeploymentId: string },
  rollback: RollbackLine,
  failedId: string,
): { outcome: 'rolled-back' | 'failed'; reason: string } | undefined {
  const id = failed.rollbackDeploymentId;
  if (rollback.status === 'Succeeded') {
    return {
      outcome: 'rolled-back',
      reason: failed.reason.replace(`(rollback deployment ${id})`, `(rollback deployment ${id} succeeded)`),
    };
  }
  if (rollback.status !== 'Failed' && rollback.status !== 'Stopped') return undefined;
  const how = rollback.status === 'Stopped' ? 'was stopped' : 'failed';
  const why = rollback.error ? `: ${rollback.error.replace(/\.$/, '')}` : '';
  return {
    outcome: 'failed',
    reason: `CodeDeploy deployment ${failedId} did not succeed (${failed.cause?.text ?? 'CodeDeploy gave no reason'}), and the rollback failed too: rollback deployment ${id} ${how}${why}. Production traffic may still be on the replacement task set; see both deployments in the CodeDeploy console.`,
  };
}

export async function followRollback(
  f: CodeDeployFollow,
  args: { verdict: Decided; deadline: number; calls: AbortSignal },
): Promise<CodeDeployResult> {
  const { clock } = f.deps;
  const verdict = args.verdict as Decided & { rollbackDeploymentId: string };
  const id = verdict.rollbackDeploymentId;
  const failedId = f.target.deploymentId;
  const line: RollbackLine = { deploymentId: id };
  f.print(
    `CodeDeploy deployment ${failedId} did not succeed (${verdict.cause?.text ?? 'no reason given'}); following rollback deployment ${id} until production traffic is back on the original task set.`,
  );
  const extra = () => ({ cause: verdict.cause, rollbackDeploymentId: id, rollback: { ...line } });
  for (;;) {
    if (f.options.signal.aborted) return { ...f.cancelled(), ...extra() };
    const info = await lookAtRollback(f, id, args.calls);
    if (info) {
      if (info.status && info.status !== line.status) f.print(`  Rollback deployment ${id}: ${info.status}.`);
      line.status = info.status ?? line.status;
      const error = [info.errorInformation?.code, info.errorInformation?.message].filter(Boolean).join(': ');
      if (error) line.error = error;
      const decided = judgeRollback(verdict, line, failedId);
      if (decided) {
        await lookAgain(f, args.calls);
        return f.result(decided.outcome, decided.reason, extra());
      }
    }
    if (f.options.signal.aborted) return { ...f.cancelled(), ...extra() };
    const now = clock.now();
    if (now >= args.deadline) {
      return f.result(
        'timed-out',
        `CodeDeploy deployment ${failedId} did not succeed (${verdict.cause?.text ?? 'no reason given'}); CodeDeploy is rolling the service back, and rollback deployment ${id} was still ${line.status ?? 'not started'} when the wait of ${f.options.wait.minutes} minute(s) ended. CodeDeploy goes on with the rollback.`,
        extra(),
      );
    }
    await clock.sleep(Math.min(ROLLBACK_POLL_MS, args.deadline - now), f.options.signal);
  }
}

/**
 * One more look at the failed deployment, so the report's task sets show the traffic as the
 * rollback left it; a look that fails keeps the last one (the verdict is already known).
 */
async function lookAgain(f: CodeDeployFollow, call: AbortSignal): Promise<void> {
  try {
    await f.look(call);
  } catch {
    // The verdict does not depend on it.
  }
}

/** GetDeployment of the rollback; undefined while it cannot be read yet or the look may clear. */
async function lookAtRollback(
  f: CodeDeployFollow,
  id: string,
  call: AbortSignal,
): Promise<DeploymentInfo | undefined> {
  try {
    return await f.deps.codedeploy.getDeployment(id, { signal: call });
  } catch (err) {
    if (call.aborted) return undefined;
    const e = toAwsCallError(err, 'codedeploy:GetDeployment');
    // A rollback deployment just created may not be readable at once.
    if (e.awsName === 'DeploymentDoesNotExistException') return undefined;
    if (e.kind === 'retryable' && transientCause(e)) {
      f.deps.log.warning(`${e.message} Polling again; this does not change the verdict.`);
      return undefined;
    }
    throw withSessionHint(e, f.options.wait.minutes);
  }
}
