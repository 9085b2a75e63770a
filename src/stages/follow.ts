// Stages "follow" and "diagnose": our one deployment followed to a verdict, and, when it failed,
// why (stopped tasks grouped by how they stopped, their containers' last log lines).
import type { DeployRequest } from '../lib/request.js';
import { diagnose, ecsDiagnoseDeps, type Diagnosis } from '../rollout/diagnose.js';
import { ecsFollowDeps, followDeployment, type FollowTarget } from '../rollout/follow.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import type { Followed, Registration, Rendered, ServiceUpdate, StepContext } from './context.js';

export async function followStage(
  ctx: StepContext,
  done: { request: DeployRequest; registration: Registration; update: ServiceUpdate },
): Promise<Followed> {
  const { request, registration, update } = done;
  if (update.kind !== 'started' && update.kind !== 'follow-existing') return { kind: 'skipped' };
  if (!request.waitForServiceStability || !request.service || registration.kind !== 'done') {
    return { kind: 'not-waiting' };
  }
  const target: FollowTarget = {
    deploymentId: update.deploymentId,
    taskDefinitionArn: registration.taskDefinitionArn,
    previousPrimaryId: update.kind === 'started' ? update.previousPrimaryId : undefined,
    serviceName: request.service,
    startedAt: update.startedAt,
    createdAt: update.createdAt,
  };
  const log = {
    info: (line: string) => ctx.runner.info(line),
    warning: (line: string) => ctx.runner.warning(line),
  };
  const deps = { ...ecsFollowDeps(ctx.aws.ecs, request.cluster, target, log), ...ctx.clock };
  const result = await followDeployment(deps, target, {
    waitForMinutes: request.waitForMinutes,
    onTimeout: request.onTimeout,
    signal: ctx.signal,
  });
  return { kind: 'done', result };
}

/** Only a failed verdict is diagnosed; a cancel is not waited on for it. */
export async function diagnoseStage(
  ctx: StepContext,
  done: { request: DeployRequest; rendered: Rendered; followed: Followed },
): Promise<Diagnosis> {
  const { request, followed } = done;
  const none: Diagnosis = { stoppedTasks: [], logTails: [] };
  if (followed.kind !== 'done' || !request.service) return none;
  const { outcome, deploymentId } = followed.result;
  if (!FAILING_OUTCOMES.has(outcome) || outcome === 'cancelled' || !deploymentId) return none;
  const deps = ecsDiagnoseDeps(
    ctx.aws,
    { cluster: request.cluster, service: request.service, deploymentId },
    { warning: (line) => ctx.runner.warning(line) },
  );
  return diagnose(deps, { deploymentId, taskDefinition: done.rendered.taskDefinition });
}
