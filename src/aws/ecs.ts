// EcsPort (src/aws/ports.ts) over the SDK: one call (or one paginated/batched call) per method,
// errors turned into AwsCallError naming the operation. No decisions about deployments live here;
// those are in src/rollout/, over the plain data these return.

import {
  CreateServiceCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  ContinueServiceDeploymentCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Failure,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type StopServiceDeploymentStopType,
  type Task,
  type UpdateServiceCommandInput,
  type CreateServiceCommandInput,
  type Tag,
} from '@aws-sdk/client-ecs';
import { chunk } from '../lib/chunk.js';
import { normalizeTaskDefinition } from '../lib/taskdef-shape.js';
import type { JsonObject } from '../lib/json.js';
import { AwsCallError, awsCall } from './errors.js';
import { createEcsHousekeeping, type EcsHousekeeping } from './ecs-housekeeping.js';
import type {
  CallOptions,
  ContinueRequest,
  DescribedServiceDeployments,
  DescribedServices,
  DescribedTaskDefinition,
  DescribedTasks,
  EcsPort,
  ListServiceDeploymentsQuery,
  RegisteredTaskDefinition,
  RegisterOptions,
  StartedTasks,
  StoppedTasksQuery,
} from './ports.js';

/** API limits on one request (docs/ecs-behaviour.md, "API limits"). */
export const DESCRIBE_SERVICES_BATCH = 10;
export const DESCRIBE_SERVICE_DEPLOYMENTS_BATCH = 20;
export const DESCRIBE_TASKS_BATCH = 100;
/** Stopped tasks are kept for about an hour; a busy service's list is cut off here rather than paged forever. */
const MAX_LIST_TASKS_PAGES = 10;
const MAX_LIST_SERVICE_DEPLOYMENTS_PAGES = 5;

export { chunk };

/** EcsPort over the SDK's ECSClient. */
export function createEcsPort(client: ECSClient): EcsPort {
  return Object.assign(new SdkEcs(client), createEcsHousekeeping(client));
}

class SdkEcs implements Omit<EcsPort, keyof EcsHousekeeping> {
  constructor(private readonly ecs: ECSClient) {}

  /**
   * Registers the task definition as given (plain JSON: the SDK's serializer writes only the
   * members it knows and drops the rest, which is why the template's field names are checked
   * first). `tags`, when given and not empty, replace the document's own.
   */
  async registerTaskDefinition(
    td: JsonObject,
    options: RegisterOptions = {},
  ): Promise<RegisteredTaskDefinition> {
    const input = { ...td } as unknown as RegisterTaskDefinitionCommandInput;
    if (options.tags && options.tags.length > 0) input.tags = options.tags;
    const out = await awsCall('RegisterTaskDefinition', () =>
      this.ecs.send(new RegisterTaskDefinitionCommand(input), sendOptions(options)),
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

  /**
   * `ref` is a family, `family:revision` or an ARN. A bare family gives its latest ACTIVE
   * revision; a named revision is described whatever its status.
   */
  async describeTaskDefinition(ref: string, options: CallOptions = {}): Promise<DescribedTaskDefinition> {
    const out = await awsCall('DescribeTaskDefinition', () =>
      this.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }),
        sendOptions(options),
      ),
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

  /** 10 services per call. ClusterNotFoundException names the cluster. */
  async describeServices(
    cluster: string,
    names: string[],
    options: CallOptions = {},
  ): Promise<DescribedServices> {
    const services: Service[] = [];
    const failures: Failure[] = [];
    for (const batch of chunk(names, DESCRIBE_SERVICES_BATCH)) {
      const out = await ecsCall('DescribeServices', cluster, () =>
        this.ecs.send(new DescribeServicesCommand({ cluster, services: batch }), sendOptions(options)),
      );
      services.push(...(out.services ?? []));
      failures.push(...(out.failures ?? []));
    }
    return { services, failures };
  }

  /**
   * One service, which must exist and be ACTIVE: a MISSING, DRAINING or INACTIVE service cannot
   * be deployed to, and the error says which it is.
   */
  async describeService(cluster: string, service: string, options: CallOptions = {}): Promise<Service> {
    const { services, failures } = await this.describeServices(cluster, [service], options);
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

  async updateService(input: UpdateServiceCommandInput, options: CallOptions = {}): Promise<Service> {
    const out = await ecsCall('UpdateService', input.cluster, () =>
      this.ecs.send(new UpdateServiceCommand(input), sendOptions(options)),
    );
    if (!out.service) throw new Error(`UpdateService returned no service for '${input.service}'.`);
    return out.service;
  }

  async createService(input: CreateServiceCommandInput, options: CallOptions = {}): Promise<Service> {
    const out = await ecsCall('CreateService', input.cluster, () =>
      this.ecs.send(new CreateServiceCommand(input), sendOptions(options)),
    );
    if (!out.service) throw new Error(`CreateService returned no service for '${input.serviceName}'.`);
    return out.service;
  }

  async listTagsForResource(arn: string, options: CallOptions = {}): Promise<Tag[]> {
    const out = await awsCall('ListTagsForResource', () =>
      this.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }), sendOptions(options)),
    );
    return out.tags ?? [];
  }

  async tagResource(arn: string, tags: Tag[], options: CallOptions = {}): Promise<void> {
    await awsCall('TagResource', () =>
      this.ecs.send(new TagResourceCommand({ resourceArn: arn, tags }), sendOptions(options)),
    );
  }

  async untagResource(arn: string, keys: string[], options: CallOptions = {}): Promise<void> {
    await awsCall('UntagResource', () =>
      this.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: keys }), sendOptions(options)),
    );
  }

  /** The service's deployments (briefs), all pages up to a bound. */
  async listServiceDeployments(
    query: ListServiceDeploymentsQuery,
    options: CallOptions = {},
  ): Promise<ServiceDeploymentBrief[]> {
    const { cluster, service, createdAfter, status } = query;
    const briefs: ServiceDeploymentBrief[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_SERVICE_DEPLOYMENTS_PAGES; page++) {
      const command = new ListServiceDeploymentsCommand({
        cluster,
        service,
        ...(createdAfter ? { createdAt: { after: createdAfter } } : {}),
        ...(status ? { status } : {}),
        nextToken,
      });
      const out = await ecsCall('ListServiceDeployments', cluster, () =>
        this.ecs.send(command, sendOptions(options)),
      );
      briefs.push(...(out.serviceDeployments ?? []));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return briefs;
  }

  /** 20 per call. A deployment older than 2024-10-25 comes back as a failure with reason MISSING. */
  async describeServiceDeployments(
    arns: string[],
    options: CallOptions = {},
  ): Promise<DescribedServiceDeployments> {
    const serviceDeployments: ServiceDeployment[] = [];
    const failures: Failure[] = [];
    for (const batch of chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_BATCH)) {
      const out = await awsCall('DescribeServiceDeployments', () =>
        this.ecs.send(
          new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
          sendOptions(options),
        ),
      );
      serviceDeployments.push(...(out.serviceDeployments ?? []));
      failures.push(...(out.failures ?? []));
    }
    return { serviceDeployments, failures };
  }

  /** Asks ECS to roll the service deployment back (works even without a rollback option configured). */
  async stopServiceDeployment(
    arn: string,
    stopType: StopServiceDeploymentStopType,
    options: CallOptions = {},
  ): Promise<string> {
    const out = await awsCall('StopServiceDeployment', () =>
      this.ecs.send(
        new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType }),
        sendOptions(options),
      ),
    );
    return out.serviceDeploymentArn ?? arn;
  }
  async continueServiceDeployment(request: ContinueRequest, options: CallOptions = {}): Promise<string> {
    const send = () => this.ecs.send(new ContinueServiceDeploymentCommand(request), sendOptions(options));
    const out = await awsCall('ContinueServiceDeployment', send);
    return out.serviceDeploymentArn ?? request.serviceDeploymentArn;
  }
  /**
   * The stopped tasks a deployment (`ecs-svc/<n>`) started. ListTasks cannot combine `startedBy`
   * with other filters (docs/ecs-behaviour.md), so this lists the service's stopped tasks and
   * filters on `startedBy` after DescribeTasks.
   */
  async listStoppedTasks(query: StoppedTasksQuery, options: CallOptions = {}): Promise<Task[]> {
    const { cluster, service, deploymentId } = query;
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_TASKS_PAGES; page++) {
      const command = new ListTasksCommand({
        cluster,
        serviceName: service,
        desiredStatus: 'STOPPED',
        nextToken,
      });
      const out = await ecsCall('ListTasks', cluster, () => this.ecs.send(command, sendOptions(options)));
      arns.push(...(out.taskArns ?? []));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    const tasks: Task[] = [];
    for (const batch of chunk(arns, DESCRIBE_TASKS_BATCH)) {
      const out = await ecsCall('DescribeTasks', cluster, () =>
        this.ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }), sendOptions(options)),
      );
      tasks.push(...(out.tasks ?? []).filter((t) => t.startedBy === deploymentId));
    }
    return tasks;
  }

  /**
   * One RunTask, not retried by us: the SDK fills `clientToken` itself, so its own retries of
   * this one call never start the tasks twice (docs/ecs-behaviour.md, "One-off tasks").
   */
  async runTask(input: RunTaskCommandInput): Promise<StartedTasks> {
    const out = await ecsCall('RunTask', input.cluster, () => this.ecs.send(new RunTaskCommand(input)));
    return { tasks: out.tasks ?? [], failures: out.failures ?? [] };
  }

  async describeTasks(cluster: string, arns: string[], options: CallOptions = {}): Promise<DescribedTasks> {
    const result: DescribedTasks = { tasks: [], failures: [] };
    for (const batch of chunk(arns, DESCRIBE_TASKS_BATCH)) {
      const out = await ecsCall('DescribeTasks', cluster, () =>
        this.ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }), sendOptions(options)),
      );
      result.tasks.push(...(out.tasks ?? []));
      result.failures.push(...(out.failures ?? []));
    }
    return result;
  }

  async stopTask(cluster: string, arn: string, reason: string): Promise<Task | undefined> {
    const out = await ecsCall('StopTask', cluster, () =>
      this.ecs.send(new StopTaskCommand({ cluster, task: arn, reason })),
    );
    return out.task;
  }
}

/** The SDK's per-call options: an abort signal abandons the HTTP request. */
function sendOptions(options: CallOptions): { abortSignal?: AbortSignal } {
  return options.signal ? { abortSignal: options.signal } : {};
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
