// Following a CodeDeploy deployment to a verdict: GetDeployment and the ECS target (lifecycle
// events, task sets and their traffic weights) every few seconds, each change printed, until
// judgeCodeDeploy (verdict.ts) decides, the bound of wait.ts passes, or the workflow cancels. Not
// the SDK's waitUntilDeploymentSuccessful: it backs off to two minutes between looks and says
// nothing about why a deployment failed. A failure with a rollback deployment is followed on to
// the rollback's end (rollback.ts), so `rolled-back` is said only once traffic is back. On a
// timeout with `on-timeout: rollback`, StopDeployment with autoRollbackEnabled; a cancel ends the
// follow at once and CodeDeploy goes on, as for ECS.

import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { CodeDeployPort } from '../aws/ports.js';
import { toAwsCallError, transientCause, withSessionHint } from '../aws/errors.js';
import { anySignal, timeoutSignal, type Clock } from '../lib/clock.js';
import type { OnTimeout } from '../lib/request.js';
import { lifecycleEventsOf, taskSetsOf, CodeDeployPrinter } from './progress.js';
import type { CodeDeployResult, TimeoutStop } from './types.js';
import { judgeCodeDeploy, type CodeDeployVerdict } from './verdict.js';
import type { CodeDeployWait } from './wait.js';
import { followRollback, rollbackExpected, ROLLBACK_INFO_GRACE_MS } from './rollback.js';
import { stopOnTimeout } from './stop.js';

/** Seconds between looks: quick at first (a failed hook is seen within seconds), then steady. */
export const POLL_INTERVALS_MS = [2_000, 3_000, 5_000];

/** The longest pause between two looks, in seconds (the wait-max-delay-seconds note says it). */
export const MAX_POLL_SECONDS = Math.max(...POLL_INTERVALS_MS) / 1000;

/**
 * Looks during which GetDeployment's DeploymentDoesNotExistException means "not yet": a
 * deployment just created may not be readable at once (docs/ecs-behaviour.md, "Statuses and
 * lifecycle events"). Later it means the deployment is gone, and ends the step.
 */
export const NOT_YET_LOOKS = 3;

export interface CodeDeployFollowDeps {
  codedeploy: CodeDeployPort;
  clock: Clock;
  log: { info(line: string): void; warning(line: string): void };
}

export interface CodeDeployFollowTarget {
  deploymentId: string;
  /** `<cluster>:<service>`: CodeDeploy's id of the ECS target. */
  targetId: string;
  /** Lifecycle event → the Lambda function of its hook (from the AppSpec). */
  hooks: Record<string, string>;
}

export interface CodeDeployFollowOptions {
  wait: CodeDeployWait;
  waitForMinutes: number;
  onTimeout: OnTimeout;
  /** The workflow cancel. */
  signal: AbortSignal;
}

/** One look: the deployment and its target; undefined when the look failed in a way that may clear. */
export interface Look {
  info: DeploymentInfo;
  target?: ECSTarget;
}

export class CodeDeployFollow {
  readonly progress: { at: Date; message: string }[] = [];
  readonly printer: CodeDeployPrinter;
  last?: Look;
  private polls = 0;
  private readonly startedAt: number;
  /** When a Failed/Stopped look without rollbackInfo is taken as final (see run()). */
  private failedWithoutRollbackUntil?: number;

  constructor(
    readonly deps: CodeDeployFollowDeps,
    readonly target: CodeDeployFollowTarget,
    readonly options: CodeDeployFollowOptions,
  ) {
    this.printer = new CodeDeployPrinter(target.hooks, options.wait);
    this.startedAt = deps.clock.now();
  }

  async run(): Promise<CodeDeployResult> {
    const { clock, log } = this.deps;
    const { wait, waitForMinutes, signal } = this.options;
    const parts = `wait-for-minutes ${waitForMinutes} + the deployment group's ready wait ${wait.readyMinutes} + termination wait ${wait.terminationMinutes}${wait.capped ? ', capped at six hours' : ''}`;
    log.info(
      `Following CodeDeploy deployment ${this.target.deploymentId}; waiting up to ${wait.minutes} minute(s) (${parts}).`,
    );
    const deadline = this.startedAt + wait.minutes * 60_000;
    // One signal for every call of the follow: it aborts at the deadline or on a cancel.
    const calls = this.phaseSignal(deadline);
    for (;;) {
      if (signal.aborted) return this.cancelled();
      const look = await this.look(calls);
      if (look) {
        const verdict = judgeCodeDeploy(look.info, look.target, this.target.hooks);
        if (verdict.done && verdict.rollbackDeploymentId) {
          // Provisional: the service is back only once the rollback deployment succeeded.
          return followRollback(this, { verdict, deadline, calls });
        }
        if (verdict.done && !this.awaitsRollbackInfo(look.info)) return this.decided(verdict);
        // CodeDeploy's Failed is an answer even when the deadline ends the wait for rollbackInfo.
        if (verdict.done && clock.now() >= deadline) return this.decided(verdict);
      }
      if (signal.aborted) return this.cancelled();
      const now = clock.now();
      if (now >= deadline) return this.timedOut();
      const interval = POLL_INTERVALS_MS[Math.min(this.polls, POLL_INTERVALS_MS.length - 1)];
      await clock.sleep(Math.min(interval, deadline - now), signal);
    }
  }

  /**
   * Whether a Failed or Stopped look without rollbackInfo should be looked at again: CodeDeploy
   * may set rollbackInfo a moment after the status when auto-rollback is on, so for a short
   * while (ROLLBACK_INFO_GRACE_MS) such a look is not yet `failed`.
   */
  private awaitsRollbackInfo(info: DeploymentInfo): boolean {
    if (info.status === 'Succeeded' || !rollbackExpected(info)) return false;
    const now = this.deps.clock.now();
    this.failedWithoutRollbackUntil ??= now + ROLLBACK_INFO_GRACE_MS;
    return now < this.failedWithoutRollbackUntil;
  }

  /** GetDeployment and the ECS target, each change printed; transient failures are warned about. */
  async look(call: AbortSignal): Promise<Look | undefined> {
    const { codedeploy } = this.deps;
    this.polls++;
    const { deploymentId, targetId } = this.target;
    try {
      const info = await codedeploy.getDeployment(deploymentId, { signal: call });
      const target = await codedeploy.getEcsTarget({ deploymentId, targetId }, { signal: call });
      const look = { info, target: target ?? this.last?.target };
      this.last = look;
      for (const line of this.printer.observe(look.info, look.target)) this.print(line);
      return look;
    } catch (err) {
      if (call.aborted) return undefined;
      const e = toAwsCallError(err, 'codedeploy:GetDeployment');
      if (e.awsName === 'DeploymentDoesNotExistException' && this.polls <= NOT_YET_LOOKS) return undefined;
      if (e.kind === 'retryable' && transientCause(e)) {
        this.deps.log.warning(`${e.message} Polling again; this does not change the verdict.`);
        return undefined;
      }
      // Expired credentials get the hint about the wait outliving a one-hour role session.
      throw withSessionHint(e, this.options.wait.minutes);
    }
  }

  /** A signal that aborts at `deadline` (on the clock) or when the workflow cancels. */
  phaseSignal(deadline: number): AbortSignal {
    const { clock } = this.deps;
    const ms = Math.max(0, deadline - clock.now());
    return anySignal([this.options.signal, clock.timeout ? clock.timeout(ms) : timeoutSignal(ms)]);
  }

  print(message: string): void {
    this.progress.push({ at: new Date(this.deps.clock.now()), message });
    this.deps.log.info(message);
  }

  private decided(v: Extract<CodeDeployVerdict, { done: true }>): CodeDeployResult {
    return this.result(v.outcome, v.reason, { cause: v.cause, rollbackDeploymentId: v.rollbackDeploymentId });
  }

  cancelled(): CodeDeployResult {
    const status = this.last?.info.status;
    return this.result(
      'cancelled',
      `Cancelled while following CodeDeploy deployment ${this.target.deploymentId}${status ? ` (${status})` : ''}; CodeDeploy goes on with the deployment.`,
    );
  }

  private async timedOut(): Promise<CodeDeployResult> {
    const { wait, onTimeout } = this.options;
    const status = this.last?.info.status;
    const lead = `No verdict from CodeDeploy within ${wait.minutes} minute(s)${status ? ` (deployment ${this.target.deploymentId} is ${status})` : ''}.`;
    if (onTimeout !== 'rollback') {
      return this.result('timed-out', `${lead} CodeDeploy goes on with the deployment.`);
    }
    const stop = await stopOnTimeout(this);
    if (stop.cancelled) return this.cancelled();
    return this.result('timed-out', `${lead} ${stop.text}`, {
      stop: stop.stop,
      rollbackDeploymentId: stop.stop.rollbackDeploymentId,
    });
  }

  result(
    outcome: CodeDeployResult['outcome'],
    reason: string,
    extra: Partial<Pick<CodeDeployResult, 'cause' | 'rollbackDeploymentId' | 'rollback' | 'stop'>> = {},
  ): CodeDeployResult {
    const { wait, waitForMinutes } = this.options;
    return {
      outcome,
      reason,
      deploymentId: this.target.deploymentId,
      status: this.last?.info.status,
      ...extra,
      lifecycleEvents: lifecycleEventsOf(this.last?.target, this.target.hooks),
      taskSets: taskSetsOf(this.last?.target),
      progress: this.progress,
      wait: {
        minutes: wait.minutes,
        readyMinutes: wait.readyMinutes,
        terminationMinutes: wait.terminationMinutes,
        waitForMinutes,
      },
      startedAt: new Date(this.startedAt),
      finishedAt: new Date(this.deps.clock.now()),
    };
  }
}

export type { TimeoutStop };

/** Follows the deployment to a verdict (see the file comment). */
export function followCodeDeploy(
  deps: CodeDeployFollowDeps,
  target: CodeDeployFollowTarget,
  options: CodeDeployFollowOptions,
): Promise<CodeDeployResult> {
  return new CodeDeployFollow(deps, target, options).run();
}
