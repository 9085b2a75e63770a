// Masking for the values of a task definition: how one is shown in the plan, and which of a
// rendered task definition's values the runner must mask in the whole log.

import { isObject, type JsonObject, type JsonValue } from './json.js';
import { MASK, maskArguments, redactSecrets, registrable, secretArguments, secretValuesIn } from './mask.js';
import { secretLikeName } from './secret-names.js';

/**
 * Fields whose values are references to secrets (ARNs, parameter names), safe and useful to
 * show, and never registered as secrets themselves (an ARN masked in the whole log would hide
 * the very thing a reader needs).
 */
export const REFERENCE_FIELDS: ReadonlySet<string> = new Set([
  'secrets',
  'secretOptions',
  'valueFrom',
  'credentialsParameter',
  'credentialSpecs',
]);

/** Longest value shown in a plan line; longer ones end in `…`. */
const MAX_SHOWN = 200;

const allStrings = (list: JsonValue[]): list is string[] => list.every((v) => typeof v === 'string');

/**
 * A task definition value as a plan line shows it, or undefined for null. `name` is what says
 * what the value is (a variable, label, option or field name): a secret-looking one hides the
 * whole value. A list of strings (`command`) has its secret flag values hidden, and any value
 * its secret-shaped parts. Values under a REFERENCE_FIELDS field (`reference`) are shown as
 * they are.
 */
export function shownValue(
  value: JsonValue,
  where: { name?: string; reference: boolean },
): string | undefined {
  if (value === null) return undefined;
  if (!where.reference && where.name !== undefined && secretLikeName(where.name)) return MASK;
  const shown = !where.reference && Array.isArray(value) && allStrings(value) ? maskArguments(value) : value;
  let text: string;
  if (typeof shown === 'string') text = shown === '' || /\p{Cc}/u.test(shown) ? JSON.stringify(shown) : shown;
  else if (Array.isArray(shown) || isObject(shown)) text = JSON.stringify(shown);
  else text = String(shown);
  if (!where.reference) text = redactSecrets(text);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/**
 * The values of a rendered task definition the runner must mask in the whole log: values under
 * a secret-looking field, label, option or variable name (`{name, value}` and `{key, value}`
 * entries are named by their `name`/`key`), secret arguments of any list of strings (`command`,
 * `entryPoint`, a health check's command), and secret-shaped parts of every other string.
 * References to secrets (REFERENCE_FIELDS) are left out. Ready for `core.setSecret`.
 */
export function secretTaskDefinitionValues(td: JsonObject): string[] {
  const found: string[] = [];
  collect(td, undefined, found);
  return registrable(found);
}

function collect(value: JsonValue, name: string | undefined, found: string[]): void {
  if (typeof value === 'string') {
    if (name !== undefined && secretLikeName(name)) found.push(value);
    else found.push(...secretValuesIn(value));
  } else if (Array.isArray(value)) {
    if (allStrings(value)) found.push(...secretArguments(value));
    for (const item of value) collect(item, name, found);
  } else if (isObject(value)) {
    const label =
      typeof value.name === 'string' ? value.name : typeof value.key === 'string' ? value.key : undefined;
    for (const [field, child] of Object.entries(value)) {
      if (REFERENCE_FIELDS.has(field)) continue;
      collect(child, field === 'value' && label !== undefined ? label : field, found);
    }
  }
}
