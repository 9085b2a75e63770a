// Local validation of a rendered task definition against the ECS rules (AWS's "Amazon ECS task
// definition parameters" and the RegisterTaskDefinition API reference), so that a bad definition
// is stopped with every problem listed, each at its JSON path and template line, before anything
// is written to AWS. Field names are checked first, against the bundled SDK's model (fields.ts). The rules live in the rules-*.ts modules;
// this module runs them in order and turns what they report into Problems.

import type { Problem, Severity } from '../lib/problems.js';
import { formatPath, isObject, type JsonObject, type JsonPath } from '../lib/json.js';
import { unknownFields } from './fields.js';
import type { Position } from './load.js';
import { MAX_NESTING, tooDeepPath } from './nesting.js';
import { checkContainers, collectContainers } from './rules-containers.js';
import { checkEnvironment, checkEnvironmentFileTotal } from './rules-env.js';
import { checkDependencies, checkHealthCheck } from './rules-health.js';
import { checkPorts } from './rules-ports.js';
import type { Reporter, TaskFacts } from './rules-read.js';
import { checkExecutionRole } from './rules-roles.js';
import { checkSize, checkTaskLevel } from './rules-task.js';

export { taskDefinitionSize } from './rules-task.js';

export interface ValidateOptions {
  /** Where a JSON path is in the template file (from the loader), if it is there at all. */
  positionOf?: (path: JsonPath) => Position | undefined;
  /** Where the key at a path is written (from the loader), for an unknown field name. */
  keyPositionOf?: (path: JsonPath) => Position | undefined;
  /** The template file name shown with a position. */
  file?: string;
}

/** Every problem in `td` at once, errors and warnings, in document order of the rules. */
export function validateTaskDefinition(td: JsonObject, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const r = reporter(problems, options);
  if (!isObject(td)) {
    r.error(
      [],
      `The task definition must be a JSON object, not ${Array.isArray(td) ? 'an array' : typeof td}.`,
    );
    return problems;
  }
  // The rules below recurse; a template was bounded by the loader, but a task definition may
  // come from elsewhere.
  const deep = tooDeepPath(td);
  if (deep) {
    r.error(
      deep,
      `Lists and mappings are nested more than ${MAX_NESTING} levels deep (or inside themselves) here.`,
    );
    return problems;
  }
  for (const field of unknownFields(td)) r.keyError(field.path, field.message);
  const facts: TaskFacts = { ...checkTaskLevel(td, r), containers: collectContainers(td, r) };
  checkContainers(facts, r);
  for (const c of facts.containers) {
    checkPorts(c, facts.networkMode, r);
    checkEnvironment(c, r);
    checkHealthCheck(c, r);
  }
  checkDependencies(facts, r);
  checkEnvironmentFileTotal(facts, r);
  checkExecutionRole(facts, r);
  checkSize(td, r);
  return problems;
}

function reporter(
  problems: Problem[],
  options: ValidateOptions,
): Reporter & { keyError(path: JsonPath, message: string): void } {
  const add = (severity: Severity, path: JsonPath, message: string, atKey = false) => {
    const problem: Problem = { severity, message };
    if (path.length > 0) problem.path = formatPath(path);
    const position = (atKey ? options.keyPositionOf?.(path) : undefined) ?? locate(path, options.positionOf);
    if (position) {
      if (options.file) problem.file = options.file;
      problem.line = position.line;
      problem.column = position.column;
    }
    problems.push(problem);
  };
  return {
    error: (path, message) => add('error', path, message),
    /** An error about the key at `path` (an unknown field), shown where the key is written. */
    keyError: (path, message) => add('error', path, message, true),
    warn: (path, message) => add('warning', path, message),
  };
}

/**
 * The position of `path`, else of its nearest ancestor: a field added by rendering (or missing,
 * like a required `image`) is not in the template, but the object that should hold it is.
 */
function locate(path: JsonPath, positionOf: ValidateOptions['positionOf']): Position | undefined {
  if (!positionOf) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const position = positionOf(path.slice(0, n));
    if (position) return position;
  }
  return undefined;
}
