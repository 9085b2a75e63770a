// Masking of values that could be secret, for everything the action shows a human: the plan's
// diff, the job summary, log lines. The rule is deliberately generous: hiding a harmless value
// costs a little readability, showing a password costs a rotation. Real secrets should come
// from `secrets` (references, never values); these rules catch the ones that did not.

import type { DeployRequest } from './request.js';

/** What a hidden value is shown as; the same text the runner uses for `core.setSecret` values. */
export const MASK = '***';

// Matched anywhere in the name with separators removed, so `dbPassword`, `DB_PASSWORD` and
// `DBPASSWORD` all match. Only words long enough not to hide ordinary names by accident.
const SECRET_SUBSTRINGS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'CREDENTIAL',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'CONNECTIONSTRING',
];

// Matched only as a whole word, because as substrings they are too common (`BYPASS`, `AUTHOR`).
const SECRET_WORDS = new Set(['PASS', 'PWD', 'CREDS', 'AUTH', 'AUTHORIZATION', 'SALT', 'DSN']);

// `<qualifier>_KEY` anywhere in the name (`AWS_ACCESS_KEY_ID`, `SIGNING_KEY_V2`).
const KEY_QUALIFIERS = new Set(['ACCESS', 'PRIVATE', 'API', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER']);

/** The words of a name: `dbPassword` → DB PASSWORD, `API-Key.v2` → API KEY V2. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * Whether a variable, label or option NAME suggests its value is a secret: PASSWORD, SECRET,
 * TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL(S), PASSPHRASE, CONNECTION_STRING
 * (anywhere, any case or separator); PASS, PWD, CREDS, AUTH, AUTHORIZATION, SALT, DSN (as a
 * word); any name whose last word is KEY or KEYS (`STRIPE_KEY`, `SSH_KEY`).
 */
export function secretLikeName(name: string): boolean {
  const w = words(name);
  if (w.length === 0) return false;
  const joined = w.join('');
  if (SECRET_SUBSTRINGS.some((s) => joined.includes(s))) return true;
  if (w.some((word) => SECRET_WORDS.has(word))) return true;
  const last = w[w.length - 1];
  if (last === 'KEY' || last === 'KEYS') return true;
  return w.some((word, i) => word === 'KEY' && i > 0 && KEY_QUALIFIERS.has(w[i - 1]));
}

// `scheme://user:password@host`: the password part.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
// A PEM private key block, or the start of one cut off by a truncated line.
const PEM_PRIVATE_KEY =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// `Authorization: Bearer <token>` and the like.
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// `NAME=value`, `NAME: value`, `"name":"value"` where NAME looks secret. A bare `name:value`
// without a space or quotes is left alone: that is how image references (`repo/token-svc:1.2`)
// and ARNs look.
const ASSIGNMENT =
  /(["']?)([A-Za-z_][\w.-]*)\1(\s*=\s*|\s*:\s+|(?<=["'])\s*:\s*)("[^"]*"|'[^']*'|[^\s"',;&}]+)/g;

/**
 * Hides secrets that sit inside otherwise harmless text: credentials in URLs, PEM private keys,
 * bearer tokens, and `PASSWORD=...`-style assignments (command lines, log lines, connection
 * strings). Text without any of these comes back unchanged.
 */
export function redactSecrets(text: string): string {
  return redactAssignments(
    text
      .replace(PEM_PRIVATE_KEY, MASK)
      .replace(URL_CREDENTIALS, `$1${MASK}@`)
      .replace(AUTH_SCHEME, `$1 ${MASK}`),
  );
}

/**
 * `NAME=value`-style assignments whose name looks secret get a masked value. A match whose name
 * is harmless is not skipped whole: its value is scanned again, since it can hold an assignment
 * of its own (`error: DB_PASSWORD=…`).
 */
// `ExpiredTokenException: The security token…`, `AccessKeyId: AKIA…`: AWS error names and ids
// read like assignments to a secret-looking name, but what follows them is no secret.
const NOT_A_SECRET = /(?:Exception|Error|Fault|Id|ID)$/;

function redactAssignments(text: string): string {
  const re = new RegExp(ASSIGNMENT.source, ASSIGNMENT.flags);
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [match, quote, name, sep, value] = m;
    if (secretLikeName(name) && !NOT_A_SECRET.test(name)) {
      const q = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
      out += `${text.slice(last, m.index)}${quote}${name}${quote}${sep}${q}${MASK}${q}`;
      last = m.index + match.length;
    } else {
      re.lastIndex = m.index + match.length - value.length;
    }
  }
  return out + text.slice(last);
}

/**
 * The value to show for `name`: all of it hidden when the name looks secret, otherwise the
 * value with any embedded secrets redacted (a `DATABASE_URL` with a password in it).
 */
export function maskValue(name: string, value: string): string {
  if (secretLikeName(name)) return MASK;
  return redactSecrets(value);
}

/**
 * Values given in the inputs under a secret-looking name (environment variables, template
 * variables, docker labels, log options): the runner is told to mask them in every log line,
 * in case they did not come from `${{ secrets.* }}` (which the runner masks already).
 */
export function secretInputValues(
  request: Pick<DeployRequest, 'environment' | 'dockerLabels' | 'logOptions' | 'vars'>,
): string[] {
  const named = [
    ...request.environment.set,
    ...request.dockerLabels.set,
    ...request.logOptions.set,
    ...Object.entries(request.vars).map(([name, value]) => ({ name, value })),
  ];
  return named.filter((e) => e.value !== '' && secretLikeName(e.name)).map((e) => e.value);
}
