// Parsers for what changes in the target container(s): container-name, images, command, roles
// and the log configuration. The environment-like lists are in parse-environment.ts.

import type { ImageChange } from '../lib/request.js';
import { checkImageSpec } from '../taskdef/images.js';
import { findLogDriver, LOG_DRIVERS } from '../taskdef/render.js';
import { partitionProblem } from './arns.js';
import { parseCommand } from './command.js';
import {
  oneOf,
  parseEnum,
  parsePairsInput,
  toChanges,
  type InputParser,
  type ParseContext,
} from './context.js';
import { containerNameProblem, roleArnProblem } from './shapes.js';

export const parseContainerNames: InputParser = (value, ctx) => {
  const containerNames: string[] = [];
  if (value === '') return { containerNames };
  for (const part of value.split(',').map((s) => s.trim())) {
    if (part === '') {
      ctx.fail(`"${value}" has an empty name between commas.`);
      continue;
    }
    const reason = containerNameProblem(part);
    if (reason) ctx.fail(reason);
    else if (containerNames.includes(part)) ctx.fail(`container "${part}" is listed twice.`);
    else containerNames.push(part);
  }
  return { containerNames };
};

// The image rule is checkImageSpec's, the one rendering applies; here it stops the step before
// any AWS call, with the input's own wording.
export const parseImage: InputParser = (value, ctx) => {
  if (value === '') return { images: [] };
  const reason = checkImageSpec(value);
  if (reason) ctx.fail(`"${value}" is not a valid image reference: ${reason}.`);
  return { images: [{ image: value, input: 'image' }] };
};

export const parseImages: InputParser = (value, ctx) => {
  const parsed = parsePairsInput(
    value,
    { form: 'container=image', noun: 'container', allowRemove: false, nameProblem: containerNameProblem },
    ctx,
  );
  const images: ImageChange[] = [...(ctx.request.images ?? [])];
  const targets = ctx.request.containerNames ?? [];
  for (const { line, name, value: image } of parsed.set) {
    const reason = image === '' ? undefined : checkImageSpec(image);
    if (image === '') ctx.fail(`line ${line}: container "${name}" has no image after "=".`);
    else if (reason) {
      ctx.fail(`line ${line}: "${image}" for container "${name}" is not a valid image reference: ${reason}.`);
    }
    if (ctx.raw('image') && targets.includes(name)) {
      ctx.fail(
        `line ${line}: container "${name}" also gets the image from input 'image' (it is listed in container-name); give each container one image.`,
      );
    }
    images.push({ container: name, image, input: 'images' });
  }
  return { images };
};

export const parseCommandInput: InputParser = (value, ctx) => {
  if (value === '') return {};
  const parsed = parseCommand(value);
  if ('error' in parsed) {
    ctx.fail(parsed.error);
    return {};
  }
  return { command: parsed.args };
};

function roleArn(value: string, ctx: ParseContext): string | undefined {
  if (value === '') return undefined;
  const reason = roleArnProblem(value) ?? partitionProblem(value, ctx.options.region);
  if (reason) ctx.fail(reason);
  return value;
}
export const parseTaskRoleArn: InputParser = (value, ctx) => ({ taskRoleArn: roleArn(value, ctx) });
export const parseExecutionRoleArn: InputParser = (value, ctx) => ({
  executionRoleArn: roleArn(value, ctx),
});

export const parseLogDriver: InputParser = (value, ctx) => {
  if (/^logentries$/i.test(value)) {
    // The official action still lists it, but the ECS API's LogDriver enum no longer has it:
    // registering would fail later, after the user waited for the rest of the step.
    ctx.fail(`"logentries" is not a log driver the ECS API accepts; use ${oneOf(LOG_DRIVERS)}.`);
    return {};
  }
  // findLogDriver is the rule rendering applies too; parseEnum only words the problem.
  const found = findLogDriver(value, { ignoreCase: true });
  return { logDriver: found ?? parseEnum(value, LOG_DRIVERS, ctx) };
};

export const parseLogOptions: InputParser = (value, ctx) => ({
  logOptions: toChanges(
    parsePairsInput(value, { form: 'key=value', noun: 'option', allowRemove: true }, ctx),
  ),
});

export const parseDockerLabels: InputParser = (value, ctx) => ({
  dockerLabels: toChanges(
    parsePairsInput(value, { form: 'key=value', noun: 'label', allowRemove: true }, ctx),
  ),
});
