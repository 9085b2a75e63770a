// Runs the stages of one step in order (DESIGN.md, "What one step does"); the decisions live in
// the modules it calls. Nothing is written to AWS until the inputs, the service and the rendered
// task definition have all been checked.
import * as core from '@actions/core';
import { createAwsPorts } from './aws/clients.js';
import type { AwsPorts } from './aws/ports.js';
import { AwsCallError } from './aws/errors.js';
import { parseInputs } from './inputs/index.js';
import { ProblemsError } from './lib/problems.js';
import { renderFailureSummary } from './report/failure.js';
import { annotate, publish, type RunReport } from './report/publish.js';
import { shortTaskDefinition } from './lib/arn.js';
import { secretInputValues } from './lib/mask.js';
import { actionOutputs, writeRenderedTaskDefinition } from './report/outputs.js';
import type { DeployRequest } from './lib/request.js';
import { checkServiceDeployable, planServiceUpdate, startDeployment } from './rollout/deploy.js';
import { diagnose, ecsDiagnoseDeps } from './rollout/diagnose.js';
import { ecsFollowDeps, followDeployment, type FollowTarget } from './rollout/follow.js';
import { FAILING_OUTCOMES } from './rollout/types.js';
import { resolveBase } from './taskdef/base.js';
import { findComparison } from './taskdef/compare.js';
import { diffTaskDefinitions, formatDiff } from './taskdef/diff.js';
import { containerImages, planReason } from './taskdef/plan.js';
import { placeholderEnvironment } from './taskdef/placeholders.js';
import { prepareTaskDefinition } from './taskdef/prepare.js';

export async function run(): Promise<void> {
  const startedAt = Date.now();
  // A workflow cancel sends SIGINT, then SIGTERM: stop following, say where the deployment
  // stands, and exit (ECS carries on with it either way).
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!cancel.signal.aborted) core.warning(`${signal} received: the step is being cancelled.`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress: Progress = { registered: false, serviceUpdated: false };
  try {
    const request = parseInputs((name) => core.getInput(name));
    for (const value of secretInputValues(request)) core.setSecret(value);
    progress.service = request.service;
    progress.cluster = request.cluster;
    const report = await deploy(request, createAwsPorts(), cancel.signal, startedAt, progress);
    await publish(report);
  } catch (err) {
    await fail(err, progress);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** What a step learned and did before it ended; a failure still reports it. */
interface Progress {
  service?: string;
  cluster?: string;
  renderedTaskDefinitionPath?: string;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  deploymentId?: string;
  /** A new revision was registered (not an existing one reused). */
  registered: boolean;
  serviceUpdated: boolean;
}

async function deploy(
  request: DeployRequest,
  aws: AwsPorts,
  signal: AbortSignal,
  startedAt: number,
  progress: Progress,
): Promise<RunReport> {
  const describe = (ref: string) => aws.ecs.describeTaskDefinition(ref);
  const warn = (message: string): void => core.warning(message);

  // The service first: a missing service or one this action cannot roll out to stops the step
  // before anything is registered.
  const service = request.service
    ? await aws.ecs.describeService(request.cluster, request.service)
    : undefined;
  if (service) checkServiceDeployable(service, request).forEach(warn);
  const currentArn = service?.taskDefinition;
  progress.previousTaskDefinitionArn = currentArn;

  const base = await resolveBase(request, currentArn, {
    describeTaskDefinition: describe,
    env: placeholderEnvironment(process.env),
  });
  const { taskDefinition, warnings } = prepareTaskDefinition(base, request);
  annotate(warnings);
  const renderedPath = await writeRenderedTaskDefinition(
    taskDefinition,
    process.env.RUNNER_TEMP,
    String(taskDefinition.family),
  );
  progress.renderedTaskDefinitionPath = renderedPath;

  // The plan is shown against what the service runs; an identical registered revision, wherever
  // it is, is reused instead of registering a copy.
  const { diffAgainst, reuse } = await findComparison(base, taskDefinition, currentArn, describe, warn);
  const diff = formatDiff(diffTaskDefinitions(diffAgainst?.doc, taskDefinition));
  logPlan(diff, diffAgainst?.arn, request.dryRun);

  const report = (fields: Pick<RunReport, 'outcome' | 'reason'> & Partial<RunReport>): RunReport => ({
    region: aws.region,
    cluster: request.cluster,
    service: service?.serviceName ?? request.service,
    previousTaskDefinitionArn: currentArn,
    images: containerImages(taskDefinition),
    warnings,
    dryRun: request.dryRun,
    renderedTaskDefinitionPath: renderedPath,
    diff,
    durationMs: Date.now() - startedAt,
    ...fields,
  });

  if (request.dryRun) {
    return report({
      outcome: 'planned',
      reason: planReason({
        changes: diff.length,
        diffAgainstArn: diffAgainst?.arn,
        reuseArn: reuse?.arn,
        currentArn,
        forceNewDeployment: request.forceNewDeployment,
      }),
      taskDefinitionArn: reuse?.arn,
    });
  }

  stopIfCancelled(signal, 'registering the task definition');
  const taskDefinitionArn = reuse
    ? reuse.arn
    : (await aws.ecs.registerTaskDefinition(taskDefinition, base.tags)).arn;
  progress.taskDefinitionArn = taskDefinitionArn;
  progress.registered = !reuse;
  core.info(
    reuse
      ? `${taskDefinitionArn} already has this definition: using it, nothing registered.`
      : `Registered ${taskDefinitionArn}.`,
  );
  if (!service || !request.service) {
    return report({
      outcome: reuse ? 'unchanged' : 'registered',
      reason: reuse
        ? `${taskDefinitionArn} already has this definition; nothing was registered.`
        : `Registered ${taskDefinitionArn}.`,
      taskDefinitionArn,
    });
  }

  // The service's own name for people; what the user gave (a name or an ARN) for API calls.
  const serviceName = service.serviceName ?? request.service;
  const plan = planServiceUpdate(request, service, taskDefinitionArn);
  if (plan.kind === 'unchanged') {
    return report({
      outcome: 'unchanged',
      reason: `Service ${serviceName} already runs ${taskDefinitionArn} and is steady${plan.deploymentId ? ` (deployment ${plan.deploymentId})` : ''}; nothing was changed. Use force-new-deployment to restart its tasks.`,
      taskDefinitionArn,
      deploymentId: plan.deploymentId,
    });
  }

  let deploymentId: string;
  let previousPrimaryId: string | undefined;
  let followFrom: Date;
  let createdAt: Date | undefined;
  if (plan.kind === 'follow-existing') {
    // Nothing to change, but our revision is still rolling out (an earlier run's deployment).
    deploymentId = plan.deploymentId;
    createdAt = plan.createdAt;
    followFrom = new Date();
    core.info(
      `Service ${serviceName} is already rolling out ${shortTaskDefinition(taskDefinitionArn)} (deployment ${deploymentId}, started before this run); nothing to update.`,
    );
  } else {
    stopIfCancelled(signal, `updating service ${serviceName}`);
    const started = await startDeployment(aws.ecs, { request, before: service, taskDefinitionArn });
    progress.serviceUpdated = true;
    if (plan.settings.length) core.info(`Service ${serviceName} settings: ${plan.settings.join('; ')}.`);
    if (!started.follow) {
      return report({
        outcome: 'unchanged',
        reason: `Service ${serviceName} updated (${plan.settings.join('; ')}); it already runs ${shortTaskDefinition(taskDefinitionArn)}, so ECS started no new deployment.`,
        taskDefinitionArn,
        deploymentId: started.deploymentId,
      });
    }
    deploymentId = started.deploymentId;
    previousPrimaryId = started.previousPrimaryId;
    followFrom = started.startedAt;
    createdAt = started.createdAt;
    if (started.created) progress.deploymentId = deploymentId;
    core.info(
      started.created
        ? `Deployment ${deploymentId} of ${shortTaskDefinition(taskDefinitionArn)} to service ${serviceName} started.`
        : `Service ${serviceName} is already rolling out ${shortTaskDefinition(taskDefinitionArn)} (deployment ${deploymentId}, started before this run).`,
    );
  }
  if (!request.waitForServiceStability) {
    return report({
      outcome: plan.kind === 'follow-existing' ? 'unchanged' : 'started',
      reason: `Deployment ${deploymentId} ${plan.kind === 'follow-existing' ? 'is rolling out from an earlier run' : 'started'}; not followed because wait-for-service-stability is false.`,
      taskDefinitionArn,
      deploymentId,
    });
  }

  const target: FollowTarget = {
    deploymentId,
    taskDefinitionArn,
    previousPrimaryId,
    serviceName: request.service,
    startedAt: followFrom,
    createdAt,
  };
  const log = { info: (line: string) => core.info(line), warning: warn };
  const result = await followDeployment(ecsFollowDeps(aws.ecs, request.cluster, target, log), target, {
    waitForMinutes: request.waitForMinutes,
    onTimeout: request.onTimeout,
    signal,
  });
  if (FAILING_OUTCOMES.has(result.outcome) && result.outcome !== 'cancelled') {
    const deps = ecsDiagnoseDeps(
      aws,
      { cluster: request.cluster, service: request.service, deploymentId },
      log,
    );
    Object.assign(result, await diagnose(deps, { deploymentId, taskDefinition }));
  }
  return report({
    outcome: result.outcome,
    reason: result.reason,
    taskDefinitionArn,
    deploymentId,
    deployment: result,
  });
}

/** A cancel before a write stops the step there; once following, the follower handles it. */
function stopIfCancelled(signal: AbortSignal, beforeWhat: string): void {
  if (signal.aborted) throw new Error(`The step was cancelled before ${beforeWhat}; that was not done.`);
}

function logPlan(diff: string[], comparedWith: string | undefined, dryRun: boolean): void {
  if (comparedWith && diff.length === 0) {
    core.info(`Task definition: no changes from ${comparedWith}.`);
    return;
  }
  const title = comparedWith
    ? `Task definition: ${diff.length} change${diff.length === 1 ? '' : 's'} against ${comparedWith}`
    : 'Task definition: a new family (nothing registered to compare with)';
  // A dry run is about the plan, so it is shown open; otherwise it is folded.
  if (!dryRun) core.startGroup(title);
  else core.info(title);
  for (const line of diff) core.info(`  ${line}`);
  if (!dryRun) core.endGroup();
}

/**
 * Every failure before a verdict: what the user gave, what AWS refused, or a bug. The outputs
 * known so far are still set (a registered revision, a started deployment); `outcome` is left
 * unset, since no verdict was reached.
 */
async function fail(err: unknown, progress: Progress): Promise<void> {
  const problems = err instanceof ProblemsError ? err.problems : [];
  annotate(problems);
  const message =
    err instanceof ProblemsError
      ? `${err.message.split('\n')[0].replace(/:$/, '')}, each listed above.`
      : err instanceof Error
        ? err.message
        : String(err);
  const { outcome: _none, ...known } = actionOutputs({ outcome: 'failed', ...progress });
  for (const [name, value] of Object.entries(known)) core.setOutput(name, value);
  try {
    await core.summary.addRaw(renderFailureSummary({ message, problems, ...progress }), true).write();
  } catch {
    // No GITHUB_STEP_SUMMARY outside a runner; the log has it all.
  }
  if (
    err instanceof Error &&
    !(err instanceof ProblemsError) &&
    !(err instanceof AwsCallError) &&
    err.stack
  ) {
    core.debug(err.stack);
  }
  core.setFailed(message);
}
