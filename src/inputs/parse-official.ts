// The official deploy action's (aws-actions/amazon-ecs-deploy-task-definition) remaining inputs,
// same names and meaning, so that a migrated workflow keeps what they did. "Switching is one
// uses: line": every value the official action accepts is accepted here too. Its numbers are read
// with parseInt (leading digits, `15.5` → 15, `3abc` → 3) and fall back when that gives nothing,
// so the same values are read the same way here, with a warning naming the input when a value is
// odd or changes nothing:
// - wait-max-delay-seconds: read and noted; we poll at most 4 s (ECS) or 5 s (CodeDeploy) apart
//   already, so it changes nothing, and no value of it is an error;
// - service-managed-ebs-volume-name / -volume: the service's managed EBS volume, sent in
//   UpdateService's volumeConfigurations only when given (the official action sends an empty list
//   otherwise, which would clear a configuration set elsewhere); checked against the task
//   definition before anything is written (src/rollout/service-volume.ts); a field the official
//   action would drop is dropped here too, with a warning (service-volume-fields.ts);
// - keep-null-value-keys: accepted; we keep every empty value of the template already;
// - max-retries: retries of an AWS call after the first attempt (src/aws/clients.ts), at most 20.
//
// Messages never write an input's name followed by `: value` or `= value`: `keep-null-value-keys`
// ends in "keys", and src/lib/secret-shapes.ts hides a value in that shape as a secret.

import { isObject, type JsonObject } from '../lib/json.js';
import type { DeployRequest } from '../lib/request.js';
import type { InputParser, ParseContext } from './context.js';
import { MAX_WAIT_MINUTES } from './numbers.js';
import { parseJsonInput, serviceEbsVolumeProblems } from './run-task-shapes.js';
import { pickVolumeFields } from './service-volume-fields.js';

/** Our own bound on wait-max-delay-seconds: a delay longer than the longest wait means nothing. */
export const MAX_WAIT_DELAY_SECONDS = MAX_WAIT_MINUTES * 60;

/**
 * Our own bound on max-retries. Each attempt is bounded by the request timeout (20 s,
 * src/aws/clients.ts), so 21 attempts can already hold one call for about seven minutes; more
 * would only hide an outage.
 */
export const MAX_RETRIES = 20;

/**
 * The longest pause between two polls: an ECS deployment or a task (src/rollout/budget.ts), and a
 * CodeDeploy deployment (src/codedeploy/follow.ts, POLL_INTERVALS_MS). Figures, not imports: the
 * inputs layer sits below both; __tests__/inputs/parse-official.test.ts holds them to the real ones.
 */
export const OUR_MAX_POLL_SECONDS = { ecs: 4, codeDeploy: 5 };

/**
 * How the official action reads a number: JavaScript's parseInt (leading blanks, a sign, the
 * digits up to the first other character), NaN when there are none. `exact` says whether the text
 * was that whole number and nothing more.
 */
export function officialInteger(text: string): { value: number; exact: boolean } {
  const value = parseInt(text, 10);
  return { value, exact: /^[+-]?\d+$/.test(text.trim()) && Number.isSafeInteger(value) };
}

export const parseWaitMaxDelaySeconds: InputParser = (value, ctx) => {
  if (value === '') return { waitMaxDelaySeconds: undefined };
  // The official action: `input ? parseInt(input) : null`, and a ceiling is set only when that is truthy.
  const { value: seconds, exact } = officialInteger(value);
  const ignored =
    'so it sets no ceiling, as in the official deploy action; this action polls often enough without one';
  if (Number.isNaN(seconds)) {
    ctx.warn(`"${value}" is not a number of seconds, ${ignored}.`);
    return { waitMaxDelaySeconds: undefined };
  }
  if (seconds <= 0) {
    ctx.warn(`${seconds} seconds is no delay, ${ignored}.`);
    return { waitMaxDelaySeconds: undefined };
  }
  if (!exact)
    ctx.warn(
      `"${value}" is read as ${seconds} seconds (whole seconds, as the official deploy action reads it).`,
    );
  if (seconds > MAX_WAIT_DELAY_SECONDS) {
    ctx.warn(
      `${seconds} seconds is longer than any wait (at most ${MAX_WAIT_DELAY_SECONDS} s, six hours), so it changes nothing.`,
    );
  }
  return { waitMaxDelaySeconds: seconds };
};

export const parseServiceEbsVolumeName: InputParser = (value, ctx) => {
  if (value === '') return { serviceEbsVolumeName: undefined };
  // The name of a task definition volume (Volume.name in the Amazon ECS API Reference).
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
    ctx.fail(`"${value}" is not a volume name: up to 255 letters, digits, hyphens and underscores.`);
  }
  return { serviceEbsVolumeName: value };
};

export const parseServiceEbsVolume: InputParser = (value, ctx) => {
  // `{}` is unset, as the official action reads it.
  const given = /^\{\s*\}$/.test(value) ? '' : value;
  const named = ctx.raw('service-managed-ebs-volume-name') !== '';
  if (given === '') {
    if (named) {
      // The official action warns and sends no volume configuration; a migrated workflow does the same.
      ctx.warn(
        'service-managed-ebs-volume-name is ignored without service-managed-ebs-volume (the volume configuration, a JSON object with at least "roleArn"); the service keeps its volume configuration.',
      );
    }
    return { serviceEbsVolume: undefined, serviceEbsVolumeName: undefined };
  }
  if (!named)
    ctx.fail('needs service-managed-ebs-volume-name: the volume of the task definition it configures.');
  return { serviceEbsVolume: jsonObject(given, ctx) };
};

/**
 * The JSON object of a ServiceManagedEBSVolumeConfiguration, or undefined (reported) when it is
 * not one. A field the official action drops is dropped, with a warning (service-volume-fields.ts);
 * what is left is checked field by field.
 */
function jsonObject(text: string, ctx: ParseContext): JsonObject | undefined {
  const parsed = parseJsonInput(text);
  if ('error' in parsed) {
    ctx.fail(parsed.error);
    return undefined;
  }
  let value = parsed.value;
  if (isObject(value)) {
    const picked = pickVolumeFields(value);
    for (const warning of picked.warnings) ctx.warn(warning);
    value = picked.volume;
  }
  const problems = serviceEbsVolumeProblems(value);
  for (const problem of problems) ctx.fail(problem);
  return problems.length === 0 && isObject(value) ? value : undefined;
}

/** An entry that names a place in the task definition (`containerDefinitions.command`, `a/b`, `x[0]`). */
const PATH_LIKE = /[./[\]]/;
/** What a field name of a task definition can be written with. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const parseKeepNullValueKeys: InputParser = (value, ctx) => {
  if (value === '') return { keepNullValueKeys: undefined };
  // Comma-separated, blanks around and between commas ignored, as the official action reads it.
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  // The official action keeps an empty value whose own field name is listed, at any depth; any
  // text is accepted there, so any text is accepted here, and an entry that can match nothing is
  // said. Here every empty value is kept anyway, so no entry changes anything.
  for (const key of keys) {
    if (PATH_LIKE.test(key)) {
      ctx.warn(
        `the entry "${key}" is a path, but entries are field names matched at any depth (such as command): the official deploy action keeps nothing with it. Here every empty value is kept anyway.`,
      );
    } else if (!FIELD_NAME.test(key)) {
      ctx.warn(
        `the entry "${key}" is not a field name of a task definition (such as command or tag), so it matches nothing. Here every empty value is kept anyway.`,
      );
    }
  }
  return { keepNullValueKeys: keys };
};

/** The default of max-retries here (src/aws/clients.ts, MAX_ATTEMPTS: 6 attempts in all). */
export const DEFAULT_MAX_RETRIES = 5;

/**
 * max-retries as the official action reads it (`parseInt(value) || 3`), mapped to retries here:
 * the number it reads, or the default when it reads none; a negative count is no retry (the
 * SDK makes one attempt with it), and more than MAX_RETRIES is capped. `warning` says any of
 * these; it does not quote the value after the input's name.
 */
export function readMaxRetries(value: string): { retries?: number; warning?: string } {
  if (value === '') return {};
  const { value: read, exact } = officialInteger(value);
  if (Number.isNaN(read)) {
    return {
      warning: `"${value}" is not a number of retries, so the default is used (${DEFAULT_MAX_RETRIES} retries), as the official deploy action falls back to its default.`,
    };
  }
  const asRead = exact ? '' : `"${value}" is read as ${read}, as the official deploy action reads it. `;
  if (read < 0) {
    return {
      retries: 0,
      warning: `${asRead}${read} retries means none: a call is made once, as the AWS SDK does with it in the official deploy action.`,
    };
  }
  if (read > MAX_RETRIES) {
    return {
      retries: MAX_RETRIES,
      warning: `${asRead}${read} retries is more than this action makes: capped at ${MAX_RETRIES} (21 attempts, each bounded at 20 s, already hold a call for about seven minutes; more would only hide an outage).`,
    };
  }
  return { retries: read, warning: asRead ? asRead.trim() : undefined };
}

/** max-retries as a number, or undefined when unset or read as the default. */
export function maxRetriesOf(value: string): number | undefined {
  return readMaxRetries(value.trim()).retries;
}

export const parseMaxRetries: InputParser = (value, ctx) => {
  const { retries, warning } = readMaxRetries(value);
  if (warning) ctx.warn(warning);
  return { maxRetries: retries };
};

/**
 * Debug lines for the inputs that are accepted for the official action's workflows but change
 * nothing here, so that a user who looks for their effect finds why there is none.
 */
export function officialInputNotes(
  request: Pick<DeployRequest, 'waitMaxDelaySeconds' | 'keepNullValueKeys'>,
): string[] {
  const notes: string[] = [];
  if (request.waitMaxDelaySeconds !== undefined) {
    notes.push(
      `wait-max-delay-seconds ${request.waitMaxDelaySeconds}: accepted for the official action's workflows, and not needed: this action polls a CodeDeploy deployment at most ${OUR_MAX_POLL_SECONDS.codeDeploy} seconds apart, and an ECS deployment or a task at most ${OUR_MAX_POLL_SECONDS.ecs} seconds apart already.`,
    );
  }
  if (request.keepNullValueKeys?.length) {
    notes.push(
      `keep-null-value-keys ${request.keepNullValueKeys.join(', ')}: accepted for the official action's workflows; this action keeps every empty value of the task definition already, so nothing is removed.`,
    );
  }
  return notes;
}
