// Container rules (docs/ecs-behaviour.md, "Names and sizes", "Network modes and ports", "Containers"): the list itself, names, images,
// essential, memory and cpu against the task size, timeouts, and fields a network mode forbids.

import { formatPath, type JsonObject } from '../lib/json.js';
import { imageReferenceProblem } from './images.js';
import {
  expectKind,
  readerOf,
  readObjects,
  type Container,
  type Reporter,
  type TaskFacts,
} from './rules-read.js';
import { NAME_PATTERN } from './rules-task.js';

/** Containers per task definition (docs/ecs-behaviour.md, "Names and sizes"), not adjustable. */
export const MAX_CONTAINERS = 10;
/** Docker 20.10+ reserves 6 MiB per container, so less cannot start (docs/ecs-behaviour.md, "cpu and memory"). */
export const MIN_CONTAINER_MEMORY = 6;

const LIST = ['containerDefinitions'];

/** The container definitions that are objects; problems with the list itself are reported. */
export function collectContainers(td: JsonObject, r: Reporter): Container[] {
  if (td.containerDefinitions === undefined || td.containerDefinitions === null) {
    r.error(LIST, 'containerDefinitions is required: give at least one container definition.');
    return [];
  }
  const list = readerOf(td, [], r)('containerDefinitions', 'array');
  if (!list) return [];
  if (list.length === 0)
    r.error(LIST, 'containerDefinitions is empty: a task definition needs at least one container.');
  if (list.length > MAX_CONTAINERS) {
    r.error(
      LIST,
      `The task definition has ${list.length} containers; ECS allows at most ${MAX_CONTAINERS} (a fixed quota). ` +
        'Split them over several task definitions or services.',
    );
  }
  return readObjects(td, 'containerDefinitions', [], r).map(({ item, path, index }) => {
    const name = expectKind(item.name, 'string', [...path, 'name'], r);
    const essential = expectKind(item.essential, 'boolean', [...path, 'essential'], r);
    return {
      index,
      path,
      def: item,
      name,
      label: name ? `Container '${name}'` : `Container ${formatPath(path)}`,
      essential: essential !== false,
    };
  });
}

export function checkContainers(facts: TaskFacts, r: Reporter): void {
  checkNames(facts.containers, r);
  for (const c of facts.containers) {
    checkImage(c, r);
    checkContainerMemory(c, facts, r);
    checkTimeouts(c, facts.fargate, r);
    checkNetworkFields(c, facts.networkMode, r);
  }
  if (facts.containers.length > 0 && !facts.containers.some((c) => c.essential)) {
    r.error(
      LIST,
      'No container is essential: every task definition needs at least one essential container. ' +
        'essential defaults to true, so remove "essential": false from the main container.',
    );
  }
  checkTotals(facts, r);
}

function checkNames(containers: Container[], r: Reporter): void {
  const seen = new Map<string, Container>();
  for (const c of containers) {
    const path = [...c.path, 'name'];
    if (c.def.name === undefined || c.def.name === null) {
      r.error(path, `${c.label} has no name: set name (letters, digits, _ and -, up to 255).`);
      continue;
    }
    if (c.name === undefined) continue;
    if (!NAME_PATTERN.test(c.name)) {
      r.error(
        path,
        `Container name '${c.name}' is not valid: use 1 to 255 letters, digits, underscores (_) and hyphens (-).`,
      );
    }
    const first = seen.get(c.name);
    if (first) {
      r.error(
        path,
        `Container name '${c.name}' is also used by ${formatPath(first.path)}; each container needs a unique name.`,
      );
    } else seen.set(c.name, c);
  }
}

function checkImage(c: Container, r: Reporter): void {
  const path = [...c.path, 'image'];
  if (c.def.image === undefined || c.def.image === null) {
    r.error(
      path,
      `${c.label} has no image: set image, e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3".`,
    );
    return;
  }
  const image = expectKind(c.def.image, 'string', path, r);
  if (image === undefined) return;
  if (image.trim() === '') {
    // Usually a placeholder that came out empty.
    r.error(
      path,
      `${c.label} image is empty: give a reference such as my-repo:1.2.3 or my-repo@sha256:<digest>.`,
    );
    return;
  }
  const problem = imageReferenceProblem(image);
  if (problem) r.error(path, `${c.label} image '${image}' is not a valid image reference: ${problem}.`);
}

function checkContainerMemory(c: Container, facts: TaskFacts, r: Reporter): void {
  const read = readerOf(c.def, c.path, r);
  const memory = read('memory', 'integer');
  const reservation = read('memoryReservation', 'integer');
  const cpu = read('cpu', 'integer');
  for (const [key, value] of [
    ['memory', memory],
    ['memoryReservation', reservation],
  ] as const) {
    if (value !== undefined && value < MIN_CONTAINER_MEMORY) {
      r.error(
        [...c.path, key],
        `${c.label} ${key} ${value} MiB is less than the ${MIN_CONTAINER_MEMORY} MiB Docker reserves for a container; use at least ${MIN_CONTAINER_MEMORY}.`,
      );
    }
  }
  if (memory !== undefined && reservation !== undefined && memory <= reservation) {
    r.error(
      [...c.path, 'memory'],
      `${c.label} memory (${memory} MiB) must be greater than memoryReservation (${reservation} MiB); raise memory or lower memoryReservation.`,
    );
  }
  // Fargate already requires task memory; repeating this per container would only add noise.
  const unset = (v: unknown) => v === undefined || v === null;
  if (
    facts.memory === undefined &&
    unset(facts.td.memory) &&
    !facts.fargate &&
    unset(c.def.memory) &&
    unset(c.def.memoryReservation)
  ) {
    r.error(
      c.path,
      `Invalid setting for container '${c.name ?? c.index}'. At least one of 'memory' or 'memoryReservation' must be specified. ` +
        'Set memory (hard limit, MiB) or memoryReservation (soft limit) on the container, or memory on the task.',
    );
  }
  if (cpu !== undefined && cpu < 0)
    r.error([...c.path, 'cpu'], `${c.label} cpu ${cpu} must not be negative.`);
}

/** Container hard limits, reservations and cpu must fit in the task's memory and cpu when set. */
function checkTotals(facts: TaskFacts, r: Reporter): void {
  const sum = (pick: (def: JsonObject) => unknown) =>
    facts.containers.reduce((total, c) => {
      const v = pick(c.def);
      return typeof v === 'number' && Number.isInteger(v) ? total + v : total;
    }, 0);
  if (facts.memory !== undefined) {
    const hard = sum((d) => d.memory);
    const reserved = sum((d) => (typeof d.memoryReservation === 'number' ? d.memoryReservation : d.memory));
    if (hard > facts.memory) {
      r.error(
        LIST,
        `The containers' memory limits add up to ${hard} MiB, more than the task memory of ${facts.memory} MiB; ` +
          'lower a container memory or raise the task memory.',
      );
    } else if (reserved > facts.memory) {
      r.error(
        LIST,
        `The containers' memory reservations add up to ${reserved} MiB, more than the task memory of ${facts.memory} MiB; ` +
          'lower a container memoryReservation or raise the task memory.',
      );
    }
  }
  if (facts.cpu !== undefined) {
    const cpu = sum((d) => d.cpu);
    if (cpu > facts.cpu) {
      r.error(
        LIST,
        `The containers' cpu adds up to ${cpu} units, more than the task cpu of ${facts.cpu}; lower a container cpu or raise the task cpu.`,
      );
    }
  }
}

function checkTimeouts(c: Container, fargate: boolean, r: Reporter): void {
  const read = readerOf(c.def, c.path, r);
  for (const key of ['startTimeout', 'stopTimeout']) {
    const value = read(key, 'integer');
    if (value === undefined) continue;
    if (fargate && (value < 2 || value > 120)) {
      r.error(
        [...c.path, key],
        `${c.label} ${key} ${value} is out of range for Fargate: use 2 to 120 seconds.`,
      );
    } else if (value < 0) {
      r.error([...c.path, key], `${c.label} ${key} ${value} must not be negative.`);
    }
  }
}

/** links need bridge; hostname and extraHosts are not supported with awsvpc (docs/ecs-behaviour.md, "Network modes and ports"). */
function checkNetworkFields(c: Container, networkMode: string, r: Reporter): void {
  const links = readerOf(c.def, c.path, r)('links', 'array');
  if (links && links.length > 0 && networkMode !== 'bridge') {
    r.error(
      [...c.path, 'links'],
      `${c.label} uses links, which only work with networkMode bridge (this task uses ${networkMode}); ` +
        'remove links and reach the other containers on localhost.',
    );
  }
  if (networkMode !== 'awsvpc') return;
  for (const key of ['hostname', 'extraHosts']) {
    if (c.def[key] !== undefined && c.def[key] !== null) {
      r.error(
        [...c.path, key],
        `${c.label} sets ${key}, which is not supported with networkMode awsvpc; remove it.`,
      );
    }
  }
}
