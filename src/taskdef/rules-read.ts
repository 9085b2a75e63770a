// What every validation rule shares: the reporter it writes problems to, the facts about the task
// definition read once, and narrowing helpers. A template can hold any JSON, so each value is
// narrowed where it is read, and a wrong type becomes a problem rather than a crash.

import { formatPath, isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';

export interface Reporter {
  error(path: JsonPath, message: string): void;
  warn(path: JsonPath, message: string): void;
}

export interface Container {
  index: number;
  /** `['containerDefinitions', index]` */
  path: JsonPath;
  def: JsonObject;
  /** The name when it is a string; uniqueness and format are checked separately. */
  name?: string;
  /** `Container 'web'`, or `Container containerDefinitions[2]` when it has no usable name. */
  label: string;
  /** `essential` defaults to true. */
  essential: boolean;
}

export interface TaskFacts {
  td: JsonObject;
  /** `requiresCompatibilities` includes FARGATE. Without it the launch type is not known here. */
  fargate: boolean;
  /** The network mode the rules apply: the given one, else awsvpc for Fargate and bridge otherwise. */
  networkMode: string;
  /** Task-level cpu units and memory MiB, when given and parseable. */
  cpu?: number;
  memory?: number;
  hasExecutionRole: boolean;
  containers: Container[];
}

interface Kinds {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
  array: JsonValue[];
  object: JsonObject;
}
type Kind = keyof Kinds;

const EXPECTED: Record<Kind, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** `a string`, `a number`, `an array`…: the type only, never the value, which may be a secret. */
export function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

/** The field name a message uses: `memory`, or `environment[3]` for an array item. */
export function labelOf(path: JsonPath): string {
  if (path.length === 0) return 'The task definition';
  return typeof path[path.length - 1] === 'number'
    ? formatPath(path.slice(-2))
    : String(path[path.length - 1]);
}

/**
 * `value` narrowed to `kind`, or undefined. Absent and null are undefined without a problem (ECS
 * treats null as not set); any other type is reported at `path`.
 */
export function expectKind<K extends Kind>(
  value: JsonValue | undefined,
  kind: K,
  path: JsonPath,
  r: Reporter,
): Kinds[K] | undefined {
  if (value === undefined || value === null) return undefined;
  if (matches(value, kind)) return value as Kinds[K];
  const label = labelOf(path);
  let hint = '';
  if (
    (kind === 'number' || kind === 'integer') &&
    typeof value === 'string' &&
    /^\s*-?\d+(\.\d+)?\s*$/.test(value)
  ) {
    hint = '; remove the quotes around it';
  } else if (kind === 'boolean' && (value === 'true' || value === 'false')) {
    hint = '; remove the quotes around it';
  } else if (kind === 'string' && typeof value === 'number') {
    hint = '; put the value in quotes';
  } else if (kind === 'integer' && typeof value === 'number') {
    r.error(path, `${label} must be a whole number, not ${value}.`);
    return undefined;
  }
  r.error(path, `${label} must be ${EXPECTED[kind]}, not ${typeName(value)}${hint}.`);
  return undefined;
}

function matches(value: JsonValue, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

/** Reads the fields of one object: `read(key, kind)` is `obj[key]` narrowed to `kind`. */
export type FieldReader = <K extends Kind>(key: string, kind: K) => Kinds[K] | undefined;

/** A FieldReader for `obj`, which is at `path`; a wrong type is reported at `[...path, key]`. */
export function readerOf(obj: JsonObject, path: JsonPath, r: Reporter): FieldReader {
  return (key, kind) => expectKind(obj[key], kind, [...path, key], r);
}

/** The items of `obj[key]` that are objects, with their paths; other items are reported. */
export function readObjects(
  obj: JsonObject,
  key: string,
  path: JsonPath,
  r: Reporter,
): { item: JsonObject; path: JsonPath; index: number }[] {
  const list = readerOf(obj, path, r)(key, 'array') ?? [];
  const out: { item: JsonObject; path: JsonPath; index: number }[] = [];
  list.forEach((value, index) => {
    const itemPath = [...path, key, index];
    const item = expectKind(value, 'object', itemPath, r);
    if (item) out.push({ item, path: itemPath, index });
    else if (value === null) r.error(itemPath, `${labelOf(itemPath)} is null; remove it or give an object.`);
  });
  return out;
}

/** An integer already narrowed, the range it must be in and how a message names it. */
export interface RangeCheck {
  value: number | undefined;
  min: number;
  max: number;
  /** Where the value is, for the problem. */
  path: JsonPath;
  /** What the message calls the value, e.g. `containerPort`. */
  what: string;
  /** The unit the range is in, e.g. `seconds`; none when the number has no unit. */
  unit?: string;
}

/** Reports a value outside its range; the message names the unit and the range. */
export function checkRange(check: RangeCheck, r: Reporter): void {
  const { value, min, max, path, what, unit = '' } = check;
  if (value !== undefined && (value < min || value > max)) {
    r.error(path, `${what} ${value} is out of range: use ${min} to ${max}${unit ? ` ${unit}` : ''}.`);
  }
}

/** Plain-data read with no reporting, for rules that only look at values other rules check. */
export function peek(obj: JsonObject, key: string): JsonValue | undefined {
  const value = obj[key];
  return value === null ? undefined : value;
}
