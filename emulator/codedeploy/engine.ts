// One ECS blue/green deployment run forward in simulated time: its lifecycle events in order, the
// replacement task set, the ready wait, the traffic shift of its configuration, the termination
// wait; failures, alarms, stops and the rollback deployment CodeDeploy creates for them
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS"). `advanceDeployment` runs every change
// due up to a time, in order, so a big jump of the clock gives the same history as small ones.
import type { AutoRollbackEvent, DeploymentStatus, ErrorCode } from '@aws-sdk/client-codedeploy';
import { createHash } from 'node:crypto';

import type { TaskSetApi } from '../ecs/task-sets.js';
import { trafficSchedule } from './configs.js';
import { CD_FAILURES } from './errors.js';
import { BUILT_IN_EVENTS, freshEvents, hookOutcome } from './lifecycle.js';
import type { DeploymentRec } from './state.js';
import * as T from './timings.js';

export interface Engine {
  ecs: TaskSetApi;
  region: string;
  accountId: string;
  /** Build and register the rollback deployment of `failed` (model.ts owns ids and the list). */
  createRollback(failed: DeploymentRec, at: number): DeploymentRec;
}

export const TERMINAL: ReadonlySet<DeploymentStatus> = new Set(['Succeeded', 'Failed', 'Stopped']);

const MAX_STEPS = 10_000;

/** Run `d` forward through every change due at or before `until`. */
export function advanceDeployment(engine: Engine, d: DeploymentRec, until: number): void {
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) throw new Error(`CodeDeploy model: deployment ${d.id} does not settle`);
    if (TERMINAL.has(d.status)) return;
    const alarm = d.alarmAt !== undefined && d.alarmAt <= until ? d.alarmAt : undefined;
    const wake = d.wakeAt !== undefined && d.wakeAt <= until ? d.wakeAt : undefined;
    if (alarm !== undefined && (wake === undefined || alarm <= wake)) {
      d.alarmAt = undefined;
      endDeployment(engine, d, alarm, {
        status: 'Stopped',
        code: 'ALARM_ACTIVE',
        message: CD_FAILURES.alarm(d.firingAlarms),
        rollbackEvent: 'DEPLOYMENT_STOP_ON_ALARM',
      });
      continue;
    }
    if (wake === undefined) return;
    d.wakeAt = undefined;
    step(engine, d, wake);
  }
}

function step(engine: Engine, d: DeploymentRec, at: number): void {
  d.lastUpdatedAt = at;
  switch (d.stage) {
    case 'created':
      d.status = 'InProgress';
      d.startTime = at;
      d.stage = 'event';
      d.current = 0;
      return startEvent(engine, d, at);
    case 'event':
      return finishEvent(engine, d, at);
    case 'ready-wait':
      // The wait (STOP_DEPLOYMENT only) ran out, unless ContinueDeployment woke it early with `continued`.
      if (!d.continued) {
        const minutes =
          d.group.blueGreenDeploymentConfiguration.deploymentReadyOption?.waitTimeInMinutes ?? 0;
        return endDeployment(engine, d, at, {
          status: 'Stopped',
          code: 'TIMEOUT',
          message: CD_FAILURES.readyTimeout(minutes),
        });
      }
      d.status = 'InProgress';
      d.stage = 'event';
      return startEvent(engine, d, at);
    case 'termination-wait':
      engine.ecs.remove(d.cluster, d.service, d.originalTaskSetId);
      return succeed(d, at);
    default:
      return;
  }
}

function startEvent(engine: Engine, d: DeploymentRec, at: number): void {
  const ev = d.events[d.current]!;
  ev.status = 'InProgress';
  ev.startTime = at;
  if (!BUILT_IN_EVENTS.has(ev.name)) {
    const fn = d.creator === 'user' ? d.appSpec.hooks[ev.name] : undefined;
    if (fn === undefined) {
      ev.status = 'Skipped';
      ev.endTime = at;
      return nextEvent(engine, d, at);
    }
    d.wakeAt = at + hookOutcome(fn).durationMs;
    return;
  }
  if (ev.name === 'Install') return startInstall(engine, d, at);
  if (ev.name === 'AllowTestTraffic') {
    d.wakeAt = d.creator === 'user' ? at + T.TEST_TRAFFIC_MS : at;
    return;
  }
  // AllowTraffic
  d.trafficStartedAt = at;
  return shiftTraffic(engine, d, at);
}

function startInstall(engine: Engine, d: DeploymentRec, at: number): void {
  if (d.restores) {
    d.wakeAt = at; // the original task set is still there, at full scale
    return;
  }
  const pair = d.group.loadBalancerInfo.targetGroupPairInfoList?.[0]?.targetGroups ?? [];
  const green = 1 - d.blueTargetGroup;
  try {
    const ts = engine.ecs.createReplacement({
      cluster: d.cluster,
      service: d.service,
      taskDefinition: d.appSpec.taskDefinition,
      containerName: d.appSpec.containerName,
      containerPort: d.appSpec.containerPort,
      targetGroupArn: targetGroupArn(engine, pair[green]?.name ?? `${d.service}-${green ? 'green' : 'blue'}`),
      externalId: d.id,
      at,
    });
    d.replacementTaskSetId = ts.id;
    d.deadline = at + T.INSTALL_TIMEOUT_MS;
    d.wakeAt = ts.stableAt !== undefined ? Math.min(ts.stableAt, d.deadline) : d.deadline;
  } catch (e) {
    endDeployment(engine, d, at, {
      status: 'Failed',
      code: 'ECS_UPDATE_ERROR',
      message: CD_FAILURES.ecsUpdate((e as Error).message),
      rollbackEvent: 'DEPLOYMENT_FAILURE',
      diagnostics: { errorCode: 'UnknownError', scriptName: '', message: (e as Error).message },
    });
  }
}

function finishEvent(engine: Engine, d: DeploymentRec, at: number): void {
  const ev = d.events[d.current]!;
  if (ev.name === 'AllowTraffic') return shiftTraffic(engine, d, at);
  if (ev.name === 'Install' && !d.restores) {
    const c = engine.ecs.counts(d.cluster, d.service, d.replacementTaskSetId!);
    if (c.running < c.desired) {
      const minutes = T.INSTALL_TIMEOUT_MS / 60_000;
      return endDeployment(engine, d, at, {
        status: 'Failed',
        code: 'ECS_UPDATE_ERROR',
        message: CD_FAILURES.installTimeout(minutes),
        rollbackEvent: 'DEPLOYMENT_FAILURE',
        diagnostics: {
          errorCode: 'UnknownError',
          scriptName: '',
          message: CD_FAILURES.installTimeout(minutes),
        },
      });
    }
  }
  if (!BUILT_IN_EVENTS.has(ev.name)) {
    const fn = d.appSpec.hooks[ev.name]!;
    if (!hookOutcome(fn).succeeds) {
      return endDeployment(engine, d, at, {
        status: 'Failed',
        code: 'HOOK_EXECUTION_FAILURE',
        message: CD_FAILURES.hook(ev.name, fn),
        rollbackEvent: 'DEPLOYMENT_FAILURE',
        diagnostics: { errorCode: 'UnknownError', scriptName: fn, message: CD_FAILURES.hook(ev.name, fn) },
      });
    }
  }
  ev.status = 'Succeeded';
  ev.endTime = at;
  nextEvent(engine, d, at);
}

/** Move traffic to the schedule's step for `at`; at 100 % the replacement becomes PRIMARY. */
function shiftTraffic(engine: Engine, d: DeploymentRec, at: number): void {
  if (d.restores) {
    if (at < d.trafficStartedAt! + T.ROLLBACK_SHIFT_MS) {
      d.wakeAt = d.trafficStartedAt! + T.ROLLBACK_SHIFT_MS;
      return;
    }
    d.replacementWeight = 0;
    // The failed deployment's target shows the traffic as it is now, not as it was at the failure.
    d.restores.undoes.replacementWeight = 0;
    d.restores.undoes.lastUpdatedAt = at;
    if (d.restores.promoteBack) engine.ecs.promote(d.cluster, d.service, d.restores.taskSetId);
    if (d.replacementTaskSetId) engine.ecs.remove(d.cluster, d.service, d.replacementTaskSetId);
  } else {
    const schedule = trafficSchedule(d.config);
    const elapsed = at - d.trafficStartedAt!;
    const reached = schedule.filter((s) => s.offsetMs <= elapsed);
    d.replacementWeight = reached[reached.length - 1]?.percent ?? 0;
    const next = schedule.find((s) => s.offsetMs > elapsed);
    if (next) {
      d.wakeAt = d.trafficStartedAt! + next.offsetMs;
      return;
    }
    engine.ecs.promote(d.cluster, d.service, d.replacementTaskSetId!);
    d.promoted = true;
  }
  const ev = d.events[d.current]!;
  ev.status = 'Succeeded';
  ev.endTime = at;
  nextEvent(engine, d, at);
}

function nextEvent(engine: Engine, d: DeploymentRec, at: number): void {
  const finished = d.events[d.current]!.name;
  d.current += 1;
  const ready = d.group.blueGreenDeploymentConfiguration.deploymentReadyOption;
  // Only STOP_DEPLOYMENT waits in Ready for ContinueDeployment: with CONTINUE_DEPLOYMENT traffic is
  // rerouted at once and waitTimeInMinutes means nothing (docs/ecs-behaviour.md, "Traffic shifting and waits").
  const waitsInReady = ready?.actionOnTimeout === 'STOP_DEPLOYMENT' && (ready.waitTimeInMinutes ?? 0) > 0;
  if (finished === 'AfterAllowTestTraffic' && !d.restores && waitsInReady) {
    d.stage = 'ready-wait';
    d.status = 'Ready';
    d.wakeAt = at + ready!.waitTimeInMinutes! * 60_000;
    return;
  }
  if (d.current < d.events.length) return startEvent(engine, d, at);
  const terminate = d.group.blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess;
  if (d.restores || terminate?.action === 'KEEP_ALIVE') return succeed(d, at);
  d.stage = 'termination-wait';
  d.instanceTerminationWaitTimeStarted = true;
  d.wakeAt = at + (terminate?.terminationWaitTimeInMinutes ?? 0) * 60_000;
}

function succeed(d: DeploymentRec, at: number): void {
  d.status = 'Succeeded';
  d.stage = 'done';
  d.completeTime = at;
  d.alarmAt = undefined;
  if (!d.restores) d.group.liveTargetGroup = 1 - d.blueTargetGroup;
  d.group.lastSuccessfulDeployment = { id: d.id, status: 'Succeeded', endTime: at, createTime: d.createTime };
  d.group.lastAttemptedDeployment = { id: d.id, status: 'Succeeded', endTime: at, createTime: d.createTime };
}

export interface Ending {
  status: 'Failed' | 'Stopped';
  code: ErrorCode;
  message: string;
  /** The group's autoRollbackConfiguration event that makes this end roll back. */
  rollbackEvent?: AutoRollbackEvent;
  /** StopDeployment's autoRollbackEnabled, which wins over the group's events when given. */
  rollback?: boolean;
  diagnostics?: { errorCode: string; scriptName: string; message: string };
}

/** Fail or stop `d` at `at`; roll back when asked and when there is a replacement to undo. */
export function endDeployment(engine: Engine, d: DeploymentRec, at: number, end: Ending): void {
  for (const ev of d.events) {
    if (ev.status === 'InProgress') {
      ev.status = 'Failed';
      ev.endTime = at;
      if (end.diagnostics) ev.diagnostics = { ...end.diagnostics, logTail: '' };
    } else if (ev.status === 'Pending') {
      ev.status = 'Skipped';
    }
  }
  d.status = end.status;
  d.stage = 'done';
  d.wakeAt = undefined;
  d.alarmAt = undefined;
  d.completeTime = at;
  d.lastUpdatedAt = at;
  d.errorInformation = { code: end.code, message: end.message };
  d.group.lastAttemptedDeployment = { id: d.id, status: end.status, endTime: at, createTime: d.createTime };
  const auto = d.autoRollback;
  const wanted =
    end.rollback ??
    (auto.enabled === true &&
      end.rollbackEvent !== undefined &&
      (auto.events ?? []).includes(end.rollbackEvent));
  if (wanted && d.creator === 'user' && d.replacementTaskSetId !== undefined) {
    const rb = engine.createRollback(d, at);
    d.rollbackInfo = { rollbackDeploymentId: rb.id, rollbackMessage: CD_FAILURES.rolledBackBy(rb.id) };
  }
}

/**
 * The deployment CodeDeploy creates to roll `failed` back: the same target and task sets, no
 * hooks, all at once, restoring the original task set and removing the replacement.
 */
export function rollbackDeployment(
  failed: DeploymentRec,
  o: { id: string; at: number; config: DeploymentRec['config'] },
): DeploymentRec {
  return {
    ...failed,
    ...initialRun(),
    id: o.id,
    creator: 'codeDeployRollback',
    createTime: o.at,
    startTime: undefined,
    completeTime: undefined,
    errorInformation: undefined,
    description: undefined,
    config: o.config,
    rollbackInfo: {
      rollbackTriggeringDeploymentId: failed.id,
      rollbackMessage: CD_FAILURES.rollbackOf(failed.id),
    },
    restores: { taskSetId: failed.originalTaskSetId, promoteBack: failed.promoted === true, undoes: failed },
    wakeAt: o.at + T.START_MS,
    alarmAt: undefined,
    firingAlarms: [],
    lastUpdatedAt: o.at,
    instanceTerminationWaitTimeStarted: false,
    trafficStartedAt: undefined,
    continued: undefined,
    promoted: undefined,
  };
}

/** A fresh run of the lifecycle, for a new deployment or a rollback. */
export function initialRun(): Pick<DeploymentRec, 'events' | 'current' | 'stage' | 'status'> {
  return { events: freshEvents(), current: 0, stage: 'created', status: 'Created' };
}

/** The ARN ECS is given for a target group of the pair (ELB's format; the name made valid). */
function targetGroupArn(engine: Engine, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 32) || 'tg';
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `arn:aws:elasticloadbalancing:${engine.region}:${engine.accountId}:targetgroup/${safe}/${hex}`;
}
