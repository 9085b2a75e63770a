// What a task does, chosen by the image tag of its containers, so that a scenario reads like what
// it simulates: `web:healthy`, `web:pull-error`, `web:crash`... The plan is computed once, when the
// task is created, from the task definition and the seeded random source.
import { createHash } from 'node:crypto';

import type { ContainerDefinition } from '@aws-sdk/client-ecs';

import * as T from './timings.js';

export type Behaviour = 'healthy' | 'slow' | 'pull-error' | 'crash' | 'unhealthy' | 'oom';
export const BEHAVIOURS: readonly Behaviour[] = [
  'healthy',
  'slow',
  'pull-error',
  'crash',
  'unhealthy',
  'oom',
];

/** Optional hook: the tag an image reference stands for (e.g. a digest pinned from a tag). */
export type ImageTagResolver = (image: string) => string | undefined;

/** `repo/name:tag` -> `tag`; `name@sha256:...` -> undefined; a registry port is not a tag. */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : noDigest.slice(colon + 1);
}

/**
 * The behaviour an image asks for. A tag equal to a behaviour name wins; any other tag is healthy.
 * A digest-pinned image (`repo@sha256:...`, as the action writes after preflight) keeps the
 * behaviour of the tag it was resolved from: the hook is asked first, then the emulator ECR's
 * default digest for `repo:<behaviour>` (sha256 of "repo:tag") is recognised.
 */
export function behaviourOf(image: string, resolveTag?: ImageTagResolver): Behaviour {
  const tag = resolveTag?.(image) ?? imageTag(image) ?? tagFromDefaultDigest(image);
  return (BEHAVIOURS as readonly string[]).includes(tag ?? '') ? (tag as Behaviour) : 'healthy';
}

function tagFromDefaultDigest(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at === -1) return undefined;
  const digest = image.slice(at + 1);
  const ref = image.slice(0, at);
  // ECR repository names are the path after the registry host.
  const repository = /^[^/]+\.[^/]+\//.test(ref) ? ref.slice(ref.indexOf('/') + 1) : ref;
  return BEHAVIOURS.find(
    (b) => `sha256:${createHash('sha256').update(`${repository}:${b}`).digest('hex')}` === digest,
  );
}

/** How the task ends, if it does on its own. */
export type TaskFailure =
  | { kind: 'pull-error'; container: string; image: string }
  | {
      kind: 'exit';
      behaviour: 'crash' | 'oom';
      container: string;
      afterMs: number;
      exitCode: number;
      reason?: string;
      logLines: string[];
    }
  | { kind: 'unhealthy'; container: string; afterMs: number; logLines: string[] };

export interface TaskPlan {
  /** PENDING -> RUNNING, or until the pull fails. */
  startMs: number;
  failure?: TaskFailure;
  /** After RUNNING, when the scheduler counts the task healthy; absent when it never will be. */
  healthyAfterMs?: number;
  /** Some essential container has a healthCheck, so the task reports HEALTHY (else UNKNOWN). */
  reportsHealth: boolean;
  /** Per container, the behaviour its image asked for (for tests and logs). */
  behaviours: Record<string, Behaviour>;
}

const between = (random: () => number, min: number, max: number): number =>
  Math.round(min + random() * (max - min));

const seconds = (v: number | undefined, fallback: number): number =>
  (typeof v === 'number' ? v : fallback) * 1000;

/** Time after RUNNING at which a container's health check has failed `retries` times in a row. */
function unhealthyAfterMs(c: ContainerDefinition): number {
  const hc = c.healthCheck;
  return (
    seconds(hc?.startPeriod, T.HC_DEFAULT_START_PERIOD_S) +
    seconds(hc?.interval, T.HC_DEFAULT_INTERVAL_S) * (hc?.retries ?? T.HC_DEFAULT_RETRIES)
  );
}

/**
 * Plan one task. Rules: containers pull in parallel (the slowest sets the start); a pull error in
 * any container fails the task before RUNNING (ECS pulls every image before starting); after that,
 * the essential container that fails first decides how the task ends; non-essential failures are
 * ignored. A failing task never counts as healthy.
 */
export function planTask(
  containers: readonly ContainerDefinition[],
  random: () => number,
  resolveTag?: ImageTagResolver,
): TaskPlan {
  const behaviours: Record<string, Behaviour> = {};
  let startMs = 0;
  let pullError: TaskFailure | undefined;
  let pullErrorAt = 0;
  for (const c of containers) {
    const name = c.name ?? '';
    const b = behaviourOf(c.image ?? '', resolveTag);
    behaviours[name] = b;
    if (b === 'pull-error') {
      const at = between(random, T.PULL_ERROR_MIN_MS, T.PULL_ERROR_MAX_MS);
      if (!pullError) {
        pullError = { kind: 'pull-error', container: name, image: c.image ?? '' };
        pullErrorAt = at;
      }
    } else {
      startMs = Math.max(
        startMs,
        b === 'slow' ? T.SLOW_START_MS : between(random, T.PULL_MIN_MS, T.PULL_MAX_MS),
      );
    }
  }
  const essential = containers.filter((c) => c.essential !== false);
  const reportsHealth = essential.some((c) => c.healthCheck !== undefined);
  if (pullError) return { startMs: pullErrorAt, failure: pullError, reportsHealth, behaviours };

  let failure: TaskFailure | undefined;
  const consider = (f: TaskFailure & { afterMs: number }): void => {
    if (!failure || (failure.kind !== 'pull-error' && f.afterMs < failure.afterMs)) failure = f;
  };
  for (const c of essential) {
    const name = c.name ?? '';
    switch (behaviours[name]) {
      case 'crash':
        consider({
          kind: 'exit',
          behaviour: 'crash',
          container: name,
          afterMs: T.CRASH_AFTER_MS,
          exitCode: 1,
          logLines: ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'Process exited with code 1'],
        });
        break;
      case 'oom':
        consider({
          kind: 'exit',
          behaviour: 'oom',
          container: name,
          afterMs: T.OOM_AFTER_MS,
          exitCode: 137,
          reason: 'OutOfMemoryError: Container killed due to memory usage',
          logLines: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
        });
        break;
      case 'unhealthy':
        consider({
          kind: 'unhealthy',
          container: name,
          afterMs: unhealthyAfterMs(c),
          logLines: ['GET /health 503 Service Unavailable'],
        });
        break;
      default:
        break;
    }
  }
  if (failure) return { startMs, failure, reportsHealth, behaviours };

  const healthyAfterMs = reportsHealth
    ? Math.max(
        ...essential
          .filter((c) => c.healthCheck !== undefined)
          .map(
            (c) =>
              seconds(c.healthCheck?.startPeriod, T.HC_DEFAULT_START_PERIOD_S) +
              seconds(c.healthCheck?.interval, T.HC_DEFAULT_INTERVAL_S),
          ),
      )
    : T.NO_HEALTHCHECK_GRACE_MS;
  return { startMs, healthyAfterMs, reportsHealth, behaviours };
}
