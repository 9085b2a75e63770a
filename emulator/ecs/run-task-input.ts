// RunTask's input, checked field by field before anything starts, with ECS's words where they are
// known. Messages marked "ours" are in ECS's style but not confirmed (see README); the others are
// ECS's own text as seen in real error output.
import type {
  CapacityProviderStrategyItem,
  ContainerDefinition,
  ContainerOverride,
  KeyValuePair,
  LaunchType,
  Tag,
  TaskOverride,
  TaskVolumeConfiguration,
} from '@aws-sdk/client-ecs';

import type { Ctx } from './context.js';
import { fargatePlatform } from './deployments.js';
import {
  asInput,
  invalidParameter,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  reqString,
  type Input,
} from './input.js';
import { resolveCluster, resolveTaskDefinition } from './services.js';
import type { TaskDefRec } from './state.js';

export const RUN_TASK_MESSAGES = {
  bothLaunchTypeAndStrategy:
    'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
  awsvpcNeedsNetwork: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
  networkNotAwsvpc: 'Network Configuration is not valid for the given networkMode of this task definition.',
  noSubnets: 'subnets can not be empty.',
  tooManySubnets: 'subnets can have at most 16 items.',
  unknownOverride: (name: string) =>
    `Override for container named ${name} is not a container in the TaskDefinition.`,
  overridesTooLong: 'Container Overrides length must be at most 8192',
  propagateTags: 'Invalid value for propagateTags',
  launchTypeUnsupported: (lt: string) => `Task definition does not support launch_type ${lt}.`,
  platformWithEc2: 'The platform version must be null when specifying an EC2 launch type.',
  publicIpOnEc2: 'Assign public IP is not supported for this launch type.',
  // Ours:
  unknownProvider:
    'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
  count: 'count must be between 1 and 10.',
  tooManySecurityGroups: 'securityGroups can have at most 5 items.',
  assignPublicIp: 'assignPublicIp must be one of ENABLED, DISABLED.',
  launchType: 'launchType must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.',
  strategy:
    'capacityProviderStrategy can have 1 to 20 items, each with a capacityProvider, a weight of 0-1000 and a base of 0-100000, and at least one weight above 0.',
  startedBy:
    'startedBy can be up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes, and underscores.',
  overrideName: 'Container override name should not be null or empty.',
  tooManyTags: 'Too many tags. A resource can have at most 50 tags.',
  awsTag: "Tag keys beginning with 'aws:' are reserved.",
  tagSize: 'Tag keys can be up to 128 characters and values up to 256 characters.',
  volume: (name: string) =>
    `The volume ${name} is not a volume of the task definition with configuredAtLaunch set to true.`,
  volumeRole: 'managedEBSVolume.roleArn should not be null or empty.',
  clientToken: 'clientToken can be up to 64 printable ASCII characters.',
};

const M = RUN_TASK_MESSAGES;
const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];
/** Providers every cluster here has (DescribeClusters lists them). */
const CLUSTER_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/** A RunTask request once every field has been checked. */
export interface RunTaskRequest {
  cluster: string;
  taskDef: TaskDefRec;
  count: number;
  launchType: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  startedBy?: string;
  group: string;
  tags: Tag[];
  enableECSManagedTags: boolean;
  propagateTags: boolean;
  enableExecuteCommand: boolean;
  /** As DescribeTasks shows them. */
  overrides: TaskOverride;
  /** The task definition's containers with the overrides applied. */
  containers: ContainerDefinition[];
  cpu?: string;
  memory?: string;
  volumeConfigurations: TaskVolumeConfiguration[];
  clientToken?: string;
}

const list = (input: Input, key: string): Input[] | undefined => {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidParameter(`${key} must be a list.`);
  return v.map(asInput);
};

export function parseRunTask(ctx: Ctx, raw: unknown): RunTaskRequest {
  const input = asInput(raw);
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const taskDef = resolveTaskDefinition(ctx, reqString(input, 'taskDefinition'));
  const count = optNumber(input, 'count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidParameter(M.count);
  const launch = parseLaunch(input, taskDef);
  checkNetwork(input, taskDef, launch.launchType);
  const startedBy = optString(input, 'startedBy');
  if (startedBy !== undefined && !/^[A-Za-z0-9_/-]{1,128}$/.test(startedBy))
    throw invalidParameter(M.startedBy);
  const propagate = optString(input, 'propagateTags');
  if (propagate !== undefined && propagate !== 'TASK_DEFINITION') throw invalidParameter(M.propagateTags);
  const clientToken = optString(input, 'clientToken');
  if (clientToken !== undefined && !/^[\x21-\x7e]{1,64}$/.test(clientToken))
    throw invalidParameter(M.clientToken);
  const group = optString(input, 'group');
  return {
    cluster,
    taskDef,
    count,
    ...launch,
    ...(startedBy !== undefined ? { startedBy } : {}),
    group: group ?? `family:${taskDef.family}`,
    tags: parseTags(input),
    enableECSManagedTags: optBoolean(input, 'enableECSManagedTags') ?? false,
    propagateTags: propagate === 'TASK_DEFINITION',
    enableExecuteCommand: optBoolean(input, 'enableExecuteCommand') ?? false,
    ...parseOverrides(input, taskDef),
    volumeConfigurations: parseVolumes(input, taskDef),
    ...(clientToken !== undefined ? { clientToken } : {}),
  };
}

/** launchType xor capacityProviderStrategy (neither: FARGATE here), and the platform version. */
function parseLaunch(
  input: Input,
  taskDef: TaskDefRec,
): Pick<RunTaskRequest, 'launchType' | 'capacityProviderStrategy' | 'platformVersion'> {
  const launchType = optString(input, 'launchType');
  const strategy = list(input, 'capacityProviderStrategy');
  if (launchType !== undefined && strategy !== undefined) throw invalidParameter(M.bothLaunchTypeAndStrategy);
  if (launchType !== undefined && !LAUNCH_TYPES.includes(launchType)) throw invalidParameter(M.launchType);
  if (strategy !== undefined) checkStrategy(strategy);
  const compat = taskDef.body.compatibilities ?? [];
  // Both cluster providers are Fargate ones. With neither, FARGATE when the definition allows it.
  const fallback = strategy !== undefined || compat.includes('FARGATE') ? 'FARGATE' : 'EC2';
  const effective = (launchType ?? fallback) as LaunchType;
  if ((effective === 'FARGATE' || effective === 'EC2') && !compat.includes(effective)) {
    throw invalidParameter(M.launchTypeUnsupported(effective));
  }
  const platformVersion = optString(input, 'platformVersion');
  if (effective === 'EC2' && platformVersion !== undefined) throw invalidParameter(M.platformWithEc2);
  return {
    launchType: effective,
    ...(strategy !== undefined
      ? { capacityProviderStrategy: strategy as unknown as CapacityProviderStrategyItem[] }
      : {}),
    ...(effective === 'FARGATE' ? { platformVersion: fargatePlatform(platformVersion) } : {}),
  };
}

function checkStrategy(items: Input[]): void {
  if (items.length < 1 || items.length > 20) throw invalidParameter(M.strategy);
  let weighted = false;
  for (const item of items) {
    const provider = reqString(item, 'capacityProvider');
    const weight = optNumber(item, 'weight') ?? 0;
    const base = optNumber(item, 'base') ?? 0;
    if (weight < 0 || weight > 1000 || base < 0 || base > 100_000) throw invalidParameter(M.strategy);
    if (!CLUSTER_PROVIDERS.includes(provider)) throw invalidParameter(M.unknownProvider);
    weighted ||= weight > 0;
  }
  if (!weighted) throw invalidParameter(M.strategy);
}

/** awsvpc task definitions need subnets; other network modes take no network configuration. */
function checkNetwork(input: Input, taskDef: TaskDefRec, launchType: LaunchType): void {
  const network = input.networkConfiguration;
  const awsvpc = taskDef.body.networkMode === 'awsvpc';
  if (network === undefined || network === null) {
    if (awsvpc) throw invalidParameter(M.awsvpcNeedsNetwork);
    return;
  }
  if (!awsvpc) throw invalidParameter(M.networkNotAwsvpc);
  const vpc = asInput(asInput(network).awsvpcConfiguration);
  const subnets = optStringList(vpc, 'subnets') ?? [];
  if (subnets.length === 0) throw invalidParameter(M.noSubnets);
  if (subnets.length > 16) throw invalidParameter(M.tooManySubnets);
  if ((optStringList(vpc, 'securityGroups') ?? []).length > 5)
    throw invalidParameter(M.tooManySecurityGroups);
  const publicIp = optString(vpc, 'assignPublicIp');
  if (publicIp !== undefined && publicIp !== 'ENABLED' && publicIp !== 'DISABLED') {
    throw invalidParameter(M.assignPublicIp);
  }
  if (publicIp === 'ENABLED' && launchType !== 'FARGATE') throw invalidParameter(M.publicIpOnEc2);
}

function parseTags(input: Input): Tag[] {
  const tags = (list(input, 'tags') ?? []).map((t) => ({
    key: reqString(t, 'key'),
    value: optString(t, 'value') ?? '',
  }));
  if (tags.length > 50) throw invalidParameter(M.tooManyTags);
  if (tags.some((t) => t.key.toLowerCase().startsWith('aws:'))) throw invalidParameter(M.awsTag);
  if (tags.some((t) => t.key.length > 128 || t.value.length > 256)) throw invalidParameter(M.tagSize);
  return tags;
}

/** Environment overrides replace variables of the same name and add the others. */
function mergeEnvironment(base: KeyValuePair[] | undefined, extra: KeyValuePair[]): KeyValuePair[] {
  const names = new Set(extra.map((e) => e.name));
  return [...(base ?? []).filter((e) => !names.has(e.name)), ...extra];
}

function applyOverride(def: ContainerDefinition, o: Input): ContainerDefinition {
  const command = optStringList(o, 'command');
  const environment = (list(o, 'environment') ?? []).map((e) => ({
    name: reqString(e, 'name'),
    value: optString(e, 'value') ?? '',
  }));
  const cpu = optNumber(o, 'cpu');
  const memory = optNumber(o, 'memory');
  const memoryReservation = optNumber(o, 'memoryReservation');
  return {
    ...def,
    ...(command !== undefined ? { command } : {}),
    ...(environment.length > 0 ? { environment: mergeEnvironment(def.environment, environment) } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(memoryReservation !== undefined ? { memoryReservation } : {}),
  };
}

function parseOverrides(
  input: Input,
  taskDef: TaskDefRec,
): Pick<RunTaskRequest, 'overrides' | 'containers' | 'cpu' | 'memory'> {
  const raw = input.overrides;
  if (raw !== undefined && raw !== null && JSON.stringify(raw).length > 8192) {
    throw invalidParameter(M.overridesTooLong);
  }
  const overrides = asInput(raw);
  const given = list(overrides, 'containerOverrides') ?? [];
  const containers = taskDef.containers.map((c) => ({ ...c }));
  for (const o of given) {
    const name = optString(o, 'name');
    if (name === undefined || name === '') {
      // "An empty container override can be passed in" (API_ContainerOverride).
      if (Object.keys(o).length === 0) continue;
      throw invalidParameter(M.overrideName);
    }
    const i = containers.findIndex((c) => c.name === name);
    if (i === -1) throw invalidParameter(M.unknownOverride(name));
    containers[i] = applyOverride(containers[i]!, o);
  }
  const cpu = optString(overrides, 'cpu');
  const memory = optString(overrides, 'memory');
  const shown: TaskOverride = {
    ...(overrides as TaskOverride),
    containerOverrides:
      given.length > 0 ? (given as ContainerOverride[]) : containers.map((c) => ({ name: c.name })),
    inferenceAcceleratorOverrides: [],
  };
  return {
    overrides: shown,
    containers,
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
  };
}

/** Managed EBS volumes: each names a task definition volume marked configuredAtLaunch. */
function parseVolumes(input: Input, taskDef: TaskDefRec): TaskVolumeConfiguration[] {
  const volumes = list(input, 'volumeConfigurations') ?? [];
  const atLaunch = new Set(
    (taskDef.body.volumes ?? []).filter((v) => v.configuredAtLaunch === true).map((v) => v.name),
  );
  for (const v of volumes) {
    const name = reqString(v, 'name');
    if (!atLaunch.has(name)) throw invalidParameter(M.volume(name));
    const ebs = asInput(v.managedEBSVolume);
    if (!optString(ebs, 'roleArn')) throw invalidParameter(M.volumeRole);
  }
  return volumes as unknown as TaskVolumeConfiguration[];
}
