// Preflight: every reference of the rendered task definition checked at once (concurrently, one
// call per distinct thing), before anything is written. Missing things are errors; what could not
// be checked is said, with a warning when the caller was refused. With pin-image-digest, ECR
// images are rewritten to the digest found.
import type { JsonObject } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { CheckContext } from './check-context.js';
import { checkEnvFile } from './check-env-file.js';
import { checkImage } from './check-image.js';
import { notChecked } from './check-context.js';
import { checkLogGroup } from './check-log-group.js';
import { checkSecret } from './check-secret.js';
import { imageRegistry } from './ecr-images.js';
import { collectReferences } from './references.js';
import type { CheckResult, Pin, Reference } from './types.js';

/** Calls in flight at most: enough for ten containers at once, few enough not to be throttled. */
export const PREFLIGHT_CONCURRENCY = 16;

export interface PreflightReport {
  checks: CheckResult[];
  problems: Problem[];
  /** Images registered by digest instead of tag. */
  pins: Pin[];
  /** The task definition to register (with pins applied). */
  taskDefinition: JsonObject;
  /** What the execution role is needed for, said once. */
  executionRole: { arn?: string; neededFor: string[] };
}

const CHECKS: Record<Reference['kind'], (ctx: CheckContext, ref: Reference) => Promise<CheckResult>> = {
  image: checkImage,
  'env-file': checkEnvFile,
  secret: checkSecret,
  'log-group': checkLogGroup,
};

export async function runPreflight(
  ctx: CheckContext,
  td: JsonObject,
  options: { pinImageDigest: boolean; skipImages?: string },
): Promise<PreflightReport> {
  const refs = collectReferences(td);
  const check = (ref: Reference): Promise<CheckResult> =>
    // The image inputs replace a container's image: while they have a problem, the template's
    // image is not what would run, so it is not checked (nor reported missing).
    options.skipImages && ref.kind === 'image'
      ? Promise.resolve(notChecked(ref, `not checked: ${options.skipImages}`))
      : CHECKS[ref.kind](ctx, ref);
  const checks = await inPool(refs, PREFLIGHT_CONCURRENCY, check);
  const pins = options.pinImageDigest ? pinsOf(checks) : [];
  return {
    checks,
    problems: checks.flatMap((c) => c.problems),
    pins,
    taskDefinition: applyPins(td, pins),
    executionRole: {
      arn: typeof td.executionRoleArn === 'string' ? td.executionRoleArn : undefined,
      neededFor: roleNeeds(refs),
    },
  };
}

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function inPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function pinsOf(checks: CheckResult[]): Pin[] {
  return checks.flatMap((c) => {
    const ref = c.reference;
    if (ref.kind !== 'image' || c.status !== 'found' || !c.digest) return [];
    const registry = imageRegistry(ref.value);
    if (!('ecr' in registry) || registry.ecr.digest) return [];
    return [
      { container: ref.container, path: ref.path, from: ref.value, to: `${registry.ecr.name}@${c.digest}` },
    ];
  });
}

function applyPins(td: JsonObject, pins: Pin[]): JsonObject {
  if (pins.length === 0) return td;
  const copy = structuredClone(td);
  const containers = copy.containerDefinitions as JsonObject[];
  for (const pin of pins) {
    const index = Number(/^containerDefinitions\[(\d+)\]/.exec(pin.path)?.[1]);
    containers[index].image = pin.to;
  }
  return copy;
}

/** What the task's references need the execution role for (docs/ecs-behaviour.md, "Preflight"). */
function roleNeeds(refs: Reference[]): string[] {
  const needs: string[] = [];
  if (refs.some((r) => r.kind === 'image' && 'ecr' in imageRegistry(r.value)))
    needs.push('pulling ECR images');
  if (refs.some((r) => r.kind === 'secret')) needs.push('reading secrets');
  if (refs.some((r) => r.kind === 'env-file')) needs.push('reading environment files');
  if (refs.some((r) => r.kind === 'log-group')) needs.push('sending awslogs');
  return needs;
}
