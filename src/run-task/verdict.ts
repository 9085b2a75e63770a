// The verdict on stopped one-off tasks, and the sentences that say why. Pure. Essential containers
// decide: a task passes when it stopped with every essential container at exit code 0. A task
// stops with EssentialContainerExited even when that exit was 0, so success is read from the exit
// codes, never from the stop code (docs/ecs-behaviour.md, "One-off tasks").

import type { Failure, Task } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../lib/json.js';
import { containersOf } from './plan.js';
import { taskIdOf, type PlacementFailure, type TaskEnd, type TaskVerdict } from './types.js';

/** A described task, joined with the definition's `essential` flags (DescribeTasks has none). */
export function taskEnd(task: Task, td: JsonObject): TaskEnd {
  const essential = new Map(containersOf(td).map((c) => [c.name, c.essential]));
  const arn = task.taskArn ?? '';
  return {
    taskArn: arn,
    taskId: taskIdOf(arn),
    lastStatus: task.lastStatus,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    started: task.startedAt !== undefined || task.stopCode === 'EssentialContainerExited',
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '',
      essential: essential.get(c.name ?? '') ?? true,
      lastStatus: c.lastStatus,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
    })),
  };
}

export function placementFailure(f: Failure): PlacementFailure {
  return { arn: f.arn, reason: f.reason, detail: f.detail };
}

/** Never ran: ECS said it failed to start, or no essential container got an exit code. */
export function neverStarted(task: TaskEnd): boolean {
  if (task.stopCode === 'TaskFailedToStart') return true;
  const essential = task.containers.filter((c) => c.essential);
  return !task.started && essential.every((c) => c.exitCode === undefined);
}

export function taskPassed(task: TaskEnd): boolean {
  return (
    task.lastStatus === 'STOPPED' &&
    !neverStarted(task) &&
    task.containers.filter((c) => c.essential).every((c) => c.exitCode === 0)
  );
}

/** The verdict on tasks that all stopped (or were never placed). */
export function judgeStopped(tasks: TaskEnd[], failures: PlacementFailure[]): TaskVerdict {
  if (tasks.length === 0 || tasks.some(neverStarted)) return 'not-started';
  if (failures.length > 0 || !tasks.every(taskPassed)) return 'failed';
  return 'passed';
}

const exitText = (code: number | undefined): string =>
  code === undefined ? 'no exit code' : `exit code ${code}`;

/** `migrate: 0, log-router: 137`. */
export function exitCodesText(task: TaskEnd): string {
  return task.containers.map((c) => `${c.name}: ${c.exitCode ?? '–'}`).join(', ');
}

/** Why a task did not pass, in ECS's words. */
export function taskFailureText(task: TaskEnd): string {
  if (neverStarted(task)) {
    const why = task.containers.find((c) => c.reason)?.reason ?? task.stoppedReason ?? 'no reason given';
    const stop = task.stoppedReason && task.stoppedReason !== why ? `; ${task.stoppedReason}` : '';
    return `task ${task.taskId} never started: ${why}${stop}${task.stopCode ? ` (stop code ${task.stopCode})` : ''}`;
  }
  const bad = task.containers.filter((c) => c.essential && c.exitCode !== 0);
  const each = bad.map(
    (c) =>
      `essential container ${c.name} stopped with ${exitText(c.exitCode)}${c.reason ? ` (${c.reason})` : ''}`,
  );
  const all = task.containers.length > 1 ? `; exit codes: ${exitCodesText(task)}` : '';
  return `task ${task.taskId} failed: ${each.join('; ') || task.stoppedReason || 'it did not stop cleanly'}${all}`;
}

export function placementFailureText(f: PlacementFailure): string {
  return `ECS could not place the task: ${f.reason ?? 'no reason given'}${f.detail ? ` (${f.detail})` : ''}${f.arn ? ` on ${f.arn}` : ''}`;
}

/** The sentence for a verdict on stopped tasks. */
export function stoppedReason(verdict: TaskVerdict, tasks: TaskEnd[], failures: PlacementFailure[]): string {
  if (verdict === 'passed') {
    const each = tasks.map((t) => `${t.taskId} (${exitCodesText(t)})`).join('; ');
    return `The one-off task stopped with every essential container at exit code 0: ${each}.`;
  }
  const parts = [
    ...failures.map(placementFailureText),
    ...tasks.filter((t) => !taskPassed(t)).map(taskFailureText),
  ];
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Non-essential containers that exited non-zero: reported, never deciding. */
export function sidecarWarnings(tasks: TaskEnd[]): string[] {
  return tasks.flatMap((t) =>
    t.containers
      .filter((c) => !c.essential && c.exitCode !== undefined && c.exitCode !== 0)
      .map(
        (c) =>
          `Container ${c.name} of task ${t.taskId} exited with code ${c.exitCode}${c.reason ? ` (${c.reason})` : ''}; it is not essential, so it does not fail the task.`,
      ),
  );
}

/** Where the tasks stand, for a timeout or a cancel: `abc RUNNING (migrate running)`. */
export function standing(tasks: TaskEnd[]): string {
  return tasks
    .map((t) => {
      const exited = t.containers.filter((c) => c.exitCode !== undefined);
      const codes = exited.length
        ? `; exited: ${exited.map((c) => `${c.name} ${c.exitCode}`).join(', ')}`
        : '';
      return `task ${t.taskId} was ${t.lastStatus ?? 'not yet described'}${codes}`;
    })
    .join('; ');
}
