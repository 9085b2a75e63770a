// Field names checked against the ECS API model of the bundled SDK (field-model.ts). The SDK's
// serializer drops every key its model does not have, so a misspelled field (`healthcheck`,
// `taskRoleARN`) would be registered without it and without a word while the rendered file
// still shows it. Every unknown name is reported at its path, with the names it may have meant.
// The keys of map-typed fields (`dockerLabels`, `logConfiguration.options`) are free-form.

import { isObject, type JsonPath, type JsonValue } from '../lib/json.js';
import { ECS_SDK_VERSION, TASK_DEFINITION_SHAPE, type FieldShape } from './field-model.js';

export interface UnknownField {
  /** The path of the unknown key itself, e.g. `['containerDefinitions', 0, 'healthcheck']`. */
  path: JsonPath;
  message: string;
}

/**
 * Every key in `td` that the SDK's RegisterTaskDefinition model does not have. The walk only
 * goes where the model goes (a value of the wrong type, or under an unknown key, is not
 * descended into), so it is as deep as the model and no deeper.
 */
export function unknownFields(td: JsonValue): UnknownField[] {
  const found: UnknownField[] = [];
  const walk = (value: JsonValue, shape: FieldShape, path: JsonPath): void => {
    if (shape.kind === 'list' && Array.isArray(value)) {
      value.forEach((item, i) => walk(item, shape.member, [...path, i]));
    } else if (shape.kind === 'map' && isObject(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, shape.value, [...path, key]);
    } else if (shape.kind === 'structure' && isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const member = shape.members.get(key);
        if (member) walk(item, member, [...path, key]);
        else if (!(path.length === 0 && isAnchorHolder(key)))
          found.push({
            path: [...path, key],
            message: unknownFieldMessage(key, path.length === 0 ? 'the task definition' : shape.name, [
              ...shape.members.keys(),
            ]),
          });
      }
    }
  };
  walk(td, TASK_DEFINITION_SHAPE, []);
  return found;
}

/**
 * A top-level `x-` key holds YAML anchors for merge keys, as in Docker Compose (`x-defaults:
 * &defaults`). No ECS field starts with `x-`, so such a key cannot be a misspelled one; it is
 * dropped by the SDK like any key its model does not have, which is what its author wants.
 */
export function isAnchorHolder(key: string): boolean {
  return key.startsWith('x-');
}

function unknownFieldMessage(key: string, where: string, known: string[]): string {
  const near = nearNames(key, known);
  const quoted = near.map((n) => `'${n}'`);
  const guess = quoted.length
    ? ` Did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`}?`
    : ' If it is a field newer than this SDK, this release of the action cannot send it: remove it, or upgrade to a release of the action with a newer SDK.';
  return (
    `'${key}' is not a field of ${where} in the ECS API model of the bundled AWS SDK ` +
    `(@aws-sdk/client-ecs ${ECS_SDK_VERSION}), so it would be dropped without a word and never reach ECS.${guess}`
  );
}

/**
 * The known names `name` was probably meant to be: the ones equal to it but for case; else the
 * closest within a small edit distance (1 for short names, 2 otherwise), at most three.
 */
export function nearNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const sameButCase = known.filter((k) => k.toLowerCase() === lower);
  if (sameButCase.length > 0) return sameButCase;
  const limit = name.length <= 4 ? 1 : 2;
  let best = limit + 1;
  let names: string[] = [];
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase(), best);
    if (d < best) {
      best = d;
      names = [k];
    } else if (d === best) {
      names.push(k);
    }
  }
  return best <= limit ? names.slice(0, 3) : [];
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbours each count 1); anything above `max` is reported as `max + 1`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2] + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length], max + 1);
}
