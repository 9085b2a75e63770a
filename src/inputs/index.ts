// Action inputs -> one typed DeployRequest. Pure: the caller passes `core.getInput`, so this
// module can be tested with a plain function and never touches the runner. Every input is
// declared once, in table.ts; this module runs the table. Every problem is collected and thrown
// together (ProblemsError), so a user fixes all of them in one round, and nothing is written to
// AWS when any input is wrong.

import { errorsOf, ProblemsError, type Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import { problemCollector, type ParseContext, type ParseOptions } from './context.js';
import { checkAcrossInputs } from './cross.js';
import { INPUT_DEFAULTS, INPUTS, PARSE_ORDER, type InputName } from './table.js';

export { INPUT_DEFAULTS, INPUT_NAMES, INPUTS, type InputName, type InputSpec } from './table.js';
export type { ParseOptions } from './context.js';

/** The request before any input is parsed: empty lists, so that every parser can add to them. */
function emptyRequest(): Partial<DeployRequest> {
  return { vars: {}, containerNames: [], images: [] };
}

export const INPUTS_HEADING = 'The action inputs are not valid, so nothing was written to AWS';

/** parseInputs, throwing every problem at once (ProblemsError). */
export function parseInputs(getInput: (name: string) => string, options: ParseOptions = {}): DeployRequest {
  const { request, problems } = readInputs(getInput, options);
  if (errorsOf(problems).length > 0) throw new ProblemsError(problems, INPUTS_HEADING);
  return request;
}

export interface ReadInputs {
  /**
   * Every field set; an input with a problem is left at what its parser returned (its default or
   * undefined), so the stages that do not depend on it can still run and report their problems.
   */
  request: DeployRequest;
  problems: Problem[];
}

/** Every input parsed, its problems returned rather than thrown. */
export function readInputs(getInput: (name: string) => string, options: ParseOptions = {}): ReadInputs {
  // Read every input up front, unconditionally and in table order: the docs test relies on
  // parseInputs asking for exactly the inputs the table (and action.yml) declares.
  const given = new Map<InputName, string>(INPUTS.map(({ name }) => [name, (getInput(name) ?? '').trim()]));
  const raw = (name: InputName): string => given.get(name) ?? '';
  const value = (name: InputName): string => raw(name) || INPUT_DEFAULTS[name] || '';

  const problems: Problem[] = [];
  const failOn = problemCollector(problems);
  const request = emptyRequest();
  for (const spec of PARSE_ORDER) {
    const ctx: ParseContext = {
      input: spec.name,
      raw,
      request,
      options,
      fail: (message) => failOn(spec.name, message),
      warn: (message) => problems.push({ severity: 'warning', input: spec.name, message }),
      failOn,
    };
    Object.assign(request, spec.parse(value(spec.name), ctx));
  }
  // Every parser has returned its fields (the defaults test checks the whole shape).
  const complete = request as DeployRequest;
  checkAcrossInputs(complete, raw, failOn);
  return { request: complete, problems };
}
