// One-off tasks from start to verdict: RunTask with the planned input, then, when asked to wait,
// follow the tasks to their end and judge them. A timeout or a cancel leaves the tasks running
// (a migration stopped halfway can do more harm than one that finishes) unless
// stop-task-on-timeout asks for StopTask on a timeout.

import type { Task } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../lib/json.js';
import { followTasks, type FollowDeps, type FollowEnd } from './follow.js';
import type { RunTaskPlanInput } from './plan.js';
import { taskIdOf, type TaskRunReport } from './types.js';
import {
  judgeStopped,
  neverStarted,
  placementFailure,
  sidecarWarnings,
  standing,
  stoppedReason,
  taskEnd,
  taskPassed,
} from './verdict.js';

export interface RunOptions {
  input: RunTaskPlanInput;
  taskDefinitionArn: string;
  taskDefinition: JsonObject;
  wait: boolean;
  waitForMinutes: number;
  stopOnTimeout: boolean;
}

export async function runOneOffTask(deps: FollowDeps, options: RunOptions): Promise<TaskRunReport> {
  const { input, taskDefinitionArn } = options;
  const cluster = input.cluster ?? 'default';
  const started = await deps.ecs.runTask({ ...input, taskDefinition: taskDefinitionArn });
  const arns = started.tasks.map((t) => t.taskArn ?? '').filter((a) => a !== '');
  const failures = started.failures.map(placementFailure);
  const base = { cluster, taskDefinitionArn, taskArns: arns, failures, warnings: [], logTails: [] };
  for (const arn of arns) deps.log.info(`Task ${taskIdOf(arn)} started on cluster ${cluster}: ${arn}`);
  if (arns.length === 0 || (failures.length > 0 && !options.wait)) {
    const tasks = started.tasks.map((t) => taskEnd(t, options.taskDefinition));
    return { ...base, tasks, verdict: 'not-started', reason: stoppedReason('not-started', tasks, failures) };
  }
  if (!options.wait) {
    return {
      ...base,
      tasks: started.tasks.map((t) => taskEnd(t, options.taskDefinition)),
      verdict: 'not-waiting',
      reason: `Task ${arns.map(taskIdOf).join(', ')} started; not followed because wait-for-task-stopped is false.`,
    };
  }
  const deadline = deps.clock.now() + options.waitForMinutes * 60_000;
  const end = await followTasks(deps, {
    cluster,
    arns,
    taskDefinition: options.taskDefinition,
    deadline,
  });
  const seen = end.tasks.length ? end.tasks : started.tasks;
  if (end.kind === 'stopped') return judged(base, end, options.taskDefinition);
  return unfinished(deps, { ...base, end, seen, options });
}

function judged(
  base: Omit<TaskRunReport, 'verdict' | 'reason' | 'tasks'>,
  end: FollowEnd,
  td: JsonObject,
): TaskRunReport {
  const tasks = end.tasks.map((t) => taskEnd(t, td));
  const verdict = judgeStopped(tasks, base.failures);
  const failing = tasks.filter((t) => !taskPassed(t) && !neverStarted(t));
  const logTails = failing.flatMap((t) =>
    end.logs.tails(
      t.taskId,
      t.containers.filter((c) => c.essential && c.exitCode !== 0).map((c) => c.name),
    ),
  );
  return {
    ...base,
    tasks,
    verdict,
    reason: stoppedReason(verdict, tasks, base.failures),
    warnings: sidecarWarnings(tasks),
    logTails,
  };
}

/** Timed out or cancelled: say where the tasks stand; stop them only on a timeout when asked. */
async function unfinished(
  deps: FollowDeps,
  args: Omit<TaskRunReport, 'verdict' | 'reason' | 'tasks'> & {
    end: FollowEnd;
    seen: Task[];
    options: RunOptions;
  },
): Promise<TaskRunReport> {
  const { end, seen, options, ...base } = args;
  const tasks = seen.map((t) => taskEnd(t, options.taskDefinition));
  const where = standing(tasks);
  if (end.kind === 'cancelled') {
    return {
      ...base,
      tasks,
      verdict: 'cancelled',
      reason: `Cancelled while waiting for the one-off task: ${where}. It was left running; ECS goes on with it.`,
    };
  }
  const running = tasks.filter((t) => t.lastStatus !== 'STOPPED');
  const stopped =
    options.stopOnTimeout && running.length > 0 && (await stopAll(deps, base.cluster, running, options));
  const after = stopped
    ? 'StopTask was sent for it (stop-task-on-timeout).'
    : 'It was left running (stop-task-on-timeout: true stops it instead).';
  return {
    ...base,
    tasks,
    verdict: 'timed-out',
    reason: `No verdict on the one-off task within ${options.waitForMinutes} minute(s): ${where}. ${after}`,
    ...(stopped ? { stoppedOnTimeout: true } : {}),
  };
}

/**
 * StopTask for each task still running. A refusal (no ecs:StopTask) is warned about rather than
 * ending the step: the verdict is the timeout either way, and the report says the task runs on.
 */
async function stopAll(
  deps: FollowDeps,
  cluster: string,
  running: { taskId: string; taskArn: string }[],
  options: RunOptions,
): Promise<boolean> {
  const reason = `Stopped by the deploy step: no verdict within wait-for-minutes (${options.waitForMinutes}).`;
  try {
    for (const t of running) {
      deps.log.info(`Stopping task ${t.taskId} (stop-task-on-timeout).`);
      await deps.ecs.stopTask(cluster, t.taskArn, reason);
    }
    return true;
  } catch (err) {
    deps.log.warning(`${err instanceof Error ? err.message : String(err)} The task was left running.`);
    return false;
  }
}
