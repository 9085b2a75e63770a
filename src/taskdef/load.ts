// Loads a task-definition template (JSON or YAML) into plain JSON and keeps a map back to the
// file, so every later problem (a placeholder, a validation rule) can name its line and column.
// Both formats go through the `yaml` parser for positions; JSON is also held to strict JSON,
// because a `.json` file that only YAML accepts (trailing commas, comments) would surprise
// every other tool that reads it.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml';
import { ProblemsError, type Problem } from '../lib/problems.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { SELF_ALIAS_MESSAGE, tooDeepAlias, tooDeepInText, TOO_DEEP_MESSAGE } from './nesting.js';
import { isDescribeOutput, normalizeTaskDefinition } from '../lib/taskdef-shape.js';
import { formatPath, isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface LoadedTemplate {
  file: string;
  format: 'json' | 'yaml';
  /** The normalised task definition: describe output unwrapped, read-only fields stripped. */
  doc: JsonObject;
  /**
   * Where the value at `path` (a path into `doc`) is in the file; undefined for a path the file
   * does not have. `offset`, a character offset into a string value, moves the position to that
   * character when the string is written in the file without escapes or line folding.
   */
  positionOf(path: JsonPath, offset?: number): Position | undefined;
  /**
   * Where the key of the mapping entry at `path` is written, for problems with a key itself (an
   * unknown field name, a placeholder in a key); the value's position when `path` ends in a list
   * index, undefined for a path the file does not have.
   */
  keyPositionOf(path: JsonPath): Position | undefined;
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`; otherwise JSON when the text starts like a JSON object. */
function formatOf(text: string, file: string): 'json' | 'yaml' {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (!text.trimStart().startsWith('{')) return 'yaml';
  // `{a: 1}` is YAML flow style: sniff as JSON only when it really is JSON.
  return findJsonSyntaxError(text) ? 'yaml' : 'json';
}

/** Parses a template's text. Throws ProblemsError naming file, line and column for any syntax error. */
export function parseTemplate(text: string, file: string): LoadedTemplate {
  // A byte-order mark is invisible in editors and breaks JSON.parse; it carries no meaning.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const problem = (message: string, pos: Position | undefined): Problem => ({
    severity: 'error',
    message,
    file,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  });
  // First, and without recursion: everything after this (format sniffing included) recurses.
  const deep = tooDeepInText(source);
  if (deep) throw new ProblemsError([problem(TOO_DEEP_MESSAGE, deep)]);

  const format = formatOf(source, file);
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  // Merge keys (`<<: *defaults`) are a common YAML idiom for several similar containers.
  const document = parseDocument(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: format === 'yaml',
  });

  let raw: unknown;
  const problems: Problem[] = [];
  if (format === 'json') {
    const syntax = findJsonSyntaxError(source);
    if (syntax) {
      // The YAML parser ran over the whole text, so the line counter knows every line start.
      throw new ProblemsError([problem(`Invalid JSON: ${syntax.message}`, at(syntax.offset))]);
    }
    raw = JSON.parse(source);
    // JSON.parse keeps the last of two equal keys without a word; the YAML parser reports them.
    for (const e of document.errors) {
      if (e.code === 'DUPLICATE_KEY') problems.push(yamlProblem(e, source, 'JSON', problem, at));
    }
  } else {
    // Warnings are errors here: an unresolved tag such as `!Ref` means the author expected
    // processing that this action does not do, and the value would be silently wrong.
    for (const e of [...document.errors, ...document.warnings])
      problems.push(yamlProblem(e, source, 'YAML', problem, at, document));
    const deepAlias = problems.length === 0 ? tooDeepAlias(document) : undefined;
    if (deepAlias) {
      const message = deepAlias.selfReference ? SELF_ALIAS_MESSAGE : TOO_DEEP_MESSAGE;
      problems.push(problem(message, at(deepAlias.offset)));
    }
    if (problems.length === 0) {
      try {
        // The alias limit stops a "billion laughs" file from expanding without bound.
        raw = document.toJS({ maxAliasCount: 1000 });
      } catch (e) {
        problems.push(problem(`Invalid YAML: ${(e as Error).message}`, undefined));
      }
    }
  }
  if (problems.length) throw new ProblemsError(problems);

  const contents = document.contents;
  if (!isObject(raw)) {
    const what =
      raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list' : 'a single value';
    throw new ProblemsError([
      problem(
        `The task definition must be a mapping of fields (like {"family": ..., "containerDefinitions": [...]}), but the file is ${what}.`,
        contents ? at(contents.range[0]) : undefined,
      ),
    ]);
  }

  const doc = normalizeTaskDefinition(raw);
  const positionOf = makePositionOf(document, source, raw, at);
  const keyPositionOf = (path: JsonPath): Position | undefined => {
    const found = findNode(document, filePathOf(raw, path));
    return found?.keyStart === undefined ? positionOf(path) : at(found.keyStart);
  };
  if (format === 'yaml') problems.push(...nonJsonValues(doc, [], positionOf, problem));
  if (problems.length) throw new ProblemsError(problems);

  return { file, format, doc, positionOf, keyPositionOf };
}

function yamlProblem(
  e: YAMLError,
  source: string,
  format: string,
  problem: (message: string, pos: Position | undefined) => Problem,
  at: (offset: number) => Position,
  document?: Document,
): Problem {
  const unclosed = document ? unclosedQuoteStart(e, document) : undefined;
  if (unclosed) {
    // The parser notices a missing closing quote only at the end of the file; the fix goes where
    // the string opens, as for JSON.
    const which = unclosed.quote === '"' ? 'double' : 'single';
    return problem(
      `Invalid ${format}: Unterminated string: it has no closing ${which} quote.`,
      at(unclosed.offset),
    );
  }
  return problem(`Invalid ${format}: ${yamlErrorMessage(e, source)}`, at(e.pos[0]));
}

/** The parser's message, said in terms of what to change. */
function yamlErrorMessage(e: YAMLError, source: string): string {
  if (e.code === 'DUPLICATE_KEY') {
    // The error marks where the repeated key starts; read the key from there.
    const m = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n]+))/.exec(source.slice(e.pos[0], e.pos[0] + 300));
    const key = (m?.[1] ?? m?.[2] ?? m?.[3])?.trim();
    return `The key ${key ? `'${key}' ` : ''}appears twice in the same mapping; keep one.`;
  }
  if (e.code === 'TAG_RESOLVE_FAILED') {
    // Usually a CloudFormation habit (`!Ref`, `!Sub`): nothing here would evaluate it.
    return `${e.message}. Templates are plain YAML and tags are not evaluated; use a \${VAR} placeholder (filled from the vars input or the environment) instead.`;
  }
  return e.message;
}

/** Where the quoted scalar that a `Missing closing "quote` error is about opens. */
function unclosedQuoteStart(e: YAMLError, document: Document): { offset: number; quote: string } | undefined {
  const missing = /^Missing closing (["'])quote/.exec(e.message);
  if (e.code !== 'MISSING_CHAR' || !missing) return undefined;
  const quote = missing[1];
  let found: number | undefined;
  visit(document, {
    Scalar(_key, node) {
      const type = quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      // The unterminated scalar runs to where the error is reported; the last such one wins.
      if (node.type === type && node.range && node.range[1] === e.pos[0]) found = node.range[0];
    },
  });
  return found === undefined ? undefined : { offset: found, quote };
}

/**
 * YAML can say things JSON cannot (`.inf`, `.nan`); the ECS API would reject or mangle them,
 * so they are errors at their line.
 */
function nonJsonValues(
  value: JsonValue,
  path: JsonPath,
  positionOf: (path: JsonPath) => Position | undefined,
  problem: (message: string, pos: Position | undefined) => Problem,
  problems: Problem[] = [],
): Problem[] {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    problems.push({
      ...problem(
        'JSON has no infinite or NaN numbers (YAML .inf, .nan); write a finite number.',
        positionOf(path),
      ),
      path: formatPath(path),
    });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nonJsonValues(item, [...path, i], positionOf, problem, problems));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value))
      nonJsonValues(item, [...path, key], positionOf, problem, problems);
  }
  return problems;
}

/** Maps a path into the normalised doc to the same value's path in the file. */
function filePathOf(raw: JsonObject, path: JsonPath): JsonPath {
  if (!isDescribeOutput(raw)) return path;
  if (path[0] === 'tags' && 'tags' in raw) return path;
  return ['taskDefinition', ...path];
}

function makePositionOf(
  document: Document,
  source: string,
  raw: JsonObject,
  at: (offset: number) => Position,
): (path: JsonPath, offset?: number) => Position | undefined {
  return (path, offset) => {
    const found = findNode(document, filePathOf(raw, path));
    if (!found) return undefined;
    const { node, keyStart } = found;
    // Parsed nodes always have a range; `key:` with no value has no node, so point at the key.
    const empty = !node?.range || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
    if (empty || !node?.range) return keyStart === undefined ? undefined : at(keyStart);
    const range = node.range;
    const start = range[0];
    if (offset !== undefined && offset >= 0 && isScalar(node) && typeof node.value === 'string') {
      // Only when the characters in the file are the characters of the value, one for one.
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted || node.type === 'PLAIN') {
        const textStart = quoted ? start + 1 : start;
        const written = source.slice(textStart, quoted ? range[1] - 1 : range[1]);
        if (written === node.value && offset <= written.length) return at(textStart + offset);
      }
    }
    return at(start);
  };
}

interface Found {
  node: YamlNode | null;
  /** Offset of the key, for a mapping entry whose value is empty. */
  keyStart?: number;
}

function findNode(document: Document, path: JsonPath): Found | undefined {
  let current: Found = { node: document.contents };
  for (const part of path) {
    const node = resolve(document, current.node);
    if (typeof part === 'number' && isSeq(node)) {
      const item = node.items[part] as YamlNode | undefined;
      if (item === undefined) return undefined;
      current = { node: item };
    } else if (typeof part === 'string' && isMap(node)) {
      const next = findInMap(document, node, part, 0);
      if (!next) return undefined;
      current = next;
    } else {
      return undefined;
    }
  }
  return { ...current, node: resolve(document, current.node) };
}

function resolve(document: Document, node: YamlNode | null): YamlNode | null {
  // An alias's value is written at its anchor; that is where a fix goes.
  return isAlias(node) ? ((node.resolve(document) as YamlNode | undefined) ?? null) : node;
}

function findInMap(document: Document, map: YamlNode, key: string, depth: number): Found | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  const merges: YamlNode[] = [];
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) && typeof k.value === 'symbol') {
      // `<<: *a` or `<<: [*a, *b]`; own keys win over merged ones, earlier sources over later.
      const value = resolve(document, pair.value as YamlNode | null);
      if (isSeq(value))
        merges.push(
          ...value.items.map((item) => resolve(document, item as YamlNode)).filter((n) => n !== null),
        );
      else if (value) merges.push(value);
      continue;
    }
    if (isScalar(k) && String(k.value ?? '') === key) {
      return { node: (pair.value as YamlNode | null) ?? null, keyStart: k.range?.[0] };
    }
  }
  for (const source of merges) {
    const found = findInMap(document, source, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Reads and parses a template. A missing or unreadable file is a problem of the `task-definition` input. */
export async function loadTemplate(file: string): Promise<LoadedTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read: permission denied'
            : `cannot be read (${code ?? (e as Error).message})`;
    throw new ProblemsError([
      {
        severity: 'error',
        input: 'task-definition',
        message: `The task definition file '${file}' ${reason}. Give a path relative to the workspace.`,
      },
    ]);
  }
  return parseTemplate(text, file);
}
