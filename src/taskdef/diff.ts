// The plan: what changes between the task definition the service runs and the one we rendered,
// and whether they are the same task definition at all (then nothing is registered again).
//
// Both sides are brought to one canonical form first, because DescribeTaskDefinition does not
// return what was registered byte for byte: it adds read-only fields, fills in defaults and
// empty lists, and keeps list order. Comparing raw JSON would register a new revision on every
// run and show noise in every plan. The canonical form:
//   - drops the read-only fields (READ_ONLY_TASK_DEFINITION_FIELDS, shared with the loader);
//   - drops values equal to what ECS fills in when they are omitted (withoutDefaults lists them);
//   - drops `null`, `[]` and `{}` values of object fields anywhere: "nothing" either way;
//   - turns lists whose entries have an identity (containers by name, environment by name,
//     port mappings by container port, ...) into maps by that identity, so a reorder is not a
//     change and a path names the entry (`containerDefinitions[app].environment[LOG_LEVEL]`);
//   - sorts lists that are sets (`requiresCompatibilities`, Linux capabilities);
//   - writes task-level `cpu`/`memory` as the integer strings ECS stores (`"1 vCPU"` → `"1024"`).
// Unknown fields are compared as they are, so a change to them is never hidden.

import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import { READ_ONLY_TASK_DEFINITION_FIELDS } from '../lib/taskdef-shape.js';
import { REFERENCE_FIELDS, shownValue } from '../lib/mask-taskdef.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface TaskDefinitionChange {
  /** e.g. `containerDefinitions[app].environment[LOG_LEVEL]` */
  path: string;
  kind: ChangeKind;
  /** The old value as shown to a human: secret-looking values are already masked. */
  before?: string;
  /** The new value as shown to a human: secret-looking values are already masked. */
  after?: string;
}

/** The changes, in the order of the new task definition; empty when the two are identical. */
export type TaskDefinitionDiff = TaskDefinitionChange[];

// ---------------------------------------------------------------------------------------------
// Normalisation of the raw JSON

/**
 * The task definition without what ECS would fill in anyway. Treated as equal to absent:
 *   networkMode "bridge" (the EC2 Linux default); enableFaultInjection false;
 *   containerDefinitions[].essential true; containerDefinitions[].cpu 0;
 *   portMappings[].protocol "tcp"; portMappings[].hostPort equal to containerPort under awsvpc or
 *   host, and 0 under bridge (a dynamic port); environmentFiles[].type "s3" (the only type);
 *   mountPoints[].readOnly and volumesFrom[].readOnly false; healthCheck interval 30, timeout 5,
 *   retries 3, startPeriod 0; and null, [] and {} for any field (environment, secrets,
 *   mountPoints, volumesFrom, portMappings, systemControls, volumes, placementConstraints,
 *   dockerLabels, a volume's `host: {}`, ...).
 */
function withoutDefaults(td: JsonObject): JsonObject {
  const out = structuredClone(td);
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete out[field];
  const networkMode = typeof out.networkMode === 'string' ? out.networkMode : 'bridge';
  if (out.networkMode === 'bridge') delete out.networkMode;
  if (out.enableFaultInjection === false) delete out.enableFaultInjection;
  if ('cpu' in out) out.cpu = units(out.cpu, /vcpu/i);
  if ('memory' in out) out.memory = units(out.memory, /gb/i);
  if (Array.isArray(out.containerDefinitions)) {
    for (const c of out.containerDefinitions) if (isObject(c)) containerWithoutDefaults(c, networkMode);
  }
  return dropEmpty(out);
}

/** Task cpu/memory as ECS stores them: integer strings in CPU units / MiB. */
function units(value: JsonValue, bigUnit: RegExp): JsonValue {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const m = /^\s*(\d*\.?\d+)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return value;
  if (m[2] && !bigUnit.test(m[2])) return value;
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return Number.isInteger(n) ? String(n) : value;
}

function containerWithoutDefaults(c: JsonObject, networkMode: string): void {
  if (c.essential === true) delete c.essential;
  if (c.cpu === 0) delete c.cpu;
  for (const pm of objectsOf(c.portMappings)) {
    if (pm.protocol === 'tcp') delete pm.protocol;
    if (pm.hostPort !== undefined) {
      const samePort = Number(pm.hostPort) === Number(pm.containerPort);
      if ((networkMode === 'awsvpc' || networkMode === 'host') && samePort) delete pm.hostPort;
      else if (networkMode === 'bridge' && Number(pm.hostPort) === 0) delete pm.hostPort;
    }
  }
  for (const f of objectsOf(c.environmentFiles)) if (f.type === 's3') delete f.type;
  for (const m of [...objectsOf(c.mountPoints), ...objectsOf(c.volumesFrom)]) {
    if (m.readOnly === false) delete m.readOnly;
  }
  if (isObject(c.healthCheck)) {
    const hc = c.healthCheck;
    if (hc.interval === 30) delete hc.interval;
    if (hc.timeout === 5) delete hc.timeout;
    if (hc.retries === 3) delete hc.retries;
    if (hc.startPeriod === 0) delete hc.startPeriod;
  }
}

function objectsOf(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Removes null, [] and {} object fields, bottom up (so `{ host: {} }` goes too). */
function dropEmpty<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropEmpty(v)) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const clean = dropEmpty(v);
    if (clean === null) continue;
    if (Array.isArray(clean) && clean.length === 0) continue;
    if (isObject(clean) && Object.keys(clean).length === 0) continue;
    out[k] = clean;
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------
// Canonical tree

/** A leaf is a scalar or a list of scalars (compared and shown whole: `command` is one value). */
type Node =
  | { t: 'leaf'; value: JsonValue }
  | { t: 'map'; entries: Map<string, Node>; keyed: boolean }
  | { t: 'list'; items: Node[] };

interface ListSpec {
  /** The entry's identity; undefined when an entry lacks it (then the list is kept in order). */
  key: (entry: JsonObject) => string | undefined;
  /** Fields that make up the identity, left out of the entry's value. */
  keyFields: string[];
  /** When the entry is just identity + this field, its value is this field (`FOO: bar`). */
  valueField?: string;
}

function byField(field: string, valueField?: string): ListSpec {
  return {
    key: (e) => (typeof e[field] === 'string' || typeof e[field] === 'number' ? String(e[field]) : undefined),
    keyFields: [field],
    valueField,
  };
}

// By field name wherever it occurs: the names are specific enough, and a list whose entries do
// not all carry the identity falls back to being compared in order.
const KEYED_LISTS: Record<string, ListSpec> = {
  containerDefinitions: byField('name'),
  environment: byField('name', 'value'),
  secrets: byField('name', 'valueFrom'),
  secretOptions: byField('name', 'valueFrom'),
  environmentFiles: byField('value'),
  // ECS does not allow one container port under two protocols, so the port is the identity.
  portMappings: {
    key: (e) =>
      e.containerPort !== undefined
        ? String(e.containerPort)
        : typeof e.containerPortRange === 'string'
          ? e.containerPortRange
          : undefined,
    keyFields: ['containerPort', 'containerPortRange'],
  },
  mountPoints: byField('containerPath'),
  volumesFrom: byField('sourceContainer'),
  volumes: byField('name'),
  ulimits: byField('name'),
  systemControls: byField('namespace', 'value'),
  extraHosts: byField('hostname', 'ipAddress'),
  dependsOn: byField('containerName', 'condition'),
  resourceRequirements: byField('type', 'value'),
  inferenceAccelerators: byField('deviceName'),
  tmpfs: byField('containerPath'),
  tags: byField('key', 'value'),
  properties: byField('name', 'value'),
  placementConstraints: {
    key: (e) =>
      typeof e.type === 'string'
        ? `${e.type}${typeof e.expression === 'string' ? ` ${e.expression}` : ''}`
        : undefined,
    keyFields: ['type', 'expression'],
  },
};

/** Lists of scalars whose order means nothing to ECS. */
const SCALAR_SETS = new Set(['requiresCompatibilities', 'add', 'drop']);

function canonical(value: JsonValue, field?: string): Node {
  if (Array.isArray(value)) {
    const spec = field !== undefined ? KEYED_LISTS[field] : undefined;
    if (spec && value.length > 0 && value.every((e) => isObject(e) && spec.key(e) !== undefined)) {
      return keyedMap(value as JsonObject[], spec);
    }
    if (value.every((v) => !Array.isArray(v) && !isObject(v))) {
      const sorted = field !== undefined && SCALAR_SETS.has(field) ? [...value].sort(compareScalars) : value;
      return { t: 'leaf', value: sorted };
    }
    return { t: 'list', items: value.map((v) => canonical(v)) };
  }
  if (isObject(value)) {
    const entries = new Map<string, Node>();
    for (const [k, v] of Object.entries(value)) entries.set(k, canonical(v, k));
    return { t: 'map', entries, keyed: false };
  }
  return { t: 'leaf', value };
}

function keyedMap(list: JsonObject[], spec: ListSpec): Node {
  const entries = new Map<string, Node>();
  for (const entry of list) {
    let key = spec.key(entry) as string;
    // A duplicate identity is invalid for ECS, but must still show up rather than vanish.
    for (let n = 2; entries.has(key); n++) key = `${spec.key(entry)}#${n}`;
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(entry)) if (!spec.keyFields.includes(k)) rest[k] = v;
    const restKeys = Object.keys(rest);
    // Identity alone (an env file, a port with defaults only) is an empty map rather than a
    // leaf, so a setting added to it later shows as that setting, not as remove + add.
    if (restKeys.length === 0) entries.set(key, { t: 'map', entries: new Map(), keyed: false });
    else if (spec.valueField && restKeys.length === 1 && restKeys[0] === spec.valueField) {
      entries.set(key, canonical(rest[spec.valueField], spec.valueField));
    } else entries.set(key, canonical(rest));
  }
  return { t: 'map', entries, keyed: true };
}

function compareScalars(a: JsonValue, b: JsonValue): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Walking two trees

type Segment =
  { kind: 'field'; name: string } | { kind: 'key'; name: string } | { kind: 'index'; index: number };

function formatSegments(path: Segment[]): string {
  let out = '';
  for (const s of path) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else if (s.kind === 'key' || !/^[A-Za-z_$][\w$]*$/.test(s.name)) out += `[${s.name}]`;
    else out += out ? `.${s.name}` : s.name;
  }
  return out;
}

function childSegment(node: Node, name: string): Segment {
  return node.t === 'map' && node.keyed ? { kind: 'key', name } : { kind: 'field', name };
}

function walk(
  before: Node | undefined,
  after: Node | undefined,
  path: Segment[],
  out: TaskDefinitionDiff,
): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined || after === undefined || before.t !== after.t) {
    if (before !== undefined) leaves(before, path, 'removed', out);
    if (after !== undefined) leaves(after, path, 'added', out);
    return;
  }
  if (before.t === 'leaf' && after.t === 'leaf') {
    if (JSON.stringify(before.value) !== JSON.stringify(after.value)) {
      out.push({
        path: formatSegments(path),
        kind: 'changed',
        before: display(before.value, path),
        after: display(after.value, path),
      });
    }
    return;
  }
  if (before.t === 'map' && after.t === 'map') {
    if (before.keyed !== after.keyed) {
      leaves(before, path, 'removed', out);
      leaves(after, path, 'added', out);
      return;
    }
    for (const [k, a] of after.entries)
      walk(before.entries.get(k), a, [...path, childSegment(after, k)], out);
    for (const [k, b] of before.entries) {
      if (!after.entries.has(k)) walk(b, undefined, [...path, childSegment(before, k)], out);
    }
    return;
  }
  if (before.t === 'list' && after.t === 'list') {
    const n = Math.max(before.items.length, after.items.length);
    for (let i = 0; i < n; i++)
      walk(before.items[i], after.items[i], [...path, { kind: 'index', index: i }], out);
  }
}

/** Every leaf under `node`, as added or removed: a new container shows each of its settings. */
function leaves(node: Node, path: Segment[], kind: 'added' | 'removed', out: TaskDefinitionDiff): void {
  if (node.t === 'leaf') {
    const shown = display(node.value, path);
    const change: TaskDefinitionChange = { path: formatSegments(path), kind };
    if (shown !== undefined) change[kind === 'added' ? 'after' : 'before'] = shown;
    out.push(change);
  } else if (node.t === 'map') {
    if (node.entries.size === 0) out.push({ path: formatSegments(path), kind });
    for (const [k, child] of node.entries) leaves(child, [...path, childSegment(node, k)], kind, out);
  } else {
    node.items.forEach((child, i) => leaves(child, [...path, { kind: 'index', index: i }], kind, out));
  }
}

/** A value as the plan shows it: masked by name, flag and shape (lib/mask-taskdef.ts). */
function display(value: JsonValue, path: Segment[]): string | undefined {
  const reference = path.some((s) => s.kind === 'field' && REFERENCE_FIELDS.has(s.name));
  // The name that says what the value is: the variable, label, option or field name.
  const named = [...path].reverse().find((s) => s.kind !== 'index');
  return shownValue(value, { name: named?.name, reference });
}

// ---------------------------------------------------------------------------------------------
// The API

/**
 * What changes from `before` (the task definition the service runs, as DescribeTaskDefinition
 * returns it; undefined for a first deployment, when everything is added) to `after` (the
 * rendered one). Values in the result are for display: secret-looking ones are masked.
 */
export function diffTaskDefinitions(before: JsonObject | undefined, after: JsonObject): TaskDefinitionDiff {
  const out: TaskDefinitionDiff = [];
  walk(before ? canonical(withoutDefaults(before)) : undefined, canonical(withoutDefaults(after)), [], out);
  return out;
}

/**
 * Whether `after` would register as the same task definition as `before`: equal once read-only
 * fields, ECS defaults (ECS_DEFAULTS), key order and the order of keyed lists are set aside.
 * Masked values take no part in this: a changed password is a change.
 */
export function isIdentical(before: JsonObject | undefined, after: JsonObject): boolean {
  return before !== undefined && diffTaskDefinitions(before, after).length === 0;
}

/** One line per change: `~ path: before → after`, `+ path: after`, `- path: before`. */
export function formatDiff(diff: TaskDefinitionDiff): string[] {
  return diff.map((c) => {
    if (c.kind === 'changed') return `~ ${c.path}: ${c.before ?? '(no value)'} → ${c.after ?? '(no value)'}`;
    const sign = c.kind === 'added' ? '+' : '-';
    const value = c.kind === 'added' ? c.after : c.before;
    return value === undefined ? `${sign} ${c.path}` : `${sign} ${c.path}: ${value}`;
  });
}
