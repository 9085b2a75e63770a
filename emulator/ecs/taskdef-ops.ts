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
