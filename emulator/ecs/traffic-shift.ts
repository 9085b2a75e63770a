// The scheduler for BLUE_GREEN, LINEAR and CANARY deployments over the rollout model: the green
// revision scales up beside blue (which keeps its tasks), the lifecycle stages follow in ECS's
// order with their hooks, traffic weights and bakes, alarms are watched, and blue is scaled down
// only in CLEAN_UP (docs/ecs-behaviour.md, "Blue/green, linear and canary deployments"). A
// rollback hands the service back to the rolling scheduler (rollout.ts), which re-promotes blue.
import type { Ctx } from './context.js';
import {
  isAlive,
  isHealthy,
  isPending,
  isWindingDown,
  serviceTasks,
  setServiceDeploymentStatus,
} from './deployments.js';
import { serviceEvent } from './events.js';
import {
  blockingFailure,
  allPassed,
  functionName,
  nextHookChange,
  settleHooks,
  startHooks,
  type HookRun,
} from './hooks.js';
import { planPhases } from './lifecycle.js';
import { MAX_TASK_CHANGES_PER_PASS } from './limits.js';
import {
  addEvent,
  completeDeployment,
  launchServiceTasks,
  requestReconcile,
  rollBack,
  rollbackTarget,
  serviceDeploymentsOf,
} from './rollout.js';
import type { DeploymentRec, ServiceDeploymentRec, ServiceRec, ShiftRec, TaskRec } from './state.js';
import { isShiftStrategy, strategyOf } from './strategy-config.js';
import { STOP_REASON, stopTask } from './tasks.js';
import * as T from './timings.js';

/** statusReason / rollback.reason texts of traffic-shifting deployments (ours: AWS documents none). */
export const shiftReason = {
  hookFailed: (r: HookRun) =>
    `Lifecycle hook ${r.hookId} (${r.targetType === 'PAUSE' ? 'PAUSE' : `Lambda function ${functionName(r.targetArn ?? '')}`}) ${r.status === 'TIMED_OUT' ? 'timed out' : 'failed'} at ${r.stage}.`,
  alarm: (names: readonly string[]) => `CloudWatch alarm(s) ${names.join(', ')} in ALARM state.`,
  continueRollback: (hookId: string) =>
    `Rollback requested with ContinueServiceDeployment for hook ${hookId}.`,
  stopRollback: 'Rollback requested with StopServiceDeployment.',
  rollingBack: (blueId: string, cause: string) => `Rolling back to deploymentId ${blueId}: ${cause}`,
  rolledBack: (blueId: string, cause: string) => `Rolled back to deploymentId ${blueId}: ${cause}`,
  alarmStopped: (names: readonly string[]) =>
    `Service deployment failed: CloudWatch alarm(s) ${names.join(', ')} in ALARM state.`,
};

const sdOf = (ctx: Ctx, d: DeploymentRec | undefined): ServiceDeploymentRec | undefined =>
  d ? ctx.serviceDeployments.get(d.serviceDeploymentArn) : undefined;

/** Whether this service's next scheduler pass is a traffic-shifting one (else the rolling one). */
export function runsTrafficShift(ctx: Ctx, svc: ServiceRec): boolean {
  const primary = svc.deployments[0];
  const sd = sdOf(ctx, primary);
  return (
    svc.status === 'ACTIVE' &&
    sd?.shift !== undefined &&
    primary!.rollbackFor === undefined &&
    (sd.status === 'IN_PROGRESS' || sd.status === 'ROLLBACK_REQUESTED')
  );
}

/**
 * A new deployment `d` of a service whose strategy is BLUE_GREEN, LINEAR or CANARY: its lifecycle
 * starts. The first deployment of a service (nothing to shift from) rolls out as ROLLING does.
 */
export function beginTrafficShift(ctx: Ctx, svc: ServiceRec, d: DeploymentRec, sources: number): void {
  const cfg = svc.deploymentConfiguration;
  const strategy = strategyOf(cfg);
  const sd = sdOf(ctx, d);
  const blue = rollbackTarget(svc, d);
  if (!isShiftStrategy(strategy) || !sd || !blue) return;
  const now = ctx.now();
  const alarmCfg = cfg.alarms;
  const enabled = alarmCfg?.enable === true;
  const names = alarmCfg?.alarmNames ?? [];
  const firing = enabled && names.some((n) => n.toLowerCase().includes('firing'));
  const phases = planPhases({
    strategy,
    cfg,
    reconcile: sources > 1,
    stageMs: ctx.settings.shiftStageMs ?? T.SHIFT_STAGE_MS,
  });
  sd.shift = {
    strategy,
    phases,
    phase: -1,
    phaseStartedAt: now,
    stage: phases[0]!.stage,
    hooks: [],
    testWeight: 0,
    productionWeight: 0,
    blueDeploymentId: blue.id,
    alarms: {
      enabled,
      rollback: alarmCfg?.rollback === true,
      names,
      triggered: [],
      ...(firing ? { firesAt: now + T.ALARM_FIRES_AFTER_MS } : {}),
      status: enabled ? 'MONITORING' : 'DISABLED',
    },
  };
  enterPhase(ctx, svc, sd.shift, 0);
}

function enterPhase(ctx: Ctx, svc: ServiceRec, shift: ShiftRec, index: number): void {
  const now = ctx.now();
  const phase = shift.phases[index]!;
  shift.phase = index;
  shift.phaseStartedAt = now;
  shift.stage = phase.stage;
  if (phase.testWeight !== undefined) shift.testWeight = phase.testWeight;
  if (phase.productionWeight !== undefined) shift.productionWeight = phase.productionWeight;
  if (phase.hookStage) {
    const sd = sdOf(ctx, svc.deployments[0])!;
    shift.hooks.push(
      ...startHooks(sd.deploymentConfiguration, { stage: phase.hookStage, phase: index, now }, ctx.random),
    );
  }
  // Stop what must go: revisions other than blue and green as the deployment starts, blue in CLEAN_UP.
  if (index === 0 || phase.cleanUp) {
    const green = svc.deployments[0]!;
    const going = svc.deployments.filter(
      (d) => d !== green && (phase.cleanUp || d.id !== shift.blueDeploymentId),
    );
    stopAll(ctx, svc, going, green.id);
  }
}

function stopAll(ctx: Ctx, svc: ServiceRec, deployments: readonly DeploymentRec[], by: string): void {
  const ids = new Set(deployments.map((d) => d.id));
  const stopped: TaskRec[] = [];
  for (const t of serviceTasks(ctx, svc)) {
    if (!isAlive(t) || !ids.has(t.deploymentId ?? '')) continue;
    stopTask(ctx, t, 'ServiceSchedulerInitiated', STOP_REASON.scaling(by));
    stopped.push(t);
  }
  for (const d of deployments) d.desiredCount = 0;
  if (stopped.length)
    addEvent(
      ctx,
      svc,
      serviceEvent.stopped(
        svc.name,
        stopped.map((t) => t.id),
      ),
    );
}

/** Deployments other than green whose tasks are all gone leave the list (INACTIVE). */
function retireDrained(ctx: Ctx, svc: ServiceRec): void {
  const tasks = serviceTasks(ctx, svc);
  for (const d of svc.deployments.slice(1)) {
    if (d.desiredCount > 0) continue;
    if (tasks.some((t) => t.deploymentId === d.id && (isAlive(t) || isWindingDown(t)))) continue;
    svc.deployments = svc.deployments.filter((x) => x !== d);
    d.status = 'INACTIVE';
    d.updatedAt = ctx.now();
    svc.history.unshift(d);
    svc.history.length = Math.min(svc.history.length, T.DEPLOYMENT_HISTORY_LIMIT);
  }
}

/** Keep green at the desired count from SCALE_UP on; failed tasks are replaced after the backoff. */
function scaleGreen(ctx: Ctx, svc: ServiceRec, shift: ShiftRec): void {
  const scaleUp = shift.phases.findIndex((p) => p.waitForGreen);
  if (shift.phase < scaleUp) return;
  const green = svc.deployments[0]!;
  green.desiredCount = svc.desiredCount;
  if (green.rolloutState === 'FAILED') return;
  const alive = serviceTasks(ctx, svc).filter((t) => t.deploymentId === green.id && isAlive(t));
  const need = Math.min(svc.desiredCount - alive.length, MAX_TASK_CHANGES_PER_PASS);
  if (need <= 0) return;
  if (ctx.now() < green.nextLaunchAt) {
    requestReconcile(ctx, svc, green.nextLaunchAt);
    return;
  }
  const started = launchServiceTasks(ctx, svc, green, need);
  addEvent(
    ctx,
    svc,
    serviceEvent.started(
      svc.name,
      started.map((t) => t.id),
    ),
  );
  green.updatedAt = ctx.now();
}

function greenReady(ctx: Ctx, svc: ServiceRec): boolean {
  const green = svc.deployments[0]!;
  const alive = serviceTasks(ctx, svc).filter((t) => t.deploymentId === green.id && isAlive(t));
  return alive.length === svc.desiredCount && alive.every(isHealthy);
}

/** A rollback of a traffic-shifting deployment: traffic back to blue, green scaled down by the rolling scheduler. */
function shiftRollBack(
  ctx: Ctx,
  svc: ServiceRec,
  sd: ServiceDeploymentRec,
  cause: { byUser: boolean; reason: string },
): void {
  const shift = sd.shift!;
  const green = svc.deployments[0]!;
  if (!rollBack(ctx, svc, green, sd, cause.byUser)) return;
  green.rolloutState = 'FAILED';
  green.rolloutStateReason = cause.reason;
  sd.rollback!.reason = cause.reason;
  sd.statusReason = shiftReason.rollingBack(shift.blueDeploymentId, cause.reason);
  sd.rollbackDoneReason = shiftReason.rolledBack(shift.blueDeploymentId, cause.reason);
}

/** Alarms: a `firing` one goes into ALARM; with rollback on the deployment rolls back. True when it ended the pass. */
function checkAlarms(ctx: Ctx, svc: ServiceRec, sd: ServiceDeploymentRec): boolean {
  const a = sd.shift!.alarms;
  if (a.firesAt === undefined || a.status !== 'MONITORING' || ctx.now() < a.firesAt) return false;
  a.triggered = a.names.filter((n) => n.toLowerCase().includes('firing'));
  a.status = 'TRIGGERED';
  if (a.rollback) {
    shiftRollBack(ctx, svc, sd, { byUser: false, reason: shiftReason.alarm(a.triggered) });
  } else {
    const green = svc.deployments[0]!;
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = shiftReason.alarmStopped(a.triggered);
    setServiceDeploymentStatus(ctx, sd, 'STOP_REQUESTED', shiftReason.alarmStopped(a.triggered));
    requestReconcile(ctx, svc);
  }
  return true;
}

/** Walk the phases as far as they can go now. True when the deployment left IN_PROGRESS. */
function advancePhases(ctx: Ctx, svc: ServiceRec, sd: ServiceDeploymentRec): boolean {
  const shift = sd.shift!;
  const now = ctx.now();
  for (;;) {
    const runs = shift.hooks.filter((r) => r.phase === shift.phase);
    settleHooks(runs, now);
    const failed = blockingFailure(runs);
    if (failed) {
      shiftRollBack(ctx, svc, sd, { byUser: false, reason: shiftReason.hookFailed(failed) });
      return true;
    }
    const phase = shift.phases[shift.phase]!;
    if (now < shift.phaseStartedAt + phase.minMs || !allPassed(runs)) return false;
    if (phase.waitForGreen && !greenReady(ctx, svc)) return false;
    if (phase.cleanUp && svc.deployments.length > 1) return false;
    if (shift.phase + 1 < shift.phases.length) {
      enterPhase(ctx, svc, shift, shift.phase + 1);
      scaleGreen(ctx, svc, shift);
      continue;
    }
    finish(ctx, svc, sd);
    return true;
  }
}

function finish(ctx: Ctx, svc: ServiceRec, sd: ServiceDeploymentRec): void {
  const shift = sd.shift!;
  if (shift.alarms.status === 'MONITORING') shift.alarms.status = 'MONITORING_COMPLETE';
  completeDeployment(ctx, svc, svc.deployments[0]!);
  // The rolling scheduler announces the steady state from here on.
  requestReconcile(ctx, svc);
}

/** When this deployment next changes on its own: a stage's end, a hook's answer or timeout, an alarm. */
function nextWake(ctx: Ctx, shift: ShiftRec): number | undefined {
  const now = ctx.now();
  const phase = shift.phases[shift.phase]!;
  const times = [
    shift.phaseStartedAt + phase.minMs,
    nextHookChange(shift.hooks.filter((r) => r.phase === shift.phase)),
    shift.alarms.status === 'MONITORING' ? shift.alarms.firesAt : undefined,
  ].filter((t): t is number => t !== undefined && t > now);
  return times.length ? Math.min(...times) : undefined;
}

/** Superseded service deployments of this service settle once nothing of theirs is starting. */
function settleStopRequests(ctx: Ctx, svc: ServiceRec): void {
  const tasks = serviceTasks(ctx, svc);
  for (const sd of serviceDeploymentsOf(ctx, svc)) {
    if (sd.status !== 'STOP_REQUESTED') continue;
    if (!tasks.some((t) => t.deploymentId === sd.deploymentId && isPending(t)))
      setServiceDeploymentStatus(ctx, sd, 'STOPPED');
  }
}

/** One scheduler pass over a service in a traffic-shifting deployment. */
export function trafficShiftPass(ctx: Ctx, svc: ServiceRec): void {
  const green = svc.deployments[0]!;
  const sd = sdOf(ctx, green)!;
  const shift = sd.shift!;
  settleStopRequests(ctx, svc);
  if (sd.status === 'ROLLBACK_REQUESTED') {
    shiftRollBack(ctx, svc, sd, { byUser: true, reason: shift.pendingRollback ?? shiftReason.stopRollback });
    return;
  }
  if (checkAlarms(ctx, svc, sd)) return;
  scaleGreen(ctx, svc, shift);
  retireDrained(ctx, svc);
  if (advancePhases(ctx, svc, sd)) return;
  retireDrained(ctx, svc);
  const wake = nextWake(ctx, shift);
  if (wake !== undefined) requestReconcile(ctx, svc, wake);
}
