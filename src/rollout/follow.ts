// Following our one deployment to a verdict: poll DescribeServices (and, where the account has it,
// DescribeServiceDeployments), print what ECS says as it happens, and stop the moment judge()
// (verdict.ts) decides. Never the SDK's waitUntilServicesStable: it calls a rollback a success and
// backs off up to 10 minutes between looks. Everything with a side effect (AWS, the clock,
// sleeping, logging) comes in through FollowDeps, so the tests script a deployment and a clock.
//
// Polling schedule: at once, then after 1, 2 and 3 s, then every 4 s, so a verdict is seen within
// about 4 s (plus the call) of ECS reaching it. Request budget: at most 20 requests in any 60 s
// per followed service. DescribeServices makes at most 17 in any 60 s (15 in steady state); the
// optional calls (ListServiceDeployments, DescribeServiceDeployments: on a change, else every 4th
// poll) get a slot only if every 60 s window stays within 20 with the DescribeServices calls
// still to come, so they never delay one. The ECS read buckets refill at 20/s for the whole
// account (reference §3.2), so many services can be followed side by side.

import type { Deployment, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { AwsCallError, describeAwsError, toAwsCallError } from '../aws/errors.js';
import type { EcsPort } from '../aws/ports.js';
import { shortTaskDefinition } from '../lib/arn.js';
import type { OnTimeout } from '../lib/request.js';
import { findServiceDeploymentArn } from './deploy.js';
import type { DeploymentCounts, DeploymentResult, Outcome, ServiceEventLine } from './types.js';
import {
  judge,
  judgeRollback,
  primaryOf,
  serviceDeploymentIsOurs,
  type DeploymentRef,
  type Observation,
  type OurDeployment,
} from './verdict.js';

export interface FollowLog {
  info(line: string): void;
  warning(line: string): void;
}

export interface FollowDeps {
  /** One DescribeServices call for the followed service. */
  describe(): Promise<Service>;
  /** DescribeServiceDeployments for one ARN; undefined when ECS has no record of it (MISSING). */
  describeServiceDeployment?(arn: string): Promise<ServiceDeployment | undefined>;
  /** Our deployment's ServiceDeployment ARN (ListServiceDeployments), given the last service seen. */
  findServiceDeploymentArn?(service: Service | undefined): Promise<string | undefined>;
  /** StopServiceDeployment with stopType ROLLBACK. */
  stopServiceDeployment?(arn: string): Promise<void>;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Milliseconds since the epoch. */
  now(): number;
  log: FollowLog;
}

export interface FollowTarget extends OurDeployment {
  serviceName: string;
  startedAt: Date;
}

export interface FollowOptions {
  waitForMinutes: number;
  onTimeout: OnTimeout;
  /** Cancellation (SIGINT/SIGTERM): the follow returns promptly with what it knows. */
  signal?: AbortSignal;
  /** After an on-timeout rollback request, how long to follow the rollback. Default 10. */
  rollbackWaitMinutes?: number;
}

export const POLL_INTERVALS_MS: readonly number[] = [1000, 2000, 3000];
export const MAX_POLL_INTERVAL_MS = 4000;
export const MAX_REQUESTS_PER_MINUTE = 20;
const MINUTE = 60_000;
/** Without a change in DescribeServices, look at the service deployment after this many polls (or as soon as there is budget after). */
const SERVICE_DEPLOYMENT_EVERY = 4;
/** ListServiceDeployments may not list a new deployment at once; give up after this many looks. */
const MAX_SERVICE_DEPLOYMENT_LOOKUPS = 5;
export const DEFAULT_ROLLBACK_WAIT_MINUTES = 10;

/** Wait before the poll after poll number `polls` (1-based count of polls made so far). */
export function pollInterval(polls: number): number {
  return POLL_INTERVALS_MS[polls - 1] ?? MAX_POLL_INTERVAL_MS;
}

/** Request timestamps in a sliding 60 s window. */
export class RequestWindow {
  private readonly times: number[] = [];
  constructor(
    readonly limit = MAX_REQUESTS_PER_MINUTE,
    readonly windowMs = 60_000,
  ) {}

  count(now: number): number {
    while (this.times.length > 0 && this.times[0] <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }

  /** Requests recorded after `t` (t no earlier than the current window's start). */
  countAfter(t: number): number {
    return this.times.filter((x) => x > t).length;
  }

  /** Milliseconds until one more request fits. */
  waitFor(now: number): number {
    return this.count(now) < this.limit ? 0 : this.times[0] + this.windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }
}

/** A real sleep that ends early on abort. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const ABORTED = Symbol('aborted');

/** The promise's value, or ABORTED as soon as the signal aborts (the call itself runs on, ignored). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** `ecs-svc/801009…`: the full id is printed once when following starts. */
export function shortDeploymentId(id: string): string {
  return id.replace(/^(ecs-svc\/\d{6})\d+$/, '$1…');
}

export function countsOf(d: Deployment): DeploymentCounts {
  return {
    desired: d.desiredCount ?? 0,
    pending: d.pendingCount ?? 0,
    running: d.runningCount ?? 0,
    failed: d.failedTasks ?? 0,
  };
}

export function progressLine(serviceName: string, deploymentId: string, c: DeploymentCounts): string {
  return `${serviceName}: ${c.running}/${c.desired} running, ${c.pending} pending, ${c.failed} failed (${shortDeploymentId(deploymentId)})`;
}

function eventKey(e: { id?: string; createdAt?: Date; message?: string }): string {
  return e.id ?? `${e.createdAt?.getTime()}|${e.message}`;
}

type LoopEnd<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'aborted' };

class Follower {
  private readonly window = new RequestWindow();
  private lastPollAt = 0;
  private readonly seenEvents = new Set<string>();
  private readonly events: ServiceEventLine[] = [];
  private polls = 0;
  private lastService?: Service;
  private lastServiceDeployment?: ServiceDeployment;
  private serviceDeploymentArn?: string;
  private serviceDeploymentMode: 'on' | 'off';
  private lookups = 0;
  /** The poll after which the service deployment was last looked at. */
  private serviceDeploymentPoll = -Infinity;
  private failedSince?: number;
  private counts?: DeploymentCounts;
  private rolloutState?: string;
  private rolloutStateReason?: string;
  /** Whether the last DescribeServices listed our deployment (else its facts above are from an earlier one). */
  private listed = false;
  private lastStatusKey?: string;
  private waitingFor?: string;
  private readonly startedFollowing: number;

  constructor(
    private readonly deps: FollowDeps,
    private readonly target: FollowTarget,
    private readonly options: FollowOptions,
  ) {
    this.serviceDeploymentArn = target.serviceDeploymentArn;
    this.serviceDeploymentMode = deps.describeServiceDeployment ? 'on' : 'off';
    this.startedFollowing = deps.now();
  }

  async run(): Promise<DeploymentResult> {
    const { target, options, deps } = this;
    deps.log.info(
      `Following deployment ${target.deploymentId} of service ${target.serviceName} (${shortTaskDefinition(target.taskDefinitionArn)}); waiting up to ${options.waitForMinutes} minute(s).`,
    );
    const end = await this.loop(this.startedFollowing + options.waitForMinutes * 60_000, (obs) => {
      const verdict = judge(obs, target);
      if (!verdict.done) {
        if (verdict.waitingFor && verdict.waitingFor !== this.waitingFor) {
          deps.log.info(`${target.serviceName}: deployment failed; waiting for ${verdict.waitingFor}.`);
        }
        this.waitingFor = verdict.waitingFor;
        return undefined;
      }
      return verdict;
    });
    if (end.kind === 'done') {
      const v = end.value;
      return this.result(v.outcome, v.reason, {
        rolledBackTo: v.rolledBackTo,
        supersededBy: v.supersededBy,
        rollbackCompleted: v.outcome === 'rolled-back' ? v.rollbackCompleted : undefined,
      });
    }
    if (end.kind === 'aborted') return this.cancelled();
    const noVerdict = `No verdict within ${options.waitForMinutes} minute(s): ${this.stateText()}.`;
    if (options.onTimeout !== 'rollback') {
      return this.result('timed-out', `${noVerdict} ECS goes on with the deployment.`);
    }
    const rollback = await this.rollBackOnTimeout();
    return this.result(rollback.cancelled ? 'cancelled' : 'timed-out', `${noVerdict} ${rollback.text}`, {
      rolledBackTo: rollback.to,
    });
  }

  /** Polls until `decide` returns a value, the deadline passes or the signal aborts. */
  private async loop<T>(deadline: number, decide: (obs: Observation) => T | undefined): Promise<LoopEnd<T>> {
    const { deps, options } = this;
    for (;;) {
      if (options.signal?.aborted) return { kind: 'aborted' };
      const polled = await this.poll();
      if (polled === ABORTED) return { kind: 'aborted' };
      if (polled) {
        const value = decide(polled.observation);
        if (value !== undefined) return { kind: 'done', value };
        if (
          (await this.refreshServiceDeployment(polled.changed)) &&
          decide({ ...polled.observation, serviceDeployment: this.lastServiceDeployment }) !== undefined
        ) {
          // The service deployment is newer than the DescribeServices it would be judged with,
          // and the pair may disagree: STOPPED because a newer deployment superseded ours, which
          // that DescribeServices does not show yet, reads as "stopped by someone" (failed).
          // Describe the service again, at once, and judge the two together.
          continue;
        }
      }
      if (options.signal?.aborted) return { kind: 'aborted' };
      const now = deps.now();
      if (now >= deadline) return { kind: 'timeout' };
      await deps.sleep(Math.min(pollInterval(this.polls), deadline - now), options.signal);
    }
  }

  /** One DescribeServices; undefined when it failed in a way that may clear (warned). */
  private async poll(): Promise<{ observation: Observation; changed: boolean } | undefined | typeof ABORTED> {
    const { deps, options } = this;
    const wait = this.window.waitFor(deps.now());
    if (wait > 0) {
      await deps.sleep(wait, options.signal);
      if (options.signal?.aborted) return ABORTED;
    }
    this.lastPollAt = deps.now();
    this.window.record(this.lastPollAt);
    this.polls++;
    let service: Service | typeof ABORTED;
    try {
      service = await unlessAborted(deps.describe(), options.signal);
    } catch (err) {
      this.transientOrThrow(err, 'DescribeServices');
      return undefined;
    }
    if (service === ABORTED) return ABORTED;
    const changed = this.observe(service);
    const now = deps.now();
    return {
      observation: {
        service,
        serviceDeployment: this.lastServiceDeployment,
        now: new Date(now),
        failedSince: this.failedSince === undefined ? undefined : new Date(this.failedSince),
      },
      changed,
    };
  }

  /** Prints what is new in the service; says whether our deployment's view changed. */
  private observe(service: Service): boolean {
    const { target, deps } = this;
    const name = target.serviceName;
    const fresh = [...(service.events ?? [])]
      .reverse()
      .filter((e) => !this.seenEvents.has(eventKey(e)))
      .filter((e) => !e.createdAt || e.createdAt.getTime() >= target.startedAt.getTime())
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    for (const e of service.events ?? []) this.seenEvents.add(eventKey(e));
    for (const e of fresh) {
      const createdAt = e.createdAt ?? new Date(deps.now());
      deps.log.info(`${createdAt.toISOString().slice(11, 19)} ${e.message ?? ''}`);
      this.events.push({ id: e.id ?? eventKey(e), createdAt, message: e.message ?? '' });
    }
    this.lastService = service;

    const deployments = service.deployments ?? [];
    const d = deployments.find((x) => x.id === target.deploymentId);
    const primary = primaryOf(service);
    const statusKey = `${d?.status}|${primary?.id}`;
    let changed = statusKey !== this.lastStatusKey;
    this.lastStatusKey = statusKey;
    if (d?.status === 'PRIMARY' && d.rolloutState === 'FAILED') this.failedSince ??= deps.now();
    else this.failedSince = undefined;
    this.listed = d !== undefined;
    if (!d) return changed;

    const counts = countsOf(d);
    if (JSON.stringify(counts) !== JSON.stringify(this.counts)) {
      changed = true;
      this.counts = counts;
      deps.log.info(progressLine(name, target.deploymentId, counts));
    }
    if (d.rolloutState !== this.rolloutState || d.rolloutStateReason !== this.rolloutStateReason) {
      changed = true;
      this.rolloutState = d.rolloutState;
      this.rolloutStateReason = d.rolloutStateReason;
      if (d.rolloutState)
        deps.log.info(`${name}: ${d.rolloutState}${d.rolloutStateReason ? `: ${d.rolloutStateReason}` : ''}`);
    }
    return changed;
  }

  /**
   * Takes a slot for an optional call if, with it, every 60 s window ending at one of the next
   * minute's scheduled DescribeServices calls still holds at most the limit.
   */
  private takeOptionalSlot(): boolean {
    const now = this.deps.now();
    const limit = this.window.limit;
    if (this.window.count(now) + 1 > limit) return false;
    let at = this.lastPollAt;
    let upcoming = 0;
    for (let n = this.polls; ; n++) {
      at += pollInterval(n);
      if (at >= now + MINUTE) break;
      if (at <= now) continue;
      upcoming++;
      if (this.window.countAfter(at - MINUTE) + 1 + upcoming > limit) return false;
    }
    this.window.record(now);
    return true;
  }

  /**
   * Looks at our ServiceDeployment when it may add something: when DescribeServices changed, and
   * every few polls otherwise. Says whether there is a new look.
   */
  private async refreshServiceDeployment(changed: boolean): Promise<boolean> {
    const { deps, target } = this;
    if (this.serviceDeploymentMode === 'off' || !deps.describeServiceDeployment) return false;
    if (!changed && this.polls - this.serviceDeploymentPoll < SERVICE_DEPLOYMENT_EVERY) return false;
    if (!(await this.ensureServiceDeploymentArn())) return false;
    const arn = this.serviceDeploymentArn;
    if (!arn || !this.takeOptionalSlot()) return false;
    this.serviceDeploymentPoll = this.polls;
    let sd: ServiceDeployment | undefined;
    try {
      sd = await deps.describeServiceDeployment(arn);
    } catch (err) {
      this.serviceDeploymentError(err, 'DescribeServiceDeployments');
      return false;
    }
    if (!sd) {
      this.stopUsingServiceDeployments(`ECS has no service deployment record ${arn}`);
      return false;
    }
    if (!serviceDeploymentIsOurs(sd, target.deploymentId)) {
      // A fallback ARN (the service's current deployment) that turned out to be another one.
      this.serviceDeploymentArn = undefined;
      return false;
    }
    const key = `${sd.status}|${sd.statusReason}`;
    const before = this.lastServiceDeployment;
    if (!before || key !== `${before.status}|${before.statusReason}`) {
      deps.log.info(
        `${target.serviceName}: service deployment ${sd.status}${sd.statusReason ? `: ${sd.statusReason}` : ''}`,
      );
    }
    this.lastServiceDeployment = sd;
    return true;
  }

  /** Finds the ARN when not known yet; false while it is not (yet) found. */
  private async ensureServiceDeploymentArn(): Promise<boolean> {
    const { deps } = this;
    if (this.serviceDeploymentArn) return true;
    if (!deps.findServiceDeploymentArn || this.lookups >= MAX_SERVICE_DEPLOYMENT_LOOKUPS) {
      this.stopUsingServiceDeployments(`no service deployment of ${this.target.deploymentId} was found`);
      return false;
    }
    if (!this.takeOptionalSlot()) return false;
    this.lookups++;
    try {
      this.serviceDeploymentArn = await deps.findServiceDeploymentArn(this.lastService);
    } catch (err) {
      this.serviceDeploymentError(err, 'ListServiceDeployments');
      return false;
    }
    return this.serviceDeploymentArn !== undefined;
  }

  private stopUsingServiceDeployments(why: string): void {
    this.serviceDeploymentMode = 'off';
    this.deps.log.info(`${this.target.serviceName}: ${why}; following with DescribeServices alone.`);
  }

  /** The service deployment is extra information: only what also stops DescribeServices ends the step. */
  private serviceDeploymentError(err: unknown, operation: string): void {
    const e = toAwsCallError(err, operation);
    if (e.kind === 'retryable') {
      this.deps.log.warning(`${e.message} Polling again.`);
      return;
    }
    if (e.kind.startsWith('credentials')) throw this.fatal(e);
    this.stopUsingServiceDeployments(e.message.replace(/\.$/, ''));
  }

  /** Throttling and 5xx (already retried by the SDK) are warned about and polled through; anything else ends the step. */
  private transientOrThrow(err: unknown, operation: string): void {
    const e = toAwsCallError(err, operation);
    if (e.kind === 'retryable') {
      this.deps.log.warning(`${e.message} Polling again; this does not change the verdict.`);
      return;
    }
    throw this.fatal(e);
  }

  /** Expired credentials get the hint about wait-for-minutes against the session lifetime. */
  private fatal(e: AwsCallError): AwsCallError {
    if (e.kind !== 'credentials-expired' || e.cause === undefined) return e;
    return new AwsCallError(
      describeAwsError(e.cause, e.operation, { waitForMinutes: this.options.waitForMinutes }),
      {
        kind: e.kind,
        operation: e.operation,
        awsName: e.awsName,
        cause: e.cause,
      },
    );
  }

  private async rollBackOnTimeout(): Promise<{ text: string; to?: DeploymentRef; cancelled?: boolean }> {
    const { deps, target, options } = this;
    deps.log.info(
      `${target.serviceName}: no verdict after ${options.waitForMinutes} minute(s); asking ECS to roll back ${target.deploymentId}.`,
    );
    const unable = `Could not roll back: rolling back needs the deployment's ServiceDeployment (ecs:ListServiceDeployments, ecs:DescribeServiceDeployments, ecs:StopServiceDeployment)`;
    let arn = this.serviceDeploymentArn;
    try {
      if (!arn && deps.findServiceDeploymentArn) arn = await deps.findServiceDeploymentArn(this.lastService);
      // Only our own deployment may be rolled back: check a found ARN (it may be the fallback) first.
      if (arn && !serviceDeploymentIsOurs(this.lastServiceDeployment, target.deploymentId)) {
        const sd = deps.describeServiceDeployment ? await deps.describeServiceDeployment(arn) : undefined;
        if (!serviceDeploymentIsOurs(sd, target.deploymentId)) arn = undefined;
        else this.lastServiceDeployment = sd;
      }
    } catch (err) {
      const e = toAwsCallError(err, 'ListServiceDeployments');
      if (e.kind.startsWith('credentials')) throw this.fatal(e);
      return { text: `${unable}: ${e.message}` };
    }
    if (!arn || !deps.stopServiceDeployment)
      return { text: `${unable}, and none was found for ${target.deploymentId}.` };
    try {
      await deps.stopServiceDeployment(arn);
    } catch (err) {
      const e = toAwsCallError(err, 'StopServiceDeployment');
      if (e.kind.startsWith('credentials')) throw this.fatal(e);
      deps.log.warning(e.message);
      return { text: `The rollback request failed: ${e.message}` };
    }
    this.serviceDeploymentArn = arn;
    this.serviceDeploymentMode = deps.describeServiceDeployment ? 'on' : 'off';
    const minutes = options.rollbackWaitMinutes ?? DEFAULT_ROLLBACK_WAIT_MINUTES;
    const end = await this.loop(deps.now() + minutes * 60_000, (obs) => {
      const r = judgeRollback(obs, target);
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

  private stateText(): string {
    const state = this.rolloutState ?? 'in an unknown state';
    const c = this.counts;
    const lastSeen = !this.listed && (this.rolloutState !== undefined || c !== undefined) ? 'last seen ' : '';
    return `${this.target.deploymentId} was ${lastSeen}${state}${c ? ` with ${c.running}/${c.desired} running, ${c.pending} pending, ${c.failed} failed` : ''}`;
  }

  private cancelled(): DeploymentResult {
    return this.result(
      'cancelled',
      `Cancelled while following: ${this.stateText()}. ECS goes on with the deployment.`,
    );
  }

  /**
   * Our deployment's rollout state as known at the end. While the last DescribeServices lists it,
   * that is what ECS says now. Once it has left `deployments[]` (a quick rollback can remove it
   * between two polls), the state last seen may be from before it failed (IN_PROGRESS), so:
   * - rolled-back or failed: FAILED, with the reason last seen if it was already FAILED, else the
   *   reason ECS gave elsewhere (the "deployment failed: …" event, the ServiceDeployment), else none;
   * - otherwise a terminal state last seen (COMPLETED, FAILED) still holds, as ECS never leaves one;
   * - otherwise nothing: an in-progress state last seen is not reported as if it were current.
   */
  private finalRolloutState(outcome: Outcome): Pick<DeploymentResult, 'rolloutState' | 'rolloutStateReason'> {
    const { rolloutState, rolloutStateReason } = this;
    if (this.listed) return { rolloutState, rolloutStateReason };
    if (outcome === 'rolled-back' || outcome === 'failed') {
      return {
        rolloutState: 'FAILED',
        rolloutStateReason: rolloutState === 'FAILED' ? rolloutStateReason : this.failureReasonElsewhere(),
      };
    }
    if (rolloutState === 'COMPLETED' || rolloutState === 'FAILED')
      return { rolloutState, rolloutStateReason };
    return {};
  }

  /** Why ECS failed our deployment, from its events or its ServiceDeployment (as verdict.ts reads them). */
  private failureReasonElsewhere(): string | undefined {
    const marker = `(deployment ${this.target.deploymentId}) deployment failed: `;
    for (const e of [...this.events].reverse()) {
      const at = e.message.indexOf(marker);
      if (at >= 0) return e.message.slice(at + marker.length);
    }
    const sd = this.lastServiceDeployment;
    if (!serviceDeploymentIsOurs(sd, this.target.deploymentId)) return undefined;
    return sd?.rollback?.reason ?? sd?.statusReason ?? undefined;
  }

  private result(
    outcome: Outcome,
    reason: string,
    extra: Pick<DeploymentResult, 'rolledBackTo' | 'supersededBy' | 'rollbackCompleted'> = {},
  ): DeploymentResult {
    const verified = serviceDeploymentIsOurs(this.lastServiceDeployment, this.target.deploymentId);
    const state = this.finalRolloutState(outcome);
    return {
      outcome,
      reason,
      deploymentId: this.target.deploymentId,
      serviceDeploymentArn: verified ? this.lastServiceDeployment?.serviceDeploymentArn : undefined,
      ...Object.fromEntries(Object.entries({ ...state, ...extra }).filter(([, v]) => v !== undefined)),
      events: this.events,
      stoppedTasks: [],
      logTails: [],
      counts: this.counts,
      // Counts are kept as last seen: say so when our deployment was no longer listed at the end.
      ...(this.counts && !this.listed ? { countsStale: true } : {}),
      startedAt: this.target.startedAt,
      finishedAt: new Date(this.deps.now()),
    };
  }
}

export function followDeployment(
  deps: FollowDeps,
  target: FollowTarget,
  options: FollowOptions,
): Promise<DeploymentResult> {
  return new Follower(deps, target, options).run();
}

/** FollowDeps over the ECS port, a real clock and real sleeps. */
export function ecsFollowDeps(
  ecs: EcsPort,
  cluster: string,
  target: FollowTarget,
  log: FollowLog,
): FollowDeps {
  return {
    describe: () => ecs.describeService(cluster, target.serviceName),
    async describeServiceDeployment(arn) {
      return (await ecs.describeServiceDeployments([arn])).serviceDeployments[0];
    },
    findServiceDeploymentArn: (service) =>
      findServiceDeploymentArn(ecs, {
        cluster,
        service: target.serviceName,
        deploymentId: target.deploymentId,
        startedAt: target.startedAt,
        fallback: service?.currentServiceDeployment,
      }),
    async stopServiceDeployment(arn) {
      await ecs.stopServiceDeployment(arn, 'ROLLBACK');
    },
    sleep: abortableSleep,
    now: () => Date.now(),
    log,
  };
}
