// Stage "follow" for several services: each service is followed by its own follower (followStage,
// one call per service, where a strategy can branch), all at once, over one shared poller
// (src/fleet/shared-poller.ts) that answers their DescribeServices from batched calls. Each gets
// its own verdict: a follower that throws (an AWS error mid-follow) ends its own service `failed`
// with the error as the reason, and the others finish. With on-service-failure rollback, the first
// failure (a failing verdict, or an UpdateService refused before following began) rolls back the
// others: those still rolling out by StopServiceDeployment (src/fleet/rollback.ts), those already
// finished by an UpdateService back to their previous revision (stages/fleet-revert.ts). A
// follower can be behind ECS: the deployment it follows may have just finished, and ECS refuses
// to stop a finished one (docs/ecs-behaviour.md, "StopServiceDeployment ROLLBACK"). So whatever
// became of the stop, a follower that ends `succeeded` after the rollback began is updated back
// too: no service the step changed is left on the new revision.
import { rollBackService, type RollbackAsked } from '../fleet/rollback.js';
import { serviceLabels } from '../fleet/members.js';
import { labelledRunner } from '../fleet/labelled-runner.js';
import { SharedPoller } from '../fleet/shared-poller.js';
import type { DeployRequest } from '../lib/request.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import type { Fleet, Followed, Registration, ServiceCheck, ServiceUpdate, StepContext } from './context.js';
import type { CodeDeployCheck } from './codedeploy.js';
import { revertFinishedService } from './fleet-revert.js';
import { followStage } from './follow.js';

export interface FollowUnit {
  request: DeployRequest;
  registration: Registration;
  update: ServiceUpdate;
  /** The service as described before the update (its strategy decides how it is followed). */
  service?: ServiceCheck;
  /** A CODE_DEPLOY service's checked AppSpec and group (the first service only). */
  codeDeploy?: CodeDeployCheck;
}

interface FollowDone extends FollowUnit {
  fleet?: Fleet;
}

/** The first service's follow, and the others' in the fleet; one service alone is followed as ever. */
export async function followServicesStage(
  ctx: StepContext,
  done: FollowDone,
): Promise<{ followed: Followed; fleet?: Fleet }> {
  const { fleet } = done;
  if (!fleet || fleet.members.length === 0) return { followed: await followStage(ctx, done), fleet };
  const units: FollowUnit[] = [
    done,
    ...fleet.members.map((m) => ({
      request: m.request,
      registration: m.registration ?? done.registration,
      update: m.update ?? { kind: 'skipped' as const },
      service: m.check,
    })),
  ];
  const run = new FleetFollow(ctx, units);
  const refused = fleet.members.find((m) => m.updateError !== undefined);
  if (refused && done.request.onServiceFailure === 'rollback' && !ctx.signal.aborted) {
    await run.rollBackOthers(
      units.length,
      serviceLabels(units.map(targetOf))[fleet.members.indexOf(refused) + 1],
      'UpdateService failed',
    );
  }
  const results = await run.followAll();
  results.slice(1).forEach((followed, i) => (fleet.members[i].followed = followed));
  return { followed: results[0], fleet: { ...fleet, rolledBackFor: run.rolledBackFor } };
}

const targetOf = (u: FollowUnit) => ({ cluster: u.request.cluster, service: u.request.service ?? '' });

/** Why the others are rolled back: the service that failed first, and how it ended. */
interface RollbackCause {
  failed: number;
  label: string;
  because: string;
}

/** The followers of one step, their shared poller, and what on-service-failure rollback did. */
class FleetFollow {
  readonly rolledBackFor: Record<number, string> = {};
  private readonly poller: SharedPoller;
  private readonly labels: string[];
  private readonly following: boolean[];
  private readonly finished: (Followed | undefined)[];
  /** Why ECS would not stop a service's deployment, when it would not. */
  private readonly stopRefused: (string | undefined)[];
  private readonly reverting: boolean[];
  private rollback?: RollbackCause;

  constructor(
    private readonly ctx: StepContext,
    private readonly units: FollowUnit[],
  ) {
    this.poller = new SharedPoller(ctx.aws.ecs, { clock: ctx.clock, signal: ctx.signal });
    this.labels = serviceLabels(units.map(targetOf));
    this.following = units.map(isFollowed);
    this.finished = units.map(() => undefined);
    this.stopRefused = units.map(() => undefined);
    this.reverting = units.map(() => false);
    for (const [i, u] of units.entries())
      if (this.following[i]) this.poller.track(u.request.cluster, u.request.service ?? '');
  }

  /** Every follower at once; one that throws ends its own service, never the others'. */
  async followAll(): Promise<Followed[]> {
    const settled = await Promise.allSettled(this.units.map((u, i) => this.followOne(u, i)));
    return settled.map(
      (s, i) => this.finished[i] ?? (s.status === 'fulfilled' ? s.value : this.thrown(i, s.reason)),
    );
  }

  private async followOne(u: FollowUnit, i: number): Promise<Followed> {
    let followed: Followed;
    try {
      followed = await followStage(this.contextFor(i), u);
    } catch (err) {
      followed = this.thrown(i, err);
    } finally {
      this.following[i] = false;
      this.poller.untrack(u.request.cluster, u.request.service ?? '');
    }
    this.finished[i] = followed;
    const failed = followed.kind === 'done' && FAILING_OUTCOMES.has(followed.result.outcome);
    if (failed && u.request.onServiceFailure === 'rollback' && !this.rollback && !this.ctx.signal.aborted) {
      await this.rollBackOthers(
        i,
        this.labels[i],
        followed.kind === 'done' ? followed.result.outcome : 'failed',
      );
    } else {
      // The rollback began while this one was followed (its stop refused, or ECS finished first).
      await this.revertIfFinished(i);
    }
    return this.finished[i] ?? followed;
  }

  /** on-service-failure rollback: every other service this step changed goes back. */
  async rollBackOthers(failed: number, label: string, what: string): Promise<void> {
    if (this.rollback) return;
    const because = `service ${label} ${what}`;
    this.rollback = { failed, label, because };
    await Promise.all(
      this.units.map(async (other, j) => {
        if (j === failed || !changedByStep(other)) return;
        if (!this.following[j]) return this.revertIfFinished(j);
        const asked = await this.stop(other, j, because);
        if (asked.asked) this.rolledBackFor[j] = label;
        else this.stopRefused[j] = asked.why;
      }),
    );
  }

  /**
   * A service this step changed that ended `succeeded` once the rollback began: updated back to
   * its previous revision by UpdateService, followed (stages/fleet-revert.ts); at most once.
   */
  private async revertIfFinished(j: number): Promise<void> {
    const cause = this.rollback;
    const unit = this.units[j];
    const done = this.finished[j];
    if (!cause || j === cause.failed || this.reverting[j] || !changedByStep(unit)) return;
    if (done?.kind !== 'done' || done.result.outcome !== 'succeeded' || this.ctx.signal.aborted) return;
    this.reverting[j] = true;
    // Straight to ECS, not through the shared poller: a round answered before this UpdateService
    // would show the service as it was, and its deployment as the one just finished.
    const ctx = { ...this.contextFor(j), aws: this.ctx.aws };
    const reverted = await revertFinishedService(ctx, {
      unit,
      finished: done,
      because: cause.because,
      stopRefused: this.stopRefused[j],
    });
    if (reverted) {
      this.finished[j] = reverted;
      this.rolledBackFor[j] = cause.label;
    }
  }

  private stop(other: FollowUnit, j: number, because: string): Promise<RollbackAsked> {
    if (other.update.kind !== 'started') return Promise.resolve({ asked: false, why: 'not started' });
    const { cluster, service = '' } = other.request;
    return rollBackService(
      { ecs: this.ctx.aws.ecs, log: this.ctx.runner, signal: this.ctx.signal },
      {
        cluster,
        service,
        label: this.labels[j],
        deploymentId: other.update.deploymentId,
        startedAt: other.update.startedAt,
        current: this.poller.lastSeen(cluster, service)?.currentServiceDeployment,
      },
      because,
    );
  }

  /** The shared poller as ECS; the log said of `cluster/name` when bare names collide. */
  private contextFor(i: number): StepContext {
    const ctx = this.ctx;
    const label = this.labels[i];
    const name = this.units[i].request.service ?? '';
    const runner = label === name ? ctx.runner : labelledRunner(ctx.runner, name, label);
    return { ...ctx, runner, aws: { ...ctx.aws, ecs: this.poller.port } };
  }

  /** A follower's error, as that service's verdict: `failed` (`cancelled` after a cancel). */
  private thrown(i: number, err: unknown): Followed {
    const u = this.units[i];
    const message = err instanceof Error ? err.message : String(err);
    const id =
      u.update.kind === 'started' || u.update.kind === 'follow-existing' || u.update.kind === 'codedeploy'
        ? u.update.deploymentId
        : undefined;
    const now = new Date(this.ctx.clock.now());
    const startedAt = u.update.kind === 'started' ? u.update.startedAt : now;
    const cancelled = this.ctx.signal.aborted;
    return {
      kind: 'done',
      result: {
        outcome: cancelled ? 'cancelled' : 'failed',
        reason: `Following ${id ? `deployment ${id} of ` : ''}service ${this.labels[i]} stopped before a verdict: ${message}${cancelled ? '' : ' ECS goes on with the deployment.'}`,
        deploymentId: id,
        ...{ events: [], stoppedTasks: [], logTails: [], startedAt, finishedAt: now },
      },
    };
  }
}

/** Whether the step started a deployment of this one (a service it changed). */
function changedByStep(u: FollowUnit): boolean {
  return u.update.kind === 'started' && u.update.created;
}

/** Whether followStage will follow this one (the rest return at once without a call). */
function isFollowed(u: FollowUnit): boolean {
  const started = u.update.kind === 'started' || u.update.kind === 'follow-existing';
  return started && u.request.waitForServiceStability && u.registration.kind === 'done';
}
