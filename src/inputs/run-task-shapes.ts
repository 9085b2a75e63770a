// The JSON inputs of run-task checked against the shapes of the ECS API (RunTask in the Amazon
// ECS API Reference: ContainerOverride, CapacityProviderStrategyItem, Tag,
// TaskManagedEBSVolumeConfiguration). Pure: each returns the problems as `path: message` texts,
// the path relative to the input (`[0].command`), so a user finds the field at once.

import { formatPath, isObject, type JsonPath, type JsonValue } from '../lib/json.js';

type Check = (value: JsonValue, path: JsonPath, out: string[]) => void;

const at = (path: JsonPath): string => (path.length ? formatPath(path).replace(/^\./, '') : 'the value');

const isInt = (v: JsonValue): v is number => typeof v === 'number' && Number.isInteger(v);

function stringList(value: JsonValue, path: JsonPath, out: string[]): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    out.push(`${at(path)} must be an array of strings.`);
  }
}

function intField(min: number, max: number): Check {
  return (value, path, out) => {
    if (!isInt(value) || value < min || value > max) {
      out.push(`${at(path)} must be a whole number from ${min} to ${max}.`);
    }
  };
}

function objectList(fields: Record<string, Check>, required: string[]): Check {
  return (value, path, out) => {
    if (!Array.isArray(value)) {
      out.push(`${at(path)} must be an array of objects.`);
      return;
    }
    value.forEach((item, i) => checkObject(item, [...path, i], { fields, required }, out));
  };
}

const str: Check = (value, path, out) => {
  if (typeof value !== 'string') out.push(`${at(path)} must be a string.`);
};

const bool: Check = (value, path, out) => {
  if (typeof value !== 'boolean') out.push(`${at(path)} must be true or false.`);
};

interface ObjectShape {
  fields: Record<string, Check>;
  required: string[];
}

function checkObject(value: JsonValue, path: JsonPath, shape: ObjectShape, out: string[]): void {
  if (!isObject(value)) {
    out.push(`${at(path)} must be an object.`);
    return;
  }
  for (const key of shape.required) {
    if (!(key in value)) out.push(`${at([...path, key])} is required.`);
  }
  for (const [key, field] of Object.entries(value)) {
    const check = shape.fields[key];
    if (!check) {
      out.push(
        `${at([...path, key])} is not a field of this object; use ${Object.keys(shape.fields).join(', ')}.`,
      );
    } else check(field, [...path, key], out);
  }
}

/** ContainerOverride: what RunTask may change in one container. */
const CONTAINER_OVERRIDE: ObjectShape = {
  fields: {
    name: str,
    command: stringList,
    environment: objectList({ name: str, value: str }, ['name']),
    environmentFiles: objectList({ value: str, type: str }, ['value', 'type']),
    cpu: intField(0, 10 * 1024 * 1024),
    memory: intField(0, 10 * 1024 * 1024),
    memoryReservation: intField(0, 10 * 1024 * 1024),
    resourceRequirements: objectList({ type: str, value: str }, ['type', 'value']),
  },
  required: ['name'],
};

/** `run-task-container-overrides`: a JSON array of ContainerOverride objects, one per container. */
export function containerOverridesProblems(value: JsonValue): string[] {
  const out: string[] = [];
  if (!Array.isArray(value))
    return ['must be a JSON array of container overrides ([{"name": …, "command": […]}]).'];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    checkObject(item, [i], CONTAINER_OVERRIDE, out);
    const name = isObject(item) ? item.name : undefined;
    if (typeof name === 'string') {
      if (seen.has(name))
        out.push(`[${i}].name: container "${name}" has two overrides; give one per container.`);
      seen.add(name);
    }
  });
  return out;
}

const STRATEGY_ITEM: ObjectShape = {
  fields: { capacityProvider: str, weight: intField(0, 1000), base: intField(0, 100000) },
  required: ['capacityProvider'],
};

export function capacityProviderStrategyProblems(value: JsonValue): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [
      'must be a JSON array of capacity provider strategy items ([{"capacityProvider": "FARGATE", "weight": 1}]).',
    ];
  }
  const out: string[] = [];
  value.forEach((item, i) => checkObject(item, [i], STRATEGY_ITEM, out));
  return out;
}

/** Tags as ECS limits them: at most 50, keys up to 128 and values up to 256 characters, no `aws:` prefix. */
export function tagsProblems(value: JsonValue): string[] {
  if (!Array.isArray(value)) return ['must be a JSON array of tags ([{"key": "team", "value": "web"}]).'];
  const out: string[] = [];
  if (value.length > 50) out.push(`has ${value.length} tags; ECS allows at most 50.`);
  value.forEach((item, i) => {
    checkObject(item, [i], { fields: { key: str, value: str }, required: ['key', 'value'] }, out);
    if (!isObject(item)) return;
    const { key, value: tagValue } = item;
    if (typeof key === 'string' && (key.length === 0 || key.length > 128))
      out.push(`[${i}].key must be 1 to 128 characters.`);
    if (typeof key === 'string' && /^aws:/i.test(key))
      out.push(`[${i}].key: the aws: prefix is reserved for AWS.`);
    if (typeof tagValue === 'string' && tagValue.length > 256)
      out.push(`[${i}].value must be at most 256 characters.`);
  });
  return out;
}

const EBS_VOLUME: ObjectShape = {
  fields: {
    encrypted: bool,
    kmsKeyId: str,
    volumeType: str,
    sizeInGiB: intField(1, 65536),
    snapshotId: str,
    volumeInitializationRate: intField(100, 300),
    iops: intField(0, 256000),
    throughput: intField(0, 2000),
    tagSpecifications: objectList(
      { resourceType: str, tags: objectList({ key: str, value: str }, []), propagateTags: str },
      ['resourceType'],
    ),
    roleArn: str,
    terminationPolicy: (value, path, out) =>
      checkObject(
        value,
        path,
        { fields: { deleteOnTermination: bool }, required: ['deleteOnTermination'] },
        out,
      ),
    filesystemType: str,
  },
  required: ['roleArn'],
};

/** `run-task-managed-ebs-volume`: a TaskManagedEBSVolumeConfiguration object; `roleArn` is required. */
export function ebsVolumeProblems(value: JsonValue): string[] {
  const out: string[] = [];
  checkObject(value, [], EBS_VOLUME, out);
  return out;
}

/**
 * `service-managed-ebs-volume`: a ServiceManagedEBSVolumeConfiguration object (UpdateService in
 * the Amazon ECS API Reference). The task volume's shape without `terminationPolicy`: a service's
 * volumes are always deleted with their tasks. `roleArn` is required.
 */
const SERVICE_EBS_VOLUME: ObjectShape = {
  fields: Object.fromEntries(
    Object.entries(EBS_VOLUME.fields).filter(([key]) => key !== 'terminationPolicy'),
  ),
  required: ['roleArn'],
};

export function serviceEbsVolumeProblems(value: JsonValue): string[] {
  const out: string[] = [];
  checkObject(value, [], SERVICE_EBS_VOLUME, out);
  return out;
}

/** The parsed JSON of an input, or the sentence that says why it is not JSON. */
export function parseJsonInput(text: string): { value: JsonValue } | { error: string } {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    // The parser's message quotes the input (which may hold secret values); it is not printed.
    return { error: 'is not valid JSON; check its quotes, commas and brackets.' };
  }
}
