// Task sets of services with the CODE_DEPLOY deployment controller: the original (PRIMARY) task set
// ECS creates with the service, and the replacement task sets CodeDeploy creates, promotes and
// removes during a blue/green deployment (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS").
// Task sets here are counts, not tasks: the original mirrors the service's tasks, a replacement's
// tasks are pending until it stabilises (TASK_SET_STABLE_MS), or forever when its image tag names a
// failing behaviour. `taskSetApi` is the narrow port the CodeDeploy model (emulator/codedeploy/)
// drives, as CodeDeploy drives ECS's task-set API.
import type { LoadBalancer, TaskSet } from '@aws-sdk/client-ecs';

import { AwsError } from '../core.js';
import { behaviourOf } from './behaviours.js';
import { serviceKey, type Ctx } from './context.js';
import { fargatePlatform } from './deployments.js';
import { asInput, compact, invalidParameter, optString, optStringList } from './input.js';
import { serviceCounts } from './rollout.js';
import { checkLoadBalancers } from './service-fields.js';
import type { ServiceRec, TaskDefRec } from './state.js';
import { SLOW_START_MS } from './timings.js';

/** A replacement task set's tasks are all running and healthy this long after it was created. */
export const TASK_SET_STABLE_MS = 60_000;

export interface TaskSetRec {
  id: string;
  arn: string;
  taskDefinition: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  /** Percent of the service's desired count. */
  scale: number;
  createdAt: number;
  updatedAt: number;
  /** The original task set mirrors the service's tasks; a replacement is modelled by time. */
  original: boolean;
  /** When a replacement's tasks are all running; undefined when they never get there. */
  stableAt?: number;
  externalId?: string;
  startedBy?: string;
  loadBalancers: LoadBalancer[];
}

/** Task sets by service key (`cluster/service`), kept beside the ECS model's own state. */
const registry = new WeakMap<Ctx, Map<string, TaskSetRec[]>>();

function setsOf(ctx: Ctx, svc: ServiceRec): TaskSetRec[] {
  let byService = registry.get(ctx);
  if (!byService) registry.set(ctx, (byService = new Map()));
  const key = serviceKey(svc.cluster, svc.name);
  let sets = byService.get(key);
  if (!sets) byService.set(key, (sets = []));
  return sets;
}

function newTaskSet(ctx: Ctx, svc: ServiceRec, fields: Partial<TaskSetRec>, now = ctx.now()): TaskSetRec {
  const id = ctx.ids.deploymentId();
  return {
    id,
    arn: `${ctx.arns.prefix}task-set/${svc.cluster}/${svc.name}/${id}`,
    taskDefinition: svc.taskDefinition,
    status: 'PRIMARY',
    scale: 100,
    createdAt: now,
    updatedAt: now,
    original: false,
    loadBalancers: svc.loadBalancers,
    ...fields,
  };
}

/** ECS gives a CODE_DEPLOY service one PRIMARY task set when it is created. */
export function initTaskSets(ctx: Ctx, svc: ServiceRec): void {
  if (svc.deploymentController.type !== 'CODE_DEPLOY') return;
  // A service created again under the same name starts afresh.
  setsOf(ctx, svc).splice(0, Infinity, newTaskSet(ctx, svc, { original: true }));
}

function taskSetCounts(ctx: Ctx, svc: ServiceRec, ts: TaskSetRec) {
  const desired = ts.status === 'DRAINING' ? 0 : Math.ceil((svc.desiredCount * ts.scale) / 100);
  if (ts.original) {
    const c = serviceCounts(ctx, svc);
    return { desired, running: Math.min(c.running, desired), pending: Math.min(c.pending, desired) };
  }
  const stable = ts.stableAt !== undefined && ctx.now() >= ts.stableAt;
  return { desired, running: stable ? desired : 0, pending: stable ? 0 : desired };
}

export function taskSetOutput(ctx: Ctx, svc: ServiceRec, ts: TaskSetRec): TaskSet {
  const c = taskSetCounts(ctx, svc, ts);
  const fargate = svc.launchType === 'FARGATE';
  const steady = c.running === c.desired && c.pending === 0;
  return compact({
    id: ts.id,
    taskSetArn: ts.arn,
    serviceArn: svc.arn,
    clusterArn: ctx.arns.cluster(svc.cluster),
    startedBy: ts.startedBy,
    externalId: ts.externalId,
    status: ts.status,
    taskDefinition: ts.taskDefinition,
    computedDesiredCount: c.desired,
    pendingCount: c.pending,
    runningCount: c.running,
    createdAt: new Date(ts.createdAt),
    updatedAt: new Date(ts.updatedAt),
    launchType: svc.launchType,
    platformVersion: fargate ? fargatePlatform(svc.platformVersion) : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    networkConfiguration: svc.networkConfiguration,
    loadBalancers: ts.loadBalancers,
    serviceRegistries: [],
    scale: { value: ts.scale, unit: 'PERCENT' },
    stabilityStatus: steady ? 'STEADY_STATE' : 'STABILIZING',
    stabilityStatusAt: new Date(steady ? Math.max(ts.stableAt ?? ts.createdAt, ts.updatedAt) : ts.updatedAt),
  });
}

/** The `taskSets` of DescribeServices: only services that use task sets have the field. */
export function serviceTaskSets(ctx: Ctx, svc: ServiceRec): TaskSet[] | undefined {
  if (svc.deploymentController.type !== 'CODE_DEPLOY') return undefined;
  return setsOf(ctx, svc).map((ts) => taskSetOutput(ctx, svc, ts));
}

/** DescribeTaskSets: `cluster`, `service` (required), `taskSets` (ids or ARNs; default all). */
export function describeTaskSets(
  ctx: Ctx,
  raw: unknown,
  findService: (cluster: string | undefined, ref: string) => ServiceRec | undefined,
): { taskSets: TaskSet[]; failures: { arn: string; reason: string }[] } {
  const input = asInput(raw);
  const ref = optString(input, 'service');
  if (ref === undefined) throw invalidParameter('service can not be blank.');
  const svc = findService(optString(input, 'cluster'), ref);
  if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.', 400);
  const wanted = optStringList(input, 'taskSets');
  const sets = setsOf(ctx, svc);
  const taskSets: TaskSet[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const w of wanted ?? sets.map((s) => s.id)) {
    const ts = sets.find((s) => s.id === w || s.arn === w);
    if (ts) taskSets.push(taskSetOutput(ctx, svc, ts));
    else failures.push({ arn: w, reason: 'MISSING' });
  }
  return { taskSets, failures };
}

/** What the CodeDeploy model may read and do on ECS. Errors are ECS's, as AwsError. */
export interface TaskSetApi {
  /** The service, when it exists and is ACTIVE. */
  service(cluster: string, service: string): ServiceRec | undefined;
  /** A task definition by ARN (any status). */
  taskDefinition(arn: string): TaskDefRec | undefined;
  /** Tasks of the task set: desired, running, pending. */
  counts(
    cluster: string,
    service: string,
    taskSetId: string,
  ): { desired: number; running: number; pending: number };
  /** PRIMARY, ACTIVE or DRAINING. */
  statusOf(cluster: string, service: string, taskSetId: string): string;
  /** The PRIMARY task set (ECS keeps one for every CODE_DEPLOY service). */
  primary(cluster: string, service: string): TaskSetRec;
  /** CreateTaskSet: an ACTIVE replacement at scale 100 %, its container and port checked. */
  createReplacement(opts: {
    cluster: string;
    service: string;
    taskDefinition: string;
    containerName: string;
    containerPort: number;
    targetGroupArn: string;
    externalId: string;
    /** When CodeDeploy created it: its own clock may be behind the ECS model's after a jump. */
    at: number;
  }): TaskSetRec;
  /** UpdateServicePrimaryTaskSet: the given set becomes PRIMARY, the service runs its definition. */
  promote(cluster: string, service: string, taskSetId: string): void;
  /** DeleteTaskSet. */
  remove(cluster: string, service: string, taskSetId: string): void;
}

export function taskSetApi(ctx: Ctx): TaskSetApi {
  const svcOf = (cluster: string, service: string): ServiceRec => {
    const svc = ctx.services.get(serviceKey(cluster, service));
    if (!svc || svc.status !== 'ACTIVE')
      throw new AwsError('ServiceNotFoundException', 'Service not found.', 400);
    return svc;
  };
  const find = (svc: ServiceRec, id: string): TaskSetRec => {
    const ts = setsOf(ctx, svc).find((s) => s.id === id);
    if (!ts) throw new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.', 400);
    return ts;
  };
  return {
    service: (cluster, service) => {
      const svc = ctx.services.get(serviceKey(cluster, service));
      return svc?.status === 'ACTIVE' ? svc : undefined;
    },
    taskDefinition: (arn) => ctx.taskDefs.find(arn),
    counts: (cluster, service, id) => {
      const svc = svcOf(cluster, service);
      return taskSetCounts(ctx, svc, find(svc, id));
    },
    statusOf: (cluster, service, id) => find(svcOf(cluster, service), id).status,
    primary: (cluster, service) => {
      const svc = svcOf(cluster, service);
      if (!setsOf(ctx, svc).some((s) => s.status === 'PRIMARY')) initTaskSets(ctx, svc);
      return setsOf(ctx, svc).find((s) => s.status === 'PRIMARY')!;
    },
    createReplacement: (o) => {
      const svc = svcOf(o.cluster, o.service);
      const td = ctx.taskDefs.find(o.taskDefinition);
      if (!td) throw new AwsError('ClientException', 'TaskDefinition not found.', 400);
      if (td.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive', 400);
      const lb = {
        targetGroupArn: o.targetGroupArn,
        containerName: o.containerName,
        containerPort: o.containerPort,
      };
      checkLoadBalancers([lb], td);
      const ts = newTaskSet(
        ctx,
        svc,
        {
          taskDefinition: td.arn,
          status: 'ACTIVE',
          externalId: o.externalId,
          startedBy: 'CodeDeploy',
          loadBalancers: [lb],
          ...stability(ctx, td, o.at),
        },
        o.at,
      );
      setsOf(ctx, svc).push(ts);
      return ts;
    },
    promote: (cluster, service, id) => {
      const svc = svcOf(cluster, service);
      const target = find(svc, id);
      for (const ts of setsOf(ctx, svc)) {
        if (ts.status === 'PRIMARY' && ts !== target) ts.status = 'ACTIVE';
        ts.updatedAt = ctx.now();
      }
      target.status = 'PRIMARY';
      svc.taskDefinition = target.taskDefinition;
    },
    remove: (cluster, service, id) => {
      const svc = svcOf(cluster, service);
      const sets = setsOf(ctx, svc);
      const i = sets.indexOf(find(svc, id));
      sets.splice(i, 1);
    },
  };
}

/**
 * When a replacement's tasks are all healthy, from the image tags of its essential containers:
 * `:slow` adds its long pull; a failing tag (`:pull-error`, `:crash`, ...) never gets there.
 */
function stability(ctx: Ctx, td: TaskDefRec, at: number): { stableAt?: number } {
  const behaviours = td.containers
    .filter((c) => c.essential !== false)
    .map((c) => behaviourOf(c.image ?? '', ctx.settings.resolveImageTag));
  if (behaviours.some((b) => b !== 'healthy' && b !== 'slow')) return {};
  const pull = behaviours.includes('slow') ? SLOW_START_MS : 0;
  return { stableAt: at + pull + TASK_SET_STABLE_MS };
}
