// What an input's parser is given: the trimmed values of every input, the request built by the
// inputs before it in the table, the step's Region, and a place to report problems. Parsers
// report instead of throwing, so that every problem of every input comes out in one list.

import type { Problem } from '../lib/problems.js';
import type { DeployRequest, KeyValueChanges } from '../lib/request.js';
import { parsePairs, type PairSyntax, type ParsedPairs } from './lines.js';
import type { InputName } from './table.js';

export interface ParseOptions {
  /**
   * The Region the step runs in (`resolveRegion` in src/aws/clients.ts), when the caller knows
   * it. ARNs of another Region are refused only when it is given.
   */
  region?: string;
}

export interface ParseContext {
  /** The input being parsed. */
  readonly input: InputName;
  /** Any input's value as given, trimmed; '' when unset (no default applied). */
  raw(name: InputName): string;
  /** What the inputs before this one in the table have produced. */
  readonly request: Readonly<Partial<DeployRequest>>;
  readonly options: ParseOptions;
  /** Reports a problem with this input. */
  fail(message: string): void;
  /** A warning about this input: the step goes on (e.g. a value the official action ignores too). */
  warn(message: string): void;
  /** Reports a problem with another input (a rule that ties two inputs together). */
  failOn(input: InputName, message: string): void;
}

/** Turns an input's problems into action problems, in the order they are reported. */
export function problemCollector(problems: Problem[]): (input: InputName, message: string) => void {
  return (input, message) => problems.push({ severity: 'error', input, message });
}

/** `a`, `a or b`, `a, b or c`. */
export function oneOf(values: readonly string[], last = 'or'): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} ${last} ${values.at(-1)}`;
}

/** true / false in any letter case; undefined when empty or wrong (reported). */
export function parseBoolean(value: string, ctx: ParseContext): boolean | undefined {
  if (value === '') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  ctx.fail(`"${value}" is not a boolean; use true or false.`);
  return undefined;
}

/** One of `allowed`, matched in any letter case and returned in its canonical spelling. */
export function parseEnum<T extends string>(
  value: string,
  allowed: readonly T[],
  ctx: ParseContext,
): T | undefined {
  if (value === '') return undefined;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) ctx.fail(`"${value}" is not valid; use ${oneOf(allowed)}.`);
  return found;
}

/** A multi-line NAME=value input; its `line N: …` problems are reported as they are. */
export function parsePairsInput(value: string, syntax: PairSyntax, ctx: ParseContext): ParsedPairs {
  const parsed = parsePairs(value, syntax);
  for (const message of parsed.problems) ctx.fail(message);
  return parsed;
}

export function toChanges(parsed: ParsedPairs): KeyValueChanges {
  return {
    set: parsed.set.map(({ name, value }) => ({ name, value })),
    remove: parsed.remove.map(({ name }) => name),
  };
}

/**
 * An input's parser: its value (trimmed, action.yml default applied) → its part of the request.
 * Problems go to `ctx`; the returned part is merged into the request in table order.
 */
export type InputParser = (value: string, ctx: ParseContext) => Partial<DeployRequest>;
