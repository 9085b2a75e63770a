// The ECS model: handlers for the HTTP layer (emulator/core.ts contract) over a discrete-event
// simulation. Every change that takes time is a scheduled step; advance() runs the steps due up to
// the clock in time order, so any jump of the clock gives the same history as small ones.
import type { EcsModel, EcsModelOptions, EcsSeed, ServiceHandlers } from '../core.js';
import type { ImageTagResolver } from './behaviours.js';
import { clusterOutput, createCluster, describeClusters, listClusters } from './clusters.js';
import { serviceKey, type Ctx, type SimStep } from './context.js';
import { createArns, createIds } from './ids.js';
import { TimedQueue } from './queue.js';
import { onTaskFailed, onTaskHealthy, reconcile, requestReconcile } from './rollout.js';
import {
  createService,
  describeServiceDeployments,
  describeServiceRevisions,
  describeServices,
  findService,
  listServiceDeployments,
  listServices,
  resolveCluster,
  serviceOutput,
  stopServiceDeployment,
  updateService,
} from './services.js';
import { listTagsForResource, tagResource, untagResource } from './service-fields.js';
import type { TaskRec } from './state.js';
import { describeTasks, listTasks, runTask, stopTaskOp } from './task-ops.js';
import { describeTaskSets, taskSetApi, type TaskSetApi } from './task-sets.js';
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
} from './taskdef-ops.js';
import { TaskDefinitionStore } from './taskdefs.js';
import { runTaskStep, type TaskHooks } from './tasks.js';
import { STOPPED_TASK_RETENTION_MS } from './timings.js';

/** Options beyond the shared contract; all optional, so the HTTP layer can pass EcsModelOptions as is. */
export interface EcsModelExtras {
  /**
   * Whether a `:crash` / `:oom` exit counts toward the circuit breaker. Default true. ECS has been
   * seen not to count crash loops reliably (docs/ecs-behaviour.md, "The two stages"), so a scenario can turn it off.
   */
  crashCountsAsFailure?: boolean;
  /** The tag an image reference stands for, e.g. to map a pinned digest back to `:crash`. */
  resolveImageTag?: ImageTagResolver;
}

/** A runaway loop in the simulation is a bug; stop rather than hang the emulator. */
const MAX_STEPS_PER_ADVANCE = 5_000_000;
const GC_INTERVAL_MS = 60_000;

/** The ECS model with the task-set port the CodeDeploy model drives (emulator/codedeploy/). */
export interface EcsModelWithTaskSets extends EcsModel {
  taskSets: TaskSetApi;
}

export function createEcsModel(opts: EcsModelOptions & EcsModelExtras): EcsModelWithTaskSets {
  const random = opts.random ?? Math.random;
  let simNow = opts.clock.now();
  let lastGc = simNow;
  const queue = new TimedQueue<SimStep>();
  const arns = createArns(opts.region, opts.accountId);

  const ctx: Ctx = {
    now: () => simNow,
    random,
    ids: createIds(random),
    arns,
    region: opts.region,
    accountId: opts.accountId,
    settings: {
      crashCountsAsFailure: opts.crashCountsAsFailure ?? true,
      ...(opts.resolveImageTag ? { resolveImageTag: opts.resolveImageTag } : {}),
    },
    ...(opts.logSink ? { logSink: opts.logSink } : {}),
    clusters: new Map(),
    services: new Map(),
    tasks: new Map(),
    taskDefs: new TaskDefinitionStore(arns, opts.accountId),
    serviceDeployments: new Map(),
    revisions: new Map(),
    schedule: (at, step) => queue.push(Math.max(at, simNow), step),
  };

  const serviceOf = (t: TaskRec) =>
    t.service === undefined ? undefined : ctx.services.get(serviceKey(t.cluster, t.service));
  const hooks: TaskHooks = {
    failed: (t, kind) => {
      const svc = serviceOf(t);
      if (svc) onTaskFailed(ctx, svc, t, kind);
    },
    healthy: (t) => {
      const svc = serviceOf(t);
      if (svc) onTaskHealthy(ctx, svc, t);
    },
    settled: (t) => {
      const svc = serviceOf(t);
      if (svc) requestReconcile(ctx, svc);
    },
  };

  function runStep(step: SimStep): void {
    if (step.kind === 'task') {
      const task = ctx.tasks.get(step.arn);
      if (task) runTaskStep(ctx, hooks, task, step.token, step.step);
      return;
    }
    const svc = ctx.services.get(step.service);
    if (!svc) return;
    if (svc.reconcileAt !== undefined && svc.reconcileAt <= simNow) svc.reconcileAt = undefined;
    reconcile(ctx, svc);
  }

  /** Forget stopped tasks older than the retention (ECS keeps them at least an hour). */
  function collectGarbage(): void {
    if (simNow - lastGc < GC_INTERVAL_MS) return;
    lastGc = simNow;
    for (const [arn, t] of ctx.tasks) {
      if (t.stoppedAt === undefined || simNow - t.stoppedAt <= STOPPED_TASK_RETENTION_MS) continue;
      ctx.tasks.delete(arn);
      serviceOf(t)?.tasks.delete(arn);
    }
  }

  function advance(): void {
    const target = opts.clock.now();
    let steps = 0;
    for (let at = queue.peekTime(); at !== undefined && at <= target; at = queue.peekTime()) {
      const { item } = queue.pop()!;
      if (at > simNow) simNow = at;
      runStep(item);
      if (++steps > MAX_STEPS_PER_ADVANCE) {
        throw new Error(
          `ECS model: more than ${MAX_STEPS_PER_ADVANCE} simulation steps in one advance(); a step is rescheduling itself`,
        );
      }
    }
    if (target > simNow) simNow = target;
    collectGarbage();
  }

  /** Every operation first brings the simulation up to the clock, then acts at clock time. */
  const op =
    <T>(fn: (input: unknown) => T) =>
    (input: unknown): T => {
      advance();
      return fn(input);
    };

  const handlers: ServiceHandlers = {
    CreateCluster: op((i) => ({ cluster: clusterOutput(ctx, createCluster(ctx, i)) })),
    DescribeClusters: op((i) => describeClusters(ctx, i)),
    ListClusters: op((i) => listClusters(ctx, i)),
    RegisterTaskDefinition: op((i) => registerTaskDefinition(ctx, i)),
    DescribeTaskDefinition: op((i) => describeTaskDefinition(ctx, i)),
    ListTaskDefinitions: op((i) => listTaskDefinitions(ctx, i)),
    ListTaskDefinitionFamilies: op((i) => listTaskDefinitionFamilies(ctx, i)),
    DeregisterTaskDefinition: op((i) => deregisterTaskDefinition(ctx, i)),
    CreateService: op((i) => ({ service: serviceOutput(ctx, createService(ctx, i), false) })),
    UpdateService: op((i) => ({ service: serviceOutput(ctx, updateService(ctx, i), false) })),
    DescribeServices: op((i) => describeServices(ctx, i)),
    ListServices: op((i) => listServices(ctx, i)),
    ListServiceDeployments: op((i) => listServiceDeployments(ctx, i)),
    DescribeServiceDeployments: op((i) => describeServiceDeployments(ctx, i)),
    DescribeServiceRevisions: op((i) => describeServiceRevisions(ctx, i)),
    StopServiceDeployment: op((i) => stopServiceDeployment(ctx, i)),
    TagResource: op((i) => tagResource(ctx, i)),
    UntagResource: op((i) => untagResource(ctx, i)),
    ListTagsForResource: op((i) => listTagsForResource(ctx, i)),
    DescribeTaskSets: op((i) =>
      describeTaskSets(ctx, i, (cluster, ref) => findService(ctx, resolveCluster(ctx, cluster), ref)),
    ),
    RunTask: op((i) => runTask(ctx, i)),
    DescribeTasks: op((i) => describeTasks(ctx, i)),
    ListTasks: op((i) => listTasks(ctx, i)),
    StopTask: op((i) =>
      stopTaskOp(ctx, i, (t) => {
        const svc = serviceOf(t);
        if (svc) requestReconcile(ctx, svc);
      }),
    ),
  };

  function seed(s: EcsSeed): void {
    advance();
    for (const c of s.clusters ?? []) createCluster(ctx, { clusterName: c.name });
    for (const td of s.taskDefinitions ?? []) ctx.taskDefs.register(td, simNow);
    for (const svc of s.services ?? []) createService(ctx, svc, true);
  }

  return { handlers, advance, seed, taskSets: taskSetApi(ctx) };
}
