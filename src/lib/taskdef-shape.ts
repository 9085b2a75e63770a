// The RegisterTaskDefinition shape of a task definition that came from DescribeTaskDefinition or a
// file of its output: shared by the loader, the diff and the ECS adapter, so it lives at the
// bottom of the import order (docs/architecture.md).

import { cloneJson, isObject, type JsonObject, type JsonValue } from './json.js';

/**
 * Fields of DescribeTaskDefinition's `taskDefinition` that RegisterTaskDefinition does not
 * accept (docs/ecs-behaviour.md, "Read-only fields"). The SDK would drop them silently, but they must go
 * before the size check and the diff.
 */
export const READ_ONLY_TASK_DEFINITION_FIELDS: readonly string[] = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
];

/**
 * The document is `aws ecs describe-task-definition` output (`{taskDefinition, tags}`) rather
 * than a task definition. A real task definition always has `containerDefinitions`, so one with
 * that key is never unwrapped, even if it also (oddly) has a `taskDefinition` field.
 */
export function isDescribeOutput(doc: JsonObject): doc is JsonObject & { taskDefinition: JsonObject } {
  return isObject(doc.taskDefinition) && !('containerDefinitions' in doc);
}

/**
 * A task definition in the RegisterTaskDefinition shape: describe output is unwrapped (its
 * top-level `tags` moved inside; other wrapper keys such as `$metadata` are response metadata
 * and dropped) and the read-only fields are removed. Every other field is kept untouched.
 * Keys whose value is `undefined` (as SDK responses have) are dropped too. Pure.
 */
export function normalizeTaskDefinition(doc: JsonObject): JsonObject {
  let inner: JsonObject = doc;
  let tags: JsonValue | undefined;
  if (isDescribeOutput(doc)) {
    inner = doc.taskDefinition;
    tags = doc.tags;
  }
  // fromEntries, not assignment: a `__proto__` key stays a plain field.
  const entries = Object.entries(inner).filter(
    ([key, value]) => !READ_ONLY_TASK_DEFINITION_FIELDS.includes(key) && value !== undefined,
  );
  if (tags !== undefined) entries.push(['tags', tags]);
  return cloneJson(Object.fromEntries(entries) as JsonObject);
}
