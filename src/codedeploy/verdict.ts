// Judging one look at a CodeDeploy deployment (GetDeployment and its ECS target): done with an
// outcome, or still going. Pure. `succeeded` only at CodeDeploy's Succeeded (after the
// termination wait, when the original task set is gone); Failed or Stopped is `rolled-back` when
// CodeDeploy started a rollback deployment, else `failed`, with the cause named: the lifecycle
// event that failed and its hook's Lambda function, or the alarm (docs/ecs-behaviour.md,
// "Failure, alarms and rollback").

import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { CodeDeployCause, CodeDeployOutcome } from './types.js';

export type CodeDeployVerdict =
  | { done: false }
  | {
      done: true;
      outcome: Extract<CodeDeployOutcome, 'succeeded' | 'rolled-back' | 'failed'>;
      reason: string;
      cause?: CodeDeployCause;
      rollbackDeploymentId?: string;
    };

export function judgeCodeDeploy(
  info: DeploymentInfo,
  target: ECSTarget | undefined,
  hooks: Record<string, string>,
): CodeDeployVerdict {
  const id = info.deploymentId ?? 'the deployment';
  if (info.status === 'Succeeded') {
    return {
      done: true,
      outcome: 'succeeded',
      reason: `CodeDeploy deployment ${id} succeeded: production traffic is on the replacement task set and the original task set was removed.`,
    };
  }
  if (info.status !== 'Failed' && info.status !== 'Stopped') return { done: false };
  const cause = failureCause(info, target, hooks);
  const rollbackDeploymentId = info.rollbackInfo?.rollbackDeploymentId;
  const how = info.status === 'Stopped' ? 'was stopped' : 'failed';
  if (rollbackDeploymentId) {
    return {
      done: true,
      outcome: 'rolled-back',
      reason: `CodeDeploy deployment ${id} ${how} and CodeDeploy rolled the service back (rollback deployment ${rollbackDeploymentId}): ${cause.text}.`,
      cause,
      rollbackDeploymentId,
    };
  }
  return {
    done: true,
    outcome: 'failed',
    reason: `CodeDeploy deployment ${id} ${how}: ${cause.text}.`,
    cause,
  };
}

/** Why the deployment failed, as specifically as CodeDeploy says. */
export function failureCause(
  info: DeploymentInfo,
  target: ECSTarget | undefined,
  hooks: Record<string, string>,
): CodeDeployCause {
  const code = info.errorInformation?.code;
  const message = trimDot(info.errorInformation?.message);
  const failed = target?.lifecycleEvents?.find((e) => e.status === 'Failed');
  if (code === 'ALARM_ACTIVE') {
    const alarm = alarmNameIn(message) ?? message;
    return { text: `alarm ${alarm ?? '(not named)'} went into ALARM`, alarm, errorCode: code };
  }
  if (failed?.lifecycleEventName) {
    const name = failed.lifecycleEventName;
    const hook = hooks[name];
    const detail = trimDot(failed.diagnostics?.message) ?? message;
    const what = hook
      ? `the ${name} hook (Lambda function ${hook}) failed`
      : `lifecycle event ${name} failed`;
    return {
      text: detail ? `${what}: ${detail}` : what,
      failedEvent: { name, hook, message: detail },
      errorCode: code,
    };
  }
  if (code === 'MANUAL_STOP') {
    return { text: `it was stopped with StopDeployment${message ? ` (${message})` : ''}`, errorCode: code };
  }
  if (code || message) return { text: [code, message].filter(Boolean).join(': '), errorCode: code };
  return { text: 'CodeDeploy gave no reason' };
}

/** CodeDeploy lists the alarms that stopped a deployment after "Activated alarms:". */
function alarmNameIn(message: string | undefined): string | undefined {
  const m = /activated alarms?:\s*(.+)$/i.exec(message ?? '');
  return m ? m[1].trim().replace(/[.]$/, '') : undefined;
}

function trimDot(text: string | undefined): string | undefined {
  const t = text?.trim().replace(/\.$/, '');
  return t ? t : undefined;
}
