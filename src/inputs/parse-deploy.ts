// Parsers for the deployment: which cluster and service, how long to follow the rollout, and
// the service settings the step may change.

import type { CircuitBreakerMode, OnTimeout, PropagateTags } from '../lib/request.js';
import { ecsRegionProblem } from './arns.js';
import { parseBoolean, parseEnum, type InputParser } from './context.js';
import { DEFAULT_WAIT_MINUTES, desiredCountProblem, MAX_WAIT_MINUTES, parseWaitMinutes } from './numbers.js';
import { clusterProblem } from './shapes.js';
import { parseServiceLines, resolveServiceTargets } from './parse-services.js';

export const parseCluster: InputParser = (value, ctx) => {
  const reason = clusterProblem(value) ?? ecsRegionProblem(value, ctx.options.region);
  if (reason) ctx.fail(reason);
  // `service: other/web` names the first service's cluster itself (parsed first, see the table).
  return { cluster: ctx.request.services?.[0]?.cluster ?? value };
};

/** One line or several (parse-services.ts); `service` and `cluster` name the first. */
export const parseService: InputParser = (value, ctx) => {
  if (value === '') return { service: undefined };
  const lines = parseServiceLines(value, ctx);
  const services = resolveServiceTargets(lines, ctx.raw('cluster') || 'default', ctx);
  return { service: lines[0]?.service ?? value, services };
};

export const parseWaitForStability: InputParser = (value, ctx) => ({
  waitForServiceStability: parseBoolean(value, ctx) ?? true,
});

export const parseWaitForMinutes: InputParser = (value, ctx) => {
  // Above six hours the official action clamps to 360 (its MAX_WAIT_MINUTES): a migrated workflow
  // keeps working, with a warning, for an ECS and a CodeDeploy deployment alike.
  const over = /^\d+(\.\d*)?$/.test(value) ? Number(value) : NaN;
  if (over > MAX_WAIT_MINUTES) {
    ctx.warn(
      `${value} minutes is more than this action waits: the wait is capped at ${MAX_WAIT_MINUTES} minutes (six hours), as the official deploy action caps it.`,
    );
    return { waitForMinutes: MAX_WAIT_MINUTES };
  }
  const parsed = parseWaitMinutes(value);
  if ('problem' in parsed) ctx.fail(parsed.problem);
  return { waitForMinutes: 'minutes' in parsed ? parsed.minutes : DEFAULT_WAIT_MINUTES };
};

export const parseForceNewDeployment: InputParser = (value, ctx) => ({
  forceNewDeployment: parseBoolean(value, ctx) ?? false,
});

export const parseDesiredCount: InputParser = (value, ctx) => {
  if (value === '') return {};
  const reason = desiredCountProblem(value);
  if (reason) ctx.fail(reason);
  return reason ? {} : { desiredCount: Number(value) };
};

export const parseManagedTags: InputParser = (value, ctx) => ({
  enableEcsManagedTags: parseBoolean(value, ctx),
});

export const parsePropagateTags: InputParser = (value, ctx) => ({
  propagateTags: parseEnum<PropagateTags>(value, ['TASK_DEFINITION', 'SERVICE', 'NONE'], ctx),
});

export const parseCircuitBreaker: InputParser = (value, ctx) => ({
  circuitBreaker: parseEnum<CircuitBreakerMode>(value, ['rollback', 'enable', 'disable'], ctx),
});

export const parseOnTimeout: InputParser = (value, ctx) => ({
  onTimeout: parseEnum<OnTimeout>(value, ['fail', 'rollback'], ctx) ?? 'fail',
});

export const parseDryRun: InputParser = (value, ctx) => ({ dryRun: parseBoolean(value, ctx) ?? false });
