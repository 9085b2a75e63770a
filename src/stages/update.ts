// Stage "update": UpdateService when something changes, nothing when the service already runs our
// revision and is steady (no write, no ecs:UpdateService needed), and no second update when our
// revision is still rolling out from an earlier run (that deployment is followed instead).
import { shortTaskDefinition } from '../lib/arn.js';
import type { DeployRequest } from '../lib/request.js';
import { planServiceUpdate, startDeployment } from '../rollout/deploy.js';
import { serviceVolumeConfigurations, volumeConfigurationChange } from '../rollout/service-volume.js';
import { strategyChanges, withStrategy } from '../strategy/config.js';
import { taskAllowsUpdate } from '../run-task/types.js';
import type { Registration, ServiceCheck, ServiceUpdate, StepContext, TaskRun } from './context.js';
import { writeUnlessCancelled } from './register.js';
import { createCodeDeployDeploymentStage, type CodeDeployCheck } from './codedeploy.js';
import type { Plan } from './context.js';
import {
  applyTags,
  createServiceStage,
  type ServiceDefinitionRead,
  type ServicePlan,
} from './service-definition.js';

interface UpdateDone {
  request: DeployRequest;
  service: ServiceCheck;
  registration: Registration;
  /** The one-off task, which gates the update (wait-for-task-stopped). */
  task?: TaskRun;
  /** With a service definition: the service to create, or its fields and tags to change. */
  servicePlan?: ServicePlan;
  read?: ServiceDefinitionRead;
  /** A CODE_DEPLOY service's checked AppSpec and deployment group: CodeDeploy deploys it. */
  codeDeploy?: CodeDeployCheck;
  /** The plan, for the AppSpec of a dry run (the revision that would be reused). */
  plan?: Plan;
}

/**
 * UpdateService (or, for a service definition's service that does not exist yet, CreateService),
 * then the tags a service definition changes.
 */
export async function updateStage(ctx: StepContext, done: UpdateDone): Promise<ServiceUpdate> {
  const { servicePlan = { kind: 'none' }, read } = done;
  // The gate: a one-off task that did not pass leaves the service as it was, or uncreated.
  if (done.task?.kind === 'done' && !taskAllowsUpdate(done.task.report)) return { kind: 'skipped' };
  if (servicePlan.kind === 'create' && read) return createServiceStage(ctx, { ...done, read });
  // A CODE_DEPLOY service: a CodeDeploy deployment, not UpdateService (stages/codedeploy.ts).
  if (done.codeDeploy?.kind === 'checked') {
    return createCodeDeployDeploymentStage(ctx, { ...done, codeDeploy: done.codeDeploy });
  }
  const update = await updateService(ctx, done);
  const service = done.service.service;
  if (!service || update.kind === 'skipped') return update;
  const tags = await applyTags(ctx, service, servicePlan);
  // Only tags changed: the service was changed all the same, and the outcome says so.
  if (update.kind === 'unchanged' && tags.length > 0) {
    return {
      kind: 'settings-only',
      deploymentId: update.deploymentId ?? '',
      settings: [`tags ${tags.join(', ')}`],
    };
  }
  return update;
}

async function updateService(ctx: StepContext, done: UpdateDone): Promise<ServiceUpdate> {
  const { request, registration } = done;
  const service = done.service.service;
  if (!service || !request.service || registration.kind !== 'done') return { kind: 'skipped' };
  // The gate: a one-off task that did not pass leaves the service as it was (no UpdateService).
  if (done.task?.kind === 'done' && !taskAllowsUpdate(done.task.report)) return { kind: 'skipped' };
  const taskDefinitionArn = registration.taskDefinitionArn;
  const name = service.serviceName ?? request.service;
  // The service definition's fields that differ go in the same UpdateService as the revision.
  const fileFields = done.servicePlan?.kind === 'update' ? done.servicePlan.fields : {};
  const changed = Object.keys(fileFields).map((field) => `${field} changed`);
  // service-managed-ebs-volume: sent only when given, so a configuration set elsewhere is kept.
  const volumes = serviceVolumeConfigurations(request);
  const volumeChange = volumeConfigurationChange(service, volumes);
  if (volumeChange) changed.push(volumeChange);
  const withVolumes = volumes ? { ...fileFields, volumeConfigurations: volumes } : fileFields;
  // deployment-strategy and its numbers go in the same UpdateService, merged into the rest.
  const fields = withStrategy(request, service, withVolumes);
  changed.push(...strategyChanges(request, service));
  const planned = planServiceUpdate(request, service, taskDefinitionArn);
  const plan = changed.length
    ? {
        kind: 'update' as const,
        settings: [...(planned.kind === 'update' ? planned.settings : []), ...changed],
      }
    : planned;
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
      fields,
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
