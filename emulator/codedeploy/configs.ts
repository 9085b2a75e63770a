// Deployment configurations: CodeDeploy's predefined ones and those made with
// CreateDeploymentConfig, and the traffic schedule an ECS configuration gives
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS").
import type { DeploymentConfigInfo, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';

import { CD_ERRORS } from './errors.js';

export interface ConfigRec {
  name: string;
  id: string;
  computePlatform: 'ECS' | 'Server' | 'Lambda';
  createTime: number;
  trafficRoutingConfig?: TrafficRoutingConfig;
  minimumHealthyHosts?: { type: 'HOST_COUNT' | 'FLEET_PERCENT'; value: number };
}

const ecsLinear = (percent: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percent, linearInterval: minutes },
});
const ecsCanary = (percent: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes },
});

/** CodeDeploy's predefined configurations (the ECS ones, and the EC2 ones a group may name). */
export function predefinedConfigs(): ConfigRec[] {
  const ecs = (name: string, trafficRoutingConfig: TrafficRoutingConfig): ConfigRec => ({
    name: `CodeDeployDefault.${name}`,
    id: `00000000-0000-4000-8000-${name.length.toString().padStart(2, '0')}${'0'.repeat(10)}`,
    computePlatform: 'ECS',
    createTime: Date.UTC(2018, 10, 27),
    trafficRoutingConfig,
  });
  const server = (name: string, type: 'HOST_COUNT' | 'FLEET_PERCENT', value: number): ConfigRec => ({
    name: `CodeDeployDefault.${name}`,
    id: `00000000-0000-4000-9000-${name.length.toString().padStart(2, '0')}${'0'.repeat(10)}`,
    computePlatform: 'Server',
    createTime: Date.UTC(2014, 10, 12),
    minimumHealthyHosts: { type, value },
  });
  return [
    ecs('ECSAllAtOnce', { type: 'AllAtOnce' }),
    ecs('ECSLinear10PercentEvery1Minutes', ecsLinear(10, 1)),
    ecs('ECSLinear10PercentEvery3Minutes', ecsLinear(10, 3)),
    ecs('ECSCanary10Percent5Minutes', ecsCanary(10, 5)),
    ecs('ECSCanary10Percent15Minutes', ecsCanary(10, 15)),
    server('OneAtATime', 'HOST_COUNT', 1),
    server('HalfAtATime', 'FLEET_PERCENT', 50),
    server('AllAtOnce', 'HOST_COUNT', 0),
  ];
}

/** One step of a traffic shift: at `offsetMs` after AllowTraffic starts, the replacement gets `percent`. */
export interface TrafficStep {
  offsetMs: number;
  percent: number;
}

/**
 * The shift a configuration gives: all at once; a canary (its percentage, then the rest after its
 * interval); linear (its percentage more every interval until 100 %).
 */
export function trafficSchedule(config: ConfigRec): TrafficStep[] {
  const routing = config.trafficRoutingConfig;
  const minute = 60_000;
  if (routing?.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
    const { canaryPercentage = 10, canaryInterval = 5 } = routing.timeBasedCanary;
    return [
      { offsetMs: 0, percent: canaryPercentage },
      { offsetMs: canaryInterval * minute, percent: 100 },
    ];
  }
  if (routing?.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
    const { linearPercentage = 10, linearInterval = 1 } = routing.timeBasedLinear;
    const steps: TrafficStep[] = [];
    for (let i = 0, p = linearPercentage; ; i++, p += linearPercentage) {
      steps.push({ offsetMs: i * linearInterval * minute, percent: Math.min(p, 100) });
      if (p >= 100) return steps;
    }
  }
  return [{ offsetMs: 0, percent: 100 }];
}

export function configOutput(c: ConfigRec): DeploymentConfigInfo {
  return {
    deploymentConfigId: c.id,
    deploymentConfigName: c.name,
    createTime: new Date(c.createTime),
    computePlatform: c.computePlatform,
    ...(c.minimumHealthyHosts ? { minimumHealthyHosts: c.minimumHealthyHosts } : {}),
    ...(c.trafficRoutingConfig ? { trafficRoutingConfig: c.trafficRoutingConfig } : {}),
  };
}

/** CreateDeploymentConfig's input as a configuration; an ECS one must say how traffic moves. */
export function newConfig(
  input: Record<string, unknown>,
  o: { id: string; now: number; exists: (name: string) => boolean },
): ConfigRec {
  const name = typeof input.deploymentConfigName === 'string' ? input.deploymentConfigName : '';
  if (name === '') throw CD_ERRORS.configNameRequired();
  if (o.exists(name)) throw CD_ERRORS.configExists(name);
  const platform = (
    typeof input.computePlatform === 'string' ? input.computePlatform : 'Server'
  ) as ConfigRec['computePlatform'];
  if (!['Server', 'Lambda', 'ECS'].includes(platform)) throw CD_ERRORS.computePlatform(platform);
  const routing = input.trafficRoutingConfig as ConfigRec['trafficRoutingConfig'];
  if (platform === 'ECS') checkRouting(routing);
  return {
    name,
    id: o.id,
    computePlatform: platform,
    createTime: o.now,
    ...(routing ? { trafficRoutingConfig: routing } : {}),
    ...(input.minimumHealthyHosts
      ? { minimumHealthyHosts: input.minimumHealthyHosts as ConfigRec['minimumHealthyHosts'] }
      : {}),
  };
}

/** An ECS configuration shifts traffic by a canary, linear steps or all at once. */
function checkRouting(routing: ConfigRec['trafficRoutingConfig']): void {
  const type = routing?.type;
  if (type === 'AllAtOnce') return;
  const canary = type === 'TimeBasedCanary';
  const pct = canary
    ? routing?.timeBasedCanary?.canaryPercentage
    : routing?.timeBasedLinear?.linearPercentage;
  const interval = canary
    ? routing?.timeBasedCanary?.canaryInterval
    : routing?.timeBasedLinear?.linearInterval;
  if (
    (type !== 'TimeBasedCanary' && type !== 'TimeBasedLinear') ||
    !pct ||
    pct < 1 ||
    pct > 99 ||
    !interval ||
    interval < 1
  ) {
    throw CD_ERRORS.trafficRouting(
      'An ECS deployment configuration needs trafficRoutingConfig: AllAtOnce, or TimeBasedCanary / TimeBasedLinear with a percentage (1-99) and an interval in minutes',
    );
  }
}
