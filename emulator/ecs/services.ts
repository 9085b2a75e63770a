// CreateService, UpdateService, DescribeServices and the ServiceDeployment operations: input checks
// with ECS's messages, which changes start a deployment (docs/ecs-behaviour.md, "What starts a deployment"), and the Service output shape.
import type {
  DeploymentConfiguration,
  DeploymentController,
  LaunchType,
  NetworkConfiguration,
  PropagateTags,
  Service,
  ServiceDeploymentBrief,
  Tag,
} from '@aws-sdk/client-ecs';

import { AwsError } from '../core.js';
import { withDeploymentDefaults } from './breaker.js';
import { serviceKey, type Ctx } from './context.js';
import {
  counts,
  createDeployment,
  currentThreshold,
  deploymentOutput,
  fargatePlatform,
  governingServiceDeployment,
  ONGOING,
  serviceDeploymentBrief,
  serviceDeploymentOutput,
  serviceRevisionOutput,
  setServiceDeploymentStatus,
} from './deployments.js';
import { rolloutReason, serviceDeploymentReason, serviceEvent } from './events.js';
import {
  asInput,
  clientError,
  compact,
  deepEqual,
  describeEach,
  invalidParameter,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  paginate,
  reqString,
  toEpochMs,
  type Input,
} from './input.js';
import { validateDeploymentConfiguration, validateDesiredCount, validateGracePeriod } from './limits.js';
import { clusterNameOf, refuseForeignArn, serviceNameOf } from './refs.js';
import { addEvent, requestReconcile, serviceCounts, serviceDeploymentsOf } from './rollout.js';
import type { ServiceRec, TaskDefRec } from './state.js';
import { seedRunningTask } from './tasks.js';
import { checkFargateNetwork, checkLoadBalancers, storedFields } from './service-fields.js';
import { initTaskSets, serviceTaskSets } from './task-sets.js';

export const clusterNotFound = (): AwsError =>
  new AwsError('ClusterNotFoundException', 'Cluster not found.', 400);
const serviceNotFound = (): AwsError => new AwsError('ServiceNotFoundException', 'Service not found.', 400);

/**
 * A cluster name from a name or ARN (default: `default`); throws ClusterNotFoundException, or
 * InvalidParameterException for an ARN of another region or account.
 */
export function resolveCluster(ctx: Ctx, ref: string | undefined): string {
  const name = ref === undefined || ref === '' ? 'default' : clusterNameOf(ctx, ref);
  if (!ctx.clusters.has(name)) throw clusterNotFound();
  return name;
}

/** A service by name or ARN; an ARN of another region, account or cluster is refused. */
export function findService(ctx: Ctx, cluster: string, ref: string): ServiceRec | undefined {
  return ctx.services.get(serviceKey(cluster, serviceNameOf(ctx, cluster, ref)));
}

/** ECS resolves `family`, `family:revision` or an ARN; unknown and INACTIVE give ClientException. */
export function resolveTaskDefinition(ctx: Ctx, ref: string): TaskDefRec {
  refuseForeignArn(ctx, ref);
  const rec = ctx.taskDefs.find(ref);
  if (!rec) throw clientError('TaskDefinition not found.');
  if (rec.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return rec;
}

const CODE_DEPLOY_TD =
  'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Please use Code Deploy to trigger a new deployment.';
const CODE_DEPLOY_FORCE =
  'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Please use Code Deploy to trigger a new deployment.';
const EXTERNAL_TD =
  'Unable to update task definition on services with a EXTERNAL deployment controller. Use task sets to deploy a new task definition.';
const EXTERNAL_FORCE =
  'Cannot force a new deployment on services with a EXTERNAL deployment controller. Use task sets to deploy a new task definition.';
const AWSVPC_NEEDS_NETWORK = "Network Configuration must be provided when networkMode 'awsvpc' is specified.";

function objectOrUndefined<T>(input: Input, key: string): T | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object') throw invalidParameter(`${key} must be a structure.`);
  return v as T;
}

function tagsOf(input: Input): Tag[] {
  const tags = input.tags;
  if (!Array.isArray(tags)) return [];
  return tags.map((t) => ({ key: String(t?.key ?? ''), value: String(t?.value ?? '') }));
}

/** CreateService; with `seeded`, the service starts steady (one COMPLETED deployment, tasks RUNNING). */
export function createService(ctx: Ctx, raw: unknown, seeded = false): ServiceRec {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const name = reqString(input, 'serviceName');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw invalidParameter(
      'Service name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  const existing = ctx.services.get(serviceKey(cluster, name));
  if (existing && existing.status === 'ACTIVE')
    throw invalidParameter('Creation of service was not idempotent.');
  const controller: DeploymentController = objectOrUndefined<DeploymentController>(
    input,
    'deploymentController',
  ) ?? { type: 'ECS' };
  const taskDef = resolveTaskDefinition(ctx, reqString(input, 'taskDefinition'));
  const desiredCount = optNumber(input, 'desiredCount') ?? 0;
  validateDesiredCount(desiredCount);
  validateGracePeriod(optNumber(input, 'healthCheckGracePeriodSeconds'));
  const networkConfiguration = objectOrUndefined<NetworkConfiguration>(input, 'networkConfiguration');
  if (!seeded && taskDef.body.networkMode === 'awsvpc' && !networkConfiguration)
    throw invalidParameter(AWSVPC_NEEDS_NETWORK);
  const cfgInput = objectOrUndefined<DeploymentConfiguration>(input, 'deploymentConfiguration');
  if (cfgInput) validateDeploymentConfiguration(cfgInput);
  const launchType = (optString(input, 'launchType') ?? 'FARGATE') as LaunchType;
  if (!seeded) checkFargateNetwork(launchType, taskDef);
  const loadBalancers = seeded ? undefined : checkLoadBalancers(input.loadBalancers, taskDef);
  const role = optString(input, 'role');
  const now = ctx.now();
  const svc: ServiceRec = {
    name,
    arn: ctx.arns.service(cluster, name),
    cluster,
    status: 'ACTIVE',
    desiredCount,
    taskDefinition: taskDef.arn,
    deploymentConfiguration: withDeploymentDefaults(cfgInput),
    deploymentController: { type: controller.type ?? 'ECS' },
    launchType,
    ...(launchType === 'FARGATE' ? { platformVersion: optString(input, 'platformVersion') ?? 'LATEST' } : {}),
    ...(networkConfiguration ? { networkConfiguration } : {}),
    loadBalancers:
      loadBalancers ??
      (Array.isArray(input.loadBalancers) ? (input.loadBalancers as ServiceRec['loadBalancers']) : []),
    serviceRegistries: Array.isArray(input.serviceRegistries)
      ? (input.serviceRegistries as ServiceRec['serviceRegistries'])
      : [],
    ...(optNumber(input, 'healthCheckGracePeriodSeconds') !== undefined
      ? { healthCheckGracePeriodSeconds: optNumber(input, 'healthCheckGracePeriodSeconds')! }
      : {}),
    enableECSManagedTags: optBoolean(input, 'enableECSManagedTags') ?? false,
    propagateTags: (optString(input, 'propagateTags') ?? 'NONE') as PropagateTags,
    enableExecuteCommand: optBoolean(input, 'enableExecuteCommand') ?? false,
    tags: tagsOf(input),
    ...(role
      ? { roleArn: role.startsWith('arn:') ? role : `arn:aws:iam::${ctx.accountId}:role/${role}` }
      : {}),
    schedulingStrategy: optString(input, 'schedulingStrategy') === 'DAEMON' ? 'DAEMON' : 'REPLICA',
    stored: storedFields(input),
    createdAt: now,
    createdBy: `arn:aws:iam::${ctx.accountId}:root`,
    deployments: [],
    history: [],
    events: [],
    tasks: new Set(),
    steady: false,
  };
  ctx.services.set(serviceKey(cluster, name), svc);
  const d = createDeployment(ctx, svc, taskDef, []);
  svc.deployments = [d];
  svc.currentServiceDeployment = d.serviceDeploymentArn;
  initTaskSets(ctx, svc);
  if (seeded) {
    for (let i = 0; i < desiredCount; i++) {
      const t = seedRunningTask(ctx, {
        cluster,
        taskDef,
        group: `service:${name}`,
        startedBy: d.id,
        service: name,
        deploymentId: d.id,
        launchType,
        ...(launchType === 'FARGATE' ? { platformVersion: fargatePlatform(svc.platformVersion) } : {}),
      });
      svc.tasks.add(t.arn);
    }
    d.rolloutState = 'COMPLETED';
    d.rolloutStateReason = rolloutReason.completed(d.id);
    const sd = ctx.serviceDeployments.get(d.serviceDeploymentArn)!;
    if (sd.breaker.status === 'MONITORING') sd.breaker.status = 'MONITORING_COMPLETE';
    setServiceDeploymentStatus(ctx, sd, 'SUCCESSFUL');
    svc.steady = true;
    addEvent(ctx, svc, serviceEvent.steadyState(name));
  } else {
    requestReconcile(ctx, svc);
  }
  return svc;
}

export function updateService(ctx: Ctx, raw: unknown): ServiceRec {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const svc = findService(ctx, cluster, reqString(input, 'service'));
  if (!svc) throw serviceNotFound();
  if (svc.status !== 'ACTIVE')
    throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.', 400);
  const controller = svc.deploymentController.type ?? 'ECS';
  const tdRef = optString(input, 'taskDefinition');
  const taskDef = tdRef !== undefined ? resolveTaskDefinition(ctx, tdRef) : undefined;
  const force = optBoolean(input, 'forceNewDeployment') ?? false;
  const tdChanged = taskDef !== undefined && taskDef.arn !== svc.taskDefinition;
  if (controller === 'CODE_DEPLOY' && tdChanged) throw invalidParameter(CODE_DEPLOY_TD);
  if (controller === 'CODE_DEPLOY' && force) throw invalidParameter(CODE_DEPLOY_FORCE);
  if (controller === 'EXTERNAL' && tdChanged) throw invalidParameter(EXTERNAL_TD);
  if (controller === 'EXTERNAL' && force) throw invalidParameter(EXTERNAL_FORCE);
  const desiredCount = optNumber(input, 'desiredCount');
  validateDesiredCount(desiredCount);
  const cfgInput = objectOrUndefined<DeploymentConfiguration>(input, 'deploymentConfiguration');
  const mergedCfg = cfgInput
    ? withDeploymentDefaults({ ...svc.deploymentConfiguration, ...cfgInput })
    : undefined;
  if (mergedCfg) validateDeploymentConfiguration(mergedCfg);
  const networkConfiguration = objectOrUndefined<NetworkConfiguration>(input, 'networkConfiguration');
  const targetTd = taskDef ?? ctx.taskDefs.find(svc.taskDefinition)!;
  if (targetTd.body.networkMode === 'awsvpc' && !networkConfiguration && !svc.networkConfiguration) {
    throw invalidParameter(AWSVPC_NEEDS_NETWORK);
  }
  const platformVersion = optString(input, 'platformVersion');
  checkLoadBalancers(input.loadBalancers, targetTd);
  svc.stored = { ...svc.stored, ...storedFields(input) };

  // Fields that only change settings.
  const desiredChanged = desiredCount !== undefined && desiredCount !== svc.desiredCount;
  if (desiredCount !== undefined) svc.desiredCount = desiredCount;
  if (mergedCfg) svc.deploymentConfiguration = mergedCfg;
  const managedTags = optBoolean(input, 'enableECSManagedTags');
  if (managedTags !== undefined) svc.enableECSManagedTags = managedTags;
  const propagate = optString(input, 'propagateTags');
  if (propagate !== undefined) svc.propagateTags = propagate as PropagateTags;
  const exec = optBoolean(input, 'enableExecuteCommand');
  if (exec !== undefined) svc.enableExecuteCommand = exec;
  const grace = optNumber(input, 'healthCheckGracePeriodSeconds');
  validateGracePeriod(grace);
  if (grace !== undefined) svc.healthCheckGracePeriodSeconds = grace;

  // Fields that start a new deployment when they change (docs/ecs-behaviour.md, "What starts a deployment").
  const netChanged =
    networkConfiguration !== undefined && !deepEqual(networkConfiguration, svc.networkConfiguration);
  const pvChanged = platformVersion !== undefined && platformVersion !== svc.platformVersion;
  const lbChanged = Array.isArray(input.loadBalancers) && !deepEqual(input.loadBalancers, svc.loadBalancers);
  const srChanged =
    Array.isArray(input.serviceRegistries) && !deepEqual(input.serviceRegistries, svc.serviceRegistries);
  if (networkConfiguration !== undefined) svc.networkConfiguration = networkConfiguration;
  if (platformVersion !== undefined) svc.platformVersion = platformVersion;
  if (lbChanged) svc.loadBalancers = input.loadBalancers as ServiceRec['loadBalancers'];
  if (srChanged) svc.serviceRegistries = input.serviceRegistries as ServiceRec['serviceRegistries'];

  const primary = svc.deployments[0]!;
  if (tdChanged || force || netChanged || pvChanged || lbChanged || srChanged) {
    startDeployment(ctx, svc, targetTd);
  } else {
    primary.desiredCount = svc.desiredCount;
    primary.blockedEventSent = false;
    const sd = governingServiceDeployment(ctx, primary);
    if (sd && ONGOING.has(sd.status)) sd.breaker.threshold = currentThreshold(svc);
  }
  // A new desired count is a new target: steady state is announced again once reached.
  if (desiredChanged) svc.steady = false;
  requestReconcile(ctx, svc);
  return svc;
}

/** A new PRIMARY replaces the current one, which becomes ACTIVE; an unfinished one is superseded. */
function startDeployment(ctx: Ctx, svc: ServiceRec, taskDef: TaskDefRec): void {
  const previous = svc.deployments[0]!;
  const d = createDeployment(ctx, svc, taskDef, svc.deployments);
  const sd = governingServiceDeployment(ctx, previous);
  if (sd && ONGOING.has(sd.status) && sd.status !== 'STOP_REQUESTED') {
    setServiceDeploymentStatus(ctx, sd, 'STOP_REQUESTED', serviceDeploymentReason.superseded(d.id));
  }
  previous.rollbackFor = undefined;
  previous.status = 'ACTIVE';
  previous.updatedAt = ctx.now();
  svc.deployments = [d, ...svc.deployments];
  svc.taskDefinition = taskDef.arn;
  svc.currentServiceDeployment = d.serviceDeploymentArn;
  svc.steady = false;
}

export function serviceOutput(ctx: Ctx, svc: ServiceRec, includeTags: boolean): Service {
  const c = serviceCounts(ctx, svc);
  const fargate = svc.launchType === 'FARGATE';
  return compact({
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: ctx.arns.cluster(svc.cluster),
    loadBalancers: svc.loadBalancers,
    serviceRegistries: svc.serviceRegistries,
    status: svc.status,
    desiredCount: svc.desiredCount,
    runningCount: c.running,
    pendingCount: c.pending,
    launchType: svc.launchType,
    platformVersion: fargate ? (svc.platformVersion ?? 'LATEST') : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    taskDefinition: svc.taskDefinition,
    deploymentConfiguration: svc.deploymentConfiguration,
    deployments: svc.deployments.map((d) => deploymentOutput(ctx, svc, d)),
    taskSets: serviceTaskSets(ctx, svc),
    events: svc.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: new Date(svc.createdAt),
    currentServiceDeployment: svc.currentServiceDeployment,
    currentServiceRevisions: svc.deployments.map((d) => {
      const r = counts(ctx, svc, d);
      return {
        arn: r.arn,
        requestedTaskCount: r.requestedTaskCount,
        runningTaskCount: r.runningTaskCount,
        pendingTaskCount: r.pendingTaskCount,
      };
    }),
    placementConstraints: [],
    placementStrategy: [],
    ...svc.stored,
    roleArn: svc.roleArn,
    networkConfiguration: svc.networkConfiguration,
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds ?? 0,
    schedulingStrategy: svc.schedulingStrategy ?? 'REPLICA',
    deploymentController: svc.deploymentController,
    tags: includeTags ? svc.tags : undefined,
    createdBy: svc.createdBy,
    enableECSManagedTags: svc.enableECSManagedTags,
    propagateTags: svc.propagateTags,
    enableExecuteCommand: svc.enableExecuteCommand,
    availabilityZoneRebalancing: 'DISABLED',
    resourceManagementType: 'CUSTOMER',
  });
}

export function describeServices(
  ctx: Ctx,
  raw: unknown,
): { services: Service[]; failures: { arn: string; reason: string }[] } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const refs = optStringList(input, 'services');
  if (!refs || refs.length === 0) throw invalidParameter('services should not be null or empty.');
  if (refs.length > 10) throw invalidParameter('service names can have at most 10 items.');
  const includeTags = (optStringList(input, 'include') ?? []).includes('TAGS');
  const { found, failures } = describeEach(
    refs,
    (ref) => findService(ctx, cluster, ref),
    (svc) => serviceOutput(ctx, svc, includeTags),
    (ref) => ctx.arns.service(cluster, ref),
  );
  return { services: found, failures };
}

export function listServices(ctx: Ctx, raw: unknown): { serviceArns: string[]; nextToken?: string } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const launchType = optString(input, 'launchType');
  const arns = [...ctx.services.values()]
    .filter(
      (s) => s.cluster === cluster && s.status === 'ACTIVE' && (!launchType || s.launchType === launchType),
    )
    .map((s) => s.arn);
  const { page, nextToken } = paginate(arns, input, 10, 100);
  return nextToken ? { serviceArns: page, nextToken } : { serviceArns: page };
}

export function listServiceDeployments(
  ctx: Ctx,
  raw: unknown,
): { serviceDeployments: ServiceDeploymentBrief[]; nextToken?: string } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const svc = findService(ctx, cluster, reqString(input, 'service'));
  if (!svc) throw serviceNotFound();
  const statuses = optStringList(input, 'status');
  const createdAt = asInput(input.createdAt);
  const after = toEpochMs(createdAt.after);
  const before = toEpochMs(createdAt.before);
  // Not documented; newest first (tools pick the latest createdAt anyway).
  const all = serviceDeploymentsOf(ctx, svc)
    .filter((sd) => !statuses || statuses.includes(sd.status))
    .filter(
      (sd) =>
        (after === undefined || sd.createdAt >= after) && (before === undefined || sd.createdAt <= before),
    )
    .reverse()
    .sort((a, b) => b.createdAt - a.createdAt);
  const { page, nextToken } = paginate(all, input, 20, 100);
  const serviceDeployments = page.map(serviceDeploymentBrief);
  return nextToken ? { serviceDeployments, nextToken } : { serviceDeployments };
}

export function describeServiceDeployments(ctx: Ctx, raw: unknown) {
  const input = asInput(raw);
  const arns = optStringList(input, 'serviceDeploymentArns');
  if (!arns || arns.length === 0)
    throw invalidParameter('serviceDeploymentArns should not be null or empty.');
  if (arns.length > 20) throw invalidParameter('serviceDeploymentArns can have at most 20 items.');
  const serviceDeployments = [];
  const failures = [];
  for (const arn of arns) {
    const sd = ctx.serviceDeployments.get(arn);
    if (sd) serviceDeployments.push(serviceDeploymentOutput(ctx, sd));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}

export function describeServiceRevisions(ctx: Ctx, raw: unknown) {
  const input = asInput(raw);
  const arns = optStringList(input, 'serviceRevisionArns');
  if (!arns || arns.length === 0) throw invalidParameter('serviceRevisionArns should not be null or empty.');
  if (arns.length > 20) throw invalidParameter('serviceRevisionArns can have at most 20 items.');
  const serviceRevisions = [];
  const failures = [];
  for (const arn of arns) {
    const r = serviceRevisionOutput(ctx, arn);
    if (r) serviceRevisions.push(r);
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceRevisions, failures };
}

/**
 * StopServiceDeployment: ROLLBACK (the documented value, also the default) moves an ongoing service
 * deployment to ROLLBACK_REQUESTED; the scheduler then rolls back as the breaker would.
 */
export function stopServiceDeployment(ctx: Ctx, raw: unknown): { serviceDeploymentArn: string } {
  const input = asInput(raw);
  const arn = reqString(input, 'serviceDeploymentArn');
  const stopType = optString(input, 'stopType') ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK')
    throw invalidParameter(`stopType ${stopType} is not supported. The valid value is ROLLBACK.`);
  const sd = ctx.serviceDeployments.get(arn);
  if (!sd)
    throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.', 400);
  if (!ONGOING.has(sd.status)) {
    throw new AwsError(
      'ConflictException',
      `The service deployment is in a terminal state (${sd.status}) and can't be stopped.`,
      400,
    );
  }
  // STOP_REQUESTED continues to stop; a rollback already under way continues.
  if (sd.status === 'PENDING' || sd.status === 'IN_PROGRESS') {
    sd.userRollback = true;
    setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_REQUESTED', serviceDeploymentReason.userRollbackRequested);
    const svc = ctx.services.get(serviceKey(sd.cluster, sd.service));
    if (svc) requestReconcile(ctx, svc);
  }
  return { serviceDeploymentArn: arn };
}
