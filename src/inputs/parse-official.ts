// The official deploy action's (aws-actions/amazon-ecs-deploy-task-definition) remaining inputs,
// same names and meaning, so that a migrated workflow keeps what they did:
// - wait-max-delay-seconds: accepted and checked; we poll at most 4 s (ECS) or 5 s (CodeDeploy)
//   apart already, so it changes nothing;
// - service-managed-ebs-volume-name / -volume: the service's managed EBS volume, sent in
//   UpdateService's volumeConfigurations only when given (the official action sends an empty list
//   otherwise, which would clear a configuration set elsewhere); checked against the task
//   definition before anything is written (src/rollout/service-volume.ts);
// - keep-null-value-keys: accepted; we keep every empty value of the template already;
// - max-retries: retries of an AWS call after the first attempt (src/aws/clients.ts).

import { isObject, type JsonObject } from '../lib/json.js';
import type { DeployRequest } from '../lib/request.js';
import type { InputParser, ParseContext } from './context.js';
import { MAX_WAIT_MINUTES, wholeNumber } from './numbers.js';
import { parseJsonInput, serviceEbsVolumeProblems } from './run-task-shapes.js';

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

export const parseWaitMaxDelaySeconds: InputParser = (value, ctx) => {
  if (value === '') return { waitMaxDelaySeconds: undefined };
  const seconds = wholeNumber(value);
  if (seconds === undefined || seconds < 1 || seconds > MAX_WAIT_DELAY_SECONDS) {
    ctx.fail(`"${value}" is not a whole number of seconds from 1 to ${MAX_WAIT_DELAY_SECONDS}.`);
    return { waitMaxDelaySeconds: undefined };
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

/** The JSON object of a ServiceManagedEBSVolumeConfiguration, or undefined (reported) when it is not one. */
function jsonObject(text: string, ctx: ParseContext): JsonObject | undefined {
  const parsed = parseJsonInput(text);
  if ('error' in parsed) {
    ctx.fail(parsed.error);
    return undefined;
  }
  const problems = serviceEbsVolumeProblems(parsed.value);
  for (const problem of problems) ctx.fail(problem);
  return problems.length === 0 && isObject(parsed.value) ? parsed.value : undefined;
}

export const parseKeepNullValueKeys: InputParser = (value, ctx) => {
  if (value === '') return { keepNullValueKeys: undefined };
  // Comma-separated, blanks around and between commas ignored, as the official action reads it.
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  for (const key of keys) {
    if (!/^[^\s"'`{}[\]=:]+$/.test(key)) {
      ctx.fail(
        `"${key}" is not a key name (a task definition field such as command or tag); separate keys with commas.`,
      );
    }
  }
  return { keepNullValueKeys: keys };
};

/** max-retries as a number, or undefined when unset or not valid (the parser reports that). */
export function maxRetriesOf(value: string): number | undefined {
  const retries = wholeNumber(value.trim());
  return retries !== undefined && retries <= MAX_RETRIES ? retries : undefined;
}

export const parseMaxRetries: InputParser = (value, ctx) => {
  if (value === '') return { maxRetries: undefined };
  const retries = maxRetriesOf(value);
  if (retries === undefined) {
    ctx.fail(
      `"${value}" is not a whole number of retries from 0 to ${MAX_RETRIES} (retries after the first attempt; 0 means none).`,
    );
  }
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
