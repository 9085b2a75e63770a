// Ready-made pieces of a BLUE_GREEN, LINEAR or CANARY service for seeds and tests: a load balancer
// with advancedConfiguration, Lambda and PAUSE hooks, alarms, and the deploymentConfiguration that
// puts them together. A seeded service is a CreateService input, so these are plain objects.
import type { DeploymentConfiguration, DeploymentLifecycleHook, LoadBalancer } from '@aws-sdk/client-ecs';

import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../core.js';

export interface ShiftSeedPlace {
  region?: string;
  accountId?: string;
}

const elb = (p: ShiftSeedPlace): string =>
  `arn:aws:elasticloadbalancing:${p.region ?? DEFAULT_REGION}:${p.accountId ?? DEFAULT_ACCOUNT_ID}`;

/** Target groups `<name>-blue` and `<name>-green`, listener rules for production and test traffic. */
export function blueGreenLoadBalancer(
  options: ShiftSeedPlace & {
    containerName?: string;
    containerPort?: number;
    name?: string;
    testListener?: boolean;
  } = {},
): LoadBalancer {
  const name = options.name ?? 'web';
  const base = elb(options);
  const listener = `${base}:listener-rule/app/${name}-alb/0123456789abcdef/0123456789abcdef`;
  return {
    targetGroupArn: `${base}:targetgroup/${name}-blue/0123456789abcdef`,
    containerName: options.containerName ?? 'web',
    containerPort: options.containerPort ?? 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: `${base}:targetgroup/${name}-green/fedcba9876543210`,
      productionListenerRule: `${listener}/1111111111111111`,
      ...(options.testListener === false ? {} : { testListenerRule: `${listener}/2222222222222222` }),
      roleArn: `arn:aws:iam::${options.accountId ?? DEFAULT_ACCOUNT_ID}:role/ecsInfrastructureRoleForLoadBalancers`,
    },
  };
}

/** An AWS_LAMBDA hook; the function's name picks its answer (`fail`, `slow`, anything else). */
export function lambdaHook(
  functionName: string,
  stages: string[],
  options: ShiftSeedPlace & { timeoutInMinutes?: number; timeoutAction?: 'CONTINUE' | 'ROLLBACK' } = {},
): DeploymentLifecycleHook {
  const account = options.accountId ?? DEFAULT_ACCOUNT_ID;
  return {
    targetType: 'AWS_LAMBDA',
    hookTargetArn: `arn:aws:lambda:${options.region ?? DEFAULT_REGION}:${account}:function:${functionName}`,
    roleArn: `arn:aws:iam::${account}:role/ecsLifecycleHookRole`,
    lifecycleStages: stages as DeploymentLifecycleHook['lifecycleStages'],
    ...timeout(options),
  };
}

/** A PAUSE hook: the deployment waits at these stages for ContinueServiceDeployment. */
export function pauseHook(
  stages: string[],
  options: { timeoutInMinutes?: number; timeoutAction?: 'CONTINUE' | 'ROLLBACK' } = {},
): DeploymentLifecycleHook {
  return {
    targetType: 'PAUSE',
    lifecycleStages: stages as DeploymentLifecycleHook['lifecycleStages'],
    ...timeout(options),
  };
}

function timeout(o: { timeoutInMinutes?: number; timeoutAction?: 'CONTINUE' | 'ROLLBACK' }) {
  if (o.timeoutInMinutes === undefined && o.timeoutAction === undefined) return {};
  return {
    timeoutConfiguration: {
      ...(o.timeoutInMinutes !== undefined ? { timeoutInMinutes: o.timeoutInMinutes } : {}),
      ...(o.timeoutAction !== undefined ? { action: o.timeoutAction } : {}),
    },
  };
}

export interface ShiftConfigOptions {
  strategy?: 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  bakeTimeInMinutes?: number;
  canaryPercent?: number;
  canaryBakeTimeInMinutes?: number;
  linearStepPercent?: number;
  linearStepBakeTimeInMinutes?: number;
  lifecycleHooks?: DeploymentLifecycleHook[];
  /** Alarm names; a name containing `firing` goes into ALARM a minute after a deployment starts. */
  alarms?: string[];
  /** Roll back when an alarm fires (default true). */
  alarmRollback?: boolean;
}

/** deploymentConfiguration of a traffic-shifting service (default: BLUE_GREEN, bake 1 minute). */
export function shiftDeploymentConfiguration(o: ShiftConfigOptions = {}): DeploymentConfiguration {
  const strategy = o.strategy ?? 'BLUE_GREEN';
  return {
    strategy,
    bakeTimeInMinutes: o.bakeTimeInMinutes ?? 1,
    ...(strategy === 'CANARY'
      ? {
          canaryConfiguration: {
            canaryPercent: o.canaryPercent ?? 10,
            canaryBakeTimeInMinutes: o.canaryBakeTimeInMinutes ?? 1,
          },
        }
      : {}),
    ...(strategy === 'LINEAR'
      ? {
          linearConfiguration: {
            stepPercent: o.linearStepPercent ?? 25,
            stepBakeTimeInMinutes: o.linearStepBakeTimeInMinutes ?? 1,
          },
        }
      : {}),
    ...(o.lifecycleHooks ? { lifecycleHooks: o.lifecycleHooks } : {}),
    ...(o.alarms
      ? { alarms: { alarmNames: o.alarms, enable: true, rollback: o.alarmRollback ?? true } }
      : {}),
  };
}
