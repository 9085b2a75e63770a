// The blue/green inputs against what the service has, before anything is written (the gate lists
// these problems with every other one): a strategy other than ROLLING needs load balancers with
// an alternate target group, a production listener rule and a role (docs/ecs-behaviour.md,
// "Blue/green, linear and canary deployments"); the canary and linear numbers need their
// strategy; stopping at a stage or a pause needs a staged strategy. Pure.

import type { Service } from '@aws-sdk/client-ecs';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { StrategyRequest as ConfigRequest } from './config.js';

/** The strategy inputs, and the two that say where following stops. */
type StrategyRequest = ConfigRequest & Pick<DeployRequest, 'waitUntilStage' | 'continueOnPause'>;

/** The strategy the deployment will run with: the input's, else the service's (ROLLING by default). */
export function effectiveStrategy(
  request: Pick<DeployRequest, 'deploymentStrategy'>,
  service?: Service,
): string {
  return request.deploymentStrategy ?? service?.deploymentConfiguration?.strategy ?? 'ROLLING';
}

export function isStaged(strategy: string): boolean {
  return strategy !== 'ROLLING';
}

const error = (input: string, message: string): Problem => ({ severity: 'error', input, message });

/** What a staged strategy needs of the service's load balancers; [] when it has it. */
function loadBalancerProblems(service: Service, strategy: string): Problem[] {
  const name = service.serviceName ?? 'the service';
  const lbs = service.loadBalancers ?? [];
  const connect = service.deployments?.some((d) => d.serviceConnectConfiguration?.enabled) ?? false;
  if (lbs.length === 0 && !connect) {
    return [
      error(
        'deployment-strategy',
        `The ${strategy} strategy shifts traffic between two target groups, but service '${name}' has no load balancer: give it one whose advancedConfiguration names an alternateTargetGroupArn, a productionListenerRule and a roleArn (or keep ROLLING).`,
      ),
    ];
  }
  return lbs.flatMap((lb, i) => {
    const advanced = lb.advancedConfiguration;
    const missing = [
      !advanced?.alternateTargetGroupArn && 'alternateTargetGroupArn',
      !advanced?.productionListenerRule && 'productionListenerRule',
      !advanced?.roleArn && 'roleArn',
    ].filter((m): m is string => !!m);
    if (missing.length === 0) return [];
    const which = lb.targetGroupArn ?? lb.loadBalancerName ?? `loadBalancers[${i}]`;
    return [
      error(
        'deployment-strategy',
        `The ${strategy} strategy needs an alternate target group and listener rules, but load balancer ${which} of service '${name}' has no ${missing.join(', ')} in its advancedConfiguration; set them on the service (UpdateService or a service-definition) first.`,
      ),
    ];
  });
}

/** Numbers that belong to another strategy than the one the deployment runs with. */
function strategyNumberProblems(request: StrategyRequest, strategy: string): Problem[] {
  const problems: Problem[] = [];
  const needs = (input: string, value: number | undefined, wanted: string) => {
    if (value !== undefined && strategy !== wanted) {
      problems.push(
        error(input, `${input} applies to the ${wanted} strategy, but the deployment runs with ${strategy}.`),
      );
    }
  };
  needs('canary-percent', request.canaryPercent, 'CANARY');
  needs('canary-bake-time-in-minutes', request.canaryBakeTimeInMinutes, 'CANARY');
  needs('linear-step-percent', request.linearStepPercent, 'LINEAR');
  needs('linear-step-bake-time-in-minutes', request.linearStepBakeTimeInMinutes, 'LINEAR');
  return problems;
}

/**
 * The strategy inputs set the ECS deployment controller's deploymentConfiguration: a service
 * deployed by CODE_DEPLOY (or EXTERNAL) has none of it, CodeDeploy's deployment configuration
 * decides how traffic shifts there, so each one given is refused, naming its input. See
 * docs/ecs-behaviour.md, "What a follower of a staged deployment relies on".
 */
function controllerProblems(request: StrategyRequest, service: Service): Problem[] | undefined {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'ECS') return undefined;
  const given: [string, unknown][] = [
    ['deployment-strategy', request.deploymentStrategy],
    ['bake-time-in-minutes', request.bakeTimeInMinutes],
    ['canary-percent', request.canaryPercent],
    ['canary-bake-time-in-minutes', request.canaryBakeTimeInMinutes],
    ['linear-step-percent', request.linearStepPercent],
    ['linear-step-bake-time-in-minutes', request.linearStepBakeTimeInMinutes],
    ['wait-until-stage', request.waitUntilStage],
    ['continue-on-pause', request.continueOnPause],
  ];
  return given
    .filter(([, value]) => value !== undefined)
    .map(([input]) =>
      error(
        input,
        `${input} applies to the ECS deployment controller's strategies, but service '${service.serviceName ?? ''}' uses the ${controller} deployment controller, where the strategy does not apply${controller === 'CODE_DEPLOY' ? ' (CodeDeploy shifts the traffic: see codedeploy-deployment-config)' : ''}; remove ${input}.`,
      ),
    );
}

/** Every problem of the blue/green inputs against the service; [] when there is no service. */
export function checkStrategy(request: StrategyRequest, service: Service | undefined): Problem[] {
  if (!service) return [];
  const controller = controllerProblems(request, service);
  if (controller) return controller;
  const strategy = effectiveStrategy(request, service);
  const problems = strategyNumberProblems(request, strategy);
  if (!isStaged(strategy)) {
    const staged: [string, unknown][] = [
      ['bake-time-in-minutes', request.bakeTimeInMinutes],
      ['wait-until-stage', request.waitUntilStage],
      ['continue-on-pause', request.continueOnPause],
    ];
    for (const [input, value] of staged) {
      if (value !== undefined) {
        problems.push(
          error(
            input,
            `${input} applies to BLUE_GREEN, LINEAR and CANARY deployments, but service '${service.serviceName ?? ''}' deploys with ROLLING (set deployment-strategy).`,
          ),
        );
      }
    }
    return problems;
  }
  problems.push(...loadBalancerProblems(service, strategy), ...bakeTimeProblems(request, service, strategy));
  return problems;
}

/**
 * BLUE_GREEN needs a bake time: the SDK's model says it must be provided with that strategy, and
 * ECS refuses the UpdateService without one (docs/ecs-behaviour.md, "Changing the strategy"). It
 * is refused here, before any write, rather than defaulted: a bake time is how long blue is kept
 * ready for a rollback, which is the user's choice.
 */
function bakeTimeProblems(request: StrategyRequest, service: Service, strategy: string): Problem[] {
  // A service that already runs BLUE_GREEN has one (ECS asked for it then): only a change asks.
  if (strategy !== 'BLUE_GREEN' || request.deploymentStrategy !== 'BLUE_GREEN') return [];
  if (request.bakeTimeInMinutes !== undefined) return [];
  if (service.deploymentConfiguration?.bakeTimeInMinutes !== undefined) return [];
  return [
    error(
      'bake-time-in-minutes',
      `The BLUE_GREEN strategy needs a bake time, and service '${service.serviceName ?? ''}' has none: set bake-time-in-minutes (whole minutes, 0 to 1440).`,
    ),
  ];
}
