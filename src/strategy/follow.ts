// Following a blue/green, linear or canary deployment stage by stage. The service deployment
// (DescribeServiceDeployments) is the one source here: it carries the lifecycle stage, the traffic
// weights, the hooks, the alarms and the verdict, so it is looked at on every poll, on the rolling
// follower's schedule and request budget (src/rollout/budget.ts) and with its deadlines and cancel
// (src/rollout/clock.ts). A PAUSE hook ends the step (`paused`) or is continued at once
// (continue-on-pause); `wait-until-stage` ends it at that stage; on-timeout rollback asks ECS to
// roll back with StopServiceDeployment ROLLBACK, which works for every strategy.

import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { EcsPort } from '../aws/ports.js';
import { toAwsCallError, transientCause, withSessionHint } from '../aws/errors.js';
import type { Clock } from '../lib/clock.js';
import type { OnTimeout } from '../lib/request.js';
import { PollBudget } from '../rollout/budget.js';
import { ABORTED, deadlineSignal, unlessAborted } from '../rollout/clock.js';
import { deploymentIdOfRevision } from '../rollout/deployment-facts.js';
import { PollHealth } from '../rollout/poll-health.js';
import { DEFAULT_ROLLBACK_WAIT_MINUTES } from '../rollout/timeout-rollback.js';
import type { DeploymentResult, Outcome } from '../rollout/types.js';
import { judgeStaged, rollbackText, type StagedDecision } from './judge.js';
import { newerDeployment } from './superseded.js';
import { StageTimeline } from './timeline.js';

export interface StagedDeps {
  ecs: EcsPort;
  clock: Clock;
  log: { info(line: string): void; warning(line: string): void };
}

export interface StagedTarget {
  cluster: string;
  serviceName: string;
  /** Known in a continue step; otherwise found from `deploymentId` by ListServiceDeployments. */
  serviceDeploymentArn?: string;
  /** `ecs-svc/<n>` of our deployment, whose service revision ends in `/<n>`. */
  deploymentId?: string;
  /** When our deployment started (AWS clock), to list only deployments created since. */
  startedAt: Date;
  /** The service's currentServiceDeployment after UpdateService, when none is listed. */
  fallbackArn?: string;
  /** The strategy the deployment runs with (the one deployment-strategy sets, else the service's). */
  strategy?: string;
  /** Task definition ARNs by deployment id (`ecs-svc/<n>`), to name blue and green in the summary. */
  taskDefinitions?: Record<string, string>;
}

export interface StagedOptions {
  waitForMinutes: number;
  onTimeout: OnTimeout;
  signal?: AbortSignal;
  waitUntilStage?: string;
  continueOnPause?: boolean;
  /** Hooks already continued by this step (a continue step's own). */
  acted?: string[];
  rollbackWaitMinutes?: number;
}

type Done = Extract<StagedDecision, { kind: 'done' }>;
type End = { kind: 'done'; decision: Done } | { kind: 'timeout' } | { kind: 'aborted' };

/** ListServiceDeployments may not list a new deployment at once; give up after this many looks. */
const MAX_LOOKUPS = 5;
const TERMINAL = new Set(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);

export class StagedFollower {
  private readonly budget = new PollBudget();
  private readonly health = new PollHealth();
  private readonly timeline: StageTimeline;
  private readonly acted: Set<string>;
  private arn?: string;
  private lookups = 0;
  /** The last stage seen before a rollback began. */
  private stageBefore?: string;
  /** The newer deployment that replaced ours, once ours is seen STOPPED. */
  private supersededBy?: { deploymentId: string };
  private callSignal?: AbortSignal;

  constructor(
    private readonly deps: StagedDeps,
    private readonly target: StagedTarget,
    private readonly options: StagedOptions,
  ) {
    this.timeline = new StageTimeline(target.serviceName);
    this.acted = new Set(options.acted ?? []);
    this.arn = target.serviceDeploymentArn;
  }

  async run(): Promise<DeploymentResult> {
    const { deps, target, options } = this;
    const started = deps.clock.now();
    // Said once a step, as information: the permissions it needs are in the README.
    deps.log.info(
      `${target.serviceName} deploys with the ${target.strategy ?? 'BLUE_GREEN, LINEAR or CANARY'} strategy: following its service deployment stage by stage (ecs:ListServiceDeployments, ecs:DescribeServiceDeployments); waiting up to ${options.waitForMinutes} minute(s).`,
    );
    const end = await this.pollUntil(started + options.waitForMinutes * 60_000, (sd) =>
      judgeStaged(sd, {
        ...options,
        acted: this.acted,
        stageBefore: this.stageBefore,
        supersededBy: this.supersededBy,
      }),
    );
    if (end.kind === 'done') return this.result(end.decision.outcome, end.decision.reason, end.decision);
    if (end.kind === 'aborted') return this.noVerdict('cancelled', 'Cancelled while following');
    return this.timedOut();
  }

  /** Polls the service deployment until `decide` is done, the deadline passes or the step is cancelled. */
  private async pollUntil(deadline: number, decide: (sd: ServiceDeployment) => StagedDecision): Promise<End> {
    const { clock } = this.deps;
    const cancel = this.options.signal;
    this.callSignal = deadlineSignal(clock, deadline, cancel);
    for (;;) {
      if (cancel?.aborted) return { kind: 'aborted' };
      if (clock.now() >= deadline) return { kind: 'timeout' };
      const sd = await this.look();
      if (sd === ABORTED) return cancel?.aborted ? { kind: 'aborted' } : { kind: 'timeout' };
      if (sd) {
        const decision = decide(sd);
        if (decision.kind === 'done') return { kind: 'done', decision };
        if (decision.kind === 'continue') await this.continueHook(decision.hookId);
      }
      if (cancel?.aborted) return { kind: 'aborted' };
      const now = clock.now();
      if (now >= deadline) return { kind: 'timeout' };
      await clock.sleep(Math.min(this.budget.nextInterval(), deadline - now), cancel);
    }
  }

  /** One look at the service deployment (finding its ARN first when needed); undefined when it failed in a way that may clear. */
  private async look(): Promise<ServiceDeployment | undefined | typeof ABORTED> {
    const { clock, log } = this.deps;
    const wait = this.budget.waitForPoll(clock.now());
    if (wait > 0) await clock.sleep(wait, this.callSignal);
    if (this.callSignal?.aborted) return ABORTED;
    const sentAt = clock.now();
    this.budget.recordPoll(sentAt);
    let sd: ServiceDeployment | undefined | typeof ABORTED;
    try {
      const arn = this.arn ?? (await this.find());
      if (arn === ABORTED) return ABORTED;
      if (!arn) return undefined;
      const call = this.deps.ecs.describeServiceDeployments([arn], { signal: this.callSignal });
      const out = await unlessAborted(call, this.callSignal);
      sd = out === ABORTED ? ABORTED : out.serviceDeployments[0];
    } catch (err) {
      this.transientOrThrow(err, sentAt);
      return undefined;
    }
    if (sd === ABORTED) {
      this.health.unanswered(sentAt, clock.now());
      return ABORTED;
    }
    this.health.answered(clock.now());
    if (!sd) throw new Error(`ECS has no record of service deployment ${this.arn ?? ''}.`);
    for (const line of this.timeline.observe(sd, new Date(clock.now()))) log.info(line);
    if (sd.status === 'IN_PROGRESS' || sd.status === 'PENDING')
      this.stageBefore = sd.lifecycleStage ?? this.stageBefore;
    if (sd.status === 'STOPPED' && !this.supersededBy) {
      const where = { cluster: this.target.cluster, service: this.target.serviceName };
      this.supersededBy = await newerDeployment(this.deps, { ...where, sd, signal: this.callSignal });
    }
    return sd;
  }

  /** The ARN of our service deployment from ListServiceDeployments, or the fallback after a few looks. */
  private async find(): Promise<string | undefined | typeof ABORTED> {
    const { target } = this;
    this.lookups++;
    const number = target.deploymentId?.slice(target.deploymentId.lastIndexOf('/') + 1);
    const call = this.deps.ecs.listServiceDeployments(
      {
        cluster: target.cluster,
        service: target.serviceName,
        createdAfter: new Date(target.startedAt.getTime() - 60_000),
      },
      { signal: this.callSignal },
    );
    const briefs = await unlessAborted(call, this.callSignal);
    if (briefs === ABORTED) return ABORTED;
    const ours = briefs.find((b) => number && b.targetServiceRevisionArn?.endsWith(`/${number}`));
    this.arn = ours?.serviceDeploymentArn ?? (this.lookups >= MAX_LOOKUPS ? target.fallbackArn : undefined);
    if (!this.arn && this.lookups >= MAX_LOOKUPS) {
      throw new Error(
        `No service deployment of ${target.deploymentId ?? 'our deployment'} was found for ${target.serviceName}: following a ${'blue/green, linear or canary'} deployment needs ecs:ListServiceDeployments and ecs:DescribeServiceDeployments.`,
      );
    }
    return this.arn;
  }

  private async continueHook(hookId: string): Promise<void> {
    const { ecs, log } = this.deps;
    const arn = this.arn ?? '';
    log.info(`${this.target.serviceName}: continue-on-pause: continuing the PAUSE hook ${hookId}.`);
    this.acted.add(hookId);
    try {
      await ecs.continueServiceDeployment(
        { serviceDeploymentArn: arn, hookId, action: 'CONTINUE' },
        { signal: this.options.signal },
      );
    } catch (err) {
      throw withSessionHint(toAwsCallError(err, 'ContinueServiceDeployment'), this.options.waitForMinutes);
    }
  }

  private transientOrThrow(err: unknown, sentAt: number): void {
    const e = toAwsCallError(err, this.arn ? 'DescribeServiceDeployments' : 'ListServiceDeployments');
    const cause = transientCause(e);
    if (e.kind === 'retryable' && cause) {
      this.health.failed(sentAt, cause);
      this.deps.log.warning(`${e.message} Polling again; this does not change the verdict.`);
      return;
    }
    throw withSessionHint(e, this.options.waitForMinutes);
  }

  /** No verdict in time: a rollback already under way is the verdict; otherwise on-timeout decides. */
  private async timedOut(): Promise<DeploymentResult> {
    const { options } = this;
    const last = this.timeline.latest;
    const where = this.whereText();
    if (last && (last.status === 'ROLLBACK_REQUESTED' || last.status === 'ROLLBACK_IN_PROGRESS')) {
      // A rollback under way at the deadline is no verdict yet: `timed-out`, saying so, as the
      // rolling follower has it (src/rollout/timeout-rollback.ts).
      const what = rollbackText(last, this.stageBefore, 'is rolling');
      return this.result(
        'timed-out',
        `No verdict within ${options.waitForMinutes} minute(s): ${what}; the rollback had not finished when wait-for-minutes ran out.`,
        { rollbackCompleted: false },
      );
    }
    const lead = `No verdict within ${options.waitForMinutes} minute(s): ${where}.`;
    if (options.onTimeout !== 'rollback' || !this.arn) {
      return this.result('timed-out', `${lead} ECS goes on with the deployment.`, { noVerdict: true });
    }
    return this.rollBack(lead);
  }

  /** on-timeout rollback: StopServiceDeployment ROLLBACK, then the rollback followed to its end for a while. */
  private async rollBack(lead: string): Promise<DeploymentResult> {
    const { deps, options } = this;
    const arn = this.arn ?? '';
    deps.log.info(`${this.target.serviceName}: no verdict in time; asking ECS to roll back ${arn}.`);
    try {
      await deps.ecs.stopServiceDeployment(arn, 'ROLLBACK', { signal: options.signal });
    } catch (err) {
      const e = toAwsCallError(err, 'StopServiceDeployment');
      if (e.kind.startsWith('credentials')) throw withSessionHint(e, options.waitForMinutes);
      deps.log.warning(e.message);
      return this.result('timed-out', `${lead} The rollback request failed: ${e.message}`, {
        noVerdict: true,
      });
    }
    const minutes = options.rollbackWaitMinutes ?? DEFAULT_ROLLBACK_WAIT_MINUTES;
    const end = await this.pollUntil(deps.clock.now() + minutes * 60_000, (sd) =>
      TERMINAL.has(sd.status ?? '')
        ? { kind: 'done', outcome: 'failed', reason: sd.status ?? '' }
        : { kind: 'wait' },
    );
    if (end.kind === 'aborted') {
      return this.result(
        'cancelled',
        `${lead} Asked ECS to roll back; cancelled while the rollback was running.`,
        {},
      );
    }
    const status = this.timeline.latest?.status;
    const text =
      end.kind === 'done'
        ? status === 'ROLLBACK_SUCCESSFUL'
          ? 'Rolled back on timeout (StopServiceDeployment ROLLBACK); the rollback completed.'
          : `Asked ECS to roll back on timeout; the service deployment ended ${status ?? '?'}.`
        : `Asked ECS to roll back on timeout; the rollback had not finished ${minutes} minute(s) later.`;
    return this.result('timed-out', `${lead} ${text}`, {
      rollbackCompleted: status === 'ROLLBACK_SUCCESSFUL',
    });
  }

  private noVerdict(outcome: Outcome, lead: string): DeploymentResult {
    return this.result(outcome, `${lead}: ${this.whereText()}. ECS goes on with the deployment.`, {
      noVerdict: true,
    });
  }

  /** `at stage BAKE_TIME (IN_PROGRESS)`, or why nothing is known. */
  private whereText(): string {
    const sd = this.timeline.latest;
    if (!sd) return 'the service deployment was never seen';
    return `the service deployment was ${sd.status ?? 'in an unknown state'} at ${sd.lifecycleStage ?? 'an unknown stage'}`;
  }

  private result(
    outcome: Outcome,
    reason: string,
    extra: { pausedHookId?: string; rollbackCompleted?: boolean; noVerdict?: boolean },
  ): DeploymentResult {
    const now = new Date(this.deps.clock.now());
    const sd = this.timeline.latest;
    this.timeline.close(now, TERMINAL.has(sd?.status ?? ''));
    const green = sd?.targetServiceRevision?.arn;
    const back = deploymentIdOfRevision(sd?.rollback?.serviceRevisionArn);
    const health = this.health.summary();
    return {
      outcome,
      reason,
      deploymentId: deploymentIdOfRevision(green) ?? this.target.deploymentId,
      ...(sd?.serviceDeploymentArn || this.arn
        ? { serviceDeploymentArn: sd?.serviceDeploymentArn ?? this.arn }
        : {}),
      // A rollback ECS made, also one on timeout or still running when the step ended.
      ...((outcome === 'rolled-back' || (outcome === 'timed-out' && extra.rollbackCompleted !== undefined)) &&
      back
        ? { rolledBackTo: { deploymentId: back } }
        : {}),
      ...(outcome === 'superseded' && this.supersededBy ? { supersededBy: this.supersededBy } : {}),
      ...(extra.rollbackCompleted !== undefined && outcome !== 'succeeded'
        ? { rollbackCompleted: extra.rollbackCompleted }
        : {}),
      ...(extra.noVerdict
        ? {
            noVerdict: {
              cause: health.cause,
              ...(health.failingSince !== undefined
                ? { failingSince: new Date(health.failingSince), failedPolls: health.failedPolls }
                : {}),
            },
          }
        : {}),
      events: [],
      stoppedTasks: [],
      logTails: [],
      startedAt: this.target.startedAt,
      finishedAt: now,
      staged: this.timeline.progress(extra.pausedHookId, this.target.taskDefinitions),
    };
  }
}

/** Follows a blue/green, linear or canary deployment to its verdict, a pause or a stage. */
export function followStaged(
  deps: StagedDeps,
  target: StagedTarget,
  options: StagedOptions,
): Promise<DeploymentResult> {
  return new StagedFollower(deps, target, options).run();
}
