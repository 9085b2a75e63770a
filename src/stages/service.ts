// Stage "service": the service is checked first, before the template is even loaded: a missing
// service, or one this action cannot roll out to, stops the step before anything is registered.
import type { DeployRequest } from '../lib/request.js';
import { checkServiceDeployable } from '../rollout/deploy.js';
import type { ServiceCheck, StepContext } from './context.js';

export async function checkService(ctx: StepContext, request: DeployRequest): Promise<ServiceCheck> {
  if (!request.service) return {};
  const service = await ctx.aws.ecs.describeService(request.cluster, request.service, {
    signal: ctx.signal,
  });
  for (const warning of checkServiceDeployable(service, request)) ctx.runner.warning(warning);
  return { service, currentTaskDefinitionArn: service.taskDefinition };
}
