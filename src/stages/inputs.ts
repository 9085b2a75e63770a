// Stage "inputs": every action input parsed into one DeployRequest, with every problem of them
// returned (the gate lists them with the later stages' problems). Values that look secret are
// registered with the runner first, so nothing printed later (problems included) can show them.
import { readInputs as parse } from '../inputs/index.js';
import type { InputName } from '../inputs/table.js';
import { secretInputValues } from '../lib/mask.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { InputsRead, StepContext } from './context.js';

export function readInputs(ctx: StepContext): InputsRead {
  // The region as the SDK will resolve it, for checking ARNs against it; when it is unset the ARN
  // checks skip it, and the missing region is reported when AWS is first called.
  const env = ctx.runner.env;
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  const read = parse((name) => ctx.runner.getInput(name), { region });
  for (const value of secretInputValues(read.request)) ctx.runner.setSecret(value);
  // The GitHub token is masked even when the runner already knows it (a PAT from another source).
  if (read.request.githubToken) ctx.runner.setSecret(read.request.githubToken);
  return read;
}

/** The inputs a stage depends on: it does not run while one of them has a problem. */
export const SERVICE_INPUTS: readonly InputName[] = ['service', 'cluster'];
export { RENDER_INPUTS, SOURCE_INPUTS } from '../inputs/groups.js';

const NO_CHANGES = { set: [], remove: [] };

/**
 * The request with every render input that has a problem left out (as if it were not given),
 * so the template can still be rendered with the others, validated and preflighted: one run then
 * tells everything else that is wrong. Undefined when `container-name` has a problem, since then
 * no input knows which container it is for.
 */
export function withoutBadRenderInputs(
  request: DeployRequest,
  problems: Problem[],
): DeployRequest | undefined {
  const bad = (name: InputName) => anyProblemIn(problems, [name]);
  if (bad('container-name')) return undefined;
  const environmentBad = bad('environment-variables') || bad('environment-variables-mode');
  return {
    ...request,
    images: bad('image') || bad('images') ? [] : request.images,
    environment: environmentBad ? NO_CHANGES : request.environment,
    environmentMode: environmentBad ? 'merge' : request.environmentMode,
    secrets: bad('secrets') ? NO_CHANGES : request.secrets,
    envFiles: bad('env-files') ? { add: [], remove: [] } : request.envFiles,
    dockerLabels: bad('docker-labels') ? NO_CHANGES : request.dockerLabels,
    command: bad('command') ? undefined : request.command,
    taskRoleArn: bad('task-role-arn') ? undefined : request.taskRoleArn,
    executionRoleArn: bad('execution-role-arn') ? undefined : request.executionRoleArn,
    logDriver: bad('log-configuration-log-driver') ? undefined : request.logDriver,
    logOptions: bad('log-configuration-options') ? NO_CHANGES : request.logOptions,
  };
}

/** Whether any of `inputs` has a problem. */
export function anyProblemIn(problems: Problem[], inputs: readonly InputName[]): boolean {
  return problems.some(
    (p) => p.severity === 'error' && p.input !== undefined && (inputs as readonly string[]).includes(p.input),
  );
}
