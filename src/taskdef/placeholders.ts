// `${NAME}` and `${NAME:-default}` placeholders in the string values of a loaded template, and
// in the keys of its map-typed fields (`dockerLabels: {"${ENV}_team": ...}`).
// Substitution works on the parsed tree, never on the text, so a value with quotes, colons or
// newlines cannot change the shape of the document. All problems are reported in one go.

import { ProblemsError, type Problem } from '../lib/problems.js';
import { formatPath, isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import { shapeAt } from './field-model.js';
import type { LoadedTemplate } from './load.js';

/**
 * Fields that are numbers in RegisterTaskDefinition (from the SDK model). A placeholder that is
 * the whole value of one of them becomes a number, so `cpu: ${CPU}` works in JSON and YAML alike.
 * Task-level `cpu` and `memory` are strings in the API and are deliberately not here.
 */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'containerDefinitions[].cpu',
  'containerDefinitions[].memory',
  'containerDefinitions[].memoryReservation',
  'containerDefinitions[].startTimeout',
  'containerDefinitions[].stopTimeout',
  'containerDefinitions[].portMappings[].containerPort',
  'containerDefinitions[].portMappings[].hostPort',
  'containerDefinitions[].healthCheck.interval',
  'containerDefinitions[].healthCheck.timeout',
  'containerDefinitions[].healthCheck.retries',
  'containerDefinitions[].healthCheck.startPeriod',
  'containerDefinitions[].ulimits[].softLimit',
  'containerDefinitions[].ulimits[].hardLimit',
  'containerDefinitions[].linuxParameters.sharedMemorySize',
  'containerDefinitions[].linuxParameters.maxSwap',
  'containerDefinitions[].linuxParameters.swappiness',
  'containerDefinitions[].linuxParameters.tmpfs[].size',
  'containerDefinitions[].restartPolicy.restartAttemptPeriod',
  'containerDefinitions[].restartPolicy.ignoredExitCodes[]',
  'ephemeralStorage.sizeInGiB',
  'volumes[].efsVolumeConfiguration.transitEncryptionPort',
  'volumes[].s3filesVolumeConfiguration.transitEncryptionPort',
]);

/** Fields that are booleans in RegisterTaskDefinition; a whole-value placeholder gives `true`/`false`. */
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set([
  'containerDefinitions[].essential',
  'containerDefinitions[].readonlyRootFilesystem',
  'containerDefinitions[].privileged',
  'containerDefinitions[].interactive',
  'containerDefinitions[].pseudoTerminal',
  'containerDefinitions[].disableNetworking',
  'containerDefinitions[].linuxParameters.initProcessEnabled',
  'containerDefinitions[].restartPolicy.enabled',
  'containerDefinitions[].mountPoints[].readOnly',
  'containerDefinitions[].volumesFrom[].readOnly',
  'volumes[].dockerVolumeConfiguration.autoprovision',
  'volumes[].configuredAtLaunch',
  'enableFaultInjection',
]);

/** `['containerDefinitions', 0, 'cpu']` -> `containerDefinitions[].cpu`, the key of the field sets above. */
export function fieldPattern(path: JsonPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? '[]' : out ? `.${part}` : part;
  return out;
}

export type Segment =
  { kind: 'text'; text: string } | { kind: 'placeholder'; name: string; fallback?: string; offset: number };

export interface PlaceholderSyntaxError {
  offset: number;
  message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a string value into literal text and placeholders. `$${` is a literal `${`. */
export function parsePlaceholders(value: string): { segments: Segment[]; errors: PlaceholderSyntaxError[] } {
  const segments: Segment[] = [];
  const errors: PlaceholderSyntaxError[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!value.startsWith('${', i)) {
      text += value[i];
      i++;
      continue;
    }
    const close = value.indexOf('}', i + 2);
    if (close < 0) {
      errors.push({
        offset: i,
        message: "Unterminated placeholder: '${' has no closing '}'. Write $${ for a literal '${'.",
      });
      break;
    }
    const body = value.slice(i + 2, close);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      errors.push({
        offset: i,
        message:
          `'\${${body}}' is not a valid placeholder: write \${NAME} or \${NAME:-default}, where NAME has ` +
          "letters, digits and '_' and does not start with a digit. Write $${ for a literal '${'.",
      });
    } else {
      if (text) segments.push({ kind: 'text', text });
      text = '';
      segments.push({
        kind: 'placeholder',
        name,
        offset: i,
        ...(sep < 0 ? {} : { fallback: body.slice(sep + 2) }),
      });
    }
    i = close + 1;
  }
  if (text) segments.push({ kind: 'text', text });
  return { segments, errors };
}

type Lookup = { value: string; from: string } | undefined;

/**
 * `vars` first, then the environment. As in the shell and Docker Compose, `:-default` is used
 * when the variable is unset or empty.
 */
function lookup(
  name: string,
  fallback: string | undefined,
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
): Lookup {
  let found: Lookup;
  if (Object.hasOwn(vars, name)) found = { value: vars[name], from: "the 'vars' input" };
  else if (Object.hasOwn(env, name) && env[name] !== undefined)
    found = { value: env[name], from: 'the environment' };
  if (fallback !== undefined && (found === undefined || found.value === '')) {
    return { value: fallback, from: 'its default in the template' };
  }
  return found;
}

interface Substitution {
  vars: Record<string, string>;
  env: Record<string, string | undefined>;
  /** Reports a problem at the value at `path` (at `offset` in it), or at its key. */
  report(path: JsonPath, offset: number | undefined, message: string, atKey?: boolean): void;
}

/** A string with its placeholders filled in, and the variable of a whole-value placeholder. */
function fill(
  value: string,
  path: JsonPath,
  s: Substitution,
  atKey = false,
): { out: string; whole?: Lookup } {
  const { segments, errors } = parsePlaceholders(value);
  for (const e of errors) s.report(path, e.offset, e.message, atKey);
  let out = '';
  let last: Lookup;
  for (const segment of segments) {
    if (segment.kind === 'text') {
      out += segment.text;
      continue;
    }
    last = lookup(segment.name, segment.fallback, s.vars, s.env);
    if (last === undefined) {
      s.report(
        path,
        segment.offset,
        `Template variable '${segment.name}' is not set. Give it in the 'vars' input or the environment, ` +
          `or write \${${segment.name}:-default}.`,
        atKey,
      );
    } else {
      out += last.value;
    }
  }
  const whole = errors.length === 0 && segments.length === 1 && segments[0].kind === 'placeholder';
  return whole && last !== undefined ? { out, whole: last } : { out };
}

/** A string value with its placeholders filled in; a whole-value placeholder of a typed field is typed. */
function substituteString(value: string, path: JsonPath, s: Substitution): JsonValue {
  if (!value.includes('${')) return value;
  const { out, whole } = fill(value, path, s);
  if (!whole) return out;
  const { name, offset } = parsePlaceholders(value).segments[0] as Extract<Segment, { kind: 'placeholder' }>;
  const field = fieldPattern(path);
  if (NUMBER_FIELDS.has(field)) {
    if (/^-?\d+$/.test(out) && Number.isSafeInteger(Number(out))) return Number(out);
    s.report(
      path,
      offset,
      `${field} is a number, but template variable '${name}' (from ${whole.from}) is not a whole number.`,
    );
  } else if (BOOLEAN_FIELDS.has(field)) {
    if (out === 'true' || out === 'false') return out === 'true';
    s.report(
      path,
      offset,
      `${field} is a boolean, but template variable '${name}' (from ${whole.from}) is not 'true' or 'false'.`,
    );
  }
  return out;
}

const hasPlaceholder = (key: string): boolean => {
  const { segments, errors } = parsePlaceholders(key);
  return errors.length > 0 || segments.some((segment) => segment.kind === 'placeholder');
};

/**
 * An object with its keys and values substituted. The keys of a map-typed field (`dockerLabels`,
 * `logConfiguration.options`) are filled in like values; a field name is never substituted, so a
 * placeholder there is refused, as is a map key that becomes empty or equal to another key.
 * Problems name keys as written in the template, never as filled in (a variable may be secret).
 */
function substituteObject(value: JsonObject, path: JsonPath, s: Substitution): JsonObject {
  const isMap = shapeAt(path)?.kind === 'map';
  // Each key after substitution, and the key it was written as.
  const written = new Map<string, string>();
  const entries: [string, JsonValue][] = [];
  for (const [key, item] of Object.entries(value)) {
    const keyPath = [...path, key];
    let filled = key;
    if (isMap && key.includes('${')) {
      filled = fill(key, keyPath, s, true).out;
      if (filled === '')
        s.report(keyPath, undefined, `The key '${key}' is empty once its placeholders are filled in.`, true);
    } else if (!isMap && hasPlaceholder(key)) {
      s.report(
        keyPath,
        undefined,
        `'${key}' is a field name, and field names are never substituted: placeholders are filled in ` +
          'only in values and in the keys of maps such as dockerLabels or logConfiguration options. Write the field name itself.',
        true,
      );
    }
    const other = written.get(filled);
    if (other !== undefined) {
      s.report(
        keyPath,
        undefined,
        `The key '${key}' is the same as the key '${other}' once placeholders are filled in, so one would be lost; keep one.`,
        true,
      );
    }
    written.set(filled, key);
    // Paths keep the key as written: that is how the template file knows it.
    // fromEntries below, not assignment: a `__proto__` key stays a plain field.
    entries.push([filled, walk(item, keyPath, s)]);
  }
  return Object.fromEntries(entries);
}

function walk(value: JsonValue, path: JsonPath, s: Substitution): JsonValue {
  if (typeof value === 'string') return substituteString(value, path, s);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], s));
  if (isObject(value)) return substituteObject(value, path, s);
  return value;
}

/**
 * Replaces every placeholder in the template's string values and map keys and returns a new
 * document. Throws ProblemsError listing every unset variable, malformed placeholder, placeholder
 * in a field name, colliding map key and non-number/non-boolean value for a typed field, each
 * with its path, line and column. Values are never quoted in a problem: a variable may come
 * from a secret. The loader has bounded the document's depth, so the recursion is bounded too.
 */
/**
 * Fills the template's placeholders and returns every problem instead of throwing: a placeholder
 * that cannot be filled is left as written, so the rest of the definition can still be rendered
 * and validated and all problems reported in one round.
 */
export function fillPlaceholders(
  template: LoadedTemplate,
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
): { doc: JsonObject; problems: Problem[] } {
  const problems: Problem[] = [];
  const report: Substitution['report'] = (path, offset, message, atKey = false) => {
    const pos = atKey ? template.keyPositionOf(path) : template.positionOf(path, offset);
    problems.push({
      severity: 'error',
      message,
      path: formatPath(path),
      file: template.file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  };
  const doc = walk(template.doc, [], { vars, env, report }) as JsonObject;
  return { doc, problems };
}

/** fillPlaceholders, throwing every problem at once (ProblemsError). */
export function substitutePlaceholders(
  template: LoadedTemplate,
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
): JsonObject {
  const { doc, problems } = fillPlaceholders(template, vars, env);
  if (problems.length) throw new ProblemsError(problems);
  return doc;
}

/**
 * The process environment as placeholders see it: without the runner's and AWS's credentials,
 * which must never end up in a task definition (`${AWS_SECRET_ACCESS_KEY}` reads as unset).
 */
export const CREDENTIAL_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'GITHUB_TOKEN',
]);

export function placeholderEnvironment(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !CREDENTIAL_VARIABLES.has(name)));
}
