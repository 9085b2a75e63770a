// Parsers for the one-off task (run-task): the official deploy action's inputs, same names and
// meaning, plus run-task-command and stop-task-on-timeout. Each checks the shape of its own value;
// what depends on the task definition (container names, awsvpc subnets) is checked by the
// run-task plan before anything is written (src/run-task/plan.ts).

import { isObject, type JsonObject } from '../lib/json.js';
import type { CapacityProviderItem, ContainerOverrideInput, RunTaskLaunchType } from '../lib/request.js';
import { parseCommand } from './command.js';
import { parseBoolean, parseEnum, type InputParser, type ParseContext } from './context.js';
import {
  capacityProviderStrategyProblems,
  containerOverridesProblems,
  ebsVolumeProblems,
  parseJsonInput,
  tagsProblems,
} from './run-task-shapes.js';

/** The official action's default for run-task-started-by. */
export const DEFAULT_STARTED_BY = 'GitHub-Actions';
/** ECS limits on one awsvpcConfiguration (RunTask in the Amazon ECS API Reference). */
const MAX_SUBNETS = 16;
const MAX_SECURITY_GROUPS = 5;

/** A JSON input checked by `problems`; undefined (reported) when it is not valid. */
function jsonInput(value: string, ctx: ParseContext, problems: (v: never) => string[]): unknown {
  if (value === '') return undefined;
  const parsed = parseJsonInput(value);
  if ('error' in parsed) {
    ctx.fail(parsed.error);
    return undefined;
  }
  const found = problems(parsed.value as never);
  for (const problem of found) ctx.fail(problem);
  return found.length ? undefined : parsed.value;
}

export const parseRunTask: InputParser = (value, ctx) => ({ runTask: parseBoolean(value, ctx) ?? false });

export const parseContainerOverrides: InputParser = (value, ctx) => ({
  runTaskContainerOverrides:
    (jsonInput(value, ctx, containerOverridesProblems) as ContainerOverrideInput[] | undefined) ?? [],
});

/** A comma-separated list of ids with a prefix (`subnet-`, `sg-`), as the official action takes them. */
function idList(value: string, ctx: ParseContext, kind: { prefix: string; noun: string; max: number }) {
  if (value === '') return undefined;
  const ids = value.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '')) ctx.fail(`"${value}" has an empty ${kind.noun} between commas.`);
  for (const id of ids.filter((i) => i !== '')) {
    if (!new RegExp(`^${kind.prefix}-[0-9a-zA-Z]+$`).test(id)) {
      ctx.fail(`"${id}" is not a ${kind.noun} id (${kind.prefix}-<hex>).`);
    }
  }
  if (ids.length > kind.max) ctx.fail(`${ids.length} ${kind.noun}s given; ECS allows at most ${kind.max}.`);
  return ids.filter((i) => i !== '');
}

export const parseSubnets: InputParser = (value, ctx) => ({
  runTaskSubnets: idList(value, ctx, { prefix: 'subnet', noun: 'subnet', max: MAX_SUBNETS }),
});

export const parseSecurityGroups: InputParser = (value, ctx) => ({
  runTaskSecurityGroups: idList(value, ctx, {
    prefix: 'sg',
    noun: 'security group',
    max: MAX_SECURITY_GROUPS,
  }),
});

export const parseAssignPublicIp: InputParser = (value, ctx) => {
  const assign = parseEnum<'ENABLED' | 'DISABLED'>(value, ['ENABLED', 'DISABLED'], ctx);
  if (assign && !ctx.raw('run-task-subnets')) {
    // As in the official action: the public IP goes with the subnets given, and without them the
    // service's network configuration is used as it is.
    ctx.warn(
      'is ignored without run-task-subnets: the task uses the network configuration of the service as it is.',
    );
  }
  return { runTaskAssignPublicIp: assign };
};

export const parseCapacityProviderStrategy: InputParser = (value, ctx) => ({
  // `[]` is unset, as the official action reads it.
  runTaskCapacityProviderStrategy: (/^\[\s*\]$/.test(value)
    ? undefined
    : jsonInput(value, ctx, capacityProviderStrategyProblems)) as CapacityProviderItem[] | undefined,
});

export const parseRunTaskLaunchType: InputParser = (value, ctx) => ({
  runTaskLaunchType: parseEnum<RunTaskLaunchType>(
    value,
    ['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES'],
    ctx,
  ),
});

export const parseStartedBy: InputParser = (value, ctx) => {
  const startedBy = value || DEFAULT_STARTED_BY;
  if (!/^[A-Za-z0-9_/-]{1,128}$/.test(startedBy)) {
    ctx.fail(
      `"${startedBy}" is not valid: ECS takes up to 128 letters, digits, hyphens, underscores and slashes.`,
    );
  }
  return { runTaskStartedBy: startedBy };
};

export const parseRunTaskTags: InputParser = (value, ctx) => ({
  runTaskTags: (jsonInput(value, ctx, tagsProblems) as { key: string; value: string }[] | undefined) ?? [],
});

export const parseEbsVolumeName: InputParser = (value, ctx) => {
  if (value === '') return { runTaskEbsVolumeName: undefined };
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) {
    ctx.fail(`"${value}" is not a volume name: up to 255 letters, digits, hyphens and underscores.`);
  }
  return { runTaskEbsVolumeName: value };
};

export const parseEbsVolume: InputParser = (value, ctx) => {
  // `{}` is unset, as the official action reads it.
  const given = /^\{\s*\}$/.test(value) ? '' : value;
  const volume = jsonInput(given, ctx, ebsVolumeProblems);
  if (given !== '' && !ctx.raw('run-task-managed-ebs-volume-name')) {
    ctx.fail('needs run-task-managed-ebs-volume-name: the volume of the task definition it configures.');
  }
  if (given === '' && ctx.raw('run-task-managed-ebs-volume-name')) {
    // The official action warns and configures no volume; a migrated workflow behaves the same.
    ctx.warn(
      'run-task-managed-ebs-volume-name is ignored without run-task-managed-ebs-volume (the volume configuration, a JSON object with at least "roleArn"); no volume is configured.',
    );
    return { runTaskEbsVolume: undefined, runTaskEbsVolumeName: undefined };
  }
  return { runTaskEbsVolume: isObject(volume) ? (volume as JsonObject) : undefined };
};

export const parseWaitForTaskStopped: InputParser = (value, ctx) => ({
  waitForTaskStopped: parseBoolean(value, ctx) ?? false,
});

export const parseRunTaskCommand: InputParser = (value, ctx) => {
  if (value === '') return { runTaskCommand: undefined };
  const parsed = parseCommand(value);
  if ('error' in parsed) ctx.fail(parsed.error);
  return { runTaskCommand: 'args' in parsed ? parsed.args : undefined };
};

export const parseStopTaskOnTimeout: InputParser = (value, ctx) => ({
  stopTaskOnTimeout: parseBoolean(value, ctx) ?? false,
});
