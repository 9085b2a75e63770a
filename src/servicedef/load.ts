// Loads a service definition file (JSON or YAML, in the CreateService shape) the way templates of
// task definitions are loaded (src/taskdef/load.ts): strict JSON or YAML, every value mapped back
// to its line and column, `${NAME}` placeholders filled from `vars` and the environment. The
// output of `aws ecs describe-services` for one service is accepted too: its `services[0]` is
// unwrapped and the runtime state and read-only fields are stripped.

import { readFile } from 'node:fs/promises';
import { formatPath, isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import { ProblemsError, type Problem } from '../lib/problems.js';
import { parseTemplate, type LoadedTemplate, type Position } from '../taskdef/load.js';
import { fieldPattern, fillPlaceholders } from '../taskdef/placeholders.js';
import { BOOLEAN_FIELDS, NUMBER_FIELDS, READ_ONLY_SERVICE_FIELDS } from './fields.js';

export const SERVICE_DEFINITION_INPUT = 'service-definition';

/** A service definition as loaded: the CreateService fields, with placeholders filled. */
export interface ServiceDefinition {
  file: string;
  /** The CreateService fields (describe output unwrapped, read-only fields stripped). */
  doc: JsonObject;
  /** Where the value at `path` (a path into `doc`) is written in the file. */
  positionOf(path: JsonPath): Position | undefined;
  /** Where the key of the entry at `path` is written (for an unknown field name). */
  keyPositionOf(path: JsonPath): Position | undefined;
}

export interface LoadedServiceDefinition {
  /** Undefined when the file cannot be read or parsed. */
  definition?: ServiceDefinition;
  problems: Problem[];
  /** Placeholders were left unfilled: the fields that hold them are not what would be sent. */
  unresolved: boolean;
}

/** Reads, parses and fills a service definition; every problem is returned, never thrown. */
export async function loadServiceDefinition(
  file: string,
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
): Promise<LoadedServiceDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`;
    const message = `The service definition file '${file}' ${reason}. Give a path relative to the workspace.`;
    return { problems: [{ severity: 'error', input: SERVICE_DEFINITION_INPUT, message }], unresolved: false };
  }
  let template: LoadedTemplate;
  try {
    template = unwrapped(parseTemplate(text, file));
  } catch (err) {
    if (err instanceof ProblemsError) return { problems: ofTheFile(err.problems), unresolved: false };
    throw err;
  }
  const filled = fillPlaceholders(template, vars, env);
  const doc = filled.doc;
  const problems = ofTheFile(filled.problems);
  const typed = typePlaceholders(template.doc, doc) as JsonObject;
  const definition: ServiceDefinition = {
    file,
    doc: typed,
    positionOf: (path) => template.positionOf(path),
    keyPositionOf: (path) => template.keyPositionOf(path),
  };
  return { definition, problems, unresolved: problems.length > 0 };
}

/**
 * The template with describe-services output unwrapped (`{services: [one], failures: []}`) and
 * the read-only fields stripped; positions still point into the file as written.
 */
export function unwrapped(template: LoadedTemplate): LoadedTemplate {
  const raw = template.doc;
  const wrapped = Array.isArray(raw.services) && raw.services.length === 1 && isObject(raw.services[0]);
  const prefix: JsonPath = wrapped ? ['services', 0] : [];
  const inner = wrapped ? (raw.services as JsonObject[])[0] : raw;
  const doc = Object.fromEntries(
    Object.entries(inner).filter(([key]) => !READ_ONLY_SERVICE_FIELDS.includes(key)),
  ) as JsonObject;
  // describe-services writes the role as `roleArn`; CreateService takes it as `role`.
  // The service-linked role ECS shows for every service is not one to set: leave it out.
  const serviceLinked = typeof inner.roleArn === 'string' && /:role\/aws-service-role\//.test(inner.roleArn);
  const renamed = typeof inner.roleArn === 'string' && doc.role === undefined && !serviceLinked;
  if (renamed) doc.role = inner.roleArn;
  if (doc.cluster === undefined && typeof inner.clusterArn === 'string') doc.cluster = inner.clusterArn;
  const fileKey = (path: JsonPath): JsonPath => {
    const [first, ...rest] = path;
    if (first === 'role' && renamed) return [...prefix, 'roleArn', ...rest];
    if (first === 'cluster' && inner.cluster === undefined) return [...prefix, 'clusterArn', ...rest];
    return [...prefix, ...path];
  };
  return {
    ...template,
    doc,
    positionOf: (path, offset) => template.positionOf(fileKey(path), offset),
    keyPositionOf: (path) => template.keyPositionOf(fileKey(path)),
  };
}

/** A whole-value placeholder (`desiredCount: ${COUNT}`) of a number or boolean field gets its type. */
function typePlaceholders(raw: JsonValue, filled: JsonValue, path: JsonPath = []): JsonValue {
  if (Array.isArray(raw) && Array.isArray(filled)) {
    return filled.map((item, i) => typePlaceholders(raw[i] ?? null, item, [...path, i]));
  }
  if (isObject(raw) && isObject(filled)) {
    const entries = Object.entries(filled).map(([k, v]) => [
      k,
      typePlaceholders(raw[k] ?? null, v, [...path, k]),
    ]);
    return Object.fromEntries(entries) as JsonObject;
  }
  if (typeof raw !== 'string' || typeof filled !== 'string' || !/^\$\{[^}]+\}$/.test(raw)) return filled;
  const field = fieldPattern(path);
  if (NUMBER_FIELDS.has(field) && /^-?\d+$/.test(filled)) return Number(filled);
  if (BOOLEAN_FIELDS.has(field) && (filled === 'true' || filled === 'false')) return filled === 'true';
  return filled;
}

/** A problem at `path` of the file, placed at its value (or its key, for a field name). */
export function problemAt(
  definition: ServiceDefinition,
  path: JsonPath,
  message: string,
  options: { severity?: 'error' | 'warning'; atKey?: boolean } = {},
): Problem {
  const pos = options.atKey ? definition.keyPositionOf(path) : definition.positionOf(path);
  return {
    severity: options.severity ?? 'error',
    message,
    input: SERVICE_DEFINITION_INPUT,
    path: formatPath(path),
    file: definition.file,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}

/** The loader's problems, said of the service definition (not of the task definition). */
function ofTheFile(problems: Problem[]): Problem[] {
  return problems.map((p) => ({ input: SERVICE_DEFINITION_INPUT, ...p }));
}
