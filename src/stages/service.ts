// Stage "service": the service is checked first, before the template is even loaded: a missing
// service, or one this action cannot roll out to, stops the step before anything is registered.
// While any input has a problem, it is not looked up: the step will stop at the gate, and the
// template's problems can be found without it (a base taken from the service then waits too).
import { checkServiceDeployable } from '../rollout/deploy.js';
import type { InputsRead, ServiceCheck, StepContext } from './context.js';
import { errorsOf } from '../lib/problems.js';
import { describeForDefinition, type ServiceDefinitionRead } from './service-definition.js';

export async function checkService(
  ctx: StepContext,
  inputs: InputsRead,
  definition: ServiceDefinitionRead = { kind: 'none' },
): Promise<ServiceCheck> {
  const { request, problems } = inputs;
  if (!request.service || errorsOf(problems).length > 0) return {};
  // A service definition may create the service: a missing one is for its checks to judge.
  if (definition.kind === 'loaded') return describeForDefinition(ctx, request, definition);
  const service = await ctx.aws.ecs.describeService(request.cluster, request.service, {
    signal: ctx.signal,
  });
  for (const warning of checkServiceDeployable(service, request)) ctx.runner.warning(warning);
  return { service, currentTaskDefinitionArn: service.taskDefinition };
}
