// Why a deployment failed, beyond ECS's one-line reason: our deployment's stopped tasks grouped by
// how they stopped, and the last lines their containers logged. Diagnosis only adds to a verdict
// already reached; when it fails (no permission, no logs) it says so in a warning and the verdict
// stands.

import type { Task } from '@aws-sdk/client-ecs';
import { toAwsCallError } from '../aws/errors.js';
import type { EcsPort, LogsPort, StoppedTasksQuery } from '../aws/ports.js';
import { isObject, type JsonObject } from '../lib/json.js';
import type { ContainerStop, LogTail, StoppedTaskGroup } from './types.js';

/**
 * The scheduler's normal replacement and scale-in (old tasks making room; docs/ecs-behaviour.md, "Stopped tasks"). Matched on the
 * reason, not on stopCode ServiceSchedulerInitiated alone: tasks that fail ELB health checks carry
 * that stop code too, and those are exactly what a failure report needs.
 */
export const SCALE_IN_REASON_PREFIX = 'Scaling activity initiated by';
export const EXAMPLE_TASK_IDS = 3;
export const LOG_LINES = 20;
export const MAX_LOG_TAILS = 3;

export function taskIdOf(taskArn: string | undefined): string {
  return taskArn ? taskArn.slice(taskArn.lastIndexOf('/') + 1) : '';
}

/** Names of the essential containers (`essential` defaults to true). */
export function essentialContainers(taskDefinition: JsonObject | undefined): Set<string> | undefined {
  const defs = taskDefinition?.containerDefinitions;
  if (!Array.isArray(defs)) return undefined;
  const names = new Set<string>();
  for (const def of defs) {
    if (isObject(def) && typeof def.name === 'string' && def.essential !== false) names.add(def.name);
  }
  return names;
}

function containerStops(task: Task, essential: ReadonlySet<string> | undefined): ContainerStop[] {
  return (task.containers ?? [])
    .filter((c) => c.name && (!essential || essential.has(c.name)))
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => {
      const stop: ContainerStop = { name: c.name! };
      if (c.exitCode !== undefined) stop.exitCode = c.exitCode;
      if (c.reason) stop.reason = c.reason;
      return stop;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Stopped tasks grouped by stop code, stopped reason and how the (essential) containers exited,
 * most frequent group first (ties: most recent first); scheduler scale-in left out. Pure.
 */
export function groupStoppedTasks(
  tasks: Task[],
  options: { essentialContainers?: ReadonlySet<string>; examples?: number } = {},
): StoppedTaskGroup[] {
  const examples = options.examples ?? EXAMPLE_TASK_IDS;
  const groups = new Map<string, { group: StoppedTaskGroup; latest: number }>();
  const newestFirst = [...tasks].sort(
    (a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0),
  );
  for (const task of newestFirst) {
    if (task.stoppedReason?.startsWith(SCALE_IN_REASON_PREFIX)) continue;
    const containers = containerStops(task, options.essentialContainers);
    const key = JSON.stringify([task.stopCode, task.stoppedReason, containers]);
    let entry = groups.get(key);
    if (!entry) {
      const group: StoppedTaskGroup = { count: 0, containers, taskIds: [] };
      if (task.stopCode) group.stopCode = task.stopCode;
      if (task.stoppedReason) group.stoppedReason = task.stoppedReason;
      entry = { group, latest: task.stoppedAt?.getTime() ?? 0 };
      groups.set(key, entry);
    }
    entry.group.count++;
    if (entry.group.taskIds.length < examples) entry.group.taskIds.push(taskIdOf(task.taskArn));
  }
  return [...groups.values()]
    .sort((a, b) => b.group.count - a.group.count || b.latest - a.latest)
    .map((e) => e.group);
}

export interface LogTailTarget {
  container: string;
  logGroup: string;
  logStream: string;
  /** `awslogs-region`, when the logs are in another region than ours. */
  region?: string;
}

function awslogsOf(taskDefinition: JsonObject | undefined, container: string) {
  const defs = taskDefinition?.containerDefinitions;
  const def = Array.isArray(defs) ? defs.find((d) => isObject(d) && d.name === container) : undefined;
  const logConfiguration = isObject(def) ? def.logConfiguration : undefined;
  if (!isObject(logConfiguration) || logConfiguration.logDriver !== 'awslogs') return undefined;
  const options = isObject(logConfiguration.options) ? logConfiguration.options : {};
  const group = options['awslogs-group'];
  const prefix = options['awslogs-stream-prefix'];
  const region = options['awslogs-region'];
  // Without a stream prefix the stream is named after the Docker container id, which ECS does not report.
  if (typeof group !== 'string' || typeof prefix !== 'string') return undefined;
  return { group, prefix, region: typeof region === 'string' ? region : undefined };
}

/**
 * Which log streams to read: for each group (most frequent first), its most recent task's
 * containers that stopped it and log with awslogs (stream `<prefix>/<container>/<taskId>`). Pure.
 */
export function logTailTargets(
  groups: StoppedTaskGroup[],
  taskDefinition: JsonObject | undefined,
  max = MAX_LOG_TAILS,
): LogTailTarget[] {
  const targets: LogTailTarget[] = [];
  const essential = essentialContainers(taskDefinition);
  for (const group of groups) {
    const taskId = group.taskIds[0];
    if (!taskId) continue;
    // The containers that exited badly first; a group without container details (the task never
    // got that far) still gets its essential containers' streams, which may say why.
    const names = group.containers.length
      ? [...group.containers]
          .sort((a, b) => Number(a.exitCode === 0) - Number(b.exitCode === 0))
          .map((c) => c.name)
      : [...(essential ?? [])];
    for (const container of names) {
      const awslogs = awslogsOf(taskDefinition, container);
      if (!awslogs) continue;
      const target: LogTailTarget = {
        container,
        logGroup: awslogs.group,
        logStream: `${awslogs.prefix}/${container}/${taskId}`,
      };
      if (awslogs.region) target.region = awslogs.region;
      targets.push(target);
      if (targets.length >= max) return targets;
    }
  }
  return targets;
}

/** How diagnosis reaches AWS: the ports, and a log for its warnings. */
export interface DiagnoseDeps {
  ecs: EcsPort;
  /** Without it, no log lines are read. */
  logs?: LogsPort;
  log: { warning(line: string): void };
  /** Abandons the calls (a cancel, or a deadline for the whole step). */
  signal?: AbortSignal;
}

export interface DiagnoseInput {
  cluster?: string;
  service?: string;
  /** Our deployment: only the tasks it started are diagnosed. */
  deploymentId: string;
  /** Our task definition (plain JSON), for essential containers and log configuration. */
  taskDefinition?: JsonObject;
  logLines?: number;
  maxLogTails?: number;
}

export interface Diagnosis {
  stoppedTasks: StoppedTaskGroup[];
  logTails: LogTail[];
}

export async function diagnose(deps: DiagnoseDeps, input: DiagnoseInput): Promise<Diagnosis> {
  const call = { signal: deps.signal };
  let tasks: Task[];
  try {
    tasks = await deps.ecs.listStoppedTasks(stoppedTasksQuery(deps, input), call);
  } catch (err) {
    deps.log.warning(
      `Could not list the stopped tasks of ${input.deploymentId}: ${toAwsCallError(err, 'ListTasks').message}`,
    );
    return { stoppedTasks: [], logTails: [] };
  }
  // listStoppedTasks returns only the tasks our deployment started (src/aws/ecs.ts filters them).
  const stoppedTasks = groupStoppedTasks(tasks, {
    essentialContainers: essentialContainers(input.taskDefinition),
  });
  const logTails: LogTail[] = [];
  if (!deps.logs) return { stoppedTasks, logTails };
  for (const target of logTailTargets(stoppedTasks, input.taskDefinition, input.maxLogTails)) {
    try {
      const query = {
        region: target.region,
        group: target.logGroup,
        stream: target.logStream,
        lines: input.logLines ?? LOG_LINES,
      };
      const lines = await deps.logs.getLogTail(query, call);
      if (lines.length)
        logTails.push({
          container: target.container,
          logGroup: target.logGroup,
          logStream: target.logStream,
          lines,
        });
    } catch (err) {
      // One warning is enough: the next stream would fail the same way (usually logs:GetLogEvents not allowed).
      deps.log.warning(`Could not read the container logs: ${toAwsCallError(err, 'GetLogEvents').message}`);
      break;
    }
  }
  return { stoppedTasks, logTails };
}

function stoppedTasksQuery(deps: DiagnoseDeps, input: DiagnoseInput): StoppedTasksQuery {
  return {
    cluster: input.cluster ?? 'default',
    service: input.service ?? '',
    deploymentId: input.deploymentId,
  };
}
