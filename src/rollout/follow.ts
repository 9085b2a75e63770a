// Following our one deployment to a verdict: poll DescribeServices (and, where the account has it,
// DescribeServiceDeployments), print what ECS says as it happens, and stop the moment judge()
// (verdict.ts) decides. Never the SDK's waitUntilServicesStable: it calls a rollback a success and
// backs off up to 10 minutes between looks. AWS comes in through the ECS port only, time through a
// clock, so the tests script a deployment and a clock.
//
// The parts, each in its own module: the schedule and request budget (budget.ts), the poll loop
// and its deadline (poll-loop.ts), the event and progress printer (progress.ts), the
// ServiceDeployment lookup (service-deployment.ts), the rollback on timeout (timeout-rollback.ts),
// a deployment of identical content that replaced ours (successor.ts), and the result (result.ts).
// `wait-for-minutes` bounds the whole follow: at the deadline every call still in flight is
// abandoned (one last look taken at the deadline gets LAST_LOOK_MS more); a cancel ends it at once.

import { shortTaskDefinition } from '../lib/arn.js';
import { pollUntil } from './poll-loop.js';
import { buildResult, noVerdictOf, noVerdictText, type ResultExtra } from './result.js';
import { ServiceDeploymentTracker } from './service-deployment.js';
import { FollowSession, type FollowDeps, type FollowOptions, type FollowTarget } from './session.js';
import { isIdenticalSuccessor, successorTarget, successorText } from './successor.js';
import { rollBackOnTimeout } from './timeout-rollback.js';
import type { DeploymentResult, Outcome } from './types.js';
import { judge, type DeploymentRef, type Observation, type Verdict } from './verdict.js';

export {
  MAX_POLL_INTERVAL_MS,
  MAX_REQUESTS_PER_MINUTE,
  POLL_INTERVALS_MS,
  pollInterval,
  RequestWindow,
} from './budget.js';
export { LAST_LOOK_MS } from './poll-loop.js';
export { countsOf, progressLine, shortDeploymentId } from './progress.js';
export type { FollowDeps, FollowLog, FollowOptions, FollowTarget } from './session.js';
export { DEFAULT_ROLLBACK_WAIT_MINUTES } from './timeout-rollback.js';

/** At most this many identical deployments of other runs are followed on, one after another. */
const MAX_SUCCESSORS = 3;

type Decided = Extract<Verdict, { done: true }>;

const OUTCOME_WORDS: Record<Decided['outcome'], string> = {
  succeeded: 'succeeded',
  'rolled-back': 'was rolled back',
  failed: 'failed',
  superseded: 'was replaced in turn',
};

class Follower {
  private readonly s: FollowSession;
  private readonly sd: ServiceDeploymentTracker;
  private waitingFor?: string;
  private successors = 0;

  constructor(deps: FollowDeps, target: FollowTarget, options: FollowOptions) {
    this.s = new FollowSession(deps, target, options);
    this.sd = new ServiceDeploymentTracker(this.s);
  }

  async run(): Promise<DeploymentResult> {
    const { s, sd } = this;
    const { target, options } = s;
    s.log.info(
      `Following deployment ${target.deploymentId} of service ${target.serviceName} (${shortTaskDefinition(target.taskDefinitionArn)}); waiting up to ${options.waitForMinutes} minute(s).`,
    );
    const deadline = s.clock.now() + options.waitForMinutes * 60_000;
    for (;;) {
      const end = await pollUntil(s, sd, deadline, (obs) => this.decide(obs));
      if (end.kind === 'aborted') return this.noVerdict('cancelled', 'Cancelled while following');
      if (end.kind === 'timeout') return this.timedOut();
      const v = end.value;
      if (v.outcome === 'superseded' && v.supersededBy && (await this.mayFollowOn(v.supersededBy))) {
        this.followOn(v.supersededBy);
        continue;
      }
      return this.verdict(v);
    }
  }

  private decide(obs: Observation): Decided | undefined {
    const { s } = this;
    const verdict = judge(obs, s.target);
    if (verdict.done) return verdict;
    if (verdict.waitingFor && verdict.waitingFor !== this.waitingFor) {
      s.log.info(`${s.target.serviceName}: deployment failed; waiting for ${verdict.waitingFor}.`);
    }
    this.waitingFor = verdict.waitingFor;
    return undefined;
  }

  private async mayFollowOn(by: DeploymentRef): Promise<boolean> {
    return this.successors < MAX_SUCCESSORS && (await isIdenticalSuccessor(this.s, by));
  }

  /** Ours was replaced by an identical deployment of another run: follow that one from here. */
  private followOn(by: DeploymentRef): void {
    const { s } = this;
    const next = successorTarget(s, by);
    s.log.info(
      `${s.target.serviceName}: ${s.target.deploymentId} was replaced by ${successorText(s.ours, next)}; following that deployment on.`,
    );
    this.successors++;
    s.target = next;
    this.waitingFor = undefined;
    s.printer.reset();
    this.sd.reset();
  }

  private verdict(v: Decided): DeploymentResult {
    const { s } = this;
    const extra: ResultExtra = {
      rolledBackTo: v.rolledBackTo,
      supersededBy: v.supersededBy,
      rollbackCompleted: v.outcome === 'rolled-back' ? v.rollbackCompleted : undefined,
    };
    if (!s.followingAnother) return buildResult(s, this.sd, v, extra);
    const reason = `Our deployment ${s.ours.deploymentId} was replaced by ${successorText(s.ours, s.target)}, which ${OUTCOME_WORDS[v.outcome]}: ${v.reason}`;
    return buildResult(s, this.sd, { outcome: v.outcome, reason }, { ...extra, followedOn: this.followed() });
  }

  private async timedOut(): Promise<DeploymentResult> {
    const { s } = this;
    const { options } = s;
    const text = this.prefix(noVerdictText(s, `No verdict within ${options.waitForMinutes} minute(s)`));
    // Why there was no verdict, as of the deadline (the rollback below polls on).
    const extra: ResultExtra = { noVerdict: noVerdictOf(s), followedOn: this.followed() };
    if (options.onTimeout !== 'rollback' || s.followingAnother) {
      // Another run's deployment is that run's to roll back.
      const leftTo = s.followingAnother ? ' Rolling it back is left to the run that started it.' : '';
      return this.result('timed-out', `${text} ECS goes on with the deployment.${leftTo}`, extra);
    }
    const rollback = await rollBackOnTimeout(s, this.sd);
    return this.result(rollback.cancelled ? 'cancelled' : 'timed-out', `${text} ${rollback.text}`, {
      ...extra,
      rolledBackTo: rollback.to,
    });
  }

  private noVerdict(outcome: Outcome, lead: string): DeploymentResult {
    const text = this.prefix(noVerdictText(this.s, lead));
    return this.result(outcome, `${text} ECS goes on with the deployment.`, {
      noVerdict: noVerdictOf(this.s),
      followedOn: this.followed(),
    });
  }

  private result(outcome: Outcome, reason: string, extra: ResultExtra): DeploymentResult {
    return buildResult(this.s, this.sd, { outcome, reason }, extra);
  }

  /** When following another run's identical deployment, the reason says so first. */
  private prefix(text: string): string {
    const { s } = this;
    if (!s.followingAnother) return text;
    return `Our deployment ${s.ours.deploymentId} was replaced by ${successorText(s.ours, s.target)}. ${text}`;
  }

  private followed(): DeploymentRef | undefined {
    const { s } = this;
    return s.followingAnother
      ? { deploymentId: s.target.deploymentId, taskDefinitionArn: s.target.taskDefinitionArn }
      : undefined;
  }
}

/**
 * Follows `target` to a verdict. `deps` is how it reaches the world: `{ ecs, clock, log }` (the
 * ECS port, systemClock in production, the step's log). `options.signal` is the workflow cancel.
 */
export function followDeployment(
  deps: FollowDeps,
  target: FollowTarget,
  options: FollowOptions,
): Promise<DeploymentResult> {
  return new Follower(deps, target, options).run();
}
