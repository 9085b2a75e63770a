// The service scheduler for the rolling-update (ECS) controller: one pass ("reconcile") starts tasks
// for the PRIMARY deployment and stops tasks of older ones within minimumHealthyPercent /
// maximumPercent, completes or removes deployments, and reports it all as service events. The
// circuit breaker (docs/ecs-behaviour.md, "Deployment circuit breaker") and rollbacks live here too, because they move deployments around.
import { breakerSettings, maximumTasks, minimumHealthyTasks } from './breaker.js';
import type { Ctx } from './context.js';
import {
  counts,
  currentThreshold,
  governingServiceDeployment,
  isAlive,
  isHealthy,
  isPending,
  isRunning,
  isWindingDown,
  serviceTasks,
  setServiceDeploymentStatus,
} from './deployments.js';
import { closeOpenHooks } from './hooks.js';
import { pushEvent, rolloutReason, serviceDeploymentReason, serviceEvent } from './events.js';
import { MAX_TASK_CHANGES_PER_PASS } from './limits.js';
import { launchTask, STOP_REASON, stopTask, type FailureKind } from './tasks.js';
import type { DeploymentRec, ServiceDeploymentRec, ServiceRec, TaskRec } from './state.js';
import * as T from './timings.js';

export function addEvent(ctx: Ctx, svc: ServiceRec, message: string): void {
  pushEvent(svc.events, { id: ctx.ids.uuid(), createdAt: ctx.now(), message });
}

/** Ask for a scheduler pass at `at` (default: after the scheduler's reaction delay). Deduplicated. */
export function requestReconcile(ctx: Ctx, svc: ServiceRec, at = ctx.now() + T.SCHEDULER_DELAY_MS): void {
  if (svc.reconcileAt !== undefined && svc.reconcileAt <= at) return;
  svc.reconcileAt = at;
  ctx.schedule(at, { kind: 'reconcile', service: `${svc.cluster}/${svc.name}` });
}

/** Exponential backoff between launches after consecutive failures (the service throttle). */
export function retryDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(T.RETRY_MAX_MS, T.RETRY_BASE_MS * 2 ** Math.min(consecutiveFailures - 1, 30));
}

/**
 * Tasks in the order to give them up: not healthy first, then newest first. `tasks` is in creation
 * order (a service's task set is filled as tasks are launched), so this is a linear partition
 * instead of a sort, which matters when every pass over a 5,000-task service would sort.
 */
function inStopOrder(tasks: readonly TaskRec[]): TaskRec[] {
  const unhealthy: TaskRec[] = [];
  const healthy: TaskRec[] = [];
  for (let i = tasks.length - 1; i >= 0; i--) (tasks[i]!.healthy ? healthy : unhealthy).push(tasks[i]!);
  return unhealthy.concat(healthy);
}

/** Launch `n` tasks of deployment `d` of the service (the scheduler's launch, shared by every strategy). */
export function launchServiceTasks(ctx: Ctx, svc: ServiceRec, d: DeploymentRec, n: number): TaskRec[] {
  const started: TaskRec[] = [];
  const taskDef = ctx.taskDefs.find(d.taskDefinition)!;
  for (let i = 0; i < n; i++) {
    const t = launchTask(ctx, {
      cluster: svc.cluster,
      taskDef,
      group: `service:${svc.name}`,
      startedBy: d.id,
      service: svc.name,
      deploymentId: d.id,
      launchType: svc.launchType,
      ...(svc.platformVersion !== undefined || svc.launchType === 'FARGATE'
        ? {
            platformVersion:
              svc.platformVersion === undefined || svc.platformVersion === 'LATEST'
                ? '1.4.0'
                : svc.platformVersion,
          }
        : {}),
      ...(svc.propagateTags === 'SERVICE' ? { tags: svc.tags } : {}),
      ...(svc.propagateTags === 'TASK_DEFINITION' ? { tags: taskDef.tags } : {}),
      enableExecuteCommand: svc.enableExecuteCommand,
    });
    svc.tasks.add(t.arn);
    started.push(t);
  }
  return started;
}

/** One scheduler pass over a service. */
export function reconcile(ctx: Ctx, svc: ServiceRec): void {
  if (svc.status !== 'ACTIVE') return;
  const now = ctx.now();
  handleRollbackRequests(ctx, svc);

  const primary = svc.deployments[0]!;
  const desired = svc.desiredCount;
  primary.desiredCount = desired;
  const cfg = svc.deploymentConfiguration;
  const minHealthy = minimumHealthyTasks(desired, cfg.minimumHealthyPercent ?? 100);
  const maxTotal = maximumTasks(desired, cfg.maximumPercent ?? 200);
  const old = svc.deployments.slice(1);
  const all = serviceTasks(ctx, svc);
  const aliveOf = (d: DeploymentRec): TaskRec[] => all.filter((t) => t.deploymentId === d.id && isAlive(t));

  // Work per pass is bounded (limits.ts): what does not fit is left for the next pass.
  let moreToDo = false;
  const stopped: TaskRec[] = [];
  /** Stops the task, or returns false when this pass has stopped all it may. */
  const stop = (t: TaskRec, deploymentId: string): boolean => {
    if (stopped.length >= MAX_TASK_CHANGES_PER_PASS) {
      moreToDo = true;
      return false;
    }
    stopTask(ctx, t, 'ServiceSchedulerInitiated', STOP_REASON.scaling(deploymentId));
    stopped.push(t);
    return true;
  };
  let healthyTotal = all.filter(isHealthy).length;

  // 1. Tasks of replaced deployments that serve nobody yet (starting, or not yet healthy) go at once.
  for (const d of old) for (const t of aliveOf(d)) if (!t.healthy) stop(t, primary.id);

  // 2. Too many tasks in the primary (desired count lowered): the least useful first.
  const primaryAlive = inStopOrder(aliveOf(primary));
  let excess = primaryAlive.length - desired;
  for (const t of primaryAlive) {
    if (excess <= 0) break;
    if (t.healthy && healthyTotal - 1 < minHealthy) continue;
    if (!stop(t, primary.id)) break;
    if (t.healthy) healthyTotal--;
    excess--;
  }

  // 3. Healthy tasks of replaced deployments, oldest deployment first, down to minimumHealthyPercent.
  let budget = healthyTotal - minHealthy;
  for (const d of [...old].reverse()) {
    if (budget <= 0) break;
    for (const t of inStopOrder(aliveOf(d))) {
      if (budget <= 0 || !stop(t, primary.id)) break;
      budget--;
      healthyTotal--;
    }
  }

  // 4. Start tasks for the primary within maximumPercent. A FAILED deployment launches nothing.
  const started: TaskRec[] = [];
  const need = desired - aliveOf(primary).length;
  const aliveTotal = all.filter(isAlive).length;
  if (primary.rolloutState !== 'FAILED' && need > 0) {
    if (now < primary.nextLaunchAt) {
      requestReconcile(ctx, svc, primary.nextLaunchAt);
    } else {
      const room = Math.min(need, maxTotal - aliveTotal);
      const n = Math.min(room, MAX_TASK_CHANGES_PER_PASS);
      if (room > n) moreToDo = true;
      started.push(...launchServiceTasks(ctx, svc, primary, n));
      // Nothing can start, nothing can stop, nothing is on its way: the configuration blocks the rollout.
      const inFlight = all.some((t) => isAlive(t) && !t.healthy);
      if (n <= 0 && stopped.length === 0 && !inFlight && !primary.blockedEventSent) {
        primary.blockedEventSent = true;
        addEvent(ctx, svc, serviceEvent.blockedByConfiguration(svc.name));
      }
    }
  }

  if (moreToDo) requestReconcile(ctx, svc);
  if (stopped.length > 0)
    addEvent(
      ctx,
      svc,
      serviceEvent.stopped(
        svc.name,
        stopped.map((t) => t.id),
      ),
    );
  if (started.length > 0)
    addEvent(
      ctx,
      svc,
      serviceEvent.started(
        svc.name,
        started.map((t) => t.id),
      ),
    );
  for (const t of [...stopped, ...started]) touch(svc, t.deploymentId, now);

  // 5. Replaced deployments shrink as their tasks go, and leave the list once drained.
  const remaining = serviceTasks(ctx, svc);
  for (const d of old) {
    const mine = remaining.filter((t) => t.deploymentId === d.id);
    d.desiredCount = Math.min(d.desiredCount, mine.filter(isAlive).length);
    if (mine.some((t) => isAlive(t) || isWindingDown(t))) continue;
    svc.deployments = svc.deployments.filter((x) => x !== d);
    d.status = 'INACTIVE';
    d.updatedAt = now;
    svc.history.unshift(d);
    svc.history.length = Math.min(svc.history.length, T.DEPLOYMENT_HISTORY_LIMIT);
  }

  // 6. Stop requests settle once the deployment has nothing left starting.
  for (const sd of serviceDeploymentsOf(ctx, svc)) {
    if (sd.status !== 'STOP_REQUESTED') continue;
    const d = svc.deployments.find((x) => x.id === sd.deploymentId);
    if (!d || !remaining.some((t) => t.deploymentId === d.id && isPending(t))) {
      setServiceDeploymentStatus(ctx, sd, 'STOPPED');
    }
  }

  // 7. Completion: the primary alone, at its desired count, all healthy.
  const primaryTasks = remaining.filter((t) => t.deploymentId === primary.id);
  const primaryAliveNow = primaryTasks.filter(isAlive);
  if (
    primary.rolloutState === 'IN_PROGRESS' &&
    svc.deployments.length === 1 &&
    primaryAliveNow.length === desired &&
    primaryAliveNow.every(isHealthy)
  ) {
    completeDeployment(ctx, svc, primary);
  }

  // 8. Steady state: announced when reached, again only after it was lost.
  const steady =
    primary.rolloutState === 'COMPLETED' &&
    svc.deployments.length === 1 &&
    primaryAliveNow.length === desired &&
    primaryAliveNow.every(isRunning);
  if (steady && !svc.steady) addEvent(ctx, svc, serviceEvent.steadyState(svc.name));
  svc.steady = steady;
}

function touch(svc: ServiceRec, deploymentId: string | undefined, now: number): void {
  const d = svc.deployments.find((x) => x.id === deploymentId);
  if (d) d.updatedAt = now;
}

export function serviceDeploymentsOf(ctx: Ctx, svc: ServiceRec): ServiceDeploymentRec[] {
  return [...ctx.serviceDeployments.values()].filter(
    (sd) => sd.cluster === svc.cluster && sd.service === svc.name,
  );
}

export function completeDeployment(ctx: Ctx, svc: ServiceRec, d: DeploymentRec): void {
  const now = ctx.now();
  d.rolloutState = 'COMPLETED';
  d.rolloutStateReason = rolloutReason.completed(d.id);
  d.updatedAt = now;
  addEvent(ctx, svc, serviceEvent.deploymentCompleted(svc.name, d.id));
  const sd = governingServiceDeployment(ctx, d);
  if (d.rollbackFor) {
    d.rollbackFor = undefined;
    if (sd && sd.status === 'ROLLBACK_IN_PROGRESS') {
      setServiceDeploymentStatus(
        ctx,
        sd,
        'ROLLBACK_SUCCESSFUL',
        sd.rollbackDoneReason ??
          (sd.userRollback
            ? serviceDeploymentReason.userRolledBack(d.id)
            : serviceDeploymentReason.rolledBack(d.id)),
      );
    }
  } else if (sd && sd.status === 'IN_PROGRESS') {
    if (sd.breaker.status === 'MONITORING') sd.breaker.status = 'MONITORING_COMPLETE';
    sd.breaker.threshold = currentThreshold(svc);
    setServiceDeploymentStatus(ctx, sd, 'SUCCESSFUL');
  }
}

/** The deployment a failed one rolls back to: the most recent COMPLETED one (listed or drained). */
export function rollbackTarget(svc: ServiceRec, failed: DeploymentRec): DeploymentRec | undefined {
  return [...svc.deployments, ...svc.history]
    .filter((d) => d !== failed && d.rolloutState === 'COMPLETED')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}

/**
 * Roll back from `failed` (the PRIMARY): the target deployment, same id, becomes PRIMARY and
 * IN_PROGRESS again; the failed one becomes ACTIVE with desired count 0 and drains.
 * Returns false when there is nothing COMPLETED to go back to.
 */
export function rollBack(
  ctx: Ctx,
  svc: ServiceRec,
  failed: DeploymentRec,
  sd: ServiceDeploymentRec,
  byUser: boolean,
): boolean {
  const now = ctx.now();
  const target = rollbackTarget(svc, failed);
  if (!target) {
    setServiceDeploymentStatus(
      ctx,
      sd,
      'ROLLBACK_FAILED',
      byUser ? serviceDeploymentReason.userNoRollbackTarget : serviceDeploymentReason.noRollbackTarget,
    );
    return false;
  }
  svc.history = svc.history.filter((d) => d !== target);
  // Blue/green, linear, canary: traffic goes back to blue, open hooks end (traffic-shift.ts).
  if (sd.shift) {
    sd.shift.rolledBack = true;
    closeOpenHooks(sd.shift.hooks, now);
  }
  const others = svc.deployments.filter((d) => d !== target && d !== failed);
  target.status = 'PRIMARY';
  target.rolloutState = 'IN_PROGRESS';
  target.rolloutStateReason = byUser
    ? rolloutReason.inProgress(target.id)
    : rolloutReason.rollingBack(target.id);
  target.desiredCount = svc.desiredCount;
  target.failedTasks = 0;
  target.consecutiveFailures = 0;
  target.nextLaunchAt = 0;
  target.blockedEventSent = false;
  target.rollbackFor = sd.arn;
  target.updatedAt = now;
  failed.status = 'ACTIVE';
  failed.desiredCount = 0;
  failed.rollbackFor = undefined;
  failed.updatedAt = now;
  svc.deployments = [target, failed, ...others];
  svc.taskDefinition = target.taskDefinition;
  svc.steady = false;
  addEvent(ctx, svc, serviceEvent.rollingBack(svc.name, target.id));
  sd.rollback = {
    reason: byUser ? serviceDeploymentReason.userRollbackRequested : serviceDeploymentReason.breakerTripped,
    startedAt: now,
    serviceRevisionArn: target.revisionArn,
  };
  setServiceDeploymentStatus(
    ctx,
    sd,
    'ROLLBACK_IN_PROGRESS',
    byUser
      ? serviceDeploymentReason.userRollingBack(target.id)
      : serviceDeploymentReason.rollingBack(target.id),
  );
  requestReconcile(ctx, svc);
  return true;
}

/** StopServiceDeployment(ROLLBACK) marks ROLLBACK_REQUESTED; the scheduler carries it out here. */
function handleRollbackRequests(ctx: Ctx, svc: ServiceRec): void {
  for (const sd of serviceDeploymentsOf(ctx, svc)) {
    if (sd.status !== 'ROLLBACK_REQUESTED') continue;
    const d = svc.deployments[0];
    if (!d || d.id !== sd.deploymentId) {
      setServiceDeploymentStatus(ctx, sd, 'STOPPED');
      continue;
    }
    rollBack(ctx, svc, d, sd, true);
  }
}

/** The breaker fires: FAILED, then roll back, stall, or stop (docs/ecs-behaviour.md, "How a rollback looks in DescribeServices", "Failure without rollback"). */
function tripBreaker(ctx: Ctx, svc: ServiceRec, d: DeploymentRec): void {
  const now = ctx.now();
  d.rolloutState = 'FAILED';
  d.rolloutStateReason = rolloutReason.breakerTripped;
  d.updatedAt = now;
  svc.steady = false;
  addEvent(ctx, svc, serviceEvent.deploymentFailed(svc.name, d.id));
  const sd = governingServiceDeployment(ctx, d);
  if (!sd) return;
  sd.breaker.status = 'TRIGGERED';
  sd.breaker.failureCount = d.failedTasks;
  sd.breaker.threshold = currentThreshold(svc);
  if (d.rollbackFor) {
    // The rollback itself failed to start tasks: no further rollback, the service stalls.
    d.rollbackFor = undefined;
    setServiceDeploymentStatus(ctx, sd, 'ROLLBACK_FAILED', serviceDeploymentReason.breakerTripped);
    return;
  }
  if (breakerSettings(svc.deploymentConfiguration.deploymentCircuitBreaker).rollback) {
    // Without a COMPLETED deployment the failed one stays PRIMARY and launches nothing (stalled).
    rollBack(ctx, svc, d, sd, false);
  } else {
    setServiceDeploymentStatus(ctx, sd, 'STOP_REQUESTED', serviceDeploymentReason.breakerTripped);
  }
  requestReconcile(ctx, svc);
}

/** A task of this service failed on its own. Counts for the breaker if it is the primary's. */
export function onTaskFailed(ctx: Ctx, svc: ServiceRec, task: TaskRec, kind: FailureKind): void {
  const now = ctx.now();
  requestReconcile(ctx, svc);
  const d = svc.deployments.find((x) => x.id === task.deploymentId);
  if (!d) return;
  d.updatedAt = now;
  d.consecutiveFailures++;
  d.nextLaunchAt = now + retryDelayMs(d.consecutiveFailures);
  const counted = kind === 'crash' || kind === 'oom' ? ctx.settings.crashCountsAsFailure : true;
  if (!counted || d !== svc.deployments[0] || d.rolloutState !== 'IN_PROGRESS') return;
  d.failedTasks++;
  const sd = governingServiceDeployment(ctx, d);
  if (sd) {
    sd.breaker.failureCount = d.failedTasks;
    sd.updatedAt = now;
  }
  const breaker = breakerSettings(svc.deploymentConfiguration.deploymentCircuitBreaker);
  const ecsController = (svc.deploymentController.type ?? 'ECS') === 'ECS';
  if (breaker.enable && ecsController && d.failedTasks >= currentThreshold(svc)) {
    tripBreaker(ctx, svc, d);
    return;
  }
  if (
    d.consecutiveFailures >= T.UNABLE_EVENT_AFTER_FAILURES &&
    (d.lastUnableEventAt === undefined || now - d.lastUnableEventAt >= T.UNABLE_EVENT_REPEAT_MS)
  ) {
    d.lastUnableEventAt = now;
    addEvent(ctx, svc, serviceEvent.unableToStart(svc.name));
  }
}

/** A task became healthy: the throttle clears and, by default, the breaker count resets. */
export function onTaskHealthy(ctx: Ctx, svc: ServiceRec, task: TaskRec): void {
  requestReconcile(ctx, svc);
  const d = svc.deployments.find((x) => x.id === task.deploymentId);
  if (!d) return;
  d.updatedAt = ctx.now();
  d.consecutiveFailures = 0;
  d.nextLaunchAt = 0;
  if (
    d.rolloutState === 'IN_PROGRESS' &&
    breakerSettings(svc.deploymentConfiguration.deploymentCircuitBreaker).resetOnHealthyTask
  ) {
    d.failedTasks = 0;
    const sd = governingServiceDeployment(ctx, d);
    if (sd && sd.status !== 'ROLLBACK_IN_PROGRESS') sd.breaker.failureCount = 0;
  }
}

/** Live counts for the service as a whole (every listed deployment). */
export function serviceCounts(ctx: Ctx, svc: ServiceRec): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const d of svc.deployments) {
    const c = counts(ctx, svc, d);
    running += c.runningTaskCount;
    pending += c.pendingTaskCount;
  }
  return { running, pending };
}
