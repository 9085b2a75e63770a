// Finds the first syntax error in a JSON text and where it is. `JSON.parse` tells us that a
// file is bad, but on Node 20 some of its messages carry no position at all (and quote a
// slice of the file instead), so a template author could not be pointed at the line.
// It builds no value, and it stops at MAX_NESTING levels, so a file nested thousands of levels
// deep is an error at the line and column where it goes too deep, never a stack overflow.

import { MAX_NESTING, TOO_DEEP_MESSAGE } from './nesting.js';

export interface JsonSyntaxError {
  /** 0-based offset into the text. */
  offset: number;
  message: string;
}

class Failure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error in `text`, or undefined when it is valid JSON (RFC 8259). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  // Lists and objects open around the current position.
  let depth = 0;

  const fail = (message: string, at = i): never => {
    throw new Failure(at, message);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : `'${text[at]}'`);

  const parseString = (): void => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('Unterminated string: it has no closing double quote.', start);
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('Invalid \\u escape: it needs exactly four hex digits.');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail(`Invalid escape '\\${e ?? ''}' in a string.`);
        }
        continue;
      }
      if (c < ' ') fail('Control character in a string: write \\n, \\t or \\uXXXX instead.');
      i++;
    }
  };

  const parseNumber = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('Invalid number.');
    i += match![0].length;
    // `01` or `1.` leave a digit or dot behind; report it rather than a confusing "expected ','".
    if (i < text.length && /[0-9.eE+-]/.test(text[i])) fail('Invalid number.');
  };

  const parseValue = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === '"') return parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") fail('Strings must use double quotes, not single quotes.');
    fail(`Expected a value but found ${describe(i)}.`);
  };

  const enter = (): void => {
    if (++depth > MAX_NESTING) fail(TOO_DEEP_MESSAGE);
    i++; // { or [
    skipSpace();
  };
  const leave = (): void => {
    depth--;
    i++; // } or ]
  };

  const parseObject = (): void => {
    enter();
    if (text[i] === '}') return leave();
    for (;;) {
      skipSpace();
      if (text[i] !== '"')
        fail(
          text[i] === '}'
            ? "Trailing comma before '}'."
            : `Expected a double-quoted property name but found ${describe(i)}.`,
        );
      parseString();
      skipSpace();
      if (text[i] !== ':') fail(`Expected ':' after the property name but found ${describe(i)}.`);
      i++;
      parseValue();
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return leave();
      fail(`Expected ',' or '}' after a property value but found ${describe(i)}.`);
    }
  };

  const parseArray = (): void => {
    enter();
    if (text[i] === ']') return leave();
    for (;;) {
      skipSpace();
      if (text[i] === ']') fail("Trailing comma before ']'.");
      parseValue();
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return leave();
      fail(`Expected ',' or ']' after an array element but found ${describe(i)}.`);
    }
  };

  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the JSON document.`);
    return undefined;
  } catch (e) {
    if (e instanceof Failure) return { offset: e.offset, message: e.message };
    throw e;
  }
}
