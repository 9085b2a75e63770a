// Render, then validate: the rendered task definition is checked against the ECS rules before
// anything is written to AWS. Every error, from rendering or validation, stops the step with
// all problems listed at once; warnings travel on to the report.
import { ProblemsError, errorsOf, type Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { Base } from './base.js';
import type { JsonObject } from '../lib/json.js';
import { renderTaskDefinition } from './render.js';
import { validateTaskDefinition } from './validate.js';

export interface Prepared {
  taskDefinition: JsonObject;
  /** Warnings from rendering and validation. */
  warnings: Problem[];
}

export function prepareTaskDefinition(base: Base, request: DeployRequest): Prepared {
  const rendered = renderTaskDefinition(base.doc, request);
  // Positions only make sense for a template; paths added by rendering have none and are
  // reported by path alone.
  const template = base.template;
  const validation = validateTaskDefinition(
    rendered.taskDefinition,
    template
      ? {
          positionOf: (path) => template.positionOf(path),
          keyPositionOf: (path) => template.keyPositionOf(path),
          file: template.file,
        }
      : undefined,
  );
  const problems = [...rendered.problems, ...validation];
  if (errorsOf(problems).length > 0) {
    throw new ProblemsError(
      problems,
      'The rendered task definition breaks ECS rules; nothing was registered',
    );
  }
  return { taskDefinition: rendered.taskDefinition, warnings: problems };
}
