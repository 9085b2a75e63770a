// healthCheck and dependsOn (docs/ecs-behaviour.md, "Containers"; ranges from the SDK HealthCheck doc).
// They belong together: a HEALTHY dependency needs the target's health check.

import type { JsonPath, JsonValue } from '../lib/json.js';
import {
  checkRange,
  expectKind,
  readerOf,
  readObjects,
  type Container,
  type Reporter,
  type TaskFacts,
} from './rules-read.js';

const CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];
const EXAMPLE = '["CMD-SHELL", "curl -f http://localhost/ || exit 1"]';
// Docker's defaults, which ECS applies when a field is omitted.
const DEFAULT_INTERVAL = 30;
const DEFAULT_TIMEOUT = 5;

const unset = (v: unknown) => v === undefined || v === null;

export function checkHealthCheck(c: Container, r: Reporter): void {
  const hc = readerOf(c.def, c.path, r)('healthCheck', 'object');
  if (!hc) return;
  const path = [...c.path, 'healthCheck'];
  checkCommand(c, hc.command, [...path, 'command'], r);
  const read = readerOf(hc, path, r);
  const interval = read('interval', 'integer');
  const timeout = read('timeout', 'integer');
  const retries = read('retries', 'integer');
  const startPeriod = read('startPeriod', 'integer');
  const field = (key: string): { path: JsonPath; what: string } => ({
    path: [...path, key],
    what: `${c.label} healthCheck.${key}`,
  });
  checkRange({ value: interval, min: 5, max: 300, ...field('interval'), unit: 'seconds' }, r);
  checkRange({ value: timeout, min: 2, max: 60, ...field('timeout'), unit: 'seconds' }, r);
  checkRange({ value: retries, min: 1, max: 10, ...field('retries') }, r);
  checkRange({ value: startPeriod, min: 0, max: 300, ...field('startPeriod'), unit: 'seconds' }, r);
  // Not an ECS rule (the reference has none), so only a warning: Docker waits for a slow check
  // before the next one, so a timeout at or above the interval makes checks run less often.
  const i = interval ?? DEFAULT_INTERVAL;
  const t = timeout ?? DEFAULT_TIMEOUT;
  if (t >= i && i >= 5 && t <= 60) {
    r.warn(
      [...path, hc.timeout === undefined ? 'interval' : 'timeout'],
      `${c.label} healthCheck.timeout (${t} s) is not shorter than its interval (${i} s), so a hanging check delays the next one; make timeout shorter than interval.`,
    );
  }
}

function checkCommand(c: Container, value: JsonValue | undefined, path: JsonPath, r: Reporter): void {
  const start = 'give an array that starts with "CMD" or "CMD-SHELL"';
  if (unset(value)) {
    r.error(path, `${c.label} healthCheck has no command; ${start}, e.g. ${EXAMPLE}.`);
    return;
  }
  if (typeof value === 'string') {
    r.error(path, `${c.label} healthCheck.command must be an array, not a string; e.g. ${EXAMPLE}.`);
    return;
  }
  const command = expectKind(value, 'array', path, r);
  if (!command) return;
  if (command.length === 0) {
    r.error(path, `${c.label} healthCheck.command is empty; ${start}, e.g. ${EXAMPLE}.`);
    return;
  }
  command.forEach((part, i) => expectKind(part, 'string', [...path, i], r));
  const first = command[0];
  if (typeof first !== 'string') return;
  // The command itself is not quoted back: it may carry credentials (curl -u user:pass).
  if (first !== 'CMD' && first !== 'CMD-SHELL') {
    r.error(
      [...path, 0],
      `${c.label} healthCheck.command must start with "CMD" or "CMD-SHELL"; e.g. ${EXAMPLE}.`,
    );
  } else if (command.length === 1) {
    r.error(path, `${c.label} healthCheck.command has only "${first}"; add the command to run after it.`);
  }
}

export function checkDependencies(facts: TaskFacts, r: Reporter): void {
  const byName = new Map<string, Container>();
  for (const c of facts.containers) if (c.name && !byName.has(c.name)) byName.set(c.name, c);
  const edges = new Map<string, { target: string; path: JsonPath }[]>();

  for (const c of facts.containers) {
    for (const { item, path } of readObjects(c.def, 'dependsOn', c.path, r)) {
      const read = readerOf(item, path, r);
      const target = read('containerName', 'string');
      const condition = read('condition', 'string');
      if (unset(item.containerName)) {
        r.error(
          path,
          `${c.label} has a dependsOn entry without containerName; name the container it waits for.`,
        );
      }
      if (unset(item.condition)) {
        r.error(
          path,
          `${c.label} has a dependsOn entry without condition; use START, COMPLETE, SUCCESS or HEALTHY.`,
        );
      } else if (condition !== undefined && !CONDITIONS.includes(condition)) {
        r.error(
          [...path, 'condition'],
          `dependsOn condition '${condition}' is not valid: use START, COMPLETE, SUCCESS or HEALTHY.`,
        );
      }
      if (target === undefined) continue;
      const targetPath = [...path, 'containerName'];
      if (target === c.name) {
        r.error(targetPath, `${c.label} depends on itself; remove this dependsOn entry.`);
        continue;
      }
      const t = byName.get(target);
      if (!t) {
        const names = [...byName.keys()].join(', ');
        r.error(
          targetPath,
          `${c.label} depends on '${target}', which is not a container in this task definition (containers: ${names}).`,
        );
        continue;
      }
      if (c.name) edges.set(c.name, [...(edges.get(c.name) ?? []), { target, path: targetPath }]);
      if ((condition === 'COMPLETE' || condition === 'SUCCESS') && t.essential) {
        r.error(
          [...path, 'condition'],
          `${c.label} waits for '${target}' to ${condition}, but ${condition} cannot be used on an essential container; ` +
            `set "essential": false on '${target}', or use START or HEALTHY.`,
        );
      }
      if (condition === 'HEALTHY' && unset(t.def.healthCheck)) {
        r.error(
          [...path, 'condition'],
          `${c.label} waits for '${target}' to be HEALTHY, but '${target}' has no healthCheck; add one to '${target}' or use START.`,
        );
      }
    }
  }
  checkCycle(edges, r);
}

/** Containers that wait for each other can never start; ECS would only find out at task start. */
function checkCycle(edges: Map<string, { target: string; path: JsonPath }[]>, r: Reporter): void {
  const done = new Set<string>();
  const visit = (name: string, stack: string[]): boolean => {
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const from = cycle[cycle.length - 2];
      const at = edges.get(from)?.find((e) => e.target === name)?.path ?? ['containerDefinitions'];
      r.error(
        at,
        `Containers wait for each other in a cycle (${cycle.join(' -> ')}), so none of them can start; remove one of these dependsOn entries.`,
      );
      return true;
    }
    if (done.has(name)) return false;
    done.add(name);
    return (edges.get(name) ?? []).some((e) => visit(e.target, [...stack, name]));
  };
  for (const name of edges.keys()) if (visit(name, [])) return;
}
