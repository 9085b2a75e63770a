// Task-level cpu and memory: parsing ECS's accepted string forms and the Fargate size table
// (docs/ecs-behaviour.md, "Fargate task sizes"). Pure; used by validate.ts and by anything that shows sizes.

/** Allowed memory (MiB) for each Fargate task cpu (CPU units). 8 and 16 vCPU need platform >= 1.4.0. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

// ECS stores cpu and memory as integer strings but also accepts "1 vCPU" and "2 GB" on register
// (docs/ecs-behaviour.md, "cpu and memory"); both units are multiplied by 1024. Anything else ECS would reject, so we return undefined.
const PLAIN = /^\s*(\d+)\s*$/;
const VCPU = /^\s*(\d*\.?\d+)\s*vcpu\s*$/i;
const GB = /^\s*(\d*\.?\d+)\s*gb\s*$/i;

/** CPU units from `"1024"`, `1024` or `"1 vCPU"`; undefined when the value is not a whole number of units. */
export function parseCpuUnits(value: string | number): number | undefined {
  return parseScaled(value, VCPU);
}

/** MiB from `"2048"`, `2048` or `"2 GB"`; undefined when the value is not a whole number of MiB. */
export function parseMemoryMiB(value: string | number): number | undefined {
  return parseScaled(value, GB);
}

function parseScaled(value: string | number, unit: RegExp): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const plain = PLAIN.exec(value);
  if (plain) return Number(plain[1]);
  const scaled = unit.exec(value);
  if (!scaled) return undefined;
  const n = Number(scaled[1]) * 1024;
  return Number.isInteger(n) ? n : undefined;
}

/** `256, 512 or 1024`, or `2048 to 8192 in steps of 1024` for the long, evenly spaced table rows. */
export function describeValues(options: readonly number[]): string {
  if (options.length > 4) {
    const step = options[1] - options[0];
    return `${options[0]} to ${options[options.length - 1]} in steps of ${step}`;
  }
  return options.length === 1
    ? String(options[0])
    : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
}

/** The Fargate cpu values whose table row allows this memory. */
export function fargateCpuOptionsFor(memoryMiB: number): number[] {
  return [...FARGATE_SIZES].filter(([, mem]) => mem.includes(memoryMiB)).map(([cpu]) => cpu);
}

const CPU_LIST = 'use 256, 512, 1024, 2048, 4096, 8192 or 16384 (.25, .5, 1, 2, 4, 8 or 16 vCPU)';

/**
 * Why a task-level cpu/memory pair is not a Fargate size, or undefined when it is one. The sentence
 * lists the memory values allowed for the given cpu, so the user can pick one without the docs.
 */
export function fargateSizeProblem(cpu: string | number, memory: string | number): string | undefined {
  const cpuUnits = parseCpuUnits(cpu);
  if (cpuUnits === undefined) {
    return `Task cpu '${cpu}' is not valid: give CPU units such as "1024" or vCPUs such as "1 vCPU".`;
  }
  const memoryMiB = parseMemoryMiB(memory);
  if (memoryMiB === undefined) {
    return `Task memory '${memory}' is not valid: give MiB such as "2048" or GB such as "2 GB".`;
  }
  const allowed = FARGATE_SIZES.get(cpuUnits);
  if (!allowed) return `Fargate does not support cpu ${cpuUnits}; ${CPU_LIST}.`;
  if (allowed.includes(memoryMiB)) return undefined;
  const fits = fargateCpuOptionsFor(memoryMiB);
  const hint = fits.length ? ` Memory ${memoryMiB} MiB fits cpu ${describeValues(fits)}.` : '';
  return (
    `Fargate does not support cpu ${cpuUnits} with memory ${memoryMiB} MiB; ` +
    `with cpu ${cpuUnits} use memory ${describeValues(allowed)}.${hint}`
  );
}
