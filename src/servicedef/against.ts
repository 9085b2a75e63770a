// The checks of a service definition against what it goes with: the task definition this step
// would register (load balancer containers and ports, awsvpc and Fargate), the service as it
// exists (fields that only CreateService takes), and the action inputs (service and cluster).
// Pure (docs/ecs-behaviour.md, "Service definitions").

import type { Service } from '@aws-sdk/client-ecs';
import { isObject, type JsonObject } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import { IMMUTABLE_FIELDS } from './fields.js';
import { problemAt, type ServiceDefinition } from './load.js';

/** Container name → its container ports, from the task definition's port mappings. */
function containerPorts(td: JsonObject): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const containers = Array.isArray(td.containerDefinitions) ? td.containerDefinitions : [];
  for (const c of containers) {
    if (!isObject(c) || typeof c.name !== 'string') continue;
    const mappings = Array.isArray(c.portMappings) ? c.portMappings : [];
    const ports = mappings.flatMap((m) =>
      isObject(m) && typeof m.containerPort === 'number' ? [m.containerPort] : [],
    );
    out.set(c.name, ports);
  }
  return out;
}

/** Whether the service runs on Fargate: its launch type, or a FARGATE capacity provider. */
function onFargate(doc: JsonObject): boolean {
  if (doc.launchType === 'FARGATE') return true;
  const strategy = Array.isArray(doc.capacityProviderStrategy) ? doc.capacityProviderStrategy : [];
  return strategy.some(
    (s) => isObject(s) && typeof s.capacityProvider === 'string' && s.capacityProvider.startsWith('FARGATE'),
  );
}

/** The service definition against the task definition this step would register. */
export function checkAgainstTaskDefinition(
  def: ServiceDefinition,
  td: JsonObject,
  /** The service exists with a network configuration, which UpdateService keeps when none is sent. */
  hasNetwork = false,
): Problem[] {
  const out: Problem[] = [];
  const ports = containerPorts(td);
  const family = typeof td.family === 'string' ? td.family : 'the task definition';
  const lbs = Array.isArray(def.doc.loadBalancers) ? def.doc.loadBalancers : [];
  lbs.forEach((lb, i) => {
    if (!isObject(lb) || typeof lb.containerName !== 'string' || typeof lb.containerPort !== 'number') return;
    const known = ports.get(lb.containerName);
    if (!known) {
      const names = [...ports.keys()].join(', ');
      out.push(
        problemAt(
          def,
          ['loadBalancers', i, 'containerName'],
          `Container '${lb.containerName}' is not in task definition ${family} (its containers: ${names}).`,
        ),
      );
    } else if (!known.includes(lb.containerPort)) {
      const listed = known.length ? `its container ports are ${known.join(', ')}` : 'it has no port mappings';
      out.push(
        problemAt(
          def,
          ['loadBalancers', i, 'containerPort'],
          `Container '${lb.containerName}' of ${family} does not expose port ${lb.containerPort} (${listed}); ECS would refuse the load balancer.`,
        ),
      );
    }
  });
  const awsvpc = td.networkMode === 'awsvpc';
  const network = def.doc.networkConfiguration;
  if (awsvpc && network === undefined && !hasNetwork) {
    out.push({
      ...problemAt(
        def,
        [],
        `Task definition ${family} uses the awsvpc network mode, so the service needs a networkConfiguration with awsvpcConfiguration.subnets.`,
      ),
      path: 'networkConfiguration',
    });
  }
  if (onFargate(def.doc) && !awsvpc) {
    const at = def.doc.launchType !== undefined ? ['launchType'] : ['capacityProviderStrategy'];
    out.push(
      problemAt(
        def,
        at,
        `Fargate needs the awsvpc network mode, but task definition ${family} uses ${typeof td.networkMode === 'string' ? td.networkMode : 'the default (bridge)'}.`,
      ),
    );
  }
  if (def.doc.enableExecuteCommand === true && td.taskRoleArn === undefined) {
    out.push(
      problemAt(
        def,
        ['enableExecuteCommand'],
        `ECS Exec needs a task role with the ssmmessages permissions, and task definition ${family} has no taskRoleArn.`,
        { severity: 'warning' },
      ),
    );
  }
  return out;
}

/** How the existing service shows a create-only field, for comparing with the file. */
function serviceValue(service: Service, field: string): string | undefined {
  if (field === 'role') return service.roleArn;
  const value = (service as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** A role given by name or ARN, as its name (`ecsServiceRole`). */
const roleName = (role: string): string => role.slice(role.lastIndexOf('/') + 1);

/**
 * Fields that cannot change on an existing service (launch type, scheduling strategy, role):
 * a different value is an error that names the field and says the service must be recreated.
 */
export function checkAgainstService(def: ServiceDefinition, service: Service): Problem[] {
  const out: Problem[] = [];
  const name = service.serviceName ?? 'the service';
  for (const field of IMMUTABLE_FIELDS) {
    const wanted = def.doc[field];
    if (typeof wanted !== 'string') continue;
    const have = serviceValue(service, field);
    const same =
      field === 'role' ? have !== undefined && roleName(have) === roleName(wanted) : have === wanted;
    if (same) continue;
    out.push(
      problemAt(
        def,
        [field],
        `${field} is ${wanted} in the service definition but ${have ?? 'not set'} on service ${name}, and it cannot change on an existing service: the service must be recreated (delete it, then deploy with create-service: true), or keep ${field} as it is.`,
      ),
    );
  }
  return out;
}

/** The cluster a name or ARN names (`arn:...:cluster/prod` → `prod`). */
export const clusterName = (cluster: string): string => cluster.slice(cluster.lastIndexOf('/') + 1);
/** The service a name or ARN names. */
export const serviceName = (service: string): string => service.slice(service.lastIndexOf('/') + 1);

/**
 * The file names the service; `service`, if also given, must match. Its `cluster` is used unless
 * the `cluster` input names another (the input's default, `default`, yields to the file).
 */
export function checkAgainstInputs(
  def: ServiceDefinition,
  inputs: { service?: string; cluster: string },
): Problem[] {
  const out: Problem[] = [];
  const file = def.doc;
  if (
    inputs.service &&
    typeof file.serviceName === 'string' &&
    serviceName(inputs.service) !== file.serviceName
  ) {
    out.push(
      problemAt(
        def,
        ['serviceName'],
        `The service definition names service '${file.serviceName}', but the service input is '${inputs.service}'; make them match, or leave service unset.`,
      ),
    );
  }
  if (
    typeof file.cluster === 'string' &&
    inputs.cluster !== 'default' &&
    clusterName(inputs.cluster) !== clusterName(file.cluster)
  ) {
    out.push(
      problemAt(
        def,
        ['cluster'],
        `The service definition's cluster is '${file.cluster}', but the cluster input is '${inputs.cluster}'; make them match, or leave cluster unset.`,
      ),
    );
  }
  return out;
}
