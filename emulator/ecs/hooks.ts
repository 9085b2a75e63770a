// Lifecycle hooks of a traffic-shifting deployment: the runs started at a stage, what an AWS_LAMBDA
// hook answers (chosen by the function's name, as image tags choose what a task does), PAUSE hooks
// waiting for ContinueServiceDeployment, and timeouts (docs/ecs-behaviour.md, "Lifecycle hooks").
import type {
  DeploymentConfiguration,
  DeploymentLifecycleHookDetail,
  DeploymentLifecycleHookStatus,
} from '@aws-sdk/client-ecs';

import { compact } from './input.js';
import { DEFAULTS } from './strategy-config.js';
import * as T from './timings.js';

export interface HookRun {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  /** The Lambda function ARN; unset for PAUSE. */
  targetArn?: string;
  /** The hook stage it runs for (PRE_PRODUCTION_TRAFFIC_SHIFT included). */
  stage: string;
  /** The phase of the plan that started it. */
  phase: number;
  status: DeploymentLifecycleHookStatus;
  startedAt: number;
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  /** A Lambda hook's answer and when it arrives. */
  answer?: { at: number; status: 'SUCCEEDED' | 'FAILED' };
  finishedAt?: number;
  reason?: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `ecs-pause-` and 43 base64url characters, as in AWS's examples; Lambda hooks get `ecs-lambda-`. */
function hookId(prefix: string, random: () => number): string {
  let out = prefix;
  for (let i = 0; i < 43; i++) out += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  return out;
}

/** The function name of a Lambda ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`). */
export function functionName(arn: string): string {
  return arn.split(':')[6] ?? arn;
}

/**
 * What a Lambda hook answers, by the function's name: `fail` answers FAILED, `slow` stays
 * IN_PROGRESS for five minutes first; any other succeeds after one invocation.
 */
export function lambdaAnswer(arn: string, startedAt: number): { at: number; status: 'SUCCEEDED' | 'FAILED' } {
  const name = functionName(arn).toLowerCase();
  const delay = name.includes('slow') ? T.SLOW_HOOK_MS : T.LAMBDA_HOOK_MS;
  return { at: startedAt + delay, status: name.includes('fail') ? 'FAILED' : 'SUCCEEDED' };
}

/** Start the hooks configured for `stage`, in the order they are configured. */
export function startHooks(
  cfg: DeploymentConfiguration,
  at: { stage: string; phase: number; now: number },
  random: () => number,
): HookRun[] {
  const runs: HookRun[] = [];
  for (const hook of cfg.lifecycleHooks ?? []) {
    if (!(hook.lifecycleStages ?? []).includes(at.stage as never)) continue;
    const pause = hook.targetType === 'PAUSE';
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULTS.hookTimeoutInMinutes;
    const run: HookRun = {
      hookId: hookId(pause ? 'ecs-pause-' : 'ecs-lambda-', random),
      targetType: pause ? 'PAUSE' : 'AWS_LAMBDA',
      stage: at.stage,
      phase: at.phase,
      status: pause ? 'AWAITING_ACTION' : 'IN_PROGRESS',
      startedAt: at.now,
      expiresAt: at.now + minutes * 60_000,
      timeoutAction: hook.timeoutConfiguration?.action ?? DEFAULTS.hookTimeoutAction,
    };
    if (!pause && hook.hookTargetArn) {
      run.targetArn = hook.hookTargetArn;
      run.answer = lambdaAnswer(hook.hookTargetArn, at.now);
    }
    runs.push(run);
  }
  return runs;
}

export const isOpen = (r: HookRun): boolean => r.status === 'IN_PROGRESS' || r.status === 'AWAITING_ACTION';

/** Apply the answers and timeouts due by `now`. */
export function settleHooks(runs: readonly HookRun[], now: number): void {
  for (const r of runs) {
    if (!isOpen(r)) continue;
    if (r.answer && r.answer.at <= now && r.answer.at <= r.expiresAt) {
      r.status = r.answer.status;
      r.finishedAt = r.answer.at;
      if (r.status === 'FAILED')
        r.reason = `Lambda function ${functionName(r.targetArn ?? '')} returned hookStatus FAILED.`;
    } else if (r.expiresAt <= now) {
      r.status = 'TIMED_OUT';
      r.finishedAt = r.expiresAt;
      r.reason = `The hook did not complete within its timeout; timeout action ${r.timeoutAction}.`;
    }
  }
}

/** A rollback began: hooks still running or waiting end FAILED (a PAUSE can no longer be continued). */
export function closeOpenHooks(runs: readonly HookRun[], now: number): void {
  for (const r of runs) {
    if (!isOpen(r)) continue;
    r.status = 'FAILED';
    r.finishedAt = now;
    r.reason = 'The service deployment was rolled back.';
  }
}

/** The first hook of these that stops the deployment (FAILED, or TIMED_OUT with ROLLBACK). */
export function blockingFailure(runs: readonly HookRun[]): HookRun | undefined {
  return runs.find(
    (r) => r.status === 'FAILED' || (r.status === 'TIMED_OUT' && r.timeoutAction === 'ROLLBACK'),
  );
}

/** All of these let the deployment go on. */
export const allPassed = (runs: readonly HookRun[]): boolean =>
  runs.every((r) => r.status === 'SUCCEEDED' || (r.status === 'TIMED_OUT' && r.timeoutAction === 'CONTINUE'));

/** The next time a run changes on its own (an answer, a timeout). */
export function nextHookChange(runs: readonly HookRun[]): number | undefined {
  const times = runs.filter(isOpen).map((r) => Math.min(r.answer?.at ?? Infinity, r.expiresAt));
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The output shape: only DeploymentLifecycleHookDetail's fields (the SDK drops any other). Why a
 * hook failed is told by the service deployment's statusReason and rollback.reason.
 */
export function hookDetailOutput(r: HookRun): DeploymentLifecycleHookDetail {
  return compact({
    hookId: r.hookId,
    targetType: r.targetType,
    targetArn: r.targetArn,
    status: r.status,
    expiresAt: new Date(r.expiresAt),
    timeoutAction: r.timeoutAction,
  });
}
