// Where secrets sit inside a text, found by what they look like rather than by what they are
// called: tokens with a known prefix, credentials in URLs, private key blocks, and values that
// follow a secret-looking name (`PASSWORD=x`, `--db-password x`). The finders return spans, so
// one list serves both hiding a secret (mask.ts) and registering it with the runner.
//
// Every pattern needs a prefix or a structure no ordinary value has. Git SHAs, UUIDs, image
// digests (`sha256:…`), ARNs and plain words must come through untouched, or every plan and
// every ECS message would be full of `***`.

import { isSecretFlag, secretLikeName } from './secret-names.js';

/** A secret's place in a text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

interface TokenShape {
  /** What the README calls it. */
  name: string;
  pattern: RegExp;
}

// A token starts and ends where letters and digits do; `_`/`-` may sit next to it (`TOKEN=ghp_…`).
const token = (body: string): RegExp => new RegExp(`(?<![A-Za-z0-9])(?:${body})(?![A-Za-z0-9])`, 'g');

/** Secrets recognisable on their own, anywhere, whole. README: "What the action masks". */
export const TOKEN_SHAPES: readonly TokenShape[] = [
  // header.payload.signature, base64url; the header is JSON, so it starts `{"` = `eyJ`.
  { name: 'JSON web token', pattern: /(?<![\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g },
  { name: 'GitHub token', pattern: token('gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}') },
  { name: 'AWS access key id', pattern: token('(?:AKIA|ASIA)[A-Z0-9]{16}') },
  { name: 'Stripe key', pattern: token('(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,}') },
  { name: 'Slack token', pattern: token('xox[abposr]-[A-Za-z0-9-]{10,}') },
  { name: 'Google API key', pattern: token('AIza[A-Za-z0-9_-]{35}') },
  { name: 'SendGrid key', pattern: token('SG\\.[\\w-]{16,}\\.[\\w-]{16,}') },
  { name: 'npm token', pattern: token('npm_[A-Za-z0-9]{30,}') },
  // OpenAI (`sk-proj-…`, `sk-svcacct-…`, legacy `sk-` + 48) and Anthropic (`sk-ant-…`) keys. A
  // bare `sk-` with dashes after it is an ordinary name (`sk-learn-models`), so it is not one.
  {
    name: 'OpenAI or Anthropic key',
    pattern: token('sk-(?:proj|svcacct|admin|ant)-[\\w-]{20,}|sk-[A-Za-z0-9]{32,}'),
  },
  { name: 'Twilio API key', pattern: token('SK[0-9a-fA-F]{32}') },
  { name: 'GitLab token', pattern: token('glpat-[\\w-]{20,}') },
  {
    // A PEM private key block, or the start of one cut off by a truncated line.
    name: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
];

// `scheme://user:password@host`: the password.
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/gi;
// `user:password@registry.example.com/app`: credentials written into an image reference or a
// scheme-less DSN. It must start a word and have a `/` after the host, so `repo:tag@sha256:…`
// (no `/` after the `@`) and ARNs (`…:secret:a@b/c`, where `secret` does not start a word) are
// left alone.
const USERINFO = /(?<=^|[\s'"(<,=[])[^\s:/@'"]+:([^\s:/@'"]+)@(?=[^\s/@'"]*\/)/g;
// `Authorization: Bearer <token>` and the like.
const AUTH_SCHEME = /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{8,})/g;
// An AWS secret access key: 40 characters of base64 with both cases. Only next to (on the same
// line as) an access key id, since alone it cannot be told from other 40-character ids.
const AWS_SECRET_KEY =
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/;
// `NAME=value`, `NAME: value`, `"name":"value"` where NAME looks secret. A bare `name:value`
// without a space or quotes is left alone: that is how image references (`repo/token-svc:1.2`)
// and ARNs look.
const ASSIGNMENT =
  /(["']?)([A-Za-z_][\w.-]*)\1(\s*=\s*|\s*:\s+|(?<=["'])\s*:\s*)("[^"]*"|'[^']*'|[^\s"',;&}]+)/g;
// `ExpiredTokenException: The security token…`, `AccessKeyId: AKIA…`: AWS error names and ids
// read like assignments to a secret-looking name, but what follows them is no secret. Nor does
// a bare `key`: that is how text speaks of `key=value` pairs and map keys; nor `secrets` and
// `secretOptions`, `credentialsParameter`, `…Arn`: the input and the task definition fields that hold references
// (`input 'secrets': line 2: …`, `logConfiguration.secretoptions: 'secretoptions' is not a field`).
const NOT_A_SECRET =
  /(?:Exception|Error|Fault|Id|ID)$|^(?:[Kk]ey|KEY)[Ss]?$|^secrets$|[Oo]ptions$|Parameter$|Arn$/;
// `--db-password hunter2`, `--token 'a b'` in a command line; a next word starting with `-` is
// another flag, not the value. Only `--` flags: in running text `-key alone` is prose.
const FLAG_SPACE_VALUE = /(?<![\w-])(--[A-Za-z][\w.-]*)\s+("[^"]*"|'[^']*'|[^\s"'-][^\s"']*)/g;
// `"--db-password", "hunter2"` in a command shown as a JSON array.
const FLAG_JSON_VALUE = /"(--?[A-Za-z][\w.-]*)"\s*,\s*"((?:\\.|[^"\\])*)"/g;

/** Where capture group `group` of each match is (the whole match for 0). */
function spansOf(text: string, pattern: RegExp, group = 0): Span[] {
  const spans: Span[] = [];
  // `d`: the match records where each group is, so a password equal to its user is found right.
  for (const m of text.matchAll(new RegExp(pattern.source, `${pattern.flags}d`))) {
    const at = m.indices?.[group];
    if (at) spans.push({ start: at[0], end: at[1] });
  }
  return spans;
}

/** A value without the quotes around it. */
function unquoted(start: number, value: string): Span {
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]);
  return quoted ? { start: start + 1, end: start + value.length - 1 } : { start, end: start + value.length };
}

/**
 * `NAME=value`-style assignments whose name looks secret. A match whose name is harmless is not
 * skipped whole: its value is scanned again, since it can hold an assignment of its own
 * (`error: DB_PASSWORD=…`).
 */
function assignmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  const re = new RegExp(ASSIGNMENT.source, ASSIGNMENT.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [match, , name, , value] = m;
    const valueStart = m.index + match.length - value.length;
    if (secretLikeName(name) && !NOT_A_SECRET.test(name)) spans.push(unquoted(valueStart, value));
    else re.lastIndex = valueStart;
  }
  return spans;
}

/** The value after a secret-looking flag, in a command line or a JSON array of arguments. */
function flagSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(FLAG_SPACE_VALUE)) {
    if (isSecretFlag(m[1])) spans.push(unquoted(m.index + m[0].length - m[2].length, m[2]));
  }
  for (const m of text.matchAll(FLAG_JSON_VALUE)) {
    const start = m.index + m[0].length - m[2].length - 1;
    if (isSecretFlag(m[1]) && m[2] !== '' && !m[2].startsWith('-'))
      spans.push({ start, end: start + m[2].length });
  }
  return spans;
}

/** 40-character secret keys on lines that also hold an access key id. */
function awsSecretKeySpans(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (AWS_KEY_ID.test(line)) {
      for (const s of spansOf(line, AWS_SECRET_KEY))
        spans.push({ start: s.start + offset, end: s.end + offset });
    }
    offset += line.length + 1;
  }
  return spans;
}

/** Every place in `text` that holds a secret, sorted, overlapping ones merged. */
export function secretSpans(text: string): Span[] {
  const spans = [
    ...TOKEN_SHAPES.flatMap((shape) => spansOf(text, shape.pattern)),
    ...spansOf(text, URL_CREDENTIALS, 1),
    ...spansOf(text, USERINFO, 1),
    ...spansOf(text, AUTH_SCHEME, 1),
    ...awsSecretKeySpans(text),
    ...assignmentSpans(text),
    ...flagSpans(text),
  ].filter((s) => s.end > s.start);
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}
