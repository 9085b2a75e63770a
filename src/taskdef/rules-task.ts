// Task-level rules (docs/ecs-behaviour.md, "Task definition rules"): family, compatibilities, network mode,
// task size and the Fargate table, roles, tags, ephemeral storage, and the 64 KiB size limit.

import {
  describeValues,
  FARGATE_SIZES,
  fargateSizeProblem,
  parseCpuUnits,
  parseMemoryMiB,
} from './fargate.js';
import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import {
  checkRange,
  expectKind,
  readerOf,
  readObjects,
  type Reporter,
  type TaskFacts,
} from './rules-read.js';

export const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];
export const NETWORK_MODES = ['awsvpc', 'bridge', 'host', 'none'];
/**
 * Letters, digits, `_` and `-`, up to 255: the rule ECS has for task definition families and
 * container, cluster and service names. A pattern source (no anchors), for building ARN patterns.
 */
export const ECS_NAME = '[A-Za-z0-9_-]{1,255}';
export const NAME_PATTERN = new RegExp(`^${ECS_NAME}$`);
/** Task definition size quota (docs/ecs-behaviour.md, "Names and sizes"), not adjustable. */
export const MAX_TASK_DEFINITION_BYTES = 64 * 1024;

// On EC2 the task cpu ranges 128 to 196608 units (192 vCPU), per the current API doc (docs/ecs-behaviour.md, "Fargate task sizes").
const EC2_CPU_MIN = 128;
const EC2_CPU_MAX = 196608;

/** Bytes of the JSON ECS receives: what the 64 KiB quota is measured against. */
export function taskDefinitionSize(td: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(td), 'utf8');
}

/** Checks the task-level fields and returns what the container rules need to know. */
export function checkTaskLevel(td: JsonObject, r: Reporter): Omit<TaskFacts, 'containers'> {
  checkFamily(td, r);
  const fargate = readCompatibilities(td, r).includes('FARGATE');
  const networkMode = readNetworkMode(td, fargate, r);
  const { cpu, memory } = readTaskSize(td, fargate, r);
  const hasExecutionRole = checkRoles(td, r);
  checkTags(td, r);
  checkEphemeralStorage(td, r);
  return { td, fargate, networkMode, cpu, memory, hasExecutionRole };
}

function checkFamily(td: JsonObject, r: Reporter): void {
  const family = readerOf(td, [], r)('family', 'string');
  if (td.family === undefined || td.family === null) {
    r.error(
      ['family'],
      'family is required: give the task definition family name (letters, digits, _ and -, up to 255).',
    );
  } else if (family !== undefined && !NAME_PATTERN.test(family)) {
    r.error(
      ['family'],
      `family '${family}' is not valid: use 1 to 255 letters, digits, underscores (_) and hyphens (-).`,
    );
  }
}

function readCompatibilities(td: JsonObject, r: Reporter): string[] {
  const list = readerOf(td, [], r)('requiresCompatibilities', 'array') ?? [];
  const out: string[] = [];
  list.forEach((value, i) => {
    const path = ['requiresCompatibilities', i];
    const v = expectKind(value, 'string', path, r);
    if (v === undefined) return;
    if (!COMPATIBILITIES.includes(v)) {
      r.error(
        path,
        `requiresCompatibilities value '${v}' is not valid: use EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.`,
      );
    }
    out.push(v);
  });
  return out;
}

function readNetworkMode(td: JsonObject, fargate: boolean, r: Reporter): string {
  const mode = readerOf(td, [], r)('networkMode', 'string');
  if (mode !== undefined && !NETWORK_MODES.includes(mode)) {
    r.error(['networkMode'], `networkMode '${mode}' is not valid: use awsvpc, bridge, host or none.`);
  }
  if (fargate && mode !== 'awsvpc') {
    // ECS rejects an omitted networkMode too: it does not default to awsvpc for Fargate (docs/ecs-behaviour.md, "Network modes and ports").
    const now = mode === undefined ? 'it is not set' : `it is '${mode}'`;
    r.error(
      ['networkMode'],
      `Fargate only supports network mode 'awsvpc'. Set networkMode to "awsvpc" (${now}).`,
    );
  }
  // Port rules follow the mode the task will run with: Fargate's required awsvpc, EC2's default bridge.
  if (mode !== undefined && NETWORK_MODES.includes(mode)) return mode;
  return fargate ? 'awsvpc' : 'bridge';
}

function readTaskSize(td: JsonObject, fargate: boolean, r: Reporter): { cpu?: number; memory?: number } {
  const read = readerOf(td, [], r);
  const cpuText = read('cpu', 'string');
  const memoryText = read('memory', 'string');
  const cpu = cpuText === undefined ? undefined : parseCpuUnits(cpuText);
  const memory = memoryText === undefined ? undefined : parseMemoryMiB(memoryText);
  if (cpuText !== undefined && cpu === undefined) {
    r.error(
      ['cpu'],
      `cpu '${cpuText}' is not valid: give CPU units such as "1024" or vCPUs such as "1 vCPU".`,
    );
  }
  if (memoryText !== undefined && memory === undefined) {
    r.error(['memory'], `memory '${memoryText}' is not valid: give MiB such as "2048" or GB such as "2 GB".`);
  }
  if (fargate) checkFargateSize(td, { cpuText, memoryText, cpu, memory }, r);
  else if (cpu !== undefined && (cpu < EC2_CPU_MIN || cpu > EC2_CPU_MAX)) {
    r.error(
      ['cpu'],
      `Task cpu ${cpu} is out of range: ECS accepts ${EC2_CPU_MIN} to ${EC2_CPU_MAX} CPU units.`,
    );
  }
  return { cpu, memory };
}

/** The task size as written (`cpuText`, `memoryText`) and as parsed (undefined when not parseable). */
interface TaskSize {
  cpuText?: string;
  memoryText?: string;
  cpu?: number;
  memory?: number;
}

function checkFargateSize(td: JsonObject, size: TaskSize, r: Reporter): void {
  const { cpuText, memoryText, cpu, memory } = size;
  if (td.cpu === undefined || td.cpu === null) {
    r.error(
      ['cpu'],
      `Fargate requires that 'cpu' be defined at the task level. Set cpu, e.g. "256" (.25 vCPU) or "1024" (1 vCPU).`,
    );
  }
  if (td.memory === undefined || td.memory === null) {
    const options = cpu !== undefined ? FARGATE_SIZES.get(cpu) : undefined;
    const hint = options ? `; with cpu ${cpu} use ${describeValues(options)}` : ', e.g. "512" or "2 GB"';
    r.error(
      ['memory'],
      `Fargate requires that 'memory' be defined at the task level. Set memory in MiB${hint}.`,
    );
  }
  if (cpuText === undefined || memoryText === undefined || cpu === undefined || memory === undefined) return;
  const problem = fargateSizeProblem(cpu, memory);
  // Point at memory when the cpu is a Fargate size (the memory is what to change), else at cpu.
  if (problem) r.error([FARGATE_SIZES.has(cpu) ? 'memory' : 'cpu'], problem);
  const os = isObject(td.runtimePlatform) ? td.runtimePlatform.operatingSystemFamily : undefined;
  if (typeof os === 'string' && os.startsWith('WINDOWS') && cpu < 1024) {
    r.error(['cpu'], `Windows on Fargate needs at least 1 vCPU; set cpu to 1024 or more (it is ${cpu}).`);
  }
}

// IAM role ARNs; ECS needs the ARN, not the role name.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function checkRoles(td: JsonObject, r: Reporter): boolean {
  let hasExecutionRole = false;
  for (const key of ['executionRoleArn', 'taskRoleArn']) {
    const arn = readerOf(td, [], r)(key, 'string');
    if (arn === undefined) continue;
    if (!ROLE_ARN.test(arn)) {
      r.error([key], `${key} '${arn}' is not an IAM role ARN: use arn:aws:iam::<account>:role/<name>.`);
    }
    if (key === 'executionRoleArn' && arn !== '') hasExecutionRole = true;
  }
  return hasExecutionRole;
}

const MAX_TAGS = 50;

function checkTags(td: JsonObject, r: Reporter): void {
  const tags = readObjects(td, 'tags', [], r);
  const count = Array.isArray(td.tags) ? td.tags.length : 0;
  if (count > MAX_TAGS)
    r.error(['tags'], `The task definition has ${count} tags; ECS allows at most ${MAX_TAGS}.`);
  for (const { item, path } of tags) {
    const read = readerOf(item, path, r);
    const key = read('key', 'string');
    const value = read('value', 'string');
    if (key === undefined) {
      if (item.key === undefined || item.key === null)
        r.error(path, 'Each tag needs a key (1 to 128 characters).');
      continue;
    }
    if (key.length < 1 || key.length > 128) {
      r.error([...path, 'key'], `Tag key '${key}' has ${key.length} characters; use 1 to 128.`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      r.error([...path, 'key'], `Tag key '${key}' uses the reserved prefix 'aws:'; choose a key without it.`);
    }
    if (value !== undefined && value.length > 256) {
      r.error(
        [...path, 'value'],
        `The value of tag '${key}' has ${value.length} characters; ECS allows at most 256.`,
      );
    }
  }
}

function checkEphemeralStorage(td: JsonObject, r: Reporter): void {
  const storage = readerOf(td, [], r)('ephemeralStorage', 'object');
  if (!storage) return;
  const path = ['ephemeralStorage', 'sizeInGiB'];
  const size = readerOf(storage, ['ephemeralStorage'], r)('sizeInGiB', 'integer');
  if (storage.sizeInGiB === undefined || storage.sizeInGiB === null) {
    r.error(
      path,
      'ephemeralStorage needs sizeInGiB (21 to 200), or remove ephemeralStorage for the default 20 GiB.',
    );
  }
  checkRange({ value: size, min: 21, max: 200, path, what: 'ephemeralStorage.sizeInGiB', unit: 'GiB' }, r);
}

/** The whole registered JSON must fit in 64 KiB. Reported without a path: it is about the file. */
export function checkSize(td: JsonObject, r: Reporter): void {
  const bytes = taskDefinitionSize(td);
  if (bytes > MAX_TASK_DEFINITION_BYTES) {
    r.error(
      [],
      `The task definition is ${bytes} bytes of JSON; ECS accepts at most ${MAX_TASK_DEFINITION_BYTES} bytes (64 KiB). ` +
        'Move large values out of it, e.g. environment variables into an S3 environment file.',
    );
  }
}
