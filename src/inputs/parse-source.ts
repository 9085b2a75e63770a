// Parsers for where the task definition comes from: a template file, a registered revision by
// ARN, or a family (and revision); and the template's variables.

import type { InputParser } from './context.js';
import { parsePairsInput, oneOf } from './context.js';
import { ecsRegionProblem } from './arns.js';
import { familyProblem, revisionProblem, taskDefinitionArnProblem, variableNameProblem } from './shapes.js';
import type { InputName } from './table.js';

const SOURCES: InputName[] = ['task-definition', 'task-definition-arn', 'task-definition-family'];

/** `task-definition`; also the rule that at most one source is given, and one is when there is no service. */
export const parseTemplatePath: InputParser = (value, ctx) => {
  const given = SOURCES.filter((name) => ctx.raw(name) !== '');
  if (given.length > 1) {
    ctx.failOn(
      given[0],
      `give only one of task-definition, task-definition-arn and task-definition-family; found ${oneOf(given, 'and')}.`,
    );
  }
  // A continue step (continue-deployment) registers nothing: it needs no task definition.
  const needsOne =
    ctx.raw('service') === '' &&
    ctx.raw('service-definition') === '' &&
    ctx.raw('continue-deployment') === '';
  if (given.length === 0 && needsOne) {
    ctx.fail(
      'no task definition is given: set task-definition (a template file), task-definition-arn or task-definition-family, or set service to start from the task definition the service runs now.',
    );
  }
  return { templatePath: value || undefined };
};

export const parseTaskDefinitionArn: InputParser = (value, ctx) => {
  if (value === '') return {};
  const reason = taskDefinitionArnProblem(value) ?? ecsRegionProblem(value, ctx.options.region);
  if (reason) ctx.fail(reason);
  return { taskDefinitionRef: value };
};

/** `task-definition-family`, with `task-definition-revision` when given. */
export const parseFamily: InputParser = (value, ctx) => {
  if (value === '') return {};
  const reason = familyProblem(value);
  if (reason) ctx.fail(reason);
  const revision = ctx.raw('task-definition-revision');
  return { taskDefinitionRef: ctx.request.taskDefinitionRef ?? (revision ? `${value}:${revision}` : value) };
};

export const parseRevision: InputParser = (value, ctx) => {
  if (value === '') return {};
  if (ctx.raw('task-definition-family') === '') {
    ctx.fail(
      'task-definition-revision needs task-definition-family; to start from a revision by its ARN, use task-definition-arn.',
    );
    return {};
  }
  const reason = revisionProblem(value);
  if (reason) ctx.fail(reason);
  return {};
};

export const parseVars: InputParser = (value, ctx) => {
  const parsed = parsePairsInput(
    value,
    { form: 'NAME=value', noun: 'variable', allowRemove: false, nameProblem: variableNameProblem },
    ctx,
  );
  if (value && ctx.raw('task-definition') === '') {
    // A registered task definition has no placeholders left to fill; ignoring vars would hide a mistake.
    ctx.fail(
      'vars fill ${NAME} placeholders in a template, but task-definition (the template file) is not set.',
    );
  }
  // fromEntries, not assignment: a variable named __proto__ stays a plain field.
  return { vars: Object.fromEntries(parsed.set.map(({ name, value: v }) => [name, v])) };
};
