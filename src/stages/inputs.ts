// Stage "inputs": every action input parsed into one DeployRequest, or every problem with them
// at once (ProblemsError). Values that look secret are registered with the runner first, so
// nothing printed later (problems included) can show them.
import { secretInputValues } from '../lib/mask.js';
import type { DeployRequest } from '../lib/request.js';
import { parseInputs } from '../inputs/index.js';
import type { StepContext } from './context.js';

export function readInputs(ctx: StepContext): DeployRequest {
  const request = parseInputs((name) => ctx.runner.getInput(name));
  for (const value of secretInputValues(request)) ctx.runner.setSecret(value);
  return request;
}
