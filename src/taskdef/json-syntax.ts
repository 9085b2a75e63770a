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
  try {
    new JsonScanner(text).scanDocument();
    return undefined;
  } catch (e) {
    if (e instanceof Failure) return { offset: e.offset, message: e.message };
    throw e;
  }
}

/**
 * Walks a JSON text once, from the start, checking each token and keeping only the position and
 * how many lists and objects are open; the first error throws a Failure.
 */
class JsonScanner {
  private i = 0;
  /** Lists and objects open around the current position. */
  private depth = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.scanValue();
    this.skipSpace();
    if (this.i < this.text.length)
      this.fail(`Unexpected ${this.describe(this.i)} after the end of the JSON document.`);
  }

  private fail(message: string, at = this.i): never {
    throw new Failure(at, message);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
  }

  private describe(at: number): string {
    return at >= this.text.length ? 'the end of the file' : `'${this.text[at]}'`;
  }

  private scanValue(): void {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === '{') return this.scanObject();
    if (c === '[') return this.scanArray();
    if (c === '"') return this.scanString();
    if (c === '-' || (c >= '0' && c <= '9')) return this.scanNumber();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (c === "'") this.fail('Strings must use double quotes, not single quotes.');
    this.fail(`Expected a value but found ${this.describe(this.i)}.`);
  }

  private scanString(): void {
    const start = this.i;
    this.i++; // opening quote
    for (;;) {
      if (this.i >= this.text.length)
        this.fail('Unterminated string: it has no closing double quote.', start);
      const c = this.text[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        this.scanEscape();
        continue;
      }
      if (c < ' ') this.fail('Control character in a string: write \\n, \\t or \\uXXXX instead.');
      this.i++;
    }
  }

  /** A backslash escape inside a string, starting at the backslash. */
  private scanEscape(): void {
    const e = this.text[this.i + 1];
    if (e === 'u') {
      if (!/^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.i + 2, this.i + 6)))
        this.fail('Invalid \\u escape: it needs exactly four hex digits.');
      this.i += 6;
    } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
      this.i += 2;
    } else {
      this.fail(`Invalid escape '\\${e ?? ''}' in a string.`);
    }
  }

  private scanNumber(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!match) this.fail('Invalid number.');
    this.i += match[0].length;
    // `01` or `1.` leave a digit or dot behind; report it rather than a confusing "expected ','".
    if (this.i < this.text.length && /[0-9.eE+-]/.test(this.text[this.i])) this.fail('Invalid number.');
  }

  /** Steps into a `{` or `[`; going deeper than MAX_NESTING is an error there, before any recursion. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(TOO_DEEP_MESSAGE);
    this.i++; // { or [
    this.skipSpace();
  }

  private leave(): void {
    this.depth--;
    this.i++; // } or ]
  }

  private scanObject(): void {
    this.enter();
    if (this.text[this.i] === '}') return this.leave();
    for (;;) {
      this.scanMember();
      this.skipSpace();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.text[this.i] === '}') return this.leave();
      this.fail(`Expected ',' or '}' after a property value but found ${this.describe(this.i)}.`);
    }
  }

  /** One `"name": value` of an object. */
  private scanMember(): void {
    this.skipSpace();
    if (this.text[this.i] !== '"')
      this.fail(
        this.text[this.i] === '}'
          ? "Trailing comma before '}'."
          : `Expected a double-quoted property name but found ${this.describe(this.i)}.`,
      );
    this.scanString();
    this.skipSpace();
    if (this.text[this.i] !== ':')
      this.fail(`Expected ':' after the property name but found ${this.describe(this.i)}.`);
    this.i++;
    this.scanValue();
  }

  private scanArray(): void {
    this.enter();
    if (this.text[this.i] === ']') return this.leave();
    for (;;) {
      this.skipSpace();
      if (this.text[this.i] === ']') this.fail("Trailing comma before ']'.");
      this.scanValue();
      this.skipSpace();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.text[this.i] === ']') return this.leave();
      this.fail(`Expected ',' or ']' after an array element but found ${this.describe(this.i)}.`);
    }
  }
}
