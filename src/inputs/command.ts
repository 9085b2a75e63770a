// The `command` input: a JSON array of strings, or a command line split the way a POSIX shell
// splits words (whitespace, 'single quotes', "double quotes", backslash escapes), without any
// expansion. Splitting on single spaces, as some releases of the official render action do,
// breaks every argument that contains a space, so `sh -c "npm run migrate && npm start"` works here.

export type CommandResult = { args: string[] } | { error: string };

export function parseCommand(command: string): CommandResult {
  // CRLF and a lone CR end lines as LF does, so a backslash-newline continuation written on
  // Windows joins lines instead of keeping a CR in an argument.
  const text = command.replace(/\r\n?/g, '\n');
  // A leading `[` can only mean JSON (a shell word starting with `[` is a test command, never a
  // container command), so a JSON mistake is reported rather than split as a command line.
  if (text.startsWith('[')) return parseJsonCommand(text);
  return splitCommandLine(text);
}

function parseJsonCommand(text: string): CommandResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The JSON error text quotes the input, which is not ours to print; say what to write instead.
    return {
      error:
        'the command starts with "[" but is not valid JSON; write a JSON array of strings such as ["node", "server.js"], or a command line without brackets.',
    };
  }
  if (!Array.isArray(parsed)) {
    return {
      error:
        'the command starts with "[" but is not a JSON array; write a JSON array of strings such as ["node", "server.js"].',
    };
  }
  if (parsed.length === 0)
    return { error: 'the command is an empty JSON array; give at least one argument.' };
  const bad = parsed.findIndex((item) => typeof item !== 'string');
  if (bad !== -1)
    return { error: `item ${bad + 1} of the command's JSON array is not a string; quote every argument.` };
  return { args: parsed as string[] };
}

/** Where a character sits, for messages: 1-based line and column. */
function position(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/**
 * Shell word splitting without expansion. Outside quotes a backslash keeps the next character
 * (a backslash-newline joins lines); inside double quotes it escapes only `"`, `\`, `$`, `` ` ``
 * and newline, as in sh, so Windows-style paths in double quotes survive.
 */
export function splitCommandLine(text: string): CommandResult {
  const args: string[] = [];
  let word = '';
  // A word exists once any character or quote pair is seen, so `''` gives an empty argument.
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (inWord) args.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length)
        return { error: `the command ends with a lone backslash (${position(text, i)}).` };
      if (text[i + 1] !== '\n') {
        word += text[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1)
        return { error: `the single quote at ${position(text, i)} of the command is never closed.` };
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (!closed)
        return { error: `the double quote at ${position(text, start)} of the command is never closed.` };
      inWord = true;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(word);
  if (args.length === 0) return { error: 'the command has no arguments.' };
  return { args };
}
