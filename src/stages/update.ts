// Stage "update": UpdateService when something changes, nothing when the service already runs our
// revision and is steady (no write, no ecs:UpdateService needed), and no second update when our
// revision is still rolling out from an earlier run (that deployment is followed instead).
import { shortTaskDefinition } from '../lib/arn.js';
import type { DeployRequest } from '../lib/request.js';
import { planServiceUpdate, startDeployment } from '../rollout/deploy.js';
import { taskAllowsUpdate } from '../run-task/types.js';
import type { Registration, ServiceCheck, ServiceUpdate, StepContext, TaskRun } from './context.js';
import { writeUnlessCancelled } from './register.js';

export async function updateStage(
  ctx: StepContext,
  done: { request: DeployRequest; service: ServiceCheck; registration: Registration; task?: TaskRun },
): Promise<ServiceUpdate> {
  const { request, registration } = done;
  const service = done.service.service;
  if (!service || !request.service || registration.kind !== 'done') return { kind: 'skipped' };
  // The gate: a one-off task that did not pass leaves the service as it was (no UpdateService).
  if (done.task?.kind === 'done' && !taskAllowsUpdate(done.task.report)) return { kind: 'skipped' };
  const taskDefinitionArn = registration.taskDefinitionArn;
  const name = service.serviceName ?? request.service;
  const plan = planServiceUpdate(request, service, taskDefinitionArn);
  if (plan.kind === 'unchanged') return { kind: 'unchanged', deploymentId: plan.deploymentId };
  if (plan.kind === 'follow-existing') {
    ctx.runner.info(
      `Service ${name} is already rolling out ${shortTaskDefinition(taskDefinitionArn)} (deployment ${plan.deploymentId}, started before this run); nothing to update.`,
    );
    return { ...plan, startedAt: new Date(ctx.clock.now()) };
  }
  const what = { operation: 'UpdateService', doing: `updating service ${name}` };
  const started = await writeUnlessCancelled(ctx, what, () =>
    startDeployment(ctx.aws.ecs, {
      request,
      before: service,
      taskDefinitionArn,
      now: () => new Date(ctx.clock.now()),
      signal: ctx.signal,
    }),
  );
  if (plan.settings.length) ctx.runner.info(`Service ${name} settings: ${plan.settings.join('; ')}.`);
  if (!started.follow) {
    return { kind: 'settings-only', deploymentId: started.deploymentId, settings: plan.settings };
  }
  ctx.runner.info(
    started.created
      ? `Deployment ${started.deploymentId} of ${shortTaskDefinition(taskDefinitionArn)} to service ${name} started.`
      : `Service ${name} is already rolling out ${shortTaskDefinition(taskDefinitionArn)} (deployment ${started.deploymentId}, started before this run).`,
  );
  return {
    kind: 'started',
    deploymentId: started.deploymentId,
    previousPrimaryId: started.previousPrimaryId,
    startedAt: started.startedAt,
    createdAt: started.createdAt,
    created: started.created,
    settings: plan.settings,
  };
}
