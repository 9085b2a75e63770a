// What the service definition changes: the CreateService request for a service that does not
// exist yet, or, for one that does, the fields that differ (sent with the new revision in the same
// UpdateService) and the tags to add and remove (TagResource / UntagResource, since UpdateService
// cannot change tags). Pure. Each change is also a line of the plan, beside the task definition's.
//
// A field is compared only as far as the file writes it: DescribeServices fills in defaults
// (assignPublicIp DISABLED, the breaker's settings, ...) that a file rarely repeats, and those
// would otherwise show as a change on every run. Subnets and security groups are sets.

import { createHash } from 'node:crypto';
import type { CreateServiceCommandInput, Service, Tag, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import { UPDATE_FIELDS } from './fields.js';
import { clusterName } from './against.js';

export interface ServiceChanges {
  /** The fields to send with UpdateService: only those that differ. */
  fields: Partial<UpdateServiceCommandInput>;
  tags: TagChanges;
  /** One line per change: `~ loadBalancers: [...] → [...]`, `+ tags[team]: api`. */
  diff: string[];
}

export interface TagChanges {
  set: Tag[];
  remove: string[];
}

/** The CreateService request: the file's fields, our revision, the cluster and the desired count. */
export function createServiceInput(
  doc: JsonObject,
  given: { cluster: string; taskDefinitionArn: string; desiredCount?: number },
): CreateServiceCommandInput {
  const input = { ...doc } as unknown as CreateServiceCommandInput;
  input.cluster = given.cluster;
  input.taskDefinition = given.taskDefinitionArn;
  // The desired-count input wins over the file; ECS needs a count for a REPLICA service.
  const count = given.desiredCount ?? (typeof doc.desiredCount === 'number' ? doc.desiredCount : undefined);
  if (count !== undefined) input.desiredCount = count;
  else if (doc.schedulingStrategy !== 'DAEMON') input.desiredCount = 1;
  // CreateService is idempotent by client token: an SDK retry after a lost answer, or a rerun of
  // the same step, gets the service it created instead of "not idempotent". A token the file gives
  // is kept; otherwise one from what is created (ECS: at most 36 printable ASCII characters).
  if (typeof doc.clientToken !== 'string') input.clientToken = creationToken(input);
  return input;
}

function creationToken(input: CreateServiceCommandInput): string {
  const what = JSON.stringify([input.cluster, input.serviceName, input.taskDefinition]);
  return createHash('sha256').update(what).digest('hex').slice(0, 32);
}

/** The plan of a service to create: every field of the file, as added. */
export function creationDiff(doc: JsonObject): string[] {
  return Object.entries(doc)
    .filter(([key]) => key !== 'taskDefinition' && key !== 'clientToken')
    .map(([key, value]) => `+ ${key}: ${shown(value)}`);
}

/** What the file changes on the existing service. */
export function serviceChanges(
  doc: JsonObject,
  service: Service,
  currentTags: Tag[] | undefined,
): ServiceChanges {
  const fields: Record<string, JsonValue> = {};
  const diff: string[] = [];
  const have = JSON.parse(JSON.stringify(service)) as JsonObject;
  for (const field of UPDATE_FIELDS) {
    const wanted = doc[field];
    if (wanted === undefined || covers(have[field], wanted)) continue;
    fields[field] = wanted;
    diff.push(
      have[field] === undefined
        ? `+ ${field}: ${shown(wanted)}`
        : `~ ${field}: ${shown(have[field])} → ${shown(wanted)}`,
    );
  }
  const tags = tagChanges(doc.tags, currentTags ?? []);
  for (const t of tags.set) {
    const before = currentTags?.find((c) => c.key === t.key);
    diff.push(
      before
        ? `~ tags[${t.key}]: ${before.value ?? ''} → ${t.value ?? ''}`
        : `+ tags[${t.key}]: ${t.value ?? ''}`,
    );
  }
  for (const key of tags.remove) diff.push(`- tags[${key}]`);
  return { fields: fields as Partial<UpdateServiceCommandInput>, tags, diff };
}

/**
 * The tags to set and remove so the service has the file's tags. A file without `tags` leaves the
 * service's tags alone; tags AWS owns (`aws:` keys) are never removed.
 */
export function tagChanges(wanted: JsonValue | undefined, have: Tag[]): TagChanges {
  if (!Array.isArray(wanted)) return { set: [], remove: [] };
  const tags = wanted.flatMap((t) =>
    isObject(t) && typeof t.key === 'string' ? [{ key: t.key, value: String(t.value ?? '') }] : [],
  );
  const set = tags.filter((t) => !have.some((h) => h.key === t.key && (h.value ?? '') === t.value));
  const remove = have
    .map((h) => h.key ?? '')
    .filter((key) => key !== '' && !key.startsWith('aws:') && !tags.some((t) => t.key === key));
  return { set, remove };
}

/** Lists that are sets: their order means nothing to ECS. */
const SET_FIELDS = new Set(['subnets', 'securityGroups']);

/**
 * Whether `have` (the service as described) already is what `wanted` (the file) says: objects are
 * compared on the keys the file gives, lists item by item (sets sorted), values exactly.
 */
export function covers(have: JsonValue | undefined, wanted: JsonValue, key = ''): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(have) || have.length !== wanted.length) return false;
    const [a, b] = SET_FIELDS.has(key) ? [[...have].sort(), [...wanted].sort()] : [have, wanted];
    return b.every((item, i) => covers(a[i], item));
  }
  if (isObject(wanted)) {
    if (!isObject(have)) return false;
    return Object.entries(wanted).every(([k, v]) => covers(have[k], v, k));
  }
  if (key === 'cluster' && typeof have === 'string' && typeof wanted === 'string') {
    return clusterName(have) === clusterName(wanted);
  }
  return have === wanted;
}

/** A value as one line of the plan. */
function shown(value: JsonValue | undefined): string {
  return value === undefined ? '(no value)' : typeof value === 'string' ? value : JSON.stringify(value);
}
