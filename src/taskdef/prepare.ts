// Render, then validate: the rendered task definition is checked against the ECS rules before
// anything is written to AWS. checkTaskDefinition returns every problem, from rendering and
// validation, so the step can list them with the other stages' problems in one round.
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { Base } from './base.js';
import type { JsonObject } from '../lib/json.js';
import { renderWithProblems } from './render.js';
import { validateTaskDefinition } from './validate.js';

export const RENDER_HEADING = 'The rendered task definition breaks ECS rules; nothing was registered';

export interface Checked {
  taskDefinition: JsonObject;
  /** Errors and warnings of rendering (applying the inputs). */
  renderProblems: Problem[];
  /** Errors and warnings of the ECS rules. */
  validationProblems: Problem[];
}

/**
 * Renders and validates. `unfilled` are the JSON paths whose placeholders could not be filled: a
 * field there holds what the template wrote, not a value, so it is not validated (its problem is
 * already reported, and a rule would only report the same mistake again, less clearly).
 */
export function checkTaskDefinition(
  base: Base,
  request: DeployRequest | undefined,
  unfilled: string[] = [],
): Checked {
  // Without a request (its render inputs are bad), the base is checked as it is.
  const rendered = request
    ? renderWithProblems(base.doc, request)
    : { taskDefinition: base.doc, problems: [] };
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
  const skipped = (path: string | undefined): boolean =>
    path !== undefined &&
    unfilled.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  return {
    taskDefinition: rendered.taskDefinition,
    renderProblems: rendered.problems,
    validationProblems: validation.filter((p) => !skipped(p.path)),
  };
}
