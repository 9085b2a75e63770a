// Loads a task-definition template (JSON or YAML) into plain JSON and keeps a map back to the
// file, so every later problem (a placeholder, a validation rule) can name its line and column.
// Both formats go through the `yaml` parser for positions; JSON is also held to strict JSON,
// because a `.json` file that only YAML accepts (trailing commas, comments) would surprise
// every other tool that reads it.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ProblemsError, type Problem } from '../lib/problems.js';
import { filePositions, type Position, type TemplateText } from './file-positions.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { SELF_ALIAS_MESSAGE, tooDeepAlias, tooDeepInText, TOO_DEEP_MESSAGE } from './nesting.js';
import { nonJsonValues, syntaxProblem } from './syntax-problems.js';
import { normalizeTaskDefinition } from '../lib/taskdef-shape.js';
import { isObject, type JsonObject, type JsonPath } from '../lib/json.js';

export type { Position } from './file-positions.js';

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
  const template: TemplateText = { file, source, format, at, problem };

  // Merge keys (`<<: *defaults`) are a common YAML idiom for several similar containers.
  const document = parseDocument(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: format === 'yaml',
  });
  const raw = requireMapping(
    format === 'json' ? readJson(document, template) : readYaml(document, template),
    document,
    template,
  );

  const doc = normalizeTaskDefinition(raw);
  const { positionOf, keyPositionOf } = filePositions(document, raw, template);
  if (format === 'yaml') {
    const problems = nonJsonValues(doc, template, positionOf);
    if (problems.length) throw new ProblemsError(problems);
  }
  return { file, format, doc, positionOf, keyPositionOf };
}

/** The value of a `.json` text, held to strict JSON. */
function readJson(document: Document.Parsed, template: TemplateText): unknown {
  const syntax = findJsonSyntaxError(template.source);
  if (syntax) {
    // The YAML parser ran over the whole text, so the line counter knows every line start.
    const pos = template.at(syntax.offset);
    throw new ProblemsError([template.problem(`Invalid JSON: ${syntax.message}`, pos)]);
  }
  const raw: unknown = JSON.parse(template.source);
  // JSON.parse keeps the last of two equal keys without a word; the YAML parser reports them.
  const problems = document.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => syntaxProblem(e, template, document));
  if (problems.length) throw new ProblemsError(problems);
  return raw;
}

/** The value of a YAML text, when it has no errors, no warnings and no alias nested too deep. */
function readYaml(document: Document.Parsed, template: TemplateText): unknown {
  // Warnings are errors here: an unresolved tag such as `!Ref` means the author expected
  // processing that this action does not do, and the value would be silently wrong.
  const problems = [...document.errors, ...document.warnings].map((e) =>
    syntaxProblem(e, template, document),
  );
  const deepAlias = problems.length === 0 ? tooDeepAlias(document) : undefined;
  if (deepAlias) {
    const message = deepAlias.selfReference ? SELF_ALIAS_MESSAGE : TOO_DEEP_MESSAGE;
    problems.push(template.problem(message, template.at(deepAlias.offset)));
  }
  let raw: unknown;
  if (problems.length === 0) {
    try {
      // The alias limit stops a "billion laughs" file from expanding without bound.
      raw = document.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      problems.push(template.problem(`Invalid YAML: ${(e as Error).message}`, undefined));
    }
  }
  if (problems.length) throw new ProblemsError(problems);
  return raw;
}

/** `raw` when the file holds a mapping of fields; anything else is a problem at where it starts. */
function requireMapping(raw: unknown, document: Document.Parsed, template: TemplateText): JsonObject {
  if (isObject(raw)) return raw;
  const what = raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list' : 'a single value';
  const contents = document.contents;
  throw new ProblemsError([
    template.problem(
      `The task definition must be a mapping of fields (like {"family": ..., "containerDefinitions": [...]}), but the file is ${what}.`,
      contents ? template.at(contents.range[0]) : undefined,
    ),
  ]);
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
