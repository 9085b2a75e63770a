// Narrow functions over the ECS API: one call (or one paginated/batched call) each, errors turned
// into AwsCallError naming the operation. No decisions about deployments live here; those are in
// src/rollout/, over the plain data these return.

import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Failure,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type StopServiceDeploymentStopType,
  type Tag,
  type Task,
  type TaskDefinitionStatus,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { normalizeTaskDefinition } from '../taskdef/load.js';
import type { JsonObject } from '../taskdef/json.js';
import { AwsCallError, awsCall } from './errors.js';

/** API limits on one request (reference/ecs-semantics.md §1.9, §2.1, §7). */
export const DESCRIBE_SERVICES_BATCH = 10;
export const DESCRIBE_SERVICE_DEPLOYMENTS_BATCH = 20;
export const DESCRIBE_TASKS_BATCH = 100;
/** Stopped tasks are kept for about an hour; a busy service's list is cut off here rather than paged forever. */
const MAX_LIST_TASKS_PAGES = 10;
const MAX_LIST_SERVICE_DEPLOYMENTS_PAGES = 5;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface RegisteredTaskDefinition {
  arn: string;
  revision: number;
  family: string;
}

/**
 * Registers the task definition as given (plain JSON: the SDK's serializer writes only the members
 * it knows and drops the rest). `tags`, when given and not empty, replace the document's own.
 */
export async function registerTaskDefinition(
  ecs: ECSClient,
  td: JsonObject,
  tags?: Tag[],
): Promise<RegisteredTaskDefinition> {
  const input = { ...td } as unknown as RegisterTaskDefinitionCommandInput;
  if (tags && tags.length > 0) input.tags = tags;
  const out = await awsCall('RegisterTaskDefinition', () =>
    ecs.send(new RegisterTaskDefinitionCommand(input)),
  );
  const registered = out.taskDefinition;
  if (!registered?.taskDefinitionArn || registered.revision === undefined) {
    throw new Error('RegisterTaskDefinition returned no task definition ARN.');
  }
  return {
    arn: registered.taskDefinitionArn,
    revision: registered.revision,
    family: registered.family ?? String(input.family),
  };
}

export interface DescribedTaskDefinition {
  /** In the RegisterTaskDefinition shape: plain JSON, read-only fields stripped, without tags. */
  taskDefinition: JsonObject;
  tags: Tag[];
  arn: string;
  /**
   * ACTIVE, INACTIVE (deregistered: a service cannot be updated to it) or DELETE_IN_PROGRESS.
   * Kept apart from `taskDefinition`, which stays in the RegisterTaskDefinition shape.
   */
  status?: TaskDefinitionStatus;
}

/**
 * `ref` is a family, `family:revision` or an ARN. A bare family gives its latest ACTIVE revision;
 * a named revision is described whatever its status.
 */
export async function describeTaskDefinition(ecs: ECSClient, ref: string): Promise<DescribedTaskDefinition> {
  const out = await awsCall('DescribeTaskDefinition', () =>
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })),
  );
  if (!out.taskDefinition?.taskDefinitionArn) {
    throw new Error(`DescribeTaskDefinition returned nothing for ${ref}.`);
  }
  // A JSON round trip turns SDK objects (Dates, undefined members) into the plain JSON the rest
  // of the pipeline works on.
  const plain = JSON.parse(JSON.stringify(out.taskDefinition)) as JsonObject;
  return {
    taskDefinition: normalizeTaskDefinition(plain),
    tags: out.tags ?? [],
    arn: out.taskDefinition.taskDefinitionArn,
    status: out.taskDefinition.status,
  };
}

export interface DescribedServices {
  services: Service[];
  failures: Failure[];
}

/** DescribeServices for any number of services, 10 per call. ClusterNotFoundException names the cluster. */
export async function describeServices(
  ecs: ECSClient,
  cluster: string,
  names: string[],
): Promise<DescribedServices> {
  const services: Service[] = [];
  const failures: Failure[] = [];
  for (const batch of chunk(names, DESCRIBE_SERVICES_BATCH)) {
    const out = await ecsCall('DescribeServices', cluster, () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
    );
    services.push(...(out.services ?? []));
    failures.push(...(out.failures ?? []));
  }
  return { services, failures };
}

/**
 * One service, which must exist and be ACTIVE: a MISSING, DRAINING or INACTIVE service cannot be
 * deployed to, and the error says which it is.
 */
export async function describeService(ecs: ECSClient, cluster: string, service: string): Promise<Service> {
  const { services, failures } = await describeServices(ecs, cluster, [service]);
  const found = services[0];
  if (!found) {
    const reason = failures[0]?.reason ?? 'MISSING';
    throw new AwsCallError(
      reason === 'MISSING'
        ? `Service '${service}' was not found in cluster '${cluster}'. Check the service and cluster inputs (and the region).`
        : `DescribeServices could not describe service '${service}' in cluster '${cluster}': ${reason}${failures[0]?.detail ? ` (${failures[0].detail})` : ''}.`,
      { kind: 'other', operation: 'DescribeServices' },
    );
  }
  if (found.status !== 'ACTIVE') {
    throw new AwsCallError(
      `Service '${service}' in cluster '${cluster}' is ${found.status ?? 'not ACTIVE'}: it is being deleted or was deleted, and cannot be deployed to.`,
      { kind: 'other', operation: 'DescribeServices' },
    );
  }
  return found;
}

export async function updateService(ecs: ECSClient, input: UpdateServiceCommandInput): Promise<Service> {
  const out = await ecsCall('UpdateService', input.cluster, () => ecs.send(new UpdateServiceCommand(input)));
  if (!out.service) throw new Error(`UpdateService returned no service for '${input.service}'.`);
  return out.service;
}

export interface ListServiceDeploymentsOptions {
  createdAfter?: Date;
  status?: ServiceDeploymentStatus[];
}

/** The service's deployments (briefs), all pages up to a bound. */
export async function listServiceDeployments(
  ecs: ECSClient,
  cluster: string,
  service: string,
  options: ListServiceDeploymentsOptions = {},
): Promise<ServiceDeploymentBrief[]> {
  const briefs: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_LIST_SERVICE_DEPLOYMENTS_PAGES; page++) {
    const out = await ecsCall('ListServiceDeployments', cluster, () =>
      ecs.send(
        new ListServiceDeploymentsCommand({
          cluster,
          service,
          ...(options.createdAfter ? { createdAt: { after: options.createdAfter } } : {}),
          ...(options.status ? { status: options.status } : {}),
          nextToken,
        }),
      ),
    );
    briefs.push(...(out.serviceDeployments ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return briefs;
}

export interface DescribedServiceDeployments {
  serviceDeployments: ServiceDeployment[];
  failures: Failure[];
}

/** 20 per call. A deployment older than 2024-10-25 comes back as a failure with reason MISSING. */
export async function describeServiceDeployments(
  ecs: ECSClient,
  arns: string[],
): Promise<DescribedServiceDeployments> {
  const serviceDeployments: ServiceDeployment[] = [];
  const failures: Failure[] = [];
  for (const batch of chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_BATCH)) {
    const out = await awsCall('DescribeServiceDeployments', () =>
      ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch })),
    );
    serviceDeployments.push(...(out.serviceDeployments ?? []));
    failures.push(...(out.failures ?? []));
  }
  return { serviceDeployments, failures };
}

/** Asks ECS to roll the service deployment back (works even without a rollback option configured). */
export async function stopServiceDeployment(
  ecs: ECSClient,
  arn: string,
  stopType: StopServiceDeploymentStopType = 'ROLLBACK',
): Promise<string> {
  const out = await awsCall('StopServiceDeployment', () =>
    ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType })),
  );
  return out.serviceDeploymentArn ?? arn;
}

/**
 * The stopped tasks a deployment (`ecs-svc/<n>`) started. ListTasks cannot combine `startedBy` with
 * other filters (reference/ecs-semantics.md §7), so this lists the service's stopped tasks and
 * filters on `startedBy` after DescribeTasks.
 */
export async function listStoppedTasks(
  ecs: ECSClient,
  cluster: string,
  service: string,
  deploymentId: string,
): Promise<Task[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_LIST_TASKS_PAGES; page++) {
    const out = await ecsCall('ListTasks', cluster, () =>
      ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', nextToken })),
    );
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  const tasks: Task[] = [];
  for (const batch of chunk(arns, DESCRIBE_TASKS_BATCH)) {
    const out = await ecsCall('DescribeTasks', cluster, () =>
      ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })),
    );
    tasks.push(...(out.tasks ?? []).filter((t) => t.startedBy === deploymentId));
  }
  return tasks;
}

/** awsCall, plus the cluster's name when the cluster does not exist (AWS's own message does not say which). */
async function ecsCall<T>(
  operation: string,
  cluster: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await awsCall(operation, call);
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'ClusterNotFoundException') {
      throw new AwsCallError(
        `${operation} failed: cluster '${cluster ?? 'default'}' was not found. Check the cluster input and the region.`,
        { kind: err.kind, operation, awsName: err.awsName, cause: err.cause },
      );
    }
    throw err;
  }
}
