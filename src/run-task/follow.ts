// Following started one-off tasks until every one is STOPPED, wait-for-minutes passes or the
// workflow cancels: DescribeTasks on a schedule (at once, then after 1, 2 and 3 s, then every
// 4 s), each change of status printed, the containers' log lines streamed between polls.

import type { Task } from '@aws-sdk/client-ecs';
import type { CallOptions, EcsPort, LogsPort } from '../aws/ports.js';
import { toAwsCallError, transientCause } from '../aws/errors.js';
import { anySignal, timeoutSignal, type Clock } from '../lib/clock.js';
import type { JsonObject } from '../lib/json.js';
import { awslogsSources, TaskLogFollower, type NewLines } from './log-follow.js';
import { taskIdOf } from './types.js';

const POLL_INTERVALS_MS = [1000, 2000, 3000];
const MAX_POLL_INTERVAL_MS = 4000;

export interface TaskLog {
  info(line: string): void;
  warning(line: string): void;
  /** The new log lines of one task, as one group of the step log. */
  lines(batch: NewLines): void;
}

export interface FollowDeps {
  ecs: EcsPort;
  logs: LogsPort;
  clock: Clock;
  log: TaskLog;
  /** The workflow cancel. */
  signal: AbortSignal;
}

export interface FollowTarget {
  cluster: string;
  arns: string[];
  taskDefinition: JsonObject;
  /** Clock time after which no verdict is waited for. */
  deadline: number;
}

export type FollowEnd = { kind: 'stopped' | 'timeout' | 'cancelled'; tasks: Task[]; logs: TaskLogFollower };

export async function followTasks(deps: FollowDeps, target: FollowTarget): Promise<FollowEnd> {
  const { clock, signal } = deps;
  const ids = target.arns.map(taskIdOf);
  const logs = new TaskLogFollower(deps.logs, awslogsSources(target.taskDefinition), ids, (l) =>
    deps.log.warning(l),
  );
  const seen = new Map<string, string>();
  let tasks: Task[] = [];
  const callSignal = anySignal([signal, deadlineSignal(clock, target.deadline)]);
  for (let polls = 0; ; polls++) {
    if (signal.aborted) return { kind: 'cancelled', tasks, logs };
    const described = await describe(deps, target, { signal: callSignal });
    if (described) {
      tasks = merged(target.arns, tasks, described);
      printChanges(deps.log, tasks, seen);
      await streamLogs(deps.log, logs, tasks, { signal: callSignal });
      if (tasks.length === target.arns.length && tasks.every((t) => t.lastStatus === 'STOPPED')) {
        // Lines written just before the stop arrive late: one more read after it.
        await streamLogs(deps.log, logs, tasks, { signal: callSignal });
        return { kind: 'stopped', tasks, logs };
      }
    }
    if (signal.aborted) return { kind: 'cancelled', tasks, logs };
    const now = clock.now();
    if (now >= target.deadline) return { kind: 'timeout', tasks, logs };
    const interval = POLL_INTERVALS_MS[polls] ?? MAX_POLL_INTERVAL_MS;
    await clock.sleep(Math.min(interval, target.deadline - now), signal);
  }
}

/**
 * The newest look at each task, in RunTask's order. A task DescribeTasks does not list yet (it is
 * eventually consistent right after RunTask, docs/ecs-behaviour.md, "How a one-off task ends")
 * keeps what was last seen of it, or is left out until it is listed.
 */
function merged(arns: string[], before: Task[], now: Task[]): Task[] {
  return arns.flatMap((arn) => {
    const task = now.find((t) => t.taskArn === arn) ?? before.find((t) => t.taskArn === arn);
    return task ? [task] : [];
  });
}

function deadlineSignal(clock: Clock, deadline: number): AbortSignal {
  const ms = Math.max(0, deadline - clock.now());
  return clock.timeout ? clock.timeout(ms) : timeoutSignal(ms);
}

/** One DescribeTasks; undefined after a transient failure (warned) or an abandoned call. */
async function describe(
  deps: FollowDeps,
  target: FollowTarget,
  options: CallOptions,
): Promise<Task[] | undefined> {
  try {
    const { tasks } = await deps.ecs.describeTasks(target.cluster, target.arns, options);
    return tasks;
  } catch (err) {
    if (options.signal?.aborted) return undefined;
    const e = toAwsCallError(err, 'DescribeTasks');
    if (e.kind === 'retryable' && transientCause(e)) {
      deps.log.warning(`${e.message} Polling again; this does not change the verdict.`);
      return undefined;
    }
    throw e;
  }
}

/** `Task 0a1b…: RUNNING`, once per change of a task's status. */
function printChanges(log: TaskLog, tasks: Task[], seen: Map<string, string>): void {
  for (const t of tasks) {
    const arn = t.taskArn ?? '';
    const status = t.lastStatus ?? 'UNKNOWN';
    if (seen.get(arn) === status) continue;
    seen.set(arn, status);
    const stop = status === 'STOPPED' && t.stoppedReason ? ` (${t.stoppedReason})` : '';
    log.info(`Task ${taskIdOf(arn)}: ${status}${stop}`);
  }
}

/** Tasks that may have logged: past PENDING (the pull), or stopped. */
async function streamLogs(
  log: TaskLog,
  logs: TaskLogFollower,
  tasks: Task[],
  options: CallOptions,
): Promise<void> {
  const ids = tasks
    .filter((t) => t.startedAt !== undefined || t.lastStatus === 'STOPPED')
    .map((t) => taskIdOf(t.taskArn ?? ''));
  if (ids.length === 0) return;
  for (const batch of await logs.poll(ids, options)) log.lines(batch);
}
