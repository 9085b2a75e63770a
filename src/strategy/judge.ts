// The verdict of a blue/green, linear or canary deployment, from its service deployment alone
// (docs/ecs-behaviour.md, "Blue/green, linear and canary deployments"): SUCCESSFUL only after the
// bake time, ROLLBACK_* after a failed hook, an alarm, a stop or a ROLLBACK action, with the cause
// kept on the record; a PAUSE hook awaiting action, or the stage `wait-until-stage` names, ends
// the step early as a success. Pure.

import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { LIFECYCLE_STAGES } from '../inputs/parse-strategy.js';
import { hookTarget, revisionName } from './timeline.js';

export type StagedDecision =
  | { kind: 'wait' }
  /** A PAUSE hook awaits action and the step continues it itself (continue-on-pause). */
  | { kind: 'continue'; hookId: string }
  | {
      kind: 'done';
      outcome: 'succeeded' | 'rolled-back' | 'failed' | 'paused' | 'stage-reached';
      reason: string;
      pausedHookId?: string;
      rollbackCompleted?: boolean;
    };

export interface JudgeOptions {
  waitUntilStage?: string;
  continueOnPause?: boolean;
  /** Hooks this step already continued: they may show AWAITING_ACTION for a moment longer. */
  acted: ReadonlySet<string>;
  /** The stage last seen before a rollback began (for the reason). */
  stageBefore?: string;
}

/** Index in ECS's stage order; unknown stages sort last, so they never count as "before". */
export function stageIndex(stage: string | undefined): number {
  const i = (LIFECYCLE_STAGES as readonly string[]).indexOf(stage ?? '');
  return i < 0 ? LIFECYCLE_STAGES.length : i;
}

const ROLLING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export function judgeStaged(sd: ServiceDeployment, options: JudgeOptions): StagedDecision {
  const green = revisionName(sd.targetServiceRevision?.arn);
  switch (sd.status) {
    case 'SUCCESSFUL': {
      const bake = sd.deploymentConfiguration?.bakeTimeInMinutes;
      const after = bake !== undefined ? ` after a bake time of ${bake} minute(s)` : '';
      return {
        kind: 'done',
        outcome: 'succeeded',
        reason: `ECS marked the service deployment SUCCESSFUL${after}: revision ${green} serves all production traffic.`,
      };
    }
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
      return rolledBack(sd, options, sd.status === 'ROLLBACK_SUCCESSFUL');
    case 'STOPPED':
      return {
        kind: 'done',
        outcome: 'failed',
        reason: `ECS stopped the service deployment at ${options.stageBefore ?? sd.lifecycleStage ?? 'an unknown stage'}${sd.statusReason ? `: ${sd.statusReason}` : ''}; it was not rolled back.`,
      };
  }
  if (ROLLING_BACK.has(sd.status ?? '') || sd.status === 'STOP_REQUESTED') return { kind: 'wait' };
  const paused = pausedHook(sd, options.acted);
  if (paused?.hookId) {
    if (options.continueOnPause) return { kind: 'continue', hookId: paused.hookId };
    return {
      kind: 'done',
      outcome: 'paused',
      pausedHookId: paused.hookId,
      reason: `The deployment of revision ${green} is paused at ${sd.lifecycleStage ?? 'a PAUSE hook'} (hook ${paused.hookId}): continue it with continue-deployment and continue-action CONTINUE or ROLLBACK${paused.expiresAt ? ` before ${paused.expiresAt.toISOString()}, when ECS applies ${paused.timeoutAction ?? 'ROLLBACK'}` : ''}.`,
    };
  }
  const target = options.waitUntilStage;
  if (target && sd.lifecycleStage && stageIndex(sd.lifecycleStage) >= stageIndex(target)) {
    return {
      kind: 'done',
      outcome: 'stage-reached',
      reason: `The deployment of revision ${green} reached ${sd.lifecycleStage} (wait-until-stage ${target}); ECS goes on with it.`,
    };
  }
  return { kind: 'wait' };
}

/** A PAUSE hook awaiting action that this step has not acted on yet. */
export function pausedHook(
  sd: ServiceDeployment,
  acted: ReadonlySet<string> = new Set(),
): DeploymentLifecycleHookDetail | undefined {
  return (sd.lifecycleHookDetails ?? []).find(
    (h) => h.status === 'AWAITING_ACTION' && h.hookId !== undefined && !acted.has(h.hookId),
  );
}

/** Why ECS rolled back: the failed hooks, the alarms, the rollback's own reason; never lost. */
export function rollbackCause(sd: ServiceDeployment): string {
  const reason = sd.rollback?.reason ?? sd.statusReason;
  const causes: string[] = reason ? [reason.replace(/\.$/, '')] : [];
  // The failed hooks and the alarms, unless ECS's own reason already names them.
  const named = (name: string) => !!reason?.includes(name);
  for (const hook of sd.lifecycleHookDetails ?? []) {
    if ((hook.status === 'FAILED' || hook.status === 'TIMED_OUT') && !named(hookTarget(hook))) {
      const why = (hook as { reason?: string }).reason;
      causes.push(`hook ${hookTarget(hook)} ${hook.status}${why ? ` (${why})` : ''}`);
    }
  }
  const alarms = (sd.alarms?.triggeredAlarmNames ?? []).filter((a) => !named(a));
  if (alarms.length) causes.push(`alarm ${alarms.join(', ')} in ALARM`);
  return causes.length ? causes.join('; ') : 'ECS gave no reason';
}

function rolledBack(sd: ServiceDeployment, options: JudgeOptions, completed: boolean): StagedDecision {
  const green = revisionName(sd.targetServiceRevision?.arn);
  const to = sd.rollback?.serviceRevisionArn ?? sd.sourceServiceRevisions?.[0]?.arn;
  // ECS keeps the stage the rollback began in; the stage seen last before it is the fallback.
  const stage = sd.lifecycleStage ?? options.stageBefore ?? 'an unknown stage';
  const back = to ? ` to revision ${revisionName(to)}` : '';
  const end = completed ? 'the rollback completed' : 'the rollback FAILED';
  return {
    kind: 'done',
    outcome: 'rolled-back',
    rollbackCompleted: completed,
    reason: `ECS rolled revision ${green} back${back} at ${stage}: ${rollbackCause(sd)}; ${end}.`,
  };
}
