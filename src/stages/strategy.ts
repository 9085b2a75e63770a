// Stages of ECS-native blue/green, linear and canary deployments (src/strategy/): the strategy
// inputs checked against the service before the gate (its problems are one of the gate's
// sources), and the continue step: `continue-deployment` continues (or rolls back) a paused
// service deployment and follows it on to its verdict, registering nothing and starting no
// deployment (docs/architecture.md, "The flow of one step").
import { INPUTS_HEADING } from '../inputs/index.js';
import { errorsOf, ProblemsError, type Problem } from '../lib/problems.js';
import type { RunReport } from '../report/publish.js';
import { annotate } from '../report/publish.js';
import { deploymentIdOfRevision } from '../rollout/deployment-facts.js';
import { checkStrategy } from '../strategy/checks.js';
import { continueDeployment } from '../strategy/continue.js';
import { followStaged } from '../strategy/follow.js';
import { taskDefinitionsOf } from '../strategy/task-definitions.js';
import type { InputsRead, ServiceCheck, StepContext, StepRecord } from './context.js';
import { logOf } from './follow.js';
import { writeUnlessCancelled } from './register.js';
import { checkService } from './service.js';

export const STRATEGY_HEADING =
  'The deployment strategy inputs do not fit the service, so nothing was written to AWS';

/** The strategy inputs against the service (none without a service, or while inputs have problems). */
export function strategyChecksStage(done: { inputs: InputsRead; service: ServiceCheck }): Problem[] {
  if (errorsOf(done.inputs.problems).length > 0) return [];
  return checkStrategy(done.inputs.request, done.service.service);
}

/**
 * Whether this step continues a paused deployment instead of deploying: also when
 * continue-deployment was given but refused (not a service deployment ARN), so the step stops
 * with that input's error rather than taking the deploy path.
 */
export function isContinueStep(record: StepRecord): boolean {
  const inputs = record.inputs;
  if (!inputs) return false;
  return (
    !!inputs.request.continueDeployment || inputs.problems.some((p) => p.input === 'continue-deployment')
  );
}

/**
 * The continue step: the inputs (every problem stops it before the write), the service, then
 * ContinueServiceDeployment for the paused hook, then the deployment followed on.
 */
export async function runContinueStages(ctx: StepContext, r: StepRecord): Promise<RunReport> {
  const inputs = r.inputs as InputsRead;
  if (errorsOf(inputs.problems).length > 0) throw new ProblemsError(inputs.problems, INPUTS_HEADING);
  annotate(ctx.runner, inputs.problems);
  const request = (r.request = inputs.request);
  const service = (r.service = await checkService(ctx, inputs));
  const arn = request.continueDeployment ?? '';
  const action = request.continueAction ?? 'CONTINUE';
  const what = { operation: 'ContinueServiceDeployment', doing: `continuing ${arn}` };
  const continued = await writeUnlessCancelled(ctx, what, () =>
    continueDeployment(ctx.aws.ecs, { arn, action }, { signal: ctx.signal }),
  );
  const sd = continued.serviceDeployment;
  ctx.runner.info(
    `${request.service ?? ''}: ContinueServiceDeployment ${action} for the PAUSE hook ${continued.hookId} at ${continued.stage ?? 'an unknown stage'}.`,
  );
  const base: RunReport = {
    outcome: 'started',
    reason: `Asked ECS to ${action === 'ROLLBACK' ? 'roll back' : 'continue'} service deployment ${arn}; not followed because wait-for-service-stability is false.`,
    region: ctx.aws.region,
    cluster: request.cluster,
    service: service.service?.serviceName ?? request.service,
    taskDefinitionArn: service.currentTaskDefinitionArn,
    images: [],
    warnings: inputs.problems,
    dryRun: false,
    durationMs: 0,
    deploymentId: deploymentIdOfRevision(sd.targetServiceRevision?.arn),
    serviceDeploymentArn: arn,
  };
  if (!request.waitForServiceStability) return { ...base, durationMs: ctx.clock.now() - ctx.startedAt };
  const result = await followStaged(
    { ecs: ctx.aws.ecs, clock: ctx.clock, log: logOf(ctx) },
    {
      strategy: service.service?.deploymentConfiguration?.strategy,
      cluster: request.cluster,
      serviceName: request.service ?? '',
      serviceDeploymentArn: arn,
      deploymentId: base.deploymentId,
      startedAt: sd.createdAt ?? new Date(ctx.clock.now()),
      taskDefinitions: taskDefinitionsOf(service.service),
    },
    {
      waitForMinutes: request.waitForMinutes,
      onTimeout: request.onTimeout,
      signal: ctx.signal,
      waitUntilStage: request.waitUntilStage,
      continueOnPause: request.continueOnPause,
      acted: [continued.hookId],
    },
  );
  const asked = action === 'ROLLBACK' && result.outcome === 'rolled-back' ? 'continue-action ROLLBACK: ' : '';
  return {
    ...base,
    outcome: result.outcome,
    reason: `${asked}${result.reason}`,
    deployment: result,
    ...(result.staged?.pausedHookId ? { pausedHookId: result.staged.pausedHookId } : {}),
    durationMs: ctx.clock.now() - ctx.startedAt,
  };
}
