// Stage "draft": where the task definition comes from (a template, a registered revision, or
// what the service runs), the inputs rendered into it, and the ECS rules checked. Nothing is
// written; every problem is returned for the gate, which lists it with the others.
import { secretTaskDefinitionValues } from '../lib/mask-taskdef.js';
import { errorsOf } from '../lib/problems.js';
import { findBase } from '../taskdef/base.js';
import { placeholderEnvironment } from '../taskdef/placeholders.js';
import { checkTaskDefinition } from '../taskdef/prepare.js';
import type { Draft, InputsRead, ServiceCheck, StepContext } from './context.js';
import {
  anyProblemIn,
  RENDER_INPUTS,
  SERVICE_INPUTS,
  SOURCE_INPUTS,
  withoutBadRenderInputs,
} from './inputs.js';

export async function draftStage(
  ctx: StepContext,
  done: { inputs: InputsRead; service: ServiceCheck },
): Promise<Draft> {
  const { request, problems } = done.inputs;
  const none: Draft = {
    baseProblems: [],
    renderProblems: [],
    validationProblems: [],
    unresolved: false,
    inputsApplied: false,
    checkable: false,
  };
  // Without a source input, the base is what the service runs: it needs the service's inputs too.
  const needsService = !request.templatePath && !request.taskDefinitionRef;
  if (anyProblemIn(problems, SOURCE_INPUTS) || (needsService && anyProblemIn(problems, SERVICE_INPUTS))) {
    return none;
  }
  if (needsService && !done.service.currentTaskDefinitionArn) return none;
  const found = await findBase(request, done.service.currentTaskDefinitionArn, {
    describeTaskDefinition: (ref) => ctx.aws.ecs.describeTaskDefinition(ref, { signal: ctx.signal }),
    env: placeholderEnvironment(ctx.runner.env),
  });
  const draft: Draft = {
    ...none,
    base: found.base,
    baseProblems: found.problems,
    unresolved: found.unresolved,
  };
  if (!found.base) return draft;
  const unfilled = found.problems.map((p) => p.path).filter((p): p is string => p !== undefined);
  // Inputs that did not parse would only be reported again, less clearly, by the render: they are
  // left out, and the template is rendered with the others, so its own problems still come out.
  const renderable = !anyProblemIn(problems, RENDER_INPUTS);
  const checked = checkTaskDefinition(
    found.base,
    renderable ? request : withoutBadRenderInputs(request, problems),
    unfilled,
  );
  // Secret-shaped values written in the template itself: masked in every later line.
  for (const value of secretTaskDefinitionValues(checked.taskDefinition)) ctx.runner.setSecret(value);
  return {
    ...draft,
    taskDefinition: checked.taskDefinition,
    renderProblems: checked.renderProblems,
    validationProblems: checked.validationProblems,
    // A render that could not apply every input is not what would be registered either.
    inputsApplied: renderable && errorsOf(checked.renderProblems).length === 0,
    // Rendered, if only with the inputs that parsed: what it points at can be checked.
    checkable: errorsOf(checked.renderProblems).length === 0,
  };
}
