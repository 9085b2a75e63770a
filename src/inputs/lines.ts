// Multi-line inputs: `NAME=value` pairs (environment-variables, secrets, docker-labels,
// log-configuration-options, vars, images) and plain lists (env-files). One syntax for all of
// them so the README documents it once. Messages start with `line N:` and never repeat a value,
// because environment values and secrets may be sensitive; names are not, so they are quoted.

/** A non-blank, non-comment line of a multi-line input, numbered from 1. */
export interface InputLine {
  line: number;
  text: string;
}

export interface PairLine {
  line: number;
  name: string;
  value: string;
}

export interface RemoveLine {
  line: number;
  name: string;
}

export interface ParsedPairs {
  set: PairLine[];
  remove: RemoveLine[];
  /** Messages, each starting with `line N:`. */
  problems: string[];
}

export interface PairSyntax {
  /** How a line looks, for messages: `NAME=value`, `NAME=valueFrom`, `container=image`. */
  form: string;
  /** What a name is, for messages: `variable`, `secret`, `label`, `option`, `container`. */
  noun: string;
  /** Whether `-NAME` lines remove a name. */
  allowRemove: boolean;
  /** Extra rule for names (after the non-empty and no-whitespace checks): a reason, or undefined. */
  nameProblem?: (name: string) => string | undefined;
}

/**
 * The meaningful lines of a multi-line input. `getInput` has trimmed the whole value, so line 1
 * is the first non-blank line the user wrote; blank lines and `#` comments are skipped but still
 * counted, so the numbers match what the user sees in the workflow file.
 */
export function meaningfulLines(text: string): InputLine[] {
  if (text === '') return [];
  const out: InputLine[] = [];
  // CRLF, LF and a lone CR (old Mac editors, some copy-paste paths) all end a line: otherwise
  // `A=1<CR>B=2` would silently be one variable A with the value `1<CR>B=2`.
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    out.push({ line: index + 1, text: trimmed });
  });
  return out;
}

/**
 * A value wrapped in matching single or double quotes loses them, so leading or trailing spaces
 * can be kept (`A=' padded '`) and values can be written as in a shell. Nothing inside is
 * unescaped: the quotes only have to be the first and last characters.
 */
export function unquote(value: string): string {
  if (value.length >= 2) {
    const first = value[0];
    if ((first === '"' || first === "'") && value[value.length - 1] === first) return value.slice(1, -1);
  }
  return value;
}

/**
 * `NAME=value` lines. The value is everything after the FIRST `=` (values containing `=` stay
 * whole), trimmed, then unquoted. The name is trimmed and must not be empty or contain
 * whitespace. `-NAME` removes NAME where the input allows it. A name given twice (set or removed)
 * is an error naming both lines: silently letting the last one win hides typos.
 */
export function parsePairs(text: string, syntax: PairSyntax): ParsedPairs {
  const result: ParsedPairs = { set: [], remove: [], problems: [] };
  const firstLine = new Map<string, number>();
  const removeForm = syntax.allowRemove ? ` or -${syntax.form.split('=')[0]}` : '';

  const checkName = (line: number, name: string): boolean => {
    if (name === '') {
      result.problems.push(`line ${line}: the ${syntax.noun} name is empty.`);
      return false;
    }
    if (/\s/.test(name)) {
      result.problems.push(`line ${line}: the ${syntax.noun} name "${name}" contains whitespace.`);
      return false;
    }
    const reason = syntax.nameProblem?.(name);
    if (reason) {
      result.problems.push(`line ${line}: ${reason}`);
      return false;
    }
    const earlier = firstLine.get(name);
    if (earlier !== undefined) {
      result.problems.push(
        `line ${line}: ${syntax.noun} "${name}" is also given on line ${earlier}; give each ${syntax.noun} once.`,
      );
      return false;
    }
    firstLine.set(name, line);
    return true;
  };

  for (const { line, text: lineText } of meaningfulLines(text)) {
    if (syntax.allowRemove && lineText.startsWith('-')) {
      if (lineText.includes('=')) {
        result.problems.push(
          `line ${line}: a removal line is -${syntax.form.split('=')[0]} alone, without "=".`,
        );
        continue;
      }
      const name = lineText.slice(1).trim();
      if (name === '') {
        result.problems.push(
          `line ${line}: "-" must be followed by the name of the ${syntax.noun} to remove.`,
        );
        continue;
      }
      if (checkName(line, name)) result.remove.push({ line, name });
      continue;
    }
    const eq = lineText.indexOf('=');
    if (eq === -1) {
      result.problems.push(`line ${line}: expected ${syntax.form}${removeForm}, but the line has no "=".`);
      continue;
    }
    const name = lineText.slice(0, eq).trim();
    if (checkName(line, name)) result.set.push({ line, name, value: unquote(lineText.slice(eq + 1).trim()) });
  }
  return result;
}

export interface ParsedList {
  add: InputLine[];
  remove: InputLine[];
  problems: string[];
}

/** One item per line (env-files); `-item` removes; an item given twice is an error naming both lines. */
export function parseList(text: string, noun: string): ParsedList {
  const result: ParsedList = { add: [], remove: [], problems: [] };
  const firstLine = new Map<string, number>();
  for (const { line, text: lineText } of meaningfulLines(text)) {
    const removing = lineText.startsWith('-');
    const item = removing ? lineText.slice(1).trim() : lineText;
    if (item === '') {
      result.problems.push(`line ${line}: "-" must be followed by the ${noun} to remove.`);
      continue;
    }
    const earlier = firstLine.get(item);
    if (earlier !== undefined) {
      result.problems.push(
        `line ${line}: this ${noun} is also given on line ${earlier}; give each ${noun} once.`,
      );
      continue;
    }
    firstLine.set(item, line);
    (removing ? result.remove : result.add).push({ line, text: item });
  }
  return result;
}
