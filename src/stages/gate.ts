// Stage "gate": the last stage before the first write. Every problem found so far (inputs,
// template, rendering, validation, and the checks that later stages add here) comes out in one
// list, so one run tells the user everything to fix; with any error, nothing is written. When
// all is well, the rendered definition is written to its file and its warnings annotated.
import { INPUTS_HEADING } from '../inputs/index.js';
import { errorsOf, ProblemsError, type Problem } from '../lib/problems.js';
import { writeRenderedTaskDefinition } from '../report/outputs.js';
import { annotate } from '../report/publish.js';
import { RENDER_HEADING } from '../taskdef/prepare.js';
import type { Base } from '../taskdef/base.js';
import type { Draft, InputsRead, Preflight, Rendered, StepContext, TaskPlanResult } from './context.js';
import { pinnedTaskDefinition, preflightSkippedProblem } from './preflight.js';
import { SERVICE_DEFINITION_HEADING } from './service-definition.js';
import { SERVICE_VOLUME_HEADING } from './official-inputs.js';
import { FLEET_HEADING } from './fleet.js';
import { STRATEGY_HEADING } from './strategy.js';
import { CODEDEPLOY_HEADING, type CodeDeployCheck } from './codedeploy.js';

const TASK_HEADING = 'The one-off task cannot run as given, so nothing was written to AWS';
const PREFLIGHT_HEADING =
  'Preflight found problems with what the task definition points at; nothing was written to AWS';

/** Each stage's problems, in the order the stages ran, with the heading it had on its own. */
interface ProblemSource {
  problems: Problem[];
  heading?: string;
}

export async function gateStage(
  ctx: StepContext,
  done: {
    inputs: InputsRead;
    draft: Draft;
    preflight: Preflight;
    taskPlan: TaskPlanResult;
    serviceChecks?: Problem[];
    /** The service's managed EBS volume against the task definition (official-inputs.ts). */
    volumeChecks?: Problem[];
    /** Several services: the other services' problems (stages/fleet.ts). */
    fleetProblems?: Problem[];
    strategyChecks?: Problem[];
    codeDeploy?: CodeDeployCheck;
  },
): Promise<{ rendered: Rendered; base: Base }> {
  const { inputs, draft, preflight, taskPlan, serviceChecks = [], volumeChecks = [] } = done;
  const codeDeployProblems = done.codeDeploy?.problems ?? [];
  const skipped = preflightSkippedProblem(preflight);
  const sources: ProblemSource[] = [
    { problems: inputs.problems, heading: INPUTS_HEADING },
    { problems: draft.baseProblems },
    { problems: draft.renderProblems },
    { problems: draft.validationProblems, heading: RENDER_HEADING },
    { problems: preflight.kind === 'done' ? preflight.problems : [], heading: PREFLIGHT_HEADING },
    { problems: skipped ? [skipped] : [] },
    { problems: taskPlan.problems, heading: TASK_HEADING },
    { problems: serviceChecks, heading: SERVICE_DEFINITION_HEADING },
    { problems: volumeChecks, heading: SERVICE_VOLUME_HEADING },
    { problems: done.fleetProblems ?? [], heading: FLEET_HEADING },
    { problems: done.strategyChecks ?? [], heading: STRATEGY_HEADING },
    { problems: codeDeployProblems, heading: CODEDEPLOY_HEADING },
  ];
  const problems = sources.flatMap((s) => s.problems);
  const failing = sources.filter((s) => errorsOf(s.problems).length > 0);
  if (failing.length > 0) {
    // One stage alone keeps its own heading; several get the general one.
    throw new ProblemsError(problems, failing.length === 1 ? failing[0].heading : undefined);
  }
  if (!draft.taskDefinition || !draft.base) throw new Error('Nothing was rendered, and no problem says why.');
  annotate(ctx.runner, problems);
  const taskDefinition = pinnedTaskDefinition(draft.taskDefinition, preflight);
  const path = await writeRenderedTaskDefinition(
    taskDefinition,
    ctx.runner.env.RUNNER_TEMP,
    String(taskDefinition.family),
  );
  // The report lists preflight's warnings in its own section.
  const warnings = [
    ...sources.slice(0, 4).flatMap((s) => s.problems),
    ...serviceChecks,
    ...(done.fleetProblems ?? []),
    ...codeDeployProblems,
  ];
  return { rendered: { taskDefinition, warnings, path }, base: draft.base };
}
