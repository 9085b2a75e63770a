// Whether a NAME says its value is secret: a variable, a label, a log option, a JSON field, or a
// command-line flag. The rule is deliberately generous: hiding a harmless value costs a little
// readability, showing a password costs a rotation.

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

/**
 * Whether a command-line flag (`--db-password`, `-token`) takes a secret: its name, without the
 * dashes, passes secretLikeName. A single-letter flag never does: `-p` is a password to mysql
 * but a port to docker, ssh and most servers, and hiding every port would make commands
 * unreadable while still missing `-pPASSWORD`. Such passwords belong in `secrets`.
 */
export function isSecretFlag(flag: string): boolean {
  const m = /^(--?)([A-Za-z][\w.-]*)$/.exec(flag);
  if (!m) return false;
  if (m[1] === '-' && m[2].length === 1) return false;
  return secretLikeName(m[2]);
}
