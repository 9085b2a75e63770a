// Stages "task plan" and "task": the one-off task (`run-task: true`). The plan is built before
// the first write, so its problems (overrides of unknown containers, an awsvpc task without
// subnets) stop the step with nothing written; the task runs the revision this step registered
// (or reused), after the registration and before the service update, which it gates when
// wait-for-task-stopped is true (src/stages/update.ts).
import { shortTaskDefinition } from '../lib/arn.js';
import { isObject } from '../lib/json.js';
import { secretInputValues } from '../lib/mask.js';
import type { DeployRequest } from '../lib/request.js';
import { planRunTask } from '../run-task/plan.js';
import { runOneOffTask } from '../run-task/run.js';
import type { TaskLog } from '../run-task/follow.js';
import type {
  Draft,
  InputsRead,
  Registration,
  Rendered,
  ServiceCheck,
  StepContext,
  TaskPlanResult,
  TaskRun,
} from './context.js';
import { anyProblemIn } from './inputs.js';
import { writeUnlessCancelled } from './register.js';

export function planTaskStage(
  ctx: StepContext,
  done: { inputs: InputsRead; service: ServiceCheck; draft: Draft },
): TaskPlanResult {
  const { request } = done.inputs;
  const { service, draft } = done;
  if (!request.runTask) {
    const unused = taskInputsGiven(request);
    if (unused.length) {
      ctx.runner.warning(
        `${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} set, but run-task is not true; no task is run.`,
      );
    }
    return { kind: 'skipped', problems: [] };
  }
  for (const value of overrideSecrets(request)) ctx.runner.setSecret(value);
  // Planned whenever a definition rendered, beside other inputs' problems, so that its own (an
  // override naming no container, an awsvpc task without subnets) come out in the same list.
  if (!draft.taskDefinition || !draft.checkable || anyProblemIn(done.inputs.problems, ['run-task'])) {
    return { kind: 'skipped', problems: [] };
  }
  const plan = planRunTask({ request, taskDefinition: draft.taskDefinition, service: service.service });
  return { kind: 'planned', plan, problems: plan.problems };
}

/** The run-task inputs given a value other than their default (they act only with run-task). */
function taskInputsGiven(request: DeployRequest): string[] {
  const given: [string, boolean][] = [
    ['run-task-container-overrides', request.runTaskContainerOverrides.length > 0],
    ['run-task-subnets', request.runTaskSubnets !== undefined],
    ['run-task-security-groups', request.runTaskSecurityGroups !== undefined],
    ['run-task-capacity-provider-strategy', request.runTaskCapacityProviderStrategy !== undefined],
    ['run-task-launch-type', request.runTaskLaunchType !== undefined],
    ['run-task-command', request.runTaskCommand !== undefined],
    ['wait-for-task-stopped', request.waitForTaskStopped],
    ['run-task-tags', request.runTaskTags.length > 0],
    ['run-task-assign-public-IP', request.runTaskAssignPublicIp !== undefined],
    ['run-task-started-by', request.runTaskStartedBy !== 'GitHub-Actions'],
    ['run-task-managed-ebs-volume-name', request.runTaskEbsVolumeName !== undefined],
    ['run-task-managed-ebs-volume', request.runTaskEbsVolume !== undefined],
    ['stop-task-on-timeout', request.stopTaskOnTimeout],
  ];
  return given.filter(([, set]) => set).map(([name]) => name);
}

/**
 * Values in the overrides and run-task-command that look secret (a PASSWORD variable, a
 * `--token=...` argument) are registered with the runner like the other inputs' (src/lib/mask.ts),
 * so no later log line can show them.
 */
function overrideSecrets(request: DeployRequest): string[] {
  const none = { set: [], remove: [] };
  const overrides = request.runTaskContainerOverrides;
  const environment = overrides.flatMap((o) =>
    Array.isArray(o.environment)
      ? o.environment
          .filter(isObject)
          .map((e) => ({ name: String(e.name ?? ''), value: String(e.value ?? '') }))
      : [],
  );
  const commands = overrides.flatMap((o) =>
    Array.isArray(o.command) ? o.command.filter((a): a is string => typeof a === 'string') : [],
  );
  return secretInputValues({
    environment: { set: environment, remove: [] },
    dockerLabels: none,
    logOptions: none,
    vars: {},
    command: [...commands, ...(request.runTaskCommand ?? [])],
  });
}

export async function runTaskStage(
  ctx: StepContext,
  done: { request: DeployRequest; rendered: Rendered; registration: Registration; taskPlan: TaskPlanResult },
): Promise<TaskRun> {
  const { request, registration, taskPlan } = done;
  if (taskPlan.kind !== 'planned') return { kind: 'skipped' };
  if (registration.kind !== 'done') {
    ctx.runner.info('Dry run: the one-off task was planned and checked, not run.');
    return { kind: 'skipped' };
  }
  const copied = taskPlan.plan.copiedFromService;
  const from = copied.length ? ` (${copied.join(', ')} from service ${request.service ?? ''})` : '';
  ctx.runner.info(`Running a one-off task of ${shortTaskDefinition(registration.taskDefinitionArn)}${from}.`);
  const what = { operation: 'RunTask', doing: 'running the one-off task' };
  const report = await writeUnlessCancelled(ctx, what, () =>
    runOneOffTask(
      { ecs: ctx.aws.ecs, logs: ctx.aws.logs, clock: ctx.clock, log: taskLog(ctx), signal: ctx.signal },
      {
        input: taskPlan.plan.input,
        taskDefinitionArn: registration.taskDefinitionArn,
        taskDefinition: done.rendered.taskDefinition,
        // A standalone (batch) task is always followed to its end: its exit codes are its result.
        wait: request.waitForTaskStopped || !request.service,
        waitForMinutes: request.waitForMinutes,
        stopOnTimeout: request.stopTaskOnTimeout,
      },
    ),
  );
  for (const warning of report.warnings) ctx.runner.warning(warning);
  return { kind: 'done', report };
}

/**
 * Progress lines, and each batch of a task's log lines as one group. Every line is prefixed
 * with its container's name, so a container's output can never start a workflow command.
 */
function taskLog(ctx: StepContext): TaskLog {
  return {
    info: (line) => ctx.runner.info(line),
    warning: (line) => ctx.runner.warning(line),
    lines(batch) {
      ctx.runner.startGroup(`Logs of task ${batch.taskId}`);
      for (const { container, line } of batch.lines) {
        for (const part of line.split(/\r?\n/)) ctx.runner.info(`${container} | ${part}`);
      }
      ctx.runner.endGroup();
    },
  };
}
