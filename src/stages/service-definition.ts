// The stages of a service definition (`service-definition`, src/servicedef/): read the file right
// after the inputs (it names the service, so the service stage knows what to look up), check it
// before the gate against the task definition, the service and the inputs (its problems join the
// one list), plan what it changes beside the task definition's diff, and write: CreateService for
// a service to create, or the changed fields with the new revision in the update stage's
// UpdateService, then the tags.
import type { Service, Tag } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../lib/arn.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import { checkServiceDeployable } from '../rollout/deploy.js';
import { primaryOf } from '../rollout/deployment-facts.js';
import {
  checkAgainstInputs,
  checkAgainstService,
  checkAgainstTaskDefinition,
  clusterName,
} from '../servicedef/against.js';
import { checkServiceDefinitionFile } from '../servicedef/checks.js';
import { loadServiceDefinition, problemAt, type ServiceDefinition } from '../servicedef/load.js';
import { createServiceInput, creationDiff, serviceChanges, type ServiceChanges } from '../servicedef/plan.js';
import { placeholderEnvironment } from '../taskdef/placeholders.js';
import type { Draft, InputsRead, Registration, ServiceCheck, ServiceUpdate, StepContext } from './context.js';
import { writeUnlessCancelled } from './register.js';

export const SERVICE_DEFINITION_HEADING =
  'The service definition has problems, so nothing was written to AWS';

/** The file as read; `none` without a `service-definition` input. */
export type ServiceDefinitionRead =
  | { kind: 'none' }
  | { kind: 'loaded'; definition?: ServiceDefinition; problems: Problem[]; unresolved: boolean };

export type ServicePlan =
  { kind: 'none' } | { kind: 'create'; diff: string[] } | ({ kind: 'update' } & ServiceChanges);

/** Stage "service definition": the file loaded, its placeholders filled, checked on its own. */
export async function readServiceDefinition(
  ctx: StepContext,
  inputs: InputsRead,
): Promise<ServiceDefinitionRead> {
  const { serviceDefinitionPath: path, vars, service, cluster } = inputs.request;
  if (!path) return { kind: 'none' };
  const loaded = await loadServiceDefinition(path, vars, placeholderEnvironment(ctx.runner.env));
  const def = loaded.definition;
  const problems = [...loaded.problems];
  if (def)
    problems.push(...checkServiceDefinitionFile(def), ...checkAgainstInputs(def, { service, cluster }));
  return { kind: 'loaded', definition: def, problems, unresolved: loaded.unresolved };
}

/**
 * The inputs with the service and cluster the file names: its `serviceName` when `service` is
 * not given, its `cluster` when the input is left at `default`. Pure.
 */
export function withServiceDefinition(inputs: InputsRead, read: ServiceDefinitionRead): InputsRead {
  const doc = read.kind === 'loaded' ? read.definition?.doc : undefined;
  if (!doc) return inputs;
  const request = { ...inputs.request };
  const named = (value: unknown): value is string =>
    typeof value === 'string' && value !== '' && !value.includes('${');
  if (!request.service && named(doc.serviceName)) request.service = doc.serviceName;
  if (request.cluster === 'default' && named(doc.cluster)) request.cluster = clusterName(doc.cluster);
  return { ...inputs, request };
}

/** Whether a described service can be created over: not there, or deleted (INACTIVE). */
export const isMissing = (service: Service | undefined): boolean => !service || service.status === 'INACTIVE';

/**
 * The service for a step with a service definition: one that does not exist is not an error here
 * (the check stage says whether it may be created); its tags are read when the file sets tags.
 */
export async function describeForDefinition(
  ctx: StepContext,
  request: DeployRequest,
  read: ServiceDefinitionRead,
): Promise<ServiceCheck> {
  const name = request.service ?? '';
  const { services } = await ctx.aws.ecs.describeServices(request.cluster, [name], { signal: ctx.signal });
  const service = services[0];
  if (isMissing(service)) return { missing: true };
  // A service being deleted, or one of another deployment controller, cannot be deployed to.
  for (const warning of checkServiceDeployable(service, request)) ctx.runner.warning(warning);
  const wantsTags = read.kind === 'loaded' && read.definition?.doc.tags !== undefined;
  const tags =
    wantsTags && service.serviceArn
      ? await ctx.aws.ecs.listTagsForResource(service.serviceArn, { signal: ctx.signal })
      : undefined;
  return { service, currentTaskDefinitionArn: service.taskDefinition, tags };
}

/** Stage "service checks": the file against the task definition, the service and the inputs. Pure. */
export function checkServiceDefinitionStage(done: {
  inputs: InputsRead;
  read: ServiceDefinitionRead;
  service: ServiceCheck;
  draft: Draft;
}): Problem[] {
  const { inputs, read, service, draft } = done;
  if (read.kind === 'none') return [];
  const def = read.definition;
  const problems = [...read.problems];
  if (!def) return problems;
  if (draft.taskDefinition && !draft.unresolved) {
    const hasNetwork = service.service?.networkConfiguration !== undefined;
    problems.push(...checkAgainstTaskDefinition(def, draft.taskDefinition, hasNetwork));
  }
  if (service.service) problems.push(...checkAgainstService(def, service.service));
  const { request } = inputs;
  if (service.missing && !request.createService) {
    problems.push({
      ...problemAt(
        def,
        ['serviceName'],
        `Service '${request.service}' does not exist in cluster '${request.cluster}'. Set create-service: true to create it from this file (off by default, so that a typo never creates a stray service).`,
      ),
      input: 'create-service',
    });
  } else if (service.missing && !request.templatePath && !request.taskDefinitionRef) {
    problems.push({
      severity: 'error',
      input: 'task-definition',
      message: `Service '${request.service}' is to be created, so there is no task definition it runs to start from: give task-definition, task-definition-arn or task-definition-family.`,
    });
  }
  return problems;
}

/** Stage "service plan": what the file changes, logged beside the task definition's diff. */
export function servicePlanStage(
  ctx: StepContext,
  done: { request: DeployRequest; read: ServiceDefinitionRead; service: ServiceCheck },
): ServicePlan {
  const { request, read, service } = done;
  const doc = read.kind === 'loaded' ? read.definition?.doc : undefined;
  if (!doc) return { kind: 'none' };
  const plan: ServicePlan = service.service
    ? { kind: 'update', ...serviceChanges(doc, service.service, service.tags) }
    : { kind: 'create', diff: creationDiff(doc) };
  const name = request.service ?? '';
  const title =
    plan.kind === 'create'
      ? `Service: ${name} does not exist and will be created in cluster ${request.cluster}`
      : plan.diff.length === 0
        ? `Service: no changes to ${name}.`
        : `Service: ${plan.diff.length} change${plan.diff.length === 1 ? '' : 's'} to ${name}`;
  if (plan.diff.length === 0) {
    ctx.runner.info(title);
    return plan;
  }
  // As the task definition's plan: open in a dry run, folded otherwise.
  if (!request.dryRun) ctx.runner.startGroup(title);
  else ctx.runner.info(title);
  for (const line of plan.diff) ctx.runner.info(`  ${line}`);
  if (!request.dryRun) ctx.runner.endGroup();
  return plan;
}

/** CreateService with our revision; its first deployment is then followed like any other. */
export async function createServiceStage(
  ctx: StepContext,
  done: { request: DeployRequest; read: ServiceDefinitionRead; registration: Registration },
): Promise<ServiceUpdate> {
  const { request, read, registration } = done;
  const doc = read.kind === 'loaded' ? read.definition?.doc : undefined;
  if (!doc || registration.kind !== 'done' || !request.service) return { kind: 'skipped' };
  const taskDefinitionArn = registration.taskDefinitionArn;
  const input = createServiceInput(doc, {
    cluster: request.cluster,
    taskDefinitionArn,
    desiredCount: request.desiredCount,
  });
  const what = { operation: 'CreateService', doing: `creating service ${request.service}` };
  const calledAt = new Date(ctx.clock.now());
  const created = await writeUnlessCancelled(ctx, what, () =>
    ctx.aws.ecs.createService(input, { signal: ctx.signal }),
  );
  const primary = primaryOf(created);
  if (!primary?.id)
    throw new Error(`CreateService returned no PRIMARY deployment for service '${request.service}'.`);
  ctx.runner.info(
    `Service ${request.service} created in cluster ${request.cluster} with ${shortTaskDefinition(taskDefinitionArn)} (deployment ${primary.id}, desired count ${input.desiredCount ?? 0}); a first deployment has nothing to roll back to.`,
  );
  return {
    kind: 'started',
    deploymentId: primary.id,
    startedAt: primary.createdAt ?? calledAt,
    createdAt: primary.createdAt,
    created: true,
    settings: ['created'],
  };
}

/** TagResource / UntagResource for the tags the file changes on an existing service. */
/** Applies the tag changes; returns them, said for a person (`team=web`, `-old`). */
export async function applyTags(ctx: StepContext, service: Service, plan: ServicePlan): Promise<string[]> {
  if (plan.kind !== 'update' || !service.serviceArn) return [];
  const arn = service.serviceArn;
  const { set, remove } = plan.tags;
  const name = service.serviceName ?? arn;
  if (set.length) {
    await writeUnlessCancelled(ctx, { operation: 'TagResource', doing: `tagging service ${name}` }, () =>
      ctx.aws.ecs.tagResource(arn, set, { signal: ctx.signal }),
    );
  }
  if (remove.length) {
    await writeUnlessCancelled(ctx, { operation: 'UntagResource', doing: `untagging service ${name}` }, () =>
      ctx.aws.ecs.untagResource(arn, remove, { signal: ctx.signal }),
    );
  }
  const changed = [...set.map((t: Tag) => `${t.key}=${t.value ?? ''}`), ...remove.map((k) => `-${k}`)];
  if (changed.length) ctx.runner.info(`Service ${name} tags: ${changed.join(', ')}.`);
  return changed;
}
