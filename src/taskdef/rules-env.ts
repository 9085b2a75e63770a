// environment, environmentFiles, secrets and log secretOptions (docs/ecs-behaviour.md, "Environment files", "Secrets").
// No message here ever quotes an environment value: a plaintext value may be a secret that the
// user is about to move into `secrets`, and problems end up in logs and summaries.

import type { JsonObject, JsonPath } from '../lib/json.js';
import { envFileArnProblem, secretValueFromProblem } from './references.js';
import { readerOf, readObjects, type Container, type Reporter, type TaskFacts } from './rules-read.js';

/** Environment files per container (docs/ecs-behaviour.md, "Environment files"). */
export const MAX_ENV_FILES = 10;

export function checkEnvironment(c: Container, r: Reporter): void {
  const envNames = checkPlainEnvironment(c, r);
  const secrets: SecretList = { owner: c.def, ownerPath: c.path, key: 'secrets', what: 'secret' };
  const secretNames = checkSecretList(c, secrets, r);
  const log = readerOf(c.def, c.path, r)('logConfiguration', 'object');
  if (log) {
    const logPath = [...c.path, 'logConfiguration'];
    readerOf(log, logPath, r)('logDriver', 'string');
    const options: SecretList = {
      owner: log,
      ownerPath: logPath,
      key: 'secretOptions',
      what: 'log secret option',
    };
    checkSecretList(c, options, r);
  }
  for (const [name, at] of secretNames) {
    if (envNames.has(name)) {
      r.error(
        at,
        `${c.label} sets '${name}' both in environment and in secrets; define it in one place only ` +
          '(secrets if it is sensitive, environment otherwise).',
      );
    }
  }
  checkEnvironmentFiles(c, r);
}

/** Checks `environment` and returns its variable names. */
function checkPlainEnvironment(c: Container, r: Reporter): Set<string> {
  const names = new Map<string, number>();
  for (const { item, path, index } of readObjects(c.def, 'environment', c.path, r)) {
    const read = readerOf(item, path, r);
    const name = read('name', 'string');
    const value = read('value', 'string');
    if (name === undefined || name.trim() === '') {
      if (name !== undefined || item.name === undefined || item.name === null) {
        r.error(
          path,
          `${c.label} has an environment entry without a name; give each entry a "name" and a "value".`,
        );
      }
      continue;
    }
    const first = names.get(name);
    if (first !== undefined) {
      r.error(
        [...path, 'name'],
        `${c.label} sets environment variable '${name}' twice (also environment[${first}]); keep one.`,
      );
      continue;
    }
    names.set(name, index);
    if (value && looksSecret(name)) {
      r.warn(
        path,
        `Environment variable '${name}' looks like a secret but is set in plain text, where anyone who can describe ` +
          'the task definition can read it; store it in SSM Parameter Store or Secrets Manager and reference it under secrets instead.',
      );
    }
  }
  return new Set(names.keys());
}

/** Where a list of secrets is: `secrets` of a container, or `secretOptions` of its log configuration. */
interface SecretList {
  /** The object that holds the list, and its path. */
  owner: JsonObject;
  ownerPath: JsonPath;
  /** `secrets` or `secretOptions`. */
  key: string;
  /** What a message calls one item: `secret`, `log secret option`. */
  what: string;
}

/** Checks `secrets` or `secretOptions` and returns each name with its path. */
function checkSecretList(c: Container, list: SecretList, r: Reporter): Map<string, JsonPath> {
  const { owner, ownerPath, key, what } = list;
  const names = new Map<string, JsonPath>();
  const firstIndex = new Map<string, number>();
  for (const { item, path, index } of readObjects(owner, key, ownerPath, r)) {
    const read = readerOf(item, path, r);
    const name = read('name', 'string');
    const valueFrom = read('valueFrom', 'string');
    const shown = name ? `${what} '${name}'` : what;
    if (!name) {
      if (name !== undefined || item.name === undefined || item.name === null) {
        r.error(path, `${c.label} has a ${what} without a name; give each one a "name" and a "valueFrom".`);
      }
    } else if (firstIndex.has(name)) {
      r.error(
        [...path, 'name'],
        `${c.label} defines ${shown} twice (also ${key}[${firstIndex.get(name)}]); keep one.`,
      );
    } else {
      firstIndex.set(name, index);
      names.set(name, [...path, 'name']);
    }
    if (item.valueFrom === undefined || item.valueFrom === null) {
      r.error(
        path,
        `${c.label} ${shown} has no valueFrom; give the SSM parameter name or ARN, or the Secrets Manager secret ARN.`,
      );
    } else if (valueFrom !== undefined) {
      const problem = secretValueFromProblem(valueFrom);
      if (problem)
        r.error([...path, 'valueFrom'], `${c.label} ${shown} has an invalid valueFrom: ${problem}`);
    }
  }
  return names;
}

function checkEnvironmentFiles(c: Container, r: Reporter): void {
  const files = readObjects(c.def, 'environmentFiles', c.path, r);
  const count = Array.isArray(c.def.environmentFiles) ? c.def.environmentFiles.length : 0;
  if (count > MAX_ENV_FILES) {
    r.error(
      [...c.path, 'environmentFiles'],
      `${c.label} has ${count} environment files; ECS allows at most ${MAX_ENV_FILES} per container. Merge some of them.`,
    );
  }
  for (const { item, path } of files) {
    const read = readerOf(item, path, r);
    const type = read('type', 'string');
    const value = read('value', 'string');
    if (item.type === undefined || item.type === null) {
      r.error(path, `${c.label} has an environment file without a type; set "type": "s3".`);
    } else if (type !== undefined && type !== 's3') {
      r.error(
        [...path, 'type'],
        `Environment file type '${type}' is not valid: use "s3", the only type ECS supports.`,
      );
    }
    if (item.value === undefined || item.value === null) {
      r.error(
        path,
        `${c.label} has an environment file without a value; give the S3 object ARN, e.g. arn:aws:s3:::my-bucket/app.env.`,
      );
    } else if (value !== undefined) {
      const problem = envFileArnProblem(value);
      if (problem) r.error([...path, 'value'], `${c.label} environment file is not valid: ${problem}`);
    }
  }
}

/**
 * The current API doc allows 10 files per container; the 2023 guide said 10 per task definition
 * (docs/ecs-behaviour.md, "Environment files"). Over 10 in all is legal by the former, so it only warns.
 */
export function checkEnvironmentFileTotal(facts: TaskFacts, r: Reporter): void {
  const counts = facts.containers.map((c) =>
    Array.isArray(c.def.environmentFiles) ? c.def.environmentFiles.length : 0,
  );
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > MAX_ENV_FILES && counts.every((n) => n <= MAX_ENV_FILES)) {
    r.warn(
      ['containerDefinitions'],
      `The task definition has ${total} environment files in all; the current ECS documentation allows ${MAX_ENV_FILES} ` +
        'per container, but older guides said 10 per task definition, so registration may fail.',
    );
  }
}

// Words that mark a variable as secret when they appear as a word part of its name. Narrower on
// purpose than src/lib/secret-names.ts's secretLikeName, which hides a value at the least doubt: a
// warning must not fire on TOKENIZER_MODEL or PWD, while hiding such a value costs nothing. Names that
// end in FILE, PATH, ARN, URL, URI or NAME point at a secret rather than hold one.
const SECRET_PARTS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'CREDENTIAL'];
const SECRET_SUFFIXES = ['TOKEN', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY'];
const KEY_QUALIFIERS = ['API', 'PRIVATE', 'ACCESS'];
const REFERENCE_ENDINGS = ['FILE', 'PATH', 'ARN', 'URL', 'URI', 'NAME'];

/** True when an environment variable name suggests its value is a secret (`DB_PASSWORD`, `apiKey`). */
export function looksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || REFERENCE_ENDINGS.includes(words[words.length - 1])) return false;
  return words.some(
    (word, i) =>
      SECRET_PARTS.some((part) => word.includes(part)) ||
      SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix)) ||
      (word === 'KEY' && i > 0 && KEY_QUALIFIERS.some((q) => words[i - 1].endsWith(q))),
  );
}
