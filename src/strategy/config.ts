// The deployment configuration a step sends with its new revision: the strategy inputs merged into
// what the service has. UpdateService replaces deploymentConfiguration as a whole, and ECS keeps
// what it sets for the deployments after this one (docs/ecs-behaviour.md, "Blue/green, linear and
// canary deployments"), so every field the inputs leave out is sent back as the service has it,
// except the per-strategy blocks: ECS refuses `linearConfiguration` with another strategy than
// LINEAR and `canaryConfiguration` with another than CANARY, so the block that does not belong to
// the resulting strategy is dropped (docs/ecs-behaviour.md, "Changing the strategy"). Pure.

import type { DeploymentConfiguration, Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { DeployRequest } from '../lib/request.js';

/** The strategy inputs of a request (deployment-strategy and its numbers). */
export type StrategyRequest = Pick<
  DeployRequest,
  | 'deploymentStrategy'
  | 'bakeTimeInMinutes'
  | 'canaryPercent'
  | 'canaryBakeTimeInMinutes'
  | 'linearStepPercent'
  | 'linearStepBakeTimeInMinutes'
>;

/** Whether any strategy input is given. */
export function hasStrategyInputs(request: StrategyRequest): boolean {
  return (
    request.deploymentStrategy !== undefined ||
    request.bakeTimeInMinutes !== undefined ||
    request.canaryPercent !== undefined ||
    request.canaryBakeTimeInMinutes !== undefined ||
    request.linearStepPercent !== undefined ||
    request.linearStepBakeTimeInMinutes !== undefined
  );
}

/** The fields the strategy inputs set, on top of `current`; undefined when no input is given. */
export function strategyConfiguration(
  request: StrategyRequest,
  current: DeploymentConfiguration = {},
): DeploymentConfiguration | undefined {
  if (!hasStrategyInputs(request)) return undefined;
  const next: DeploymentConfiguration = { ...current };
  if (request.deploymentStrategy) next.strategy = request.deploymentStrategy;
  if (request.bakeTimeInMinutes !== undefined) next.bakeTimeInMinutes = request.bakeTimeInMinutes;
  if (request.canaryPercent !== undefined || request.canaryBakeTimeInMinutes !== undefined) {
    next.canaryConfiguration = {
      ...current.canaryConfiguration,
      ...(request.canaryPercent !== undefined ? { canaryPercent: request.canaryPercent } : {}),
      ...(request.canaryBakeTimeInMinutes !== undefined
        ? { canaryBakeTimeInMinutes: request.canaryBakeTimeInMinutes }
        : {}),
    };
  }
  if (request.linearStepPercent !== undefined || request.linearStepBakeTimeInMinutes !== undefined) {
    next.linearConfiguration = {
      ...current.linearConfiguration,
      ...(request.linearStepPercent !== undefined ? { stepPercent: request.linearStepPercent } : {}),
      ...(request.linearStepBakeTimeInMinutes !== undefined
        ? { stepBakeTimeInMinutes: request.linearStepBakeTimeInMinutes }
        : {}),
    };
  }
  return dropForeignBlocks(next);
}

/**
 * The configuration without the blocks of other strategies. They are set to undefined rather than
 * deleted, so a later spread over the service's configuration (src/rollout/deploy.ts) cannot bring
 * them back; the SDK sends no field whose value is undefined.
 */
function dropForeignBlocks(cfg: DeploymentConfiguration): DeploymentConfiguration {
  const strategy = cfg.strategy ?? 'ROLLING';
  return {
    ...cfg,
    ...(strategy !== 'CANARY' && cfg.canaryConfiguration ? { canaryConfiguration: undefined } : {}),
    ...(strategy !== 'LINEAR' && cfg.linearConfiguration ? { linearConfiguration: undefined } : {}),
  };
}

/** The strategy settings the inputs change, said for a person (`strategy ROLLING → CANARY`). */
export function strategyChanges(request: StrategyRequest, service: Service): string[] {
  const have = service.deploymentConfiguration ?? {};
  const want = strategyConfiguration(request, have);
  if (!want) return [];
  const changes: string[] = [];
  const change = (what: string, from: unknown, to: unknown) => {
    if (to !== undefined && to !== from) changes.push(`${what} ${String(from ?? 'unset')} → ${String(to)}`);
  };
  change('strategy', have.strategy ?? 'ROLLING', want.strategy);
  change('bake time (minutes)', have.bakeTimeInMinutes, want.bakeTimeInMinutes);
  change('canary percent', have.canaryConfiguration?.canaryPercent, want.canaryConfiguration?.canaryPercent);
  change(
    'canary bake time (minutes)',
    have.canaryConfiguration?.canaryBakeTimeInMinutes,
    want.canaryConfiguration?.canaryBakeTimeInMinutes,
  );
  change('linear step percent', have.linearConfiguration?.stepPercent, want.linearConfiguration?.stepPercent);
  change(
    'linear step bake time (minutes)',
    have.linearConfiguration?.stepBakeTimeInMinutes,
    want.linearConfiguration?.stepBakeTimeInMinutes,
  );
  if (have.canaryConfiguration && !want.canaryConfiguration) changes.push('canary configuration removed');
  if (have.linearConfiguration && !want.linearConfiguration) changes.push('linear configuration removed');
  return changes;
}

/**
 * The UpdateService fields with the strategy inputs merged into the deployment configuration
 * (a service definition's, else the service's own); `fields` as they are without strategy inputs.
 */
export function withStrategy(
  request: StrategyRequest,
  service: Service,
  fields: Partial<UpdateServiceCommandInput>,
): Partial<UpdateServiceCommandInput> {
  const current = { ...service.deploymentConfiguration, ...fields.deploymentConfiguration };
  const next = strategyConfiguration(request, current);
  return next ? { ...fields, deploymentConfiguration: next } : fields;
}
