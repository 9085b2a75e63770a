// The RunTask request, built before anything is written: the inputs over the task definition and
// the service. Pure. Network configuration, launch type / capacity provider strategy and
// platform version default to the service's, so a migration runs where the service runs
// (docs/ecs-behaviour.md, "One-off tasks"); network inputs that are given replace the service's
// configuration as a whole. Every problem is returned, none thrown.

import type { NetworkConfiguration, RunTaskCommandInput, Service } from '@aws-sdk/client-ecs';
import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { ContainerOverrideInput, DeployRequest } from '../lib/request.js';

/** "A total of 8192 characters are allowed for overrides" (RunTask, Amazon ECS API Reference). */
export const MAX_OVERRIDES_CHARS = 8192;

/** RunTask's input without the task definition, which is known only once registered. */
export type RunTaskPlanInput = Omit<RunTaskCommandInput, 'taskDefinition'>;

export interface RunTaskPlan {
  input: RunTaskPlanInput;
  /** The container `run-task-command` applies to, when given. */
  commandContainer?: string;
  /** Where the network and launch settings came from, for the log. */
  copiedFromService: string[];
  problems: Problem[];
}

interface Container {
  name: string;
  essential: boolean;
}

export function containersOf(td: JsonObject): Container[] {
  const defs = Array.isArray(td.containerDefinitions) ? td.containerDefinitions : [];
  return defs.filter(isObject).map((c) => ({ name: String(c.name ?? ''), essential: c.essential !== false }));
}

const error = (input: string, message: string): Problem => ({ severity: 'error', input, message });

export function planRunTask(args: {
  request: DeployRequest;
  taskDefinition: JsonObject;
  service?: Service;
}): RunTaskPlan {
  const { request, taskDefinition: td, service } = args;
  const problems: Problem[] = [];
  const copied: string[] = [];
  const overrides = containerOverrides(request, td, problems);
  const network = networkConfiguration({ request, td, service, problems, copied });
  const launch = launchSettings(request, td, service, copied);
  const input: RunTaskPlanInput = {
    cluster: request.cluster,
    count: 1,
    startedBy: request.runTaskStartedBy,
    ...(overrides.list.length ? { overrides: { containerOverrides: overrides.list } } : {}),
    ...(network ? { networkConfiguration: network } : {}),
    ...launch,
    ...(request.enableEcsManagedTags !== undefined
      ? { enableECSManagedTags: request.enableEcsManagedTags }
      : {}),
    ...(request.runTaskTags.length ? { tags: request.runTaskTags } : {}),
    ...volumeConfigurations(request, td, problems),
  };
  return { input, commandContainer: overrides.commandContainer, copiedFromService: copied, problems };
}

/** The overrides as given, their names checked, with `run-task-command` merged in. */
function containerOverrides(
  request: DeployRequest,
  td: JsonObject,
  problems: Problem[],
): { list: ContainerOverrideInput[]; commandContainer?: string } {
  const containers = containersOf(td);
  const names = containers.map((c) => c.name);
  const list = request.runTaskContainerOverrides.map((o) => structuredClone(o));
  list.forEach((o, i) => {
    if (!names.includes(o.name)) {
      problems.push(
        error(
          'run-task-container-overrides',
          `[${i}].name: "${o.name}" is not a container of the task definition; its containers are ${names.join(', ')}.`,
        ),
      );
    }
  });
  let commandContainer: string | undefined;
  if (request.runTaskCommand) {
    commandContainer = commandTarget(request, containers, problems);
    const existing = list.find((o) => o.name === commandContainer);
    if (existing?.command) {
      problems.push(
        error(
          'run-task-command',
          `container "${commandContainer}" also gets a command from run-task-container-overrides; give its command once.`,
        ),
      );
    } else if (existing) existing.command = request.runTaskCommand;
    else if (commandContainer) list.push({ name: commandContainer, command: request.runTaskCommand });
  }
  if (JSON.stringify({ containerOverrides: list }).length > MAX_OVERRIDES_CHARS) {
    problems.push(
      error(
        'run-task-container-overrides',
        `the overrides are longer than the ${MAX_OVERRIDES_CHARS} characters ECS allows.`,
      ),
    );
  }
  return { list, commandContainer };
}

/** `container-name` (one), else the only essential container. */
function commandTarget(
  request: DeployRequest,
  containers: Container[],
  problems: Problem[],
): string | undefined {
  const names = containers.map((c) => c.name);
  if (request.containerNames.length > 1) {
    problems.push(
      error('run-task-command', 'container-name lists several containers; run-task-command needs one.'),
    );
    return undefined;
  }
  const named = request.containerNames[0];
  if (named) {
    if (!names.includes(named)) {
      problems.push(
        error(
          'container-name',
          `"${named}" is not a container of the task definition; its containers are ${names.join(', ')}.`,
        ),
      );
      return undefined;
    }
    return named;
  }
  const essential = containers.filter((c) => c.essential);
  if (essential.length !== 1) {
    problems.push(
      error(
        'run-task-command',
        `the task definition has ${essential.length} essential containers (${essential.map((c) => c.name).join(', ')}); name the one to run the command in with container-name.`,
      ),
    );
    return undefined;
  }
  return essential[0].name;
}

function networkConfiguration(args: {
  request: DeployRequest;
  td: JsonObject;
  service?: Service;
  problems: Problem[];
  copied: string[];
}): NetworkConfiguration | undefined {
  const { request, td, service, problems, copied } = args;
  const awsvpc = td.networkMode === 'awsvpc';
  if (request.runTaskSubnets) {
    if (!awsvpc) {
      problems.push(
        error(
          'run-task-subnets',
          `the task definition's networkMode is ${String(td.networkMode ?? 'the default (bridge)')}, not awsvpc, so a task takes no subnets or security groups.`,
        ),
      );
      return undefined;
    }
    return {
      awsvpcConfiguration: {
        subnets: request.runTaskSubnets,
        ...(request.runTaskSecurityGroups ? { securityGroups: request.runTaskSecurityGroups } : {}),
        // The official action's default: DISABLED, applied only when subnets are given.
        assignPublicIp: request.runTaskAssignPublicIp ?? 'DISABLED',
      },
    };
  }
  if (!awsvpc) return undefined;
  if (service?.networkConfiguration?.awsvpcConfiguration) {
    copied.push('network configuration');
    return structuredClone(service.networkConfiguration);
  }
  problems.push(
    error(
      'run-task-subnets',
      service
        ? `the task definition uses networkMode awsvpc and service ${service.serviceName ?? ''} has no network configuration to copy; give run-task-subnets.`
        : 'the task definition uses networkMode awsvpc, so RunTask needs subnets, and there is no service to copy them from; give run-task-subnets (and run-task-security-groups).',
    ),
  );
  return undefined;
}

/**
 * A strategy given wins over a launch type given (as in the official action); with neither, the
 * service's; without a service, FARGATE when the definition allows it (the official default),
 * else the launch type it requires.
 */
function launchSettings(
  request: DeployRequest,
  td: JsonObject,
  service: Service | undefined,
  copied: string[],
): Pick<RunTaskPlanInput, 'launchType' | 'capacityProviderStrategy' | 'platformVersion'> {
  let out: Pick<RunTaskPlanInput, 'launchType' | 'capacityProviderStrategy'>;
  if (request.runTaskCapacityProviderStrategy)
    out = { capacityProviderStrategy: request.runTaskCapacityProviderStrategy };
  else if (request.runTaskLaunchType) out = { launchType: request.runTaskLaunchType };
  else if (service?.capacityProviderStrategy?.length) {
    copied.push('capacity provider strategy');
    out = { capacityProviderStrategy: structuredClone(service.capacityProviderStrategy) };
  } else if (service?.launchType) {
    copied.push('launch type');
    out = { launchType: service.launchType };
  } else out = defaultLaunch(td);
  // ECS refuses a platform version with the EC2 (and EXTERNAL) launch types.
  const platformAllowed = out.launchType !== 'EC2' && out.launchType !== 'EXTERNAL';
  if (service?.platformVersion && platformAllowed) {
    copied.push('platform version');
    return { ...out, platformVersion: service.platformVersion };
  }
  return out;
}

function defaultLaunch(td: JsonObject): Pick<RunTaskPlanInput, 'launchType'> {
  const required = Array.isArray(td.requiresCompatibilities)
    ? td.requiresCompatibilities.filter((v: JsonValue): v is string => typeof v === 'string')
    : [];
  if (required.length === 0 || required.includes('FARGATE')) return { launchType: 'FARGATE' };
  if (required.includes('EC2')) return { launchType: 'EC2' };
  if (required.includes('EXTERNAL')) return { launchType: 'EXTERNAL' };
  // MANAGED_INSTANCES runs only through a capacity provider: the cluster's default strategy.
  return {};
}

/** The managed EBS volume, which must be a volume of the definition configured at launch. */
function volumeConfigurations(
  request: DeployRequest,
  td: JsonObject,
  problems: Problem[],
): Pick<RunTaskPlanInput, 'volumeConfigurations'> {
  const name = request.runTaskEbsVolumeName;
  if (!name || !request.runTaskEbsVolume) return {};
  const volumes = Array.isArray(td.volumes) ? td.volumes.filter(isObject) : [];
  const volume = volumes.find((v) => v.name === name);
  if (!volume || volume.configuredAtLaunch !== true) {
    problems.push(
      error(
        'run-task-managed-ebs-volume-name',
        volume
          ? `volume "${name}" of the task definition is not configuredAtLaunch: true, so RunTask cannot configure it.`
          : `"${name}" is not a volume of the task definition${volumes.length ? `; its volumes are ${volumes.map((v) => String(v.name)).join(', ')}` : ''}.`,
      ),
    );
  }
  const managedEBSVolume = structuredClone(request.runTaskEbsVolume) as unknown as NonNullable<
    RunTaskPlanInput['volumeConfigurations']
  >[number]['managedEBSVolume'];
  return { volumeConfigurations: [{ name, managedEBSVolume }] };
}
