// The problems a template's syntax can have, said in terms of what to change: the YAML parser's
// errors and warnings (for JSON too, which it parses for positions), and the values YAML can
// write that JSON has no words for.

import { visit, type Document, type YAMLError } from 'yaml';
import type { Problem } from '../lib/problems.js';
import { formatPath, isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import type { Position, TemplateText } from './file-positions.js';

/** A YAML parser error or warning as a problem at its line; `document` is what it was parsing. */
export function syntaxProblem(e: YAMLError, text: TemplateText, document: Document): Problem {
  const format = text.format === 'json' ? 'JSON' : 'YAML';
  const unclosed = text.format === 'yaml' ? unclosedQuoteStart(e, document) : undefined;
  if (unclosed) {
    // The parser notices a missing closing quote only at the end of the file; the fix goes where
    // the string opens, as for JSON.
    const which = unclosed.quote === '"' ? 'double' : 'single';
    return text.problem(
      `Invalid ${format}: Unterminated string: it has no closing ${which} quote.`,
      text.at(unclosed.offset),
    );
  }
  return text.problem(`Invalid ${format}: ${yamlErrorMessage(e, text.source)}`, text.at(e.pos[0]));
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
export function nonJsonValues(
  doc: JsonObject,
  text: TemplateText,
  positionOf: (path: JsonPath) => Position | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const visitValue = (value: JsonValue, path: JsonPath): void => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push({
        ...text.problem(
          'JSON has no infinite or NaN numbers (YAML .inf, .nan); write a finite number.',
          positionOf(path),
        ),
        path: formatPath(path),
      });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visitValue(item, [...path, i]));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) visitValue(item, [...path, key]);
    }
  };
  visitValue(doc, []);
  return problems;
}
