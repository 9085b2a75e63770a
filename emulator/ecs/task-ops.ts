// DescribeTasks, ListTasks, StopTask (docs/ecs-behaviour.md, "Stopped tasks"); RunTask is in run-task.ts.
import type { Task } from '@aws-sdk/client-ecs';

import { AwsError } from '../core.js';
import type { Ctx } from './context.js';
import { lastSegment } from './ids.js';
import {
  asInput,
  describeEach,
  invalidParameter,
  optString,
  optStringList,
  paginate,
  reqString,
} from './input.js';
import { findService, resolveCluster } from './services.js';
import { refuseForeignArn } from './refs.js';
import type { TaskRec } from './state.js';
import { taskOutput } from './task-output.js';
import { STOP_REASON, stopTask } from './tasks.js';

export { runTask } from './run-task.js';

/** Where a task ARN or id points (tasks are found by id within the cluster). */
function findTask(ctx: Ctx, cluster: string, ref: string): TaskRec | undefined {
  refuseForeignArn(ctx, ref);
  const t = ctx.tasks.get(ctx.arns.task(cluster, lastSegment(ref)));
  return t && t.cluster === cluster ? t : undefined;
}

export function describeTasks(
  ctx: Ctx,
  raw: unknown,
): { tasks: Task[]; failures: { arn: string; reason: string }[] } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const refs = optStringList(input, 'tasks');
  if (!refs || refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
  if (refs.length > 100) throw invalidParameter('tasks can have at most 100 items.');
  const includeTags = (optStringList(input, 'include') ?? []).includes('TAGS');
  const { found, failures } = describeEach(
    refs,
    (ref) => findTask(ctx, cluster, ref),
    (t) => taskOutput(ctx, t, includeTags),
    (ref) => ctx.arns.task(cluster, ref),
  );
  return { tasks: found, failures };
}

export function listTasks(ctx: Ctx, raw: unknown): { taskArns: string[]; nextToken?: string } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const family = optString(input, 'family');
  const serviceName = optString(input, 'serviceName');
  const startedBy = optString(input, 'startedBy');
  const launchType = optString(input, 'launchType');
  const desiredStatus = optString(input, 'desiredStatus') ?? 'RUNNING';
  // "When you specify startedBy as the filter, it must be the only filter that you use."
  // desiredStatus is allowed alongside (whether ECS allows it is unverified; see README).
  if (
    startedBy !== undefined &&
    (family !== undefined || serviceName !== undefined || optString(input, 'containerInstance') !== undefined)
  ) {
    throw invalidParameter('startedBy must be the only filter when it is specified.');
  }
  let service: string | undefined;
  if (serviceName !== undefined) {
    const svc = findService(ctx, cluster, serviceName);
    if (!svc) throw new AwsError('ServiceNotFoundException', 'Service not found.', 400);
    service = svc.name;
  }
  const arns = [...ctx.tasks.values()]
    .filter((t) => t.cluster === cluster)
    .filter((t) => t.desiredStatus === desiredStatus)
    .filter((t) => family === undefined || t.family === family)
    .filter((t) => service === undefined || t.service === service)
    .filter((t) => startedBy === undefined || t.startedBy === startedBy)
    .filter((t) => launchType === undefined || t.launchType === launchType)
    .map((t) => t.arn);
  const { page, nextToken } = paginate(arns, input, 100, 100);
  return nextToken ? { taskArns: page, nextToken } : { taskArns: page };
}

export function stopTaskOp(
  ctx: Ctx,
  raw: unknown,
  onServiceTaskStopped: (t: TaskRec) => void,
): { task: Task } {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const t = findTask(ctx, cluster, reqString(input, 'task'));
  if (!t) throw invalidParameter('The referenced task was not found.');
  const reason = optString(input, 'reason') ?? STOP_REASON.user;
  if (t.desiredStatus === 'RUNNING') {
    stopTask(ctx, t, 'UserInitiated', reason);
    if (t.service !== undefined) onServiceTaskStopped(t);
  }
  return { task: taskOutput(ctx, t, false) };
}
