// The per-container changes of a render: environment, secrets, env files, docker labels, log
// configuration and command. Each edits a container that render.ts has already deep-copied,
// and reports through a sink, so that all problems of one render come out together.

import type { KeyValueChanges } from '../lib/request.js';
import { cloneJson, formatPath, isObject, type JsonObject, type JsonValue } from '../lib/json.js';

export interface ContainerTarget {
  /** Index in `containerDefinitions`. */
  index: number;
  name: string;
  /** A copy owned by the render; edited in place. */
  container: JsonObject;
}

export interface Sink {
  error(input: string, path: string, message: string): void;
  warning(input: string, path: string, message: string): void;
}

const pathOf = (target: ContainerTarget, ...rest: string[]): string =>
  formatPath(['containerDefinitions', target.index, ...rest]);

/** A list field: present as an array, absent (undefined) or not a list (reported, null). */
function listField(target: ContainerTarget, field: string, input: string, sink: Sink): JsonValue[] | null {
  const value = target.container[field];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  sink.error(
    input,
    pathOf(target, field),
    `In container '${target.name}', '${field}' is not a list in the task definition, so '${input}' cannot be applied to it.`,
  );
  return null;
}

/** Where a map field sits, and what to call it in a message. */
interface MapFieldAt {
  /** The object that holds the field: the container, or its logConfiguration. */
  owner: JsonObject;
  field: string;
  /** The input whose change needs the field. */
  input: string;
  path: string;
  containerName: string;
  /** The field as the message names it, e.g. `logConfiguration.options`. */
  label: string;
}

/** A map field: present as an object, absent, or not a map (reported, null). */
function mapField(at: MapFieldAt, sink: Sink): JsonObject | null {
  const value = at.owner[at.field];
  if (value === undefined) return {};
  if (isObject(value)) return { ...value };
  sink.error(
    at.input,
    at.path,
    `In container '${at.containerName}', '${at.label}' is not a mapping of names to values in the task definition, so '${at.input}' cannot be applied to it.`,
  );
  return null;
}

/** Which list `applyNamedList` edits, and how. */
interface NamedList {
  field: 'environment' | 'secrets';
  valueKey: 'value' | 'valueFrom';
  /** Make the list exactly the set entries. */
  replace: boolean;
  /** The input the changes come from, and what one entry is called in messages. */
  input: string;
  label: string;
}

/**
 * Set/remove by name on a list of `{name, <valueKey>}` entries (environment, secrets). A set
 * overrides an existing entry where it stands (every entry of that name, so none is left with
 * the old value) or appends. `replace` makes the list exactly the set entries.
 */
function applyNamedList(
  target: ContainerTarget,
  changes: KeyValueChanges,
  { field, valueKey, replace, input, label }: NamedList,
  sink: Sink,
): void {
  if (!replace && changes.set.length === 0 && changes.remove.length === 0) return;
  const current = listField(target, field, input, sink);
  if (current === null) return;
  let list: JsonValue[] = replace ? [] : current.map((entry) => cloneJson(entry));
  const named = (entry: JsonValue, name: string): boolean => isObject(entry) && entry.name === name;
  if (!replace) {
    for (const name of changes.remove) {
      if (!list.some((entry) => named(entry, name))) {
        sink.warning(
          input,
          pathOf(target, field),
          `Container '${target.name}' has no ${label} '${name}' to remove.`,
        );
      }
      list = list.filter((entry) => !named(entry, name));
    }
  }
  for (const { name, value } of changes.set) {
    let found = false;
    list = list.map((entry) => {
      if (!named(entry, name)) return entry;
      found = true;
      return { ...(entry as JsonObject), [valueKey]: value };
    });
    if (!found) list.push({ name, [valueKey]: value });
  }
  target.container[field] = list;
}

export function applyEnvironment(
  target: ContainerTarget,
  changes: KeyValueChanges,
  mode: 'merge' | 'replace',
  sink: Sink,
): void {
  applyNamedList(
    target,
    changes,
    {
      field: 'environment',
      valueKey: 'value',
      replace: mode === 'replace',
      input: 'environment-variables',
      label: 'environment variable',
    },
    sink,
  );
}

export function applySecrets(target: ContainerTarget, changes: KeyValueChanges, sink: Sink): void {
  applyNamedList(
    target,
    changes,
    { field: 'secrets', valueKey: 'valueFrom', replace: false, input: 'secrets', label: 'secret' },
    sink,
  );
}

/** S3 env files: added once (an ARN already there is not repeated), removed by ARN. */
export function applyEnvFiles(
  target: ContainerTarget,
  changes: { add: string[]; remove: string[] },
  sink: Sink,
): void {
  if (changes.add.length === 0 && changes.remove.length === 0) return;
  const current = listField(target, 'environmentFiles', 'env-files', sink);
  if (current === null) return;
  const isFile = (entry: JsonValue, arn: string): boolean => isObject(entry) && entry.value === arn;
  let list = current.map((entry) => cloneJson(entry));
  for (const arn of changes.remove) {
    if (!list.some((entry) => isFile(entry, arn))) {
      sink.warning(
        'env-files',
        pathOf(target, 'environmentFiles'),
        `Container '${target.name}' has no environment file '${arn}' to remove.`,
      );
    }
    list = list.filter((entry) => !isFile(entry, arn));
  }
  for (const arn of changes.add) {
    if (!list.some((entry) => isFile(entry, arn))) list.push({ value: arn, type: 's3' });
  }
  target.container.environmentFiles = list;
}

/** Set/remove keys of a name -> value map, warning about removals of keys that are not there. */
function editMap(map: JsonObject, changes: KeyValueChanges, onMissing: (name: string) => void): JsonObject {
  // fromEntries, not assignment: a `__proto__` key stays a plain field.
  const entries = new Map(Object.entries(map));
  for (const name of changes.remove) {
    if (!entries.delete(name)) onMissing(name);
  }
  for (const { name, value } of changes.set) entries.set(name, value);
  return Object.fromEntries(entries);
}

export function applyDockerLabels(target: ContainerTarget, changes: KeyValueChanges, sink: Sink): void {
  if (changes.set.length === 0 && changes.remove.length === 0) return;
  const path = pathOf(target, 'dockerLabels');
  const labels = mapField(
    {
      owner: target.container,
      field: 'dockerLabels',
      input: 'docker-labels',
      path,
      containerName: target.name,
      label: 'dockerLabels',
    },
    sink,
  );
  if (labels === null) return;
  target.container.dockerLabels = editMap(labels, changes, (name) =>
    sink.warning(
      'docker-labels',
      path,
      `Container '${target.name}' has no docker label '${name}' to remove.`,
    ),
  );
}

/**
 * `logDriver` sets the driver (creating `logConfiguration`); `options` edits its options. The
 * template's options are kept when the driver changes, as the official render action does,
 * with a warning because options of one driver rarely suit another.
 */
export function applyLogConfiguration(
  target: ContainerTarget,
  logDriver: string | undefined,
  options: KeyValueChanges,
  sink: Sink,
): void {
  const hasOptions = options.set.length > 0 || options.remove.length > 0;
  if (logDriver === undefined && !hasOptions) return;
  const path = pathOf(target, 'logConfiguration');
  const input = logDriver !== undefined ? 'log-configuration-log-driver' : 'log-configuration-options';
  const config = mapField(
    {
      owner: target.container,
      field: 'logConfiguration',
      input,
      path,
      containerName: target.name,
      label: 'logConfiguration',
    },
    sink,
  );
  if (config === null) return;
  const oldDriver = config.logDriver;
  const driver = logDriver ?? oldDriver;
  if (hasOptions && (typeof driver !== 'string' || driver === '')) {
    sink.error(
      'log-configuration-options',
      path,
      `Container '${target.name}' has no log driver in the task definition, so log options cannot be applied; give 'log-configuration-log-driver' too.`,
    );
    return;
  }
  if (logDriver !== undefined) config.logDriver = logDriver;
  const optionsPath = pathOf(target, 'logConfiguration', 'options');
  if (hasOptions) {
    const current = mapField(
      {
        owner: config,
        field: 'options',
        input: 'log-configuration-options',
        path: optionsPath,
        containerName: target.name,
        label: 'logConfiguration.options',
      },
      sink,
    );
    if (current === null) return;
    config.options = editMap(current, options, (name) =>
      sink.warning(
        'log-configuration-options',
        optionsPath,
        `Container '${target.name}' has no log option '${name}' to remove.`,
      ),
    );
  }
  const changedDriver = logDriver !== undefined && typeof oldDriver === 'string' && oldDriver !== logDriver;
  if (changedDriver && isObject(config.options)) {
    const kept = Object.keys(config.options).filter((key) => !options.set.some((s) => s.name === key));
    if (kept.length > 0) {
      sink.warning(
        'log-configuration-log-driver',
        optionsPath,
        `Container '${target.name}' changes its log driver from '${oldDriver}' to '${logDriver}' but keeps the template's options ` +
          `${kept.map((k) => `'${k}'`).join(', ')}; remove them with '-NAME' lines in 'log-configuration-options' if they do not apply.`,
      );
    }
  }
  target.container.logConfiguration = config;
}

export function applyCommand(target: ContainerTarget, command: string[] | undefined): void {
  if (command !== undefined) target.container.command = [...command];
}
