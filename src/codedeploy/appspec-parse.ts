// The AppSpec's text parsed as the official deploy action parses it: YAML for every file, whatever
// its extension (YAML reads JSON too, so a `.json` AppSpec with a trailing comma or YAML text in
// it is accepted exactly when the official action accepts it), with YAML 1.2's default options
// (no merge keys, a repeated key is an error). Unlike task-definition templates, which hold a
// `.json` file to strict JSON, an AppSpec must not stop a migrated workflow that the official
// action ran. Every value keeps its line so later problems can name it.

import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { isObject, type JsonObject, type JsonPath } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import { filePositions, type Position, type TemplateText } from '../taskdef/file-positions.js';
import { SELF_ALIAS_MESSAGE, tooDeepAlias, tooDeepInText, TOO_DEEP_MESSAGE } from '../taskdef/nesting.js';
import { nonJsonValues, syntaxProblem } from '../taskdef/syntax-problems.js';

export type ParsedAppSpec =
  | { doc: JsonObject; positionOf: (path: JsonPath) => Position | undefined; problems: Problem[] }
  | { doc?: undefined; problems: Problem[] };

/** What an AppSpec for ECS holds, said when the file holds something else. */
const SHAPE =
  'an ECS AppSpec is a mapping with the sections version, Resources and Hooks (see "CodeDeploy blue/green" in the README)';

/** Parses an AppSpec's text; every problem is returned (warnings too), never thrown. */
export function parseAppSpecText(text: string, file: string): ParsedAppSpec {
  // A byte-order mark is invisible in editors and carries no meaning.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const template: TemplateText = {
    file,
    source,
    format: 'yaml',
    at: (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
    problem: (message, pos) => ({
      severity: 'error',
      message,
      file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    }),
  };
  // First, and without recursion: everything after this recurses.
  const deep = tooDeepInText(source);
  if (deep) return { problems: [template.problem(TOO_DEEP_MESSAGE, deep)] };

  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = document.errors.map((e) => syntaxProblem(e, template, document));
  const warnings = document.warnings.map((w) => yamlWarning(w, template));
  const deepAlias = problems.length === 0 ? tooDeepAlias(document) : undefined;
  if (deepAlias) {
    const message = deepAlias.selfReference ? SELF_ALIAS_MESSAGE : TOO_DEEP_MESSAGE;
    problems.push(template.problem(message, template.at(deepAlias.offset)));
  }
  if (problems.length) return { problems: [...problems, ...warnings] };

  let raw: unknown;
  try {
    // The alias limit stops a "billion laughs" file from expanding without bound.
    raw = document.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { problems: [template.problem(`Invalid YAML: ${(e as Error).message}`, undefined)] };
  }
  if (!isObject(raw)) return { problems: [notAMapping(raw, document, template)] };
  const { positionOf } = filePositions(document, raw, template);
  const nonJson = nonJsonValues(raw, template, positionOf);
  if (nonJson.length) return { problems: [...nonJson, ...warnings] };
  return { doc: raw, positionOf: (path) => positionOf(path), problems: warnings };
}

/**
 * A YAML warning (an unresolved tag such as `!Ref`): the official action's parser only logs it and
 * reads the value as plain text, so here it is a warning at its line, and the value is read the same.
 */
function yamlWarning(w: YAMLError, template: TemplateText): Problem {
  return {
    ...template.problem(
      `YAML warning: ${w.message}. The value is read as plain text, as the official deploy action reads it; tags are not evaluated.`,
      template.at(w.pos[0]),
    ),
    severity: 'warning',
  };
}

/** An empty file, a list or a single value, said as what the AppSpec must be instead. */
function notAMapping(raw: unknown, document: Document, template: TemplateText): Problem {
  const what = raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list' : 'a single value';
  const start = raw === null || raw === undefined ? undefined : document.contents?.range?.[0];
  return template.problem(
    `The AppSpec file is ${what}, but ${SHAPE}.`,
    start === undefined ? undefined : template.at(start),
  );
}
