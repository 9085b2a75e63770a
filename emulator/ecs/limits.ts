// The ranges ECS enforces on service counts and deployment settings, and the bound on how much one
// scheduler pass may do, so that no request and no pass does work proportional to an absurd number.
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';

import { invalidParameter } from './input.js';

/** "Tasks per service" (ECS service quotas, not adjustable): the largest desiredCount ECS accepts. */
export const MAX_TASKS_PER_SERVICE = 5_000;

/**
 * At most this many tasks are started, and this many stopped, in one scheduler pass; the rest
 * follow in the next pass, one scheduler delay later. ECS also launches a large service in
 * batches. It keeps each pass (and each "has started N tasks" event) small whatever the count.
 */
export const MAX_TASK_CHANGES_PER_PASS = 100;

/** Observed text (aws/containers-roadmap#768) when desiredCount is above the per-service quota. */
export const DESIRED_COUNT_EXCEEDS_LIMIT = 'Desired count exceeds limit.';

/** The API's Integer type: a 32-bit signed number (the SDK's model, `BoxedInteger`). */
const MAX_INTEGER = 2_147_483_647;

/** `healthCheckGracePeriodSeconds`: a whole number of seconds the API's Integer can hold. */
export function validateGracePeriod(seconds: number | undefined): void {
  if (seconds === undefined) return;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_INTEGER) {
    throw invalidParameter(`healthCheckGracePeriodSeconds must be a whole number from 0 to ${MAX_INTEGER}.`);
  }
}

/** CreateService / UpdateService `desiredCount`: a whole number from 0 to the per-service quota. */
export function validateDesiredCount(desiredCount: number | undefined): void {
  if (desiredCount === undefined) return;
  if (!Number.isInteger(desiredCount)) throw invalidParameter('desiredCount must be an integer.');
  if (desiredCount < 0) throw invalidParameter('desiredCount must be greater than or equal to 0.');
  if (desiredCount > MAX_TASKS_PER_SERVICE) throw invalidParameter(DESIRED_COUNT_EXCEEDS_LIMIT);
}

const THRESHOLD_TYPES = ['BOUNDED_PERCENT', 'UNBOUNDED_PERCENT', 'COUNT'];

function validateThreshold(cfg: DeploymentConfiguration): void {
  const tc = cfg.deploymentCircuitBreaker?.thresholdConfiguration;
  if (!tc) return;
  if (!THRESHOLD_TYPES.includes(String(tc.type))) {
    throw invalidParameter(
      'thresholdConfiguration type must be one of BOUNDED_PERCENT, UNBOUNDED_PERCENT, COUNT.',
    );
  }
  const v = tc.value;
  const isCount = tc.type === 'COUNT';
  if (typeof v !== 'number' || v < 1 || (!isCount && v > 100)) {
    throw invalidParameter(
      isCount
        ? 'thresholdConfiguration value must be at least 1.'
        : 'thresholdConfiguration value must be between 1 and 100.',
    );
  }
}

/**
 * The rolling-update bounds. Both are integers on the wire (SDK model). minimumHealthyPercent is a
 * share of the desired count that must stay healthy: 0-100. maximumPercent caps running plus
 * pending tasks as a share of the desired count; below 100 the service could never run its
 * desired count, so it is refused. No upper bound is documented, and none is needed here: the
 * scheduler never starts more than the desired count is missing.
 */
export function validateDeploymentConfiguration(cfg: DeploymentConfiguration): void {
  const min = cfg.minimumHealthyPercent;
  const max = cfg.maximumPercent;
  if (min !== undefined && (!Number.isInteger(min) || min < 0 || min > 100))
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  if (max !== undefined && (!Number.isInteger(max) || max < 100))
    throw invalidParameter('maximumPercent must be greater than or equal to 100.');
  validateThreshold(cfg);
}
