// Stages "follow" and "diagnose": our one deployment followed to a verdict, and, when it failed,
// why (stopped tasks grouped by how they stopped, their containers' last log lines).
import type { DeployRequest } from '../lib/request.js';
import { diagnose, type Diagnosis } from '../rollout/diagnose.js';
import { followDeployment, type FollowTarget } from '../rollout/follow.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import { effectiveStrategy, isStaged } from '../strategy/checks.js';
import { followStaged } from '../strategy/follow.js';
import { taskDefinitionsOf } from '../strategy/task-definitions.js';
import type {
  Followed,
  Registration,
  Rendered,
  ServiceCheck,
  ServiceUpdate,
  StepContext,
} from './context.js';
import { followCodeDeployStage, type CodeDeployCheck } from './codedeploy.js';

export async function followStage(
  ctx: StepContext,
  done: {
    request: DeployRequest;
    registration: Registration;
    update: ServiceUpdate;
    service?: ServiceCheck;
    codeDeploy?: CodeDeployCheck;
  },
): Promise<Followed> {
  const { request, registration, update } = done;
  if (update.kind === 'codedeploy') return followCodeDeployStage(ctx, { ...done, update });
  if (update.kind !== 'started' && update.kind !== 'follow-existing') return { kind: 'skipped' };
  if (!request.waitForServiceStability || !request.service || registration.kind !== 'done') {
    return { kind: 'not-waiting' };
  }
  // BLUE_GREEN, LINEAR and CANARY: followed stage by stage through the service deployment.
  const strategy = effectiveStrategy(request, done.service?.service);
  if (isStaged(strategy)) {
    const result = await followStaged(
      { ecs: ctx.aws.ecs, clock: ctx.clock, log: logOf(ctx) },
      {
        strategy,
        cluster: request.cluster,
        serviceName: request.service,
        deploymentId: update.deploymentId,
        startedAt: update.createdAt ?? update.startedAt,
        // Blue from the service as it was before the update, green the revision registered.
        taskDefinitions: taskDefinitionsOf(done.service?.service, {
          [update.deploymentId]: registration.taskDefinitionArn,
        }),
      },
      {
        waitForMinutes: request.waitForMinutes,
        onTimeout: request.onTimeout,
        signal: ctx.signal,
        waitUntilStage: request.waitUntilStage,
        continueOnPause: request.continueOnPause,
      },
    );
    return { kind: 'done', result };
  }
  const target: FollowTarget = {
    cluster: request.cluster,
    serviceName: request.service,
    deploymentId: update.deploymentId,
    taskDefinitionArn: registration.taskDefinitionArn,
    previousPrimaryId: update.kind === 'started' ? update.previousPrimaryId : undefined,
    startedAt: update.startedAt,
    createdAt: update.createdAt,
  };
  const result = await followDeployment({ ecs: ctx.aws.ecs, clock: ctx.clock, log: logOf(ctx) }, target, {
    waitForMinutes: request.waitForMinutes,
    onTimeout: request.onTimeout,
    signal: ctx.signal,
  });
  return { kind: 'done', result };
}

/**
 * Only a failed verdict is diagnosed: not a cancel (it would hold the step), and not when AWS was
 * unreachable (each call would wait out its timeout for nothing).
 */
export async function diagnoseStage(
  ctx: StepContext,
  done: { request: DeployRequest; rendered: Rendered; followed: Followed },
): Promise<Diagnosis> {
  const { request, followed } = done;
  const none: Diagnosis = { stoppedTasks: [], logTails: [] };
  if (followed.kind !== 'done' || !request.service) return none;
  const { outcome, deploymentId, followedOn, noVerdict } = followed.result;
  if (!FAILING_OUTCOMES.has(outcome) || outcome === 'cancelled' || !deploymentId) return none;
  if (noVerdict?.cause === 'aws-unreachable') return none;
  return diagnose(
    { ecs: ctx.aws.ecs, logs: ctx.aws.logs, log: logOf(ctx), signal: ctx.signal },
    {
      cluster: request.cluster,
      service: request.service,
      // When another run's identical deployment was followed on, its tasks are the evidence.
      deploymentId: followedOn?.deploymentId ?? deploymentId,
      taskDefinition: done.rendered.taskDefinition,
    },
  );
}

export function logOf(ctx: StepContext) {
  return {
    info: (line: string) => ctx.runner.info(line),
    warning: (line: string) => ctx.runner.warning(line),
  };
}
