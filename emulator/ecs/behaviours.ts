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
  const tag = resolveTag?.(image) ?? imageTag(image) ?? tagFromDefaultDigest(image, BEHAVIOURS);
  return (BEHAVIOURS as readonly string[]).includes(tag ?? '') ? (tag as Behaviour) : 'healthy';
}

function tagFromDefaultDigest(image: string, candidates: readonly string[]): string | undefined {
  const at = image.indexOf('@');
  if (at === -1) return undefined;
  const digest = image.slice(at + 1);
  const ref = image.slice(0, at);
  // ECR repository names are the path after the registry host.
  const repository = /^[^/]+\.[^/]+\//.test(ref) ? ref.slice(ref.indexOf('/') + 1) : ref;
  return candidates.find(
    (b) => `sha256:${createHash('sha256').update(`${repository}:${b}`).digest('hex')}` === digest,
  );
}

/** `exit-0` .. `exit-255` -> the exit code; anything else -> undefined. */
export function exitCodeIn(word: string | undefined): number | undefined {
  const m = /^exit-(\d{1,3})$/.exec(word ?? '');
  const code = m ? Number(m[1]) : NaN;
  return code >= 0 && code <= 255 ? code : undefined;
}

/** The last word of a command, in exec form (`["./migrate", "exit-0"]`) or shell form (`sh -c "./migrate exit-3"`). */
export function lastWord(command: readonly string[] | undefined): string | undefined {
  const last = command?.at(-1)?.trim();
  return last ? last.split(/\s+/).at(-1) : undefined;
}

const EXIT_TAGS = Array.from({ length: 256 }, (_, n) => `exit-${n}`);

/**
 * For tasks started by RunTask: the code a container exits with on its own. An image tagged
 * `:exit-N` exits N whatever its command; otherwise a command whose last word is `exit-N` does.
 */
export function exitCodeOf(
  image: string,
  command: readonly string[] | undefined,
  resolveTag?: ImageTagResolver,
): number | undefined {
  const tag = resolveTag?.(image) ?? imageTag(image) ?? tagFromDefaultDigest(image, EXIT_TAGS);
  return exitCodeIn(tag) ?? exitCodeIn(lastWord(command));
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

/** A container of a task started by RunTask that exits on its own (`exit-N`, `:crash`, `:oom`). */
export interface ContainerExit {
  container: string;
  essential: boolean;
  /** After RUNNING. */
  afterMs: number;
  exitCode: number;
  reason?: string;
  /** Written to its awslogs stream when it starts, and when it exits. */
  startLines: string[];
  exitLines: string[];
}

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
  /** Tasks started by RunTask only: the containers that exit on their own, soonest first. */
  exits?: ContainerExit[];
}

/** A RunTask container whose command (or image tag) says `exit-N` works this long, then exits N. */
export const JOB_RUN_MS = 10_000;

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

interface PullPhase {
  behaviours: Record<string, Behaviour>;
  startMs: number;
  pullError?: TaskFailure & { kind: 'pull-error' };
  pullErrorAt: number;
}

/** Containers pull in parallel (the slowest sets the start); the first `:pull-error` fails the task. */
function pullPhase(
  containers: readonly ContainerDefinition[],
  random: () => number,
  resolveTag?: ImageTagResolver,
): PullPhase {
  const phase: PullPhase = { behaviours: {}, startMs: 0, pullErrorAt: 0 };
  for (const c of containers) {
    const name = c.name ?? '';
    const b = behaviourOf(c.image ?? '', resolveTag);
    phase.behaviours[name] = b;
    if (b === 'pull-error') {
      const at = between(random, T.PULL_ERROR_MIN_MS, T.PULL_ERROR_MAX_MS);
      if (!phase.pullError) {
        phase.pullError = { kind: 'pull-error', container: name, image: c.image ?? '' };
        phase.pullErrorAt = at;
      }
    } else {
      phase.startMs = Math.max(
        phase.startMs,
        b === 'slow' ? T.SLOW_START_MS : between(random, T.PULL_MIN_MS, T.PULL_MAX_MS),
      );
    }
  }
  return phase;
}

/** How `:crash` and `:oom` containers end, after RUNNING. */
const IMAGE_EXITS = {
  crash: {
    afterMs: T.CRASH_AFTER_MS,
    exitCode: 1,
    logLines: ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'Process exited with code 1'],
  },
  oom: {
    afterMs: T.OOM_AFTER_MS,
    exitCode: 137,
    reason: 'OutOfMemoryError: Container killed due to memory usage',
    logLines: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
  },
} as const;

/** startPeriod + interval of the slowest essential health check, or the no-health-check grace. */
function healthyAfter(essential: readonly ContainerDefinition[]): number {
  const checked = essential.filter((c) => c.healthCheck !== undefined);
  if (checked.length === 0) return T.NO_HEALTHCHECK_GRACE_MS;
  return Math.max(
    ...checked.map(
      (c) =>
        seconds(c.healthCheck?.startPeriod, T.HC_DEFAULT_START_PERIOD_S) +
        seconds(c.healthCheck?.interval, T.HC_DEFAULT_INTERVAL_S),
    ),
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
  const { behaviours, startMs, pullError, pullErrorAt } = pullPhase(containers, random, resolveTag);
  const essential = containers.filter((c) => c.essential !== false);
  const reportsHealth = essential.some((c) => c.healthCheck !== undefined);
  if (pullError) return { startMs: pullErrorAt, failure: pullError, reportsHealth, behaviours };

  let failure: TaskFailure | undefined;
  const consider = (f: TaskFailure & { afterMs: number }): void => {
    if (!failure || (failure.kind !== 'pull-error' && f.afterMs < failure.afterMs)) failure = f;
  };
  for (const c of essential) {
    const name = c.name ?? '';
    const b = behaviours[name];
    if (b === 'crash' || b === 'oom') {
      consider({
        kind: 'exit',
        behaviour: b,
        container: name,
        ...IMAGE_EXITS[b],
        logLines: [...IMAGE_EXITS[b].logLines],
      });
    } else if (b === 'unhealthy') {
      consider({
        kind: 'unhealthy',
        container: name,
        afterMs: unhealthyAfterMs(c),
        logLines: ['GET /health 503 Service Unavailable'],
      });
    }
  }
  if (failure) return { startMs, failure, reportsHealth, behaviours };
  return { startMs, healthyAfterMs: healthyAfter(essential), reportsHealth, behaviours };
}

/** Per container of a RunTask task: its effective command (after overrides) is what it runs. */
export function ownExit(
  c: ContainerDefinition,
  behaviour: Behaviour,
  resolveTag?: ImageTagResolver,
): ContainerExit | undefined {
  const base = { container: c.name ?? '', essential: c.essential !== false };
  const code = exitCodeOf(c.image ?? '', c.command, resolveTag);
  if (code !== undefined) {
    const what = c.command?.length ? c.command.join(' ') : (c.image ?? '');
    return {
      ...base,
      afterMs: JOB_RUN_MS,
      exitCode: code,
      startLines: [`Running ${what}`],
      exitLines: ['Working...', `Exiting with code ${code}`],
    };
  }
  if (behaviour !== 'crash' && behaviour !== 'oom') return undefined;
  const { logLines, ...end } = IMAGE_EXITS[behaviour];
  return { ...base, ...end, startLines: [], exitLines: [...logLines] };
}

/**
 * Plan a task started by RunTask (no service watches it). Pulls as planTask. Then every container
 * that exits on its own does so (essential or not); the first essential exit ends the task. A
 * failing health check only marks it UNHEALTHY: outside a service nothing stops it.
 */
export function planRunTask(
  containers: readonly ContainerDefinition[],
  random: () => number,
  resolveTag?: ImageTagResolver,
): TaskPlan {
  const { behaviours, startMs, pullError, pullErrorAt } = pullPhase(containers, random, resolveTag);
  const essential = containers.filter((c) => c.essential !== false);
  const reportsHealth = essential.some((c) => c.healthCheck !== undefined);
  if (pullError) return { startMs: pullErrorAt, failure: pullError, reportsHealth, behaviours };
  const exits = containers
    .map((c) => ownExit(c, behaviours[c.name ?? '']!, resolveTag))
    .filter((e): e is ContainerExit => e !== undefined)
    .sort((a, b) => a.afterMs - b.afterMs);
  const sick = essential.find((c) => behaviours[c.name ?? ''] === 'unhealthy');
  const plan: TaskPlan = { startMs, reportsHealth, behaviours, exits };
  if (sick) {
    const logLines = ['GET /health 503 Service Unavailable'];
    plan.failure = {
      kind: 'unhealthy',
      container: sick.name ?? '',
      afterMs: unhealthyAfterMs(sick),
      logLines,
    };
  } else {
    plan.healthyAfterMs = healthyAfter(essential);
  }
  return plan;
}
