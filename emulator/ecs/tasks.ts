// One task's life: PROVISIONING -> PENDING (pull) -> RUNNING -> (healthy | exits | fails health
// checks) -> STOPPED, driven by its plan (behaviours.ts) through scheduled steps. What a failure
// means for a service (breaker, replacement) is left to the hooks.
import type { Attachment, ContainerDefinition, LaunchType, Tag } from '@aws-sdk/client-ecs';

import { planRunTask, planTask } from './behaviours.js';
import type { Ctx, TaskStep } from './context.js';
import { imageDigestOf } from './ids.js';
import { compact } from './input.js';
import type { ContainerRec, TaskDefRec, TaskRec } from './state.js';
import * as T from './timings.js';

export type FailureKind = 'pull-error' | 'crash' | 'oom' | 'unhealthy';

export interface TaskHooks {
  /** The task failed on its own (pull error, essential container exit, failed health checks). */
  failed(task: TaskRec, kind: FailureKind): void;
  /** The scheduler now counts the task as healthy. */
  healthy(task: TaskRec): void;
  /** The task reached STOPPED. */
  settled(task: TaskRec): void;
}

export interface TaskSpec {
  cluster: string;
  taskDef: TaskDefRec;
  group: string;
  startedBy?: string;
  service?: string;
  deploymentId?: string;
  launchType: LaunchType;
  platformVersion?: string;
  tags?: Tag[];
  overrides?: unknown;
  enableExecuteCommand?: boolean;
  /** Started by RunTask: containers may exit on their own (`exit-N`), nothing replaces the task. */
  standalone?: boolean;
  /** The container definitions after RunTask's overrides (default: the task definition's). */
  containers?: ContainerDefinition[];
  /** Task-level size after overrides (default: the task definition's). */
  cpu?: string;
  memory?: string;
  capacityProviderName?: string;
  attachments?: Attachment[];
}

export const STOP_REASON = {
  scaling: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  user: 'Task stopped by user',
  essentialExited: 'Essential container in task exited',
  healthChecks: 'Task failed container health checks',
  pullError: (image: string) =>
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: not found`,
};

const AZS = ['a', 'b', 'c'];

/** Create a task in PROVISIONING and schedule its life. */
export function launchTask(ctx: Ctx, spec: TaskSpec): TaskRec {
  const now = ctx.now();
  const id = ctx.ids.taskId();
  const arn = ctx.arns.task(spec.cluster, id);
  const containers = spec.containers ?? spec.taskDef.containers;
  const plan = (spec.standalone ? planRunTask : planTask)(
    containers,
    ctx.random,
    ctx.settings.resolveImageTag,
  );
  const cpu = spec.cpu ?? spec.taskDef.body.cpu;
  const memory = spec.memory ?? spec.taskDef.body.memory;
  const task: TaskRec = {
    id,
    arn,
    cluster: spec.cluster,
    taskDefinitionArn: spec.taskDef.arn,
    family: spec.taskDef.family,
    group: spec.group,
    ...(spec.startedBy !== undefined ? { startedBy: spec.startedBy } : {}),
    ...(spec.service !== undefined ? { service: spec.service } : {}),
    ...(spec.deploymentId !== undefined ? { deploymentId: spec.deploymentId } : {}),
    launchType: spec.launchType,
    ...(spec.platformVersion !== undefined ? { platformVersion: spec.platformVersion } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(spec.capacityProviderName !== undefined ? { capacityProviderName: spec.capacityProviderName } : {}),
    ...(spec.attachments !== undefined ? { attachments: spec.attachments } : {}),
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    healthy: false,
    createdAt: now,
    containers: containers.map((c) => containerRec(ctx, spec.cluster, id, c)),
    plan,
    token: 0,
    version: 1,
    tags: spec.tags ?? [],
    availabilityZone: `${ctx.region}${AZS[Math.floor(ctx.random() * AZS.length)]}`,
    enableExecuteCommand: spec.enableExecuteCommand ?? false,
    ...(spec.overrides !== undefined ? { overrides: spec.overrides } : {}),
  };
  ctx.tasks.set(arn, task);
  schedule(ctx, task, now + T.PROVISION_MS, 'provisioned');
  return task;
}

/** A task that is already RUNNING and healthy (seeded services start steady). */
export function seedRunningTask(ctx: Ctx, spec: TaskSpec): TaskRec {
  const task = launchTask(ctx, spec);
  const now = ctx.now();
  task.token++; // drop the scheduled 'provisioned' step
  task.pullStartedAt = task.pullStoppedAt = task.startedAt = task.connectivityAt = now;
  markRunning(ctx, task);
  task.healthy = true;
  if (task.plan.reportsHealth) setHealthy(task);
  return task;
}

function containerRec(ctx: Ctx, cluster: string, taskId: string, c: ContainerDefinition): ContainerRec {
  const opts = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options : undefined;
  return compact({
    name: c.name ?? '',
    image: c.image ?? '',
    containerArn: ctx.arns.container(cluster, taskId, ctx.ids.uuid()),
    essential: c.essential !== false,
    hasHealthCheck: c.healthCheck !== undefined,
    lastStatus: 'PENDING' as const,
    cpu: String(c.cpu ?? 0),
    memory: c.memory !== undefined ? String(c.memory) : undefined,
    memoryReservation: c.memoryReservation !== undefined ? String(c.memoryReservation) : undefined,
    logGroup: opts?.['awslogs-group'],
    logStreamPrefix: opts?.['awslogs-stream-prefix'],
  });
}

function schedule(ctx: Ctx, task: TaskRec, at: number, step: TaskStep): void {
  ctx.schedule(at, { kind: 'task', arn: task.arn, token: task.token, step });
}

function markRunning(ctx: Ctx, task: TaskRec): void {
  task.lastStatus = 'RUNNING';
  task.version++;
  for (const c of task.containers) {
    c.lastStatus = 'RUNNING';
    c.runtimeId = `${task.id}-${Math.floor(ctx.random() * 1e10)}`;
    c.imageDigest = imageDigestOf(c.image);
    c.healthStatus = 'UNKNOWN';
  }
}

function setHealthy(task: TaskRec): void {
  task.healthStatus = 'HEALTHY';
  for (const c of task.containers) if (c.hasHealthCheck) c.healthStatus = 'HEALTHY';
}

/** Container output lines for the task's awslogs stream `<prefix>/<container>/<taskId>`. */
function writeLogs(ctx: Ctx, task: TaskRec, container: ContainerRec, lines: readonly string[]): void {
  // Without a stream prefix the stream would be named after the Docker id; not modelled.
  if (!ctx.logSink || !container.logGroup || !container.logStreamPrefix || lines.length === 0) return;
  const at = ctx.now();
  ctx.logSink(
    container.logGroup,
    `${container.logStreamPrefix}/${container.name}/${task.id}`,
    lines.map((message, i) => ({ timestamp: at - (lines.length - 1 - i), message })),
  );
}

const alive = (t: TaskRec): boolean => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED';

/** Run one scheduled step of a task's life. Stale steps (the task was stopped since) do nothing. */
export function runTaskStep(ctx: Ctx, hooks: TaskHooks, task: TaskRec, token: number, step: TaskStep): void {
  if (token !== task.token) return;
  const now = ctx.now();
  const plan = task.plan;
  switch (step) {
    case 'provisioned': {
      if (!alive(task) || task.lastStatus !== 'PROVISIONING') return;
      task.lastStatus = 'PENDING';
      task.pullStartedAt = now;
      task.connectivityAt = now;
      task.version++;
      schedule(ctx, task, now + plan.startMs, 'started');
      return;
    }
    case 'started': {
      if (!alive(task) || task.lastStatus !== 'PENDING') return;
      task.pullStoppedAt = now;
      if (plan.failure?.kind === 'pull-error') {
        const reason = STOP_REASON.pullError(plan.failure.image);
        for (const c of task.containers) c.lastStatus = 'STOPPED';
        const failing = task.containers.find((c) => c.name === plan.failure!.container);
        if (failing) failing.reason = reason;
        endTask(ctx, task, 'TaskFailedToStart', reason);
        hooks.failed(task, 'pull-error');
        return;
      }
      task.startedAt = now;
      markRunning(ctx, task);
      if (plan.exits) startOwnExits(ctx, task);
      if (plan.failure?.kind === 'exit') schedule(ctx, task, now + plan.failure.afterMs, 'exit');
      if (plan.failure?.kind === 'unhealthy') schedule(ctx, task, now + plan.failure.afterMs, 'unhealthy');
      if (plan.healthyAfterMs !== undefined) schedule(ctx, task, now + plan.healthyAfterMs, 'healthy');
      return;
    }
    case 'healthy': {
      if (!alive(task) || task.lastStatus !== 'RUNNING') return;
      task.healthy = true;
      if (plan.reportsHealth) setHealthy(task);
      task.version++;
      hooks.healthy(task);
      return;
    }
    case 'exit': {
      if (plan.exits) {
        if (alive(task) && task.lastStatus === 'RUNNING') runOwnExits(ctx, task);
        return;
      }
      if (!alive(task) || task.lastStatus !== 'RUNNING' || plan.failure?.kind !== 'exit') return;
      const f = plan.failure;
      for (const c of task.containers) {
        c.lastStatus = 'STOPPED';
        // The agent stops the other containers when an essential one exits; they exit cleanly.
        if (c.name === f.container) {
          c.exitCode = f.exitCode;
          if (f.reason) c.reason = f.reason;
          writeLogs(ctx, task, c, f.logLines);
        } else {
          c.exitCode = 0;
        }
      }
      endTask(ctx, task, 'EssentialContainerExited', STOP_REASON.essentialExited);
      hooks.failed(task, f.behaviour);
      return;
    }
    case 'unhealthy': {
      if (!alive(task) || task.lastStatus !== 'RUNNING' || plan.failure?.kind !== 'unhealthy') return;
      const f = plan.failure;
      task.healthStatus = 'UNHEALTHY';
      const failing = task.containers.find((c) => c.name === f.container);
      if (failing) {
        failing.healthStatus = 'UNHEALTHY';
        writeLogs(ctx, task, failing, f.logLines);
      }
      task.version++;
      // A task run outside a service carries on whatever its health (API_HealthCheck doc).
      if (task.service === undefined) return;
      // A hung app ignores SIGTERM and is killed after the stop timeout: exit code 137.
      stopTask(ctx, task, 'ServiceSchedulerInitiated', STOP_REASON.healthChecks, f.container);
      hooks.failed(task, 'unhealthy');
      return;
    }
    case 'stopped': {
      if (task.lastStatus === 'STOPPED') return;
      task.lastStatus = 'STOPPED';
      task.stoppedAt = now;
      task.executionStoppedAt ??= now;
      task.version++;
      for (const c of task.containers) {
        // Containers that were running when asked to stop exit on SIGTERM.
        if (c.lastStatus === 'RUNNING') c.exitCode ??= 0;
        c.lastStatus = 'STOPPED';
      }
      hooks.settled(task);
      return;
    }
  }
}

/** A RunTask task is RUNNING: its `exit-N` containers say what they run; their exits are scheduled. */
function startOwnExits(ctx: Ctx, task: TaskRec): void {
  const exits = task.plan.exits ?? [];
  for (const e of exits) {
    const c = task.containers.find((x) => x.name === e.container);
    if (c) writeLogs(ctx, task, c, e.startLines);
  }
  for (const afterMs of new Set(exits.map((e) => e.afterMs))) {
    schedule(ctx, task, ctx.now() + afterMs, 'exit');
  }
}

/**
 * The containers of a RunTask task whose time has come exit with their codes. When an essential
 * one exits, the agent stops the others: they did not exit on their own, so they report 137 (killed
 * after the stop timeout, as sidecars that ignore SIGTERM do) and the task stops
 * EssentialContainerExited, even when every exit code is 0.
 */
function runOwnExits(ctx: Ctx, task: TaskRec): void {
  const ranFor = ctx.now() - (task.startedAt ?? ctx.now());
  let essentialExited = false;
  for (const e of task.plan.exits ?? []) {
    const c = task.containers.find((x) => x.name === e.container);
    if (!c || c.lastStatus !== 'RUNNING' || e.afterMs > ranFor) continue;
    c.lastStatus = 'STOPPED';
    c.exitCode = e.exitCode;
    if (e.reason) c.reason = e.reason;
    writeLogs(ctx, task, c, e.exitLines);
    essentialExited ||= e.essential;
  }
  task.version++;
  if (!essentialExited) return;
  for (const c of task.containers) {
    if (c.lastStatus !== 'RUNNING') continue;
    c.lastStatus = 'STOPPED';
    c.exitCode = 137;
  }
  endTask(ctx, task, 'EssentialContainerExited', STOP_REASON.essentialExited);
}

/** The containers have already exited (or never ran): only deprovisioning is left. */
function endTask(ctx: Ctx, task: TaskRec, stopCode: string, reason: string): void {
  const now = ctx.now();
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'DEPROVISIONING';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = now;
  task.executionStoppedAt = now;
  task.token++;
  task.version++;
  schedule(ctx, task, now + T.DEPROVISION_MS, 'stopped');
}

/**
 * Ask a task to stop (scheduler or user). A running task gets the stop grace period; one that never
 * started is just deprovisioned. `killedContainer` exits 137 instead of 0 (health-check kills).
 */
export function stopTask(
  ctx: Ctx,
  task: TaskRec,
  stopCode: string,
  reason: string,
  killedContainer?: string,
): void {
  if (task.desiredStatus === 'STOPPED') return;
  const now = ctx.now();
  const wasRunning = task.lastStatus === 'RUNNING';
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = now;
  task.lastStatus = wasRunning ? 'STOPPING' : 'DEPROVISIONING';
  task.token++;
  task.version++;
  if (killedContainer) {
    const c = task.containers.find((x) => x.name === killedContainer);
    if (c) c.exitCode = 137;
  }
  if (!wasRunning) for (const c of task.containers) c.lastStatus = 'STOPPED';
  schedule(ctx, task, now + (wasRunning ? T.STOP_GRACE_MS : T.DEPROVISION_MS), 'stopped');
}
