// What running a one-off task concludes, and what the report needs to tell it. Plain data: the
// stage, the outcome and the report read it; only src/run-task/ makes it.

/** One container of a task as ECS last described it, joined with its task definition's `essential`. */
export interface ContainerEnd {
  name: string;
  /** `essential` of the container definition (default true): only these decide the verdict. */
  essential: boolean;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
}

/** One task as last seen. */
export interface TaskEnd {
  taskArn: string;
  /** The last part of the ARN, which names the log streams and the console page. */
  taskId: string;
  lastStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  /** False when the task never reached RUNNING (a pull, secrets or placement failure). */
  started: boolean;
  containers: ContainerEnd[];
}

/** A task ECS could not place (RunTask's `failures[]`). */
export interface PlacementFailure {
  arn?: string;
  reason?: string;
  detail?: string;
}

/** The last lines of one container's awslogs stream. */
export interface TaskLogTail {
  taskId: string;
  container: string;
  logGroup: string;
  logStream: string;
  lines: string[];
}

/**
 * - `passed`: every task stopped with every essential container at exit code 0;
 * - `failed`: a task ran and an essential container exited non-zero (or without a code);
 * - `not-started`: ECS placed no task, or a task stopped before it ran;
 * - `not-waiting`: started, not followed (`wait-for-task-stopped: false`);
 * - `timed-out` / `cancelled`: no verdict within wait-for-minutes, or a workflow cancel.
 */
export type TaskVerdict = 'passed' | 'failed' | 'not-started' | 'not-waiting' | 'timed-out' | 'cancelled';

export interface TaskRunReport {
  verdict: TaskVerdict;
  /** One sentence: why it ended this way. */
  reason: string;
  cluster: string;
  taskDefinitionArn: string;
  taskArns: string[];
  tasks: TaskEnd[];
  failures: PlacementFailure[];
  /** Non-zero exits of containers that are not essential, and log trouble: warnings, not failures. */
  warnings: string[];
  /** The last lines of the containers that failed. */
  logTails: TaskLogTail[];
  /** Timed out with stop-task-on-timeout: StopTask was sent for the tasks still running. */
  stoppedOnTimeout?: boolean;
}

/** Whether the service update may go ahead after the task (the gate). */
export function taskAllowsUpdate(report: TaskRunReport): boolean {
  return report.verdict === 'passed' || report.verdict === 'not-waiting';
}

/** `{ "<task ARN>": { "<container>": exitCode | null } }`: the `run-task-exit-codes` output. */
export function exitCodesOf(tasks: TaskEnd[]): Record<string, Record<string, number | null>> {
  return Object.fromEntries(
    tasks.map((t) => [t.taskArn, Object.fromEntries(t.containers.map((c) => [c.name, c.exitCode ?? null]))]),
  );
}

export function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
