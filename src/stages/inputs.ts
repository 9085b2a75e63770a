// Stage "inputs": every action input parsed into one DeployRequest, or every problem with them
// at once (ProblemsError). Values that look secret are registered with the runner first, so
// nothing printed later (problems included) can show them.
import { secretInputValues } from '../lib/mask.js';
import type { DeployRequest } from '../lib/request.js';
import { parseInputs } from '../inputs/index.js';
import type { StepContext } from './context.js';

export function readInputs(ctx: StepContext): DeployRequest {
  // The region as the SDK will resolve it, for checking ARNs against it; when it is unset the ARN
  // checks skip it, and the missing region is reported when AWS is first called.
  const env = ctx.runner.env;
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  const request = parseInputs((name) => ctx.runner.getInput(name), { region });
  for (const value of secretInputValues(request)) ctx.runner.setSecret(value);
  return request;
}
