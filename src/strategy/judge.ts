// The verdict of a blue/green, linear or canary deployment, from its service deployment alone
// (docs/ecs-behaviour.md, "Blue/green, linear and canary deployments"): SUCCESSFUL only after the
// bake time, ROLLBACK_* after a failed hook, an alarm, a stop or a ROLLBACK action, with the cause
// kept on the record (`rolled-back`, or `failed` when the rollback failed); STOPPED is `superseded` when a newer deployment replaced ours (as the
// rolling follower decides, src/rollout/verdict.ts), else `failed`; a PAUSE hook awaiting action,
// or the stage `wait-until-stage` names, ends the step early as a success. Pure.

import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import { configuredStage, hookTarget, revisionName, stageIndex } from './timeline.js';

export { stageIndex };

export type StagedDecision =
  | { kind: 'wait' }
  /** A PAUSE hook awaits action and the step continues it itself (continue-on-pause). */
  | { kind: 'continue'; hookId: string }
  | {
      kind: 'done';
      outcome: 'succeeded' | 'rolled-back' | 'failed' | 'superseded' | 'paused' | 'stage-reached';
      reason: string;
      supersededBy?: { deploymentId: string };
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
  /** The newer deployment that replaced ours (found by the follower when ours is STOPPED). */
  supersededBy?: { deploymentId: string };
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
      return stopped(sd, options);
  }
  if (ROLLING_BACK.has(sd.status ?? '') || sd.status === 'STOP_REQUESTED') return { kind: 'wait' };
  const paused = pausedHook(sd, options.acted);
  if (paused?.hookId) {
    if (options.continueOnPause) return { kind: 'continue', hookId: paused.hookId };
    return {
      kind: 'done',
      outcome: 'paused',
      pausedHookId: paused.hookId,
      reason: `The deployment of revision ${green} is paused at ${configuredStage(sd, paused, sd.lifecycleStage) ?? 'a PAUSE hook'} (hook ${paused.hookId}): continue it with continue-deployment and continue-action CONTINUE or ROLLBACK${paused.expiresAt ? ` before ${paused.expiresAt.toISOString()}, when ECS applies ${paused.timeoutAction ?? 'ROLLBACK'}` : ''}.`,
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

/** Without a trailing full stop, to go on with `; …`. */
const clause = (text: string): string => text.replace(/\.+$/, '');

/** STOPPED: replaced by a newer deployment (superseded), or stopped without a rollback (failed). */
function stopped(sd: ServiceDeployment, options: JudgeOptions): StagedDecision {
  // ECS keeps the stage the deployment stopped in; the stage seen last before it is the fallback.
  const stage = sd.lifecycleStage ?? options.stageBefore ?? 'an unknown stage';
  const why = sd.statusReason ? `: ${clause(sd.statusReason)}` : '';
  const by = options.supersededBy;
  if (by) {
    return {
      kind: 'done',
      outcome: 'superseded',
      supersededBy: by,
      reason: `Another deployment, ${by.deploymentId}, replaced revision ${revisionName(sd.targetServiceRevision?.arn)} at ${stage} before it finished (someone or something else updated the service)${why}.`,
    };
  }
  return {
    kind: 'done',
    outcome: 'failed',
    reason: `ECS stopped the service deployment at ${stage}${why}; it was not rolled back.`,
  };
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
      // A hook detail carries no reason of its own (the SDK's DeploymentLifecycleHookDetail):
      // ECS's words are in rollback.reason / statusReason above.
      causes.push(`hook ${hookTarget(hook)} ${hook.status}`);
    }
  }
  const alarms = (sd.alarms?.triggeredAlarmNames ?? []).filter((a) => !named(a));
  if (alarms.length) causes.push(`alarm ${alarms.join(', ')} in ALARM`);
  return causes.length ? causes.join('; ') : 'ECS gave no reason';
}

/**
 * ROLLBACK_SUCCESSFUL is `rolled-back`; ROLLBACK_FAILED is `failed`, as the rolling follower
 * and the README's outcome table have it (ECS tried to roll back and could not: blue may not be
 * serving either).
 */
function rolledBack(sd: ServiceDeployment, options: JudgeOptions, completed: boolean): StagedDecision {
  if (!completed) {
    const what = rollbackText(sd, options.stageBefore, 'tried to roll');
    return {
      kind: 'done',
      outcome: 'failed',
      rollbackCompleted: false,
      reason: `${what}; the rollback failed.`,
    };
  }
  const what = rollbackText(sd, options.stageBefore);
  return {
    kind: 'done',
    outcome: 'rolled-back',
    rollbackCompleted: true,
    reason: `${what}; the rollback completed.`,
  };
}

/**
 * `ECS rolled revision 7 back to revision 6 at POST_SCALE_UP: <cause>` (or `tried to roll`, `is
 * rolling`), without a full stop.
 */
export function rollbackText(sd: ServiceDeployment, stageBefore?: string, verb = 'rolled'): string {
  const green = revisionName(sd.targetServiceRevision?.arn);
  const to = sd.rollback?.serviceRevisionArn ?? sd.sourceServiceRevisions?.[0]?.arn;
  // ECS keeps the stage the rollback began in; the stage seen last before it is the fallback.
  const stage = sd.lifecycleStage ?? stageBefore ?? 'an unknown stage';
  const back = to ? ` to revision ${revisionName(to)}` : '';
  return `ECS ${verb} revision ${green} back${back} at ${stage}: ${rollbackCause(sd)}`;
}
