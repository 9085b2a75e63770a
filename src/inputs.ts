// Action inputs -> one typed DeployRequest. Pure: the caller passes `core.getInput`, so this
// module can be tested with a plain function and never touches the runner. Every problem is
// collected and thrown together (ProblemsError), so a user fixes all of them in one round, and
// nothing is written to AWS when any input is wrong.

import { LOG_DRIVERS } from './taskdef/render.js';
import { parseCommand } from './inputs/command.js';
import { meaningfulLines, parseList, parsePairs, type PairSyntax, type ParsedPairs } from './inputs/lines.js';
import {
  clusterProblem,
  containerNameProblem,
  familyProblem,
  revisionProblem,
  roleArnProblem,
  serviceProblem,
  taskDefinitionArnProblem,
  variableNameProblem,
} from './inputs/shapes.js';
import { ProblemsError, type Problem } from './lib/problems.js';
import type {
  CircuitBreakerMode,
  DeployRequest,
  ImageChange,
  KeyValueChanges,
  OnTimeout,
  PropagateTags,
} from './lib/request.js';
import { checkImageSpec } from './taskdef/images.js';
import { envFileArnProblem, secretValueFromProblem } from './taskdef/references.js';
import { MAX_ENV_FILES } from './taskdef/rules-env.js';

/** Every input the action reads, in action.yml order. */
export const INPUT_NAMES = [
  'task-definition',
  'task-definition-arn',
  'task-definition-family',
  'task-definition-revision',
  'vars',
  'container-name',
  'image',
  'images',
  'environment-variables',
  'environment-variables-mode',
  'secrets',
  'env-files',
  'docker-labels',
  'command',
  'task-role-arn',
  'execution-role-arn',
  'log-configuration-log-driver',
  'log-configuration-options',
  'cluster',
  'service',
  'wait-for-service-stability',
  'wait-for-minutes',
  'force-new-deployment',
  'desired-count',
  'enable-ecs-managed-tags',
  'propagate-tags',
  'circuit-breaker',
  'on-timeout',
  'dry-run',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/**
 * The defaults, as action.yml declares them. They are applied here too because the runner fills
 * them in only when the action runs from action.yml; a caller (or a test) may pass '' instead.
 */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = {
  'environment-variables-mode': 'merge',
  cluster: 'default',
  'wait-for-service-stability': 'true',
  'wait-for-minutes': '30',
  'force-new-deployment': 'false',
  'on-timeout': 'fail',
  'dry-run': 'false',
};

/** Inputs that only mean something when a service is deployed. */
const DEPLOY_ONLY: InputName[] = [
  'cluster',
  'wait-for-service-stability',
  'wait-for-minutes',
  'force-new-deployment',
  'desired-count',
  'enable-ecs-managed-tags',
  'propagate-tags',
  'circuit-breaker',
  'on-timeout',
];

const MAX_WAIT_MINUTES = 360;

/** `a`, `a or b`, `a, b or c`. */
function oneOf(values: readonly string[], last = 'or'): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} ${last} ${values.at(-1)}`;
}

export function parseInputs(getInput: (name: string) => string): DeployRequest {
  // Read every input up front, unconditionally: the docs test relies on parseInputs asking for
  // exactly the inputs action.yml declares.
  const raw = {} as Record<InputName, string>;
  for (const name of INPUT_NAMES) raw[name] = (getInput(name) ?? '').trim();

  const problems: Problem[] = [];
  const fail = (input: InputName, message: string): void => {
    problems.push({ severity: 'error', input, message });
  };
  const value = (name: InputName): string => raw[name] || INPUT_DEFAULTS[name] || '';

  const parseBoolean = (name: InputName): boolean | undefined => {
    const v = value(name);
    if (v === '') return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    fail(name, `"${v}" is not a boolean; use true or false.`);
    return undefined;
  };
  // Enums are matched case-insensitively and returned in their canonical spelling.
  const parseEnum = <T extends string>(name: InputName, allowed: readonly T[]): T | undefined => {
    const v = value(name);
    if (v === '') return undefined;
    const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (found === undefined) fail(name, `"${v}" is not valid; use ${oneOf(allowed)}.`);
    return found;
  };
  /** Problems from a multi-line parser are already `line N: …` sentences. */
  const pairs = (name: InputName, syntax: PairSyntax): ParsedPairs => {
    const parsed = parsePairs(raw[name], syntax);
    for (const message of parsed.problems) fail(name, message);
    return parsed;
  };
  const changes = (parsed: ParsedPairs): KeyValueChanges => ({
    set: parsed.set.map(({ name, value: v }) => ({ name, value: v })),
    remove: parsed.remove.map(({ name }) => name),
  });

  // ---- deploy target first: other checks depend on whether there is a service ----
  const service = raw.service || undefined;
  if (service) {
    const reason = serviceProblem(service);
    if (reason) fail('service', reason);
  }

  // ---- where the task definition comes from ----
  const sources = (['task-definition', 'task-definition-arn', 'task-definition-family'] as const).filter(
    (name) => raw[name] !== '',
  );
  if (sources.length > 1) {
    fail(
      sources[0],
      `give only one of task-definition, task-definition-arn and task-definition-family; found ${oneOf(sources, 'and')}.`,
    );
  }
  if (sources.length === 0 && !service) {
    fail(
      'task-definition',
      'no task definition is given: set task-definition (a template file), task-definition-arn or task-definition-family, or set service to start from the task definition the service runs now.',
    );
  }
  const templatePath = raw['task-definition'] || undefined;
  let taskDefinitionRef: string | undefined;
  if (raw['task-definition-arn']) {
    const reason = taskDefinitionArnProblem(raw['task-definition-arn']);
    if (reason) fail('task-definition-arn', reason);
    taskDefinitionRef = raw['task-definition-arn'];
  }
  if (raw['task-definition-family']) {
    const family = raw['task-definition-family'];
    const reason = familyProblem(family);
    if (reason) fail('task-definition-family', reason);
    const revision = raw['task-definition-revision'];
    if (revision) {
      const revisionReason = revisionProblem(revision);
      if (revisionReason) fail('task-definition-revision', revisionReason);
    }
    taskDefinitionRef ??= revision ? `${family}:${revision}` : family;
  } else if (raw['task-definition-revision']) {
    fail(
      'task-definition-revision',
      'task-definition-revision needs task-definition-family; to start from a revision by its ARN, use task-definition-arn.',
    );
  }

  // ---- template variables ----
  const varsParsed = pairs('vars', {
    form: 'NAME=value',
    noun: 'variable',
    allowRemove: false,
    nameProblem: variableNameProblem,
  });
  if (raw.vars && !templatePath) {
    // A registered task definition has no placeholders left to fill; ignoring vars would hide a mistake.
    fail(
      'vars',
      'vars fill ${NAME} placeholders in a template, but task-definition (the template file) is not set.',
    );
  }
  const vars: Record<string, string> = {};
  for (const { name, value: v } of varsParsed.set) vars[name] = v;

  // ---- containers and images ----
  const containerNames: string[] = [];
  if (raw['container-name']) {
    const seen = new Set<string>();
    for (const part of raw['container-name'].split(',').map((s) => s.trim())) {
      if (part === '') {
        fail('container-name', `"${raw['container-name']}" has an empty name between commas.`);
        continue;
      }
      const reason = containerNameProblem(part);
      if (reason) fail('container-name', reason);
      else if (seen.has(part)) fail('container-name', `container "${part}" is listed twice.`);
      else {
        seen.add(part);
        containerNames.push(part);
      }
    }
  }

  // The same check rendering makes, here so that a malformed image stops the step before any AWS call.
  const images: ImageChange[] = [];
  if (raw.image) {
    const reason = checkImageSpec(raw.image);
    if (reason) fail('image', `"${raw.image}" is not a valid image reference: ${reason}.`);
    images.push({ image: raw.image, input: 'image' });
  }
  const imagesParsed = pairs('images', {
    form: 'container=image',
    noun: 'container',
    allowRemove: false,
    nameProblem: containerNameProblem,
  });
  for (const { line, name, value: image } of imagesParsed.set) {
    if (image === '') fail('images', `line ${line}: container "${name}" has no image after "=".`);
    else {
      const reason = checkImageSpec(image);
      if (reason) {
        fail(
          'images',
          `line ${line}: "${image}" for container "${name}" is not a valid image reference: ${reason}.`,
        );
      }
    }
    if (raw.image && containerNames.includes(name)) {
      fail(
        'images',
        `line ${line}: container "${name}" also gets the image from input 'image' (it is listed in container-name); give each container one image.`,
      );
    }
    images.push({ container: name, image, input: 'images' });
  }

  // ---- environment ----
  const environmentParsed = pairs('environment-variables', {
    form: 'NAME=value',
    noun: 'variable',
    allowRemove: true,
  });
  const environmentMode = parseEnum('environment-variables-mode', ['merge', 'replace'] as const) ?? 'merge';
  if (environmentMode === 'replace') {
    for (const { line } of environmentParsed.remove) {
      fail(
        'environment-variables',
        `line ${line}: a -NAME line has no effect with environment-variables-mode replace, which keeps only the variables given; delete the line.`,
      );
    }
    if (meaningfulLines(raw['environment-variables']).length === 0) {
      // Almost always an expression that came out empty; wiping every variable must be explicit.
      fail(
        'environment-variables-mode',
        'replace needs environment-variables: with none given, every variable of the container would be removed.',
      );
    }
  }

  const secretsParsed = pairs('secrets', { form: 'NAME=valueFrom', noun: 'secret', allowRemove: true });
  for (const { line, name, value: valueFrom } of secretsParsed.set) {
    const reason =
      valueFrom === '' ? `secret "${name}" has no valueFrom after "=".` : secretValueFromProblem(valueFrom);
    if (reason) fail('secrets', `line ${line}: ${reason}`);
  }

  const envFilesParsed = parseList(raw['env-files'], 'env file');
  for (const message of envFilesParsed.problems) fail('env-files', message);
  for (const { line, text } of [...envFilesParsed.add, ...envFilesParsed.remove]) {
    const reason = envFileArnProblem(text);
    if (reason) fail('env-files', `line ${line}: ${reason}`);
  }
  if (envFilesParsed.add.length > MAX_ENV_FILES) {
    fail(
      'env-files',
      `${envFilesParsed.add.length} files are given; a container takes at most ${MAX_ENV_FILES} environment files.`,
    );
  }

  // ---- the rest of the container ----
  const dockerLabels = pairs('docker-labels', { form: 'key=value', noun: 'label', allowRemove: true });

  let command: string[] | undefined;
  if (raw.command) {
    const parsed = parseCommand(raw.command);
    if ('error' in parsed) fail('command', parsed.error);
    else command = parsed.args;
  }

  const roleArn = (name: 'task-role-arn' | 'execution-role-arn'): string | undefined => {
    if (!raw[name]) return undefined;
    const reason = roleArnProblem(raw[name]);
    if (reason) fail(name, reason);
    return raw[name];
  };
  const taskRoleArn = roleArn('task-role-arn');
  const executionRoleArn = roleArn('execution-role-arn');

  let logDriver: string | undefined;
  if (/^logentries$/i.test(raw['log-configuration-log-driver'])) {
    // The official action still lists it, but the ECS API's LogDriver enum no longer has it:
    // registering would fail later, after the user waited for the rest of the step.
    fail(
      'log-configuration-log-driver',
      `"logentries" is not a log driver the ECS API accepts; use ${oneOf(LOG_DRIVERS)}.`,
    );
  } else {
    logDriver = parseEnum('log-configuration-log-driver', LOG_DRIVERS);
  }
  const logOptions = pairs('log-configuration-options', {
    form: 'key=value',
    noun: 'option',
    allowRemove: true,
  });

  // ---- deploy ----
  const cluster = value('cluster');
  {
    const reason = clusterProblem(cluster);
    if (reason) fail('cluster', reason);
  }
  const waitForServiceStability = parseBoolean('wait-for-service-stability') ?? true;

  let waitForMinutes = 30;
  {
    const v = value('wait-for-minutes');
    const minutes = /^(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(minutes) || minutes < 1 || minutes > MAX_WAIT_MINUTES) {
      fail(
        'wait-for-minutes',
        `"${v}" is not a number of minutes from 1 to ${MAX_WAIT_MINUTES} (fractions such as 7.5 are allowed).`,
      );
    } else {
      waitForMinutes = minutes;
    }
  }
  const forceNewDeployment = parseBoolean('force-new-deployment') ?? false;

  let desiredCount: number | undefined;
  if (raw['desired-count']) {
    const v = raw['desired-count'];
    if (/^\d+$/.test(v) && Number.isSafeInteger(Number(v))) desiredCount = Number(v);
    else fail('desired-count', `"${v}" is not a whole number of tasks (0 or more).`);
  }
  const enableEcsManagedTags = parseBoolean('enable-ecs-managed-tags');
  const propagateTags = parseEnum<PropagateTags>('propagate-tags', ['TASK_DEFINITION', 'SERVICE', 'NONE']);
  const circuitBreaker = parseEnum<CircuitBreakerMode>('circuit-breaker', ['rollback', 'enable', 'disable']);
  const onTimeout = parseEnum<OnTimeout>('on-timeout', ['fail', 'rollback']) ?? 'fail';
  const dryRun = parseBoolean('dry-run') ?? false;

  if (!service) {
    // The runner fills action.yml defaults in, so a value equal to its default cannot be told
    // from an unset input: only a value that changes something is an error.
    for (const name of DEPLOY_ONLY) {
      const v = raw[name];
      const isDefault = INPUT_DEFAULTS[name] !== undefined && v.toLowerCase() === INPUT_DEFAULTS[name];
      const sameNumber = name === 'wait-for-minutes' && Number(v) === Number(INPUT_DEFAULTS[name]);
      if (v !== '' && !isDefault && !sameNumber) {
        fail(name, `${name} applies to a service deployment, but service is not set.`);
      }
    }
  } else if (!waitForServiceStability) {
    if (waitForMinutes !== 30) {
      fail('wait-for-minutes', 'wait-for-minutes has no effect when wait-for-service-stability is false.');
    }
    if (onTimeout === 'rollback') {
      fail('on-timeout', 'on-timeout rollback has no effect when wait-for-service-stability is false.');
    }
  }

  if (problems.length > 0) {
    throw new ProblemsError(problems, 'The action inputs are not valid, so nothing was written to AWS');
  }

  return {
    templatePath,
    taskDefinitionRef,
    vars,
    containerNames,
    images,
    environment: changes(environmentParsed),
    environmentMode,
    envFiles: {
      add: envFilesParsed.add.map(({ text }) => text),
      remove: envFilesParsed.remove.map(({ text }) => text),
    },
    secrets: changes(secretsParsed),
    dockerLabels: changes(dockerLabels),
    command,
    taskRoleArn,
    executionRoleArn,
    logDriver,
    logOptions: changes(logOptions),
    cluster,
    service,
    waitForServiceStability,
    waitForMinutes,
    forceNewDeployment,
    desiredCount,
    enableEcsManagedTags,
    propagateTags,
    circuitBreaker,
    onTimeout,
    dryRun,
  };
}
