// The task-definition operations over the store in taskdefs.ts.
import type { TaskDefinition } from '@aws-sdk/client-ecs';

import type { Ctx } from './context.js';
import {
  asInput,
  clientError,
  invalidParameter,
  optString,
  optStringList,
  paginate,
  reqString,
} from './input.js';
import { refuseForeignArn } from './refs.js';

export function registerTaskDefinition(
  ctx: Ctx,
  raw: unknown,
): { taskDefinition: TaskDefinition; tags?: unknown[] } {
  const rec = ctx.taskDefs.register(asInput(raw), ctx.now());
  return { taskDefinition: ctx.taskDefs.describe(rec), ...(rec.tags.length ? { tags: rec.tags } : {}) };
}

export function describeTaskDefinition(
  ctx: Ctx,
  raw: unknown,
): { taskDefinition: TaskDefinition; tags?: unknown[] } {
  const input = asInput(raw);
  const ref = reqString(input, 'taskDefinition');
  refuseForeignArn(ctx, ref);
  const rec = ctx.taskDefs.find(ref);
  // AWS's text for an unknown family or revision (UpdateService says "TaskDefinition not found.").
  if (!rec) throw clientError('Unable to describe task definition.');
  const includeTags = (optStringList(input, 'include') ?? []).includes('TAGS');
  return { taskDefinition: ctx.taskDefs.describe(rec), ...(includeTags ? { tags: rec.tags } : {}) };
}

export function listTaskDefinitions(
  ctx: Ctx,
  raw: unknown,
): { taskDefinitionArns: string[]; nextToken?: string } {
  const input = asInput(raw);
  const prefix = optString(input, 'familyPrefix');
  const status = optString(input, 'status') ?? 'ACTIVE';
  const sort = optString(input, 'sort') ?? 'ASC';
  checkEnum('status', status, TASK_DEFINITION_STATUSES);
  checkEnum('sort', sort, ['ASC', 'DESC']);
  // familyPrefix matches the whole family name in ECS, despite its name.
  let recs = ctx.taskDefs
    .all()
    .filter((r) => (prefix === undefined || r.family === prefix) && r.status === status);
  recs = recs.sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
  if (sort === 'DESC') recs.reverse();
  const { page, nextToken } = paginate(
    recs.map((r) => r.arn),
    input,
    100,
    100,
  );
  return nextToken ? { taskDefinitionArns: page, nextToken } : { taskDefinitionArns: page };
}

/** TaskDefinitionStatus in the SDK model. */
const TASK_DEFINITION_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'];

function checkEnum(key: string, value: string, allowed: string[]): void {
  if (!allowed.includes(value)) {
    throw invalidParameter(`${key} must be one of ${allowed.join(', ')}.`);
  }
}

export function listTaskDefinitionFamilies(
  ctx: Ctx,
  raw: unknown,
): { families: string[]; nextToken?: string } {
  const input = asInput(raw);
  const prefix = optString(input, 'familyPrefix') ?? '';
  const status = optString(input, 'status') ?? 'ACTIVE';
  const families = ctx.taskDefs
    .familyNames()
    .filter((f) => f.startsWith(prefix))
    .filter((f) => status === 'ALL' || ctx.taskDefs.all().some((r) => r.family === f && r.status === status))
    .sort();
  const { page, nextToken } = paginate(families, input, 100, 100);
  return nextToken ? { families: page, nextToken } : { families: page };
}

export function deregisterTaskDefinition(ctx: Ctx, raw: unknown): { taskDefinition: TaskDefinition } {
  const input = asInput(raw);
  const ref = reqString(input, 'taskDefinition');
  refuseForeignArn(ctx, ref);
  // A revision is required here; a bare family would deregister "the latest", which ECS refuses.
  if (!ref.includes(':') || (ref.startsWith('arn:') && !/:\d+$/.test(ref))) {
    throw invalidParameter('Revision must be specified: use family:revision or the full ARN.');
  }
  const rec = ctx.taskDefs.find(ref);
  if (!rec) throw clientError('The specified task definition does not exist.');
  if (rec.status === 'ACTIVE') {
    rec.status = 'INACTIVE';
    rec.deregisteredAt = ctx.now();
  }
  return { taskDefinition: ctx.taskDefs.describe(rec) };
}

/** At most 10 revisions per DeleteTaskDefinitions call (SDK model, docs/ecs-behaviour.md, "API limits"). */
const DELETE_BATCH = 10;

/**
 * DeleteTaskDefinitions: each revision must be INACTIVE (deregistered) first; it becomes
 * DELETE_IN_PROGRESS (docs/ecs-behaviour.md, "Deregistered and deleted revisions"). A revision that
 * cannot be deleted is a `failures` entry, not an exception; the call fails only for its shape.
 */
export function deleteTaskDefinitions(
  ctx: Ctx,
  raw: unknown,
): { taskDefinitions: TaskDefinition[]; failures: { arn: string; reason: string }[] } {
  const input = asInput(raw);
  const refs = optStringList(input, 'taskDefinitions') ?? [];
  if (refs.length === 0) throw invalidParameter('taskDefinitions should not be null or empty.');
  if (refs.length > DELETE_BATCH) {
    throw invalidParameter(`taskDefinitions can have at most ${DELETE_BATCH} items.`);
  }
  const taskDefinitions: TaskDefinition[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const ref of refs) {
    refuseForeignArn(ctx, ref);
    const reason = deleteRefusal(ctx, ref);
    if (reason) {
      failures.push({ arn: ref, reason });
      continue;
    }
    const rec = ctx.taskDefs.find(ref)!;
    if (rec.status === 'INACTIVE') {
      rec.status = 'DELETE_IN_PROGRESS';
      rec.deleteRequestedAt = ctx.now();
    }
    taskDefinitions.push(ctx.taskDefs.describe(rec));
  }
  return { taskDefinitions, failures };
}

/** Why a revision cannot be deleted, or undefined (INACTIVE, or already DELETE_IN_PROGRESS). */
function deleteRefusal(ctx: Ctx, ref: string): string | undefined {
  if (!/:\d+$/.test(ref)) return 'The task definition revision must be specified.';
  const rec = ctx.taskDefs.find(ref);
  if (!rec) return 'The specified task definition does not exist.';
  if (rec.status === 'ACTIVE') {
    return 'The specified task definition is in ACTIVE status. Deregister it (DeregisterTaskDefinition) before deleting it.';
  }
  return undefined;
}
