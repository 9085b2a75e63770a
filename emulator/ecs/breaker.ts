// The deployment circuit breaker's arithmetic (docs/ecs-behaviour.md, "Failure threshold") and the rolling-update bounds (docs/ecs-behaviour.md, "What starts a deployment"),
// as pure functions over plain numbers.
import type {
  DeploymentCircuitBreaker,
  DeploymentConfiguration,
  ThresholdConfiguration,
} from '@aws-sdk/client-ecs';

export const DEFAULT_THRESHOLD = { type: 'BOUNDED_PERCENT', value: 50 } as const;
/** The bounds of BOUNDED_PERCENT; not configurable (lowered from 10 to 3 on 2024-01-08). */
export const THRESHOLD_MIN = 3;
export const THRESHOLD_MAX = 200;

// Integer arithmetic first: 10/100*30 is 3.0000000000000004 in floating point, whose ceil is 4.
const ceilPercent = (value: number, count: number): number => Math.ceil((value * count) / 100);

/**
 * How many failed tasks fail a deployment. BOUNDED_PERCENT (default, 50):
 * clamp(ceil(value% of desired), 3, 200); UNBOUNDED_PERCENT: ceil(value% of desired), at least 1;
 * COUNT: the value itself. ECS uses the latest desired count, so callers pass the current one.
 */
export function breakerThreshold(desiredCount: number, config?: ThresholdConfiguration): number {
  const type = config?.type ?? DEFAULT_THRESHOLD.type;
  const value: number = config?.value ?? DEFAULT_THRESHOLD.value;
  switch (type) {
    case 'COUNT':
      return Math.max(1, Math.floor(value));
    case 'UNBOUNDED_PERCENT':
      return Math.max(1, ceilPercent(value, desiredCount));
    default:
      return Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, ceilPercent(value, desiredCount)));
  }
}

export interface BreakerSettings {
  enable: boolean;
  rollback: boolean;
  /** Default true: a task becoming healthy resets the failure count, so only consecutive failures count. */
  resetOnHealthyTask: boolean;
  threshold?: ThresholdConfiguration;
}

export function breakerSettings(cb: DeploymentCircuitBreaker | undefined): BreakerSettings {
  return {
    enable: cb?.enable === true,
    rollback: cb?.rollback === true,
    resetOnHealthyTask: cb?.resetOnHealthyTask !== false,
    ...(cb?.thresholdConfiguration ? { threshold: cb.thresholdConfiguration } : {}),
  };
}

/** minimumHealthyPercent rounds up: the fewest healthy tasks a rollout may leave. */
export function minimumHealthyTasks(desiredCount: number, minimumHealthyPercent: number): number {
  return ceilPercent(minimumHealthyPercent, desiredCount);
}

/** maximumPercent rounds down: the most tasks (all deployments, pending included) a rollout may run. */
export function maximumTasks(desiredCount: number, maximumPercent: number): number {
  return Math.floor((maximumPercent * desiredCount) / 100);
}

/** ECS's defaults for a REPLICA service with the ECS deployment controller. */
export function withDeploymentDefaults(cfg: DeploymentConfiguration | undefined): DeploymentConfiguration {
  return {
    ...cfg,
    deploymentCircuitBreaker: {
      ...cfg?.deploymentCircuitBreaker,
      enable: cfg?.deploymentCircuitBreaker?.enable ?? false,
      rollback: cfg?.deploymentCircuitBreaker?.rollback ?? false,
    },
    maximumPercent: cfg?.maximumPercent ?? 200,
    minimumHealthyPercent: cfg?.minimumHealthyPercent ?? 100,
    strategy: cfg?.strategy ?? 'ROLLING',
  };
}
