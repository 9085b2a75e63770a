// Task definitions: RegisterTaskDefinition's validation with ECS's own messages (docs/ecs-behaviour.md, "Task definition rules", "Secrets"),
// revisions per family, and lookup by family, family:revision or ARN.
import type { ContainerDefinition, PortMapping, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

import type { Arns } from './ids.js';
import { clientError } from './input.js';
import type { TaskDefRec } from './state.js';

/** Fargate task sizes: task cpu units -> allowed memory (MiB). docs/ecs-behaviour.md, "Fargate task sizes". */
const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export const MESSAGES = {
  fargateNetworkMode: "Fargate only supports network mode 'awsvpc'.",
  portsMustMatch: (mode: string) =>
    `When networkMode=${mode}, the host ports and container ports in port mappings must match.`,
  invalidCpu:
    "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
  containerMemory: (name: string) =>
    `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
  secretsNeedExecutionRole:
    "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
  fargateCpuRequired: "Fargate requires that 'cpu' be defined at the task level.",
  fargateRoleForEcr: 'Fargate requires task definition to have execution role ARN to support ECR images.',
  fargateRoleForAwslogs:
    'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
  containerName: 'Container.name should not be null or empty.',
  containerImage: 'Container.image should not be null or empty.',
  // The following texts are not confirmed from real ECS output (see README): same style, our words.
  family:
    'Family name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
  noContainers: 'Task definition must have at least one container definition.',
  tooManyContainers: 'Too many containers. A task definition can have at most 10 containers.',
  duplicateContainer: (name: string) =>
    `Duplicate container name '${name}'. Container names must be unique within a task definition.`,
  noEssential: 'A TaskDefinition must have at least one essential container.',
  invalidMemory:
    "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
  fargateMemoryRequired: "Fargate requires that 'memory' be defined at the task level.",
  memoryBelowReservation: (name: string) =>
    `Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
  healthCheck: (name: string, detail: string) =>
    `Invalid setting for container '${name}'. healthCheck ${detail}`,
  dependsOn: (name: string, detail: string) => `Invalid setting for container '${name}'. dependsOn ${detail}`,
  image: (name: string) => `Invalid setting for container '${name}'. 'image' is not a valid image reference.`,
  environmentFiles: (name: string) =>
    `Invalid setting for container '${name}'. A container can have at most 10 environment files.`,
  tooManyTags: 'Too many tags. A resource can have at most 50 tags.',
  awsTag: "Tag keys beginning with 'aws:' are reserved.",
  tooLarge: (bytes: number) => `Task definition size (${bytes} bytes) exceeds the limit of 65536 bytes.`,
};

/** `"1 vCPU"` -> 1024, `"256"` -> 256; undefined when not parseable. */
export function parseCpu(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] ? n * 1024 : n);
}

/** `"1 GB"` -> 1024, `"512"` -> 512 (MiB). */
export function parseMemory(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] && /^g/i.test(m[2]) ? n * 1024 : n);
}

const IMAGE_RE = /^[A-Za-z0-9\-_:./#]{1,255}(@sha256:[0-9a-f]{64})?$/;
const ECR_RE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated field by field
type Loose = any;

/**
 * Throw ECS's ClientException for the first rule a RegisterTaskDefinition input breaks, in the order
 * ECS appears to check them (task-level Fargate rules before container rules).
 */
export function validateTaskDefinition(input: Loose): void {
  const family = input.family;
  if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family))
    throw clientError(MESSAGES.family);
  const containers: Loose[] = Array.isArray(input.containerDefinitions) ? input.containerDefinitions : [];
  if (containers.length === 0) throw clientError(MESSAGES.noContainers);
  if (containers.length > 10) throw clientError(MESSAGES.tooManyContainers);

  const names = new Set<string>();
  for (const c of containers) {
    if (typeof c?.name !== 'string' || c.name === '') throw clientError(MESSAGES.containerName);
    if (names.has(c.name)) throw clientError(MESSAGES.duplicateContainer(c.name));
    names.add(c.name);
    if (typeof c.image !== 'string' || c.image === '') throw clientError(MESSAGES.containerImage);
    if (!IMAGE_RE.test(c.image)) throw clientError(MESSAGES.image(c.name));
  }

  const fargate =
    Array.isArray(input.requiresCompatibilities) && input.requiresCompatibilities.includes('FARGATE');
  const networkMode: string | undefined = input.networkMode;
  if (fargate && networkMode !== 'awsvpc') throw clientError(MESSAGES.fargateNetworkMode);

  const cpu = input.cpu === undefined || input.cpu === null ? undefined : parseCpu(String(input.cpu));
  const memory =
    input.memory === undefined || input.memory === null ? undefined : parseMemory(String(input.memory));
  if (input.cpu !== undefined && input.cpu !== null && cpu === undefined)
    throw clientError(MESSAGES.invalidCpu);
  if (input.memory !== undefined && input.memory !== null && memory === undefined)
    throw clientError(MESSAGES.invalidMemory);
  if (fargate) {
    if (cpu === undefined) throw clientError(MESSAGES.fargateCpuRequired);
    if (memory === undefined) throw clientError(MESSAGES.fargateMemoryRequired);
    if (!FARGATE_SIZES[cpu]?.includes(memory)) throw clientError(MESSAGES.invalidCpu);
  } else if (cpu !== undefined && (cpu < 128 || cpu > 196608)) {
    throw clientError(MESSAGES.invalidCpu);
  }

  if (networkMode === 'awsvpc' || networkMode === 'host') {
    for (const c of containers) {
      for (const pm of (Array.isArray(c.portMappings) ? c.portMappings : []) as PortMapping[]) {
        if (pm.hostPort !== undefined && pm.hostPort !== null && pm.hostPort !== pm.containerPort) {
          throw clientError(MESSAGES.portsMustMatch(networkMode));
        }
      }
    }
  }

  for (const c of containers) {
    const hard = typeof c.memory === 'number' && c.memory > 0 ? c.memory : undefined;
    const soft =
      typeof c.memoryReservation === 'number' && c.memoryReservation > 0 ? c.memoryReservation : undefined;
    if (memory === undefined && hard === undefined && soft === undefined)
      throw clientError(MESSAGES.containerMemory(c.name));
    if (hard !== undefined && soft !== undefined && hard < soft)
      throw clientError(MESSAGES.memoryBelowReservation(c.name));
    if (Array.isArray(c.environmentFiles) && c.environmentFiles.length > 10)
      throw clientError(MESSAGES.environmentFiles(c.name));
  }

  const usesSecrets = containers.some(
    (c) =>
      (Array.isArray(c.secrets) && c.secrets.length > 0) ||
      (Array.isArray(c.logConfiguration?.secretOptions) && c.logConfiguration.secretOptions.length > 0),
  );
  if (usesSecrets && !input.executionRoleArn) throw clientError(MESSAGES.secretsNeedExecutionRole);
  if (fargate && !input.executionRoleArn) {
    if (containers.some((c) => ECR_RE.test(c.image))) throw clientError(MESSAGES.fargateRoleForEcr);
    if (containers.some((c) => c.logConfiguration?.logDriver === 'awslogs'))
      throw clientError(MESSAGES.fargateRoleForAwslogs);
  }

  if (!containers.some((c) => c.essential !== false)) throw clientError(MESSAGES.noEssential);

  const byName = new Map(containers.map((c) => [c.name as string, c]));
  for (const c of containers) {
    const hc = c.healthCheck;
    if (hc !== undefined && hc !== null) {
      const cmd = hc.command;
      if (!Array.isArray(cmd) || cmd.length === 0 || !['CMD', 'CMD-SHELL'].includes(cmd[0])) {
        throw clientError(MESSAGES.healthCheck(c.name, "command must start with 'CMD' or 'CMD-SHELL'."));
      }
      const bounds: [string, number, number][] = [
        ['interval', 5, 300],
        ['timeout', 2, 60],
        ['retries', 1, 10],
        ['startPeriod', 0, 300],
      ];
      for (const [key, lo, hi] of bounds) {
        const v = hc[key];
        if (v !== undefined && v !== null && (typeof v !== 'number' || v < lo || v > hi)) {
          throw clientError(MESSAGES.healthCheck(c.name, `${key} must be between ${lo} and ${hi}.`));
        }
      }
    }
    for (const dep of Array.isArray(c.dependsOn) ? c.dependsOn : []) {
      const target = byName.get(dep?.containerName);
      if (!target)
        throw clientError(
          MESSAGES.dependsOn(c.name, `references container '${dep?.containerName}', which is not defined.`),
        );
      if ((dep.condition === 'COMPLETE' || dep.condition === 'SUCCESS') && target.essential !== false) {
        throw clientError(
          MESSAGES.dependsOn(
            c.name,
            `condition ${dep.condition} requires container '${target.name}' to be non-essential.`,
          ),
        );
      }
      if (dep.condition === 'HEALTHY' && !target.healthCheck) {
        throw clientError(
          MESSAGES.dependsOn(
            c.name,
            `condition HEALTHY requires container '${target.name}' to have a healthCheck.`,
          ),
        );
      }
    }
  }

  const tags: Loose[] = Array.isArray(input.tags) ? input.tags : [];
  if (tags.length > 50) throw clientError(MESSAGES.tooManyTags);
  if (tags.some((t) => typeof t?.key === 'string' && t.key.toLowerCase().startsWith('aws:')))
    throw clientError(MESSAGES.awsTag);

  const { tags: _tags, ...definition } = input as Record<string, unknown>;
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  if (bytes > 65536) throw clientError(MESSAGES.tooLarge(bytes));
}

/** The container definition as ECS echoes it: defaults filled in, awsvpc host ports made explicit. */
function normalizeContainer(c: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  const sameHostPort = networkMode === 'awsvpc' || networkMode === 'host';
  return {
    ...c,
    cpu: c.cpu ?? 0,
    portMappings: (c.portMappings ?? []).map((pm) => ({
      ...pm,
      ...(sameHostPort && pm.containerPort !== undefined ? { hostPort: pm.containerPort } : {}),
      protocol: pm.protocol ?? 'tcp',
    })),
    essential: c.essential ?? true,
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: c.volumesFrom ?? [],
    systemControls: c.systemControls ?? [],
  };
}

/** Attributes ECS derives from the definition (what a container instance must support). */
function requiresAttributes(input: TaskDefinition, containers: ContainerDefinition[]): { name: string }[] {
  const names = new Set<string>();
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (input.executionRoleArn) names.add('ecs.capability.execution-role-ecr-pull');
  for (const c of containers) {
    if (c.logConfiguration?.logDriver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
    }
    if (ECR_RE.test(c.image ?? '')) names.add('com.amazonaws.ecs.capability.ecr-auth');
    if (c.healthCheck) names.add('ecs.capability.container-health-check');
    if (c.secrets?.some((s) => s.valueFrom?.includes(':secretsmanager:')))
      names.add('ecs.capability.secrets.asm.environment-variables');
    if (c.secrets?.some((s) => !s.valueFrom?.includes(':secretsmanager:')))
      names.add('ecs.capability.secrets.ssm.environment-variables');
    if (c.environmentFiles?.length) names.add('ecs.capability.env-files.s3');
    if (c.dependsOn?.length) names.add('ecs.capability.container-ordering');
  }
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  names.add('com.amazonaws.ecs.capability.docker-remote-api.1.18');
  return [...names].sort().map((name) => ({ name }));
}

export class TaskDefinitionStore {
  private readonly byArn = new Map<string, TaskDefRec>();
  private readonly families = new Map<string, TaskDefRec[]>();

  constructor(
    private readonly arns: Arns,
    private readonly accountId: string,
  ) {}

  register(input: Loose, now: number): TaskDefRec {
    validateTaskDefinition(input);
    const family: string = input.family;
    const revisions = this.families.get(family) ?? [];
    const revision = (revisions.at(-1)?.revision ?? 0) + 1;
    const networkMode: string | undefined = input.networkMode ?? 'bridge';
    const containers = (input.containerDefinitions as ContainerDefinition[]).map((c) =>
      normalizeContainer(c, networkMode),
    );
    const cpu =
      input.cpu === undefined || input.cpu === null ? undefined : String(parseCpu(String(input.cpu)));
    const memory =
      input.memory === undefined || input.memory === null
        ? undefined
        : String(parseMemory(String(input.memory)));
    const fargateOk =
      networkMode === 'awsvpc' &&
      cpu !== undefined &&
      memory !== undefined &&
      FARGATE_SIZES[Number(cpu)]?.includes(Number(memory));
    const { tags, ...rest } = input as TaskDefinition & { tags?: Tag[] };
    const body: TaskDefinition = {
      ...rest,
      family,
      containerDefinitions: containers,
      networkMode: networkMode as TaskDefinition['networkMode'],
      volumes: input.volumes ?? [],
      placementConstraints: input.placementConstraints ?? [],
      requiresAttributes: requiresAttributes(input, containers),
      compatibilities: fargateOk ? ['EC2', 'FARGATE'] : ['EC2'],
      ...(cpu !== undefined ? { cpu } : {}),
      ...(memory !== undefined ? { memory } : {}),
      registeredBy: `arn:aws:iam::${this.accountId}:root`,
    };
    const rec: TaskDefRec = {
      arn: this.arns.taskDefinition(family, revision),
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: now,
      body,
      containers,
      tags: Array.isArray(tags) ? tags.map((t) => ({ key: t.key, value: t.value })) : [],
    };
    revisions.push(rec);
    this.families.set(family, revisions);
    this.byArn.set(rec.arn, rec);
    return rec;
  }

  /**
   * `family` (latest ACTIVE revision), `family:revision`, or a full ARN. INACTIVE revisions are
   * found by exact reference only (callers decide whether that is allowed).
   */
  find(ref: string): TaskDefRec | undefined {
    const m = /^arn:aws[a-z-]*:ecs:[^:]+:\d+:task-definition\/(.+)$/.exec(ref);
    const short = m ? m[1]! : ref;
    const colon = short.lastIndexOf(':');
    if (colon === -1)
      return this.families
        .get(short)
        ?.filter((r) => r.status === 'ACTIVE')
        .at(-1);
    const family = short.slice(0, colon);
    const revision = Number(short.slice(colon + 1));
    return this.families.get(family)?.find((r) => r.revision === revision);
  }

  describe(rec: TaskDefRec): TaskDefinition {
    return {
      taskDefinitionArn: rec.arn,
      ...rec.body,
      revision: rec.revision,
      status: rec.status,
      registeredAt: new Date(rec.registeredAt),
      ...(rec.deregisteredAt !== undefined ? { deregisteredAt: new Date(rec.deregisteredAt) } : {}),
      ...(rec.deleteRequestedAt !== undefined ? { deleteRequestedAt: new Date(rec.deleteRequestedAt) } : {}),
    };
  }

  all(): TaskDefRec[] {
    return [...this.byArn.values()];
  }

  familyNames(): string[] {
    return [...this.families.keys()];
  }
}
