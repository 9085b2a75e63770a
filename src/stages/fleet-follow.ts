// Stage "follow" for several services: each service is followed by its own follower (followStage,
// one call per service, where a strategy can branch), all at once, over one shared poller
// (src/fleet/shared-poller.ts) that answers their DescribeServices from batched calls. Each gets
// its own verdict. With on-service-failure rollback, the first failure rolls back the others
// still rolling out (src/fleet/rollback.ts); with continue (the default), they finish.
import { rollBackService } from '../fleet/rollback.js';
import { SharedPoller } from '../fleet/shared-poller.js';
import type { DeployRequest } from '../lib/request.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import type { Fleet, Followed, Registration, ServiceCheck, ServiceUpdate, StepContext } from './context.js';
import type { CodeDeployCheck } from './codedeploy.js';
import { followStage } from './follow.js';

interface FollowUnit {
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
  const poller = new SharedPoller(ctx.aws.ecs, { clock: ctx.clock, signal: ctx.signal });
  const shared: StepContext = { ...ctx, aws: { ...ctx.aws, ecs: poller.port } };
  const following = units.map((u) => isFollowed(u));
  for (const [i, u] of units.entries())
    if (following[i]) poller.track(u.request.cluster, u.request.service ?? '');
  const rolledBackFor: Record<number, string> = {};
  let failedFirst: string | undefined;
  const results = await Promise.all(
    units.map(async (u, i) => {
      const followed = await followStage(shared, u);
      following[i] = false;
      poller.untrack(u.request.cluster, u.request.service ?? '');
      const failed = followed.kind === 'done' && FAILING_OUTCOMES.has(followed.result.outcome);
      if (failed && u.request.onServiceFailure === 'rollback' && !failedFirst && !ctx.signal.aborted) {
        failedFirst = u.request.service ?? '';
        const because = `service ${failedFirst} ${followed.result.outcome}`;
        await Promise.all(
          units.map(async (other, j) => {
            if (!following[j] || other.update.kind !== 'started' || !other.update.created) return;
            const rolled = await rollBackService(
              { ecs: ctx.aws.ecs, log: logOf(ctx), signal: ctx.signal },
              {
                cluster: other.request.cluster,
                service: other.request.service ?? '',
                deploymentId: other.update.deploymentId,
                startedAt: other.update.startedAt,
                current: poller.lastSeen(other.request.cluster, other.request.service ?? '')
                  ?.currentServiceDeployment,
              },
              because,
            );
            if (rolled) rolledBackFor[j] = failedFirst ?? '';
          }),
        );
      }
      return followed;
    }),
  );
  results.slice(1).forEach((followed, i) => (fleet.members[i].followed = followed));
  return { followed: results[0], fleet: { ...fleet, rolledBackFor } };
}

/** Whether followStage will follow this one (the rest return at once without a call). */
function isFollowed(u: FollowUnit): boolean {
  const started = u.update.kind === 'started' || u.update.kind === 'follow-existing';
  return started && u.request.waitForServiceStability && u.registration.kind === 'done';
}

function logOf(ctx: StepContext) {
  return {
    info: (line: string) => ctx.runner.info(line),
    warning: (line: string) => ctx.runner.warning(line),
  };
}
