// Applies the request's changes to a base task definition: images per container, environment,
// secrets, env files, docker labels, log configuration, command and role ARNs. Pure: the base
// is never touched, unknown fields pass through, and every error is collected before one
// ProblemsError is thrown, each naming the input that caused it.

import { errorsOf, ProblemsError, type Problem } from '../lib/problems.js';
import type { DeployRequest, ImageChange } from '../lib/request.js';
import {
  applyCommand,
  applyDockerLabels,
  applyEnvFiles,
  applyEnvironment,
  applyLogConfiguration,
  applySecrets,
  type ContainerTarget,
  type Sink,
} from './containers.js';
import { applyImageSpec, checkImageSpec } from './images.js';
import { cloneJson, formatPath, isObject, type JsonObject } from '../lib/json.js';

export type RenderChanges = Pick<
  DeployRequest,
  | 'containerNames'
  | 'images'
  | 'environment'
  | 'environmentMode'
  | 'envFiles'
  | 'secrets'
  | 'dockerLabels'
  | 'command'
  | 'taskRoleArn'
  | 'executionRoleArn'
  | 'logDriver'
  | 'logOptions'
>;

export interface RenderResult {
  taskDefinition: JsonObject;
  /** Warnings (renderTaskDefinition throws its errors), or errors and warnings (renderWithProblems). */
  problems: Problem[];
}

/** The ECS LogDriver enum (SDK 3.1164.0). */
export const LOG_DRIVERS = [
  'awsfirelens',
  'awslogs',
  'fluentd',
  'gelf',
  'journald',
  'json-file',
  'splunk',
  'syslog',
] as const;
export type LogDriver = (typeof LOG_DRIVERS)[number];

/**
 * The ECS log driver `value` names, or undefined: the one rule for the input (which accepts any
 * letter case and passes the canonical spelling on) and for the render (which gets it as is).
 */
export function findLogDriver(value: string, { ignoreCase = false } = {}): LogDriver | undefined {
  const wanted = ignoreCase ? value.toLowerCase() : value;
  return LOG_DRIVERS.find((driver) => driver === wanted);
}

/** The inputs whose changes go to the target container(s), i.e. need `container-name` when there are several. */
function perContainerInputs(changes: RenderChanges): string[] {
  const kv = (c: { set: unknown[]; remove: unknown[] }): boolean => c.set.length > 0 || c.remove.length > 0;
  const inputs: [string, boolean][] = [
    ['image', changes.images.some((i) => i.container === undefined)],
    ['environment-variables', kv(changes.environment) || changes.environmentMode === 'replace'],
    ['env-files', changes.envFiles.add.length > 0 || changes.envFiles.remove.length > 0],
    ['secrets', kv(changes.secrets)],
    ['docker-labels', kv(changes.dockerLabels)],
    ['command', changes.command !== undefined],
    ['log-configuration-log-driver', changes.logDriver !== undefined],
    ['log-configuration-options', kv(changes.logOptions)],
  ];
  return inputs.filter(([, given]) => given).map(([input]) => input);
}

const quoteList = (names: string[]): string => names.map((n) => `'${n}'`).join(', ');

type ReportError = (input: string, message: string) => void;

/** Names a list both sets and removes. The inputs refuse any name given twice; a caller building
 * changes by hand gets this instead. */
function namesSetAndRemoved(c: { set: { name: string }[]; remove: string[] }): string[] {
  return [...new Set(c.remove.filter((name) => c.set.some((s) => s.name === name)))];
}

/**
 * Problems in the changes themselves, independent of the task definition. Returns the image
 * changes that are malformed, so that applying them is skipped without checking them again.
 */
function checkChanges(changes: RenderChanges, error: ReportError): Set<ImageChange> {
  const both: [string, { set: { name: string }[]; remove: string[] }][] = [
    ['environment-variables', changes.environment],
    ['secrets', changes.secrets],
    ['docker-labels', changes.dockerLabels],
    ['log-configuration-options', changes.logOptions],
  ];
  for (const [input, c] of both) {
    const names = namesSetAndRemoved(c);
    if (names.length)
      error(
        input,
        `${quoteList(names)} ${names.length === 1 ? 'is' : 'are'} both set and removed; keep one.`,
      );
  }
  const addedAndRemoved = changes.envFiles.add.filter((arn) => changes.envFiles.remove.includes(arn));
  if (addedAndRemoved.length)
    error(
      'env-files',
      `${quoteList(addedAndRemoved)} ${addedAndRemoved.length === 1 ? 'is' : 'are'} both added and removed; keep one.`,
    );
  if (changes.logDriver !== undefined && findLogDriver(changes.logDriver) === undefined) {
    error(
      'log-configuration-log-driver',
      `'${changes.logDriver}' is not an ECS log driver; use one of ${LOG_DRIVERS.join(', ')}.`,
    );
  }
  const malformed = new Set<ImageChange>();
  for (const change of changes.images) {
    // checkImageSpec is the rule the image and images inputs apply too.
    const reason = checkImageSpec(change.image);
    const who = change.container !== undefined ? ` for container '${change.container}'` : '';
    if (reason) {
      malformed.add(change);
      error(change.input, `Image '${change.image}'${who} is not a valid image reference: ${reason}.`);
    }
  }
  return malformed;
}

/** The named containers of a task definition, and how to say which there are. */
interface Containers {
  all: ContainerTarget[];
  names: string[];
  /** `its containers are 'a', 'b'`, for messages about a container that is not there. */
  existing: string;
  byName(name: string): ContainerTarget[];
}

function containersOf(taskDefinition: JsonObject): Containers {
  const list = Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : [];
  const all: ContainerTarget[] = [];
  list.forEach((container, index) => {
    if (isObject(container) && typeof container.name === 'string')
      all.push({ index, name: container.name, container });
  });
  const names = [...new Set(all.map((c) => c.name))];
  return {
    all,
    names,
    existing: names.length ? `its containers are ${quoteList(names)}` : 'it has no named containers',
    byName: (name) => all.filter((c) => c.name === name),
  };
}

/** The target container(s): container-name, or the only container. */
function chooseTargets(changes: RenderChanges, containers: Containers, sink: Sink): ContainerTarget[] {
  if (changes.containerNames.length > 0) {
    const targets: ContainerTarget[] = [];
    for (const name of [...new Set(changes.containerNames)]) {
      const found = containers.byName(name);
      if (found.length === 0)
        sink.error(
          'container-name',
          '',
          `Container '${name}' is not in the task definition; ${containers.existing}.`,
        );
      targets.push(...found);
    }
    return targets;
  }
  if (containers.all.length === 1) return containers.all;
  const count = containers.all.length;
  const why =
    count === 0
      ? 'The task definition has no named containers'
      : `The task definition has ${count} containers (${quoteList(containers.names)})`;
  for (const input of perContainerInputs(changes)) {
    sink.error(
      input,
      '',
      count === 0
        ? `${why}, so '${input}' has nothing to apply to.`
        : `${why}; give 'container-name' to say which of them '${input}' applies to.`,
    );
  }
  return [];
}

interface ImageOptions {
  targets: ContainerTarget[];
  containers: Containers;
  /** Changes already reported as malformed. */
  skip: Set<ImageChange>;
  sink: Sink;
}

/** `images` lines name their container; `image` goes to the target(s). One image per container. */
function applyImages(changes: ImageChange[], { targets, containers, skip, sink }: ImageOptions): void {
  const imageFrom = new Map<number, string>();
  for (const change of changes) {
    if (skip.has(change)) continue;
    let chosen = targets;
    if (change.container !== undefined) {
      chosen = containers.byName(change.container);
      if (chosen.length === 0) {
        sink.error(
          change.input,
          '',
          `Container '${change.container}' is not in the task definition; ${containers.existing}.`,
        );
      }
    }
    for (const target of chosen) {
      const path = formatPath(['containerDefinitions', target.index, 'image']);
      const before = imageFrom.get(target.index);
      if (before !== undefined) {
        const where =
          before === change.input ? `twice in '${before}'` : `in both '${before}' and '${change.input}'`;
        sink.error(
          change.input,
          path,
          `Container '${target.name}' is given an image ${where}; give each container one image.`,
        );
        continue;
      }
      imageFrom.set(target.index, change.input);
      const result = applyImageSpec(target.container.image, change.image);
      if (result.ok) target.container.image = result.value;
      else
        sink.error(
          change.input,
          path,
          `Image '${change.image}' for container '${target.name}' cannot be applied: ${result.reason}.`,
        );
    }
  }
}

/** Everything but the image that goes to the target container(s). */
function applyToTargets(targets: ContainerTarget[], changes: RenderChanges, sink: Sink): void {
  if (changes.environmentMode === 'replace' && changes.environment.remove.length > 0) {
    sink.warning(
      'environment-variables',
      '',
      `The lines that remove ${quoteList(changes.environment.remove)} are ignored: with environment-variables-mode 'replace' the environment is exactly the variables given.`,
    );
  }
  // An unknown driver is already an error; applying it would only add confusing warnings.
  const logDriver = changes.logDriver === undefined ? undefined : findLogDriver(changes.logDriver);
  for (const target of targets) {
    applyEnvironment(target, changes.environment, changes.environmentMode, sink);
    applySecrets(target, changes.secrets, sink);
    applyEnvFiles(target, changes.envFiles, sink);
    applyDockerLabels(target, changes.dockerLabels, sink);
    applyLogConfiguration(target, logDriver, changes.logOptions, sink);
    applyCommand(target, changes.command);
  }
}

/** renderTaskDefinition, throwing its errors (with the warnings) as one ProblemsError. */
export function renderTaskDefinition(base: JsonObject, changes: RenderChanges): RenderResult {
  const { taskDefinition, problems } = renderWithProblems(base, changes);
  if (errorsOf(problems).length) throw new ProblemsError(problems);
  return { taskDefinition, problems };
}

/**
 * The inputs applied to the base, errors and warnings returned, not thrown: a change that cannot
 * be applied is left out, so validation can still run on the rest and report in the same round.
 */
export function renderWithProblems(base: JsonObject, changes: RenderChanges): RenderResult {
  const taskDefinition = cloneJson(base);
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const problem = (input: string, path: string | undefined, message: string): Problem => ({
    severity: 'error',
    input,
    message,
    ...(path ? { path } : {}),
  });
  const sink: Sink = {
    error: (input, path, message) => errors.push(problem(input, path, message)),
    warning: (input, path, message) =>
      warnings.push({ ...problem(input, path, message), severity: 'warning' }),
  };

  const malformed = checkChanges(changes, (input, message) =>
    errors.push(problem(input, undefined, message)),
  );
  const containers = containersOf(taskDefinition);
  const targets = chooseTargets(changes, containers, sink);
  applyImages(changes.images, { targets, containers, skip: malformed, sink });
  applyToTargets(targets, changes, sink);

  // ---- task level ----
  if (changes.taskRoleArn !== undefined) taskDefinition.taskRoleArn = changes.taskRoleArn;
  if (changes.executionRoleArn !== undefined) taskDefinition.executionRoleArn = changes.executionRoleArn;

  return { taskDefinition, problems: [...errors, ...warnings] };
}
