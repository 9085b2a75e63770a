// The one seam between the stages and AWS: a narrow interface per service the action calls,
// implemented once over the SDK (src/aws/ecs.ts, src/aws/logs.ts) and faked once for the tests
// (__tests__/fakes/aws.ts). Stages never see an SDK client; they see these methods, which speak
// plain data (the SDK's response shapes, not its clients) and throw AwsCallError naming the
// operation. docs/architecture.md, "The seams", says how to add a service.

import type {
  Failure,
  RunTaskCommandInput,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceDeploymentStatus,
  StopServiceDeploymentStopType,
  Tag,
  Task,
  TaskDefinitionStatus,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { JsonObject } from '../lib/json.js';

export interface RegisteredTaskDefinition {
  arn: string;
  revision: number;
  family: string;
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

export interface DescribedServices {
  services: Service[];
  failures: Failure[];
}

export interface DescribedServiceDeployments {
  serviceDeployments: ServiceDeployment[];
  failures: Failure[];
}

export interface ListServiceDeploymentsQuery {
  cluster: string;
  service: string;
  createdAfter?: Date;
  status?: ServiceDeploymentStatus[];
}

export interface StoppedTasksQuery {
  cluster: string;
  service: string;
  /** `ecs-svc/<n>`: only the tasks this deployment started. */
  deploymentId: string;
}

/** Per-call options every port method may take: a cancel that abandons the call at once. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The ECS API as the stages use it. */
export interface EcsPort {
  /** Any number of services, batched 10 per DescribeServices call. */
  describeServices(cluster: string, names: string[], options?: CallOptions): Promise<DescribedServices>;
  /** One service that must exist and be ACTIVE; the error says which it is when not. */
  describeService(cluster: string, service: string, options?: CallOptions): Promise<Service>;
  /** A family (latest ACTIVE), `family:revision` or an ARN. */
  describeTaskDefinition(ref: string, options?: CallOptions): Promise<DescribedTaskDefinition>;
  /** Registers as given; `tags`, when not empty, replace the document's own. */
  registerTaskDefinition(td: JsonObject, tags?: Tag[]): Promise<RegisteredTaskDefinition>;
  updateService(input: UpdateServiceCommandInput): Promise<Service>;
  listServiceDeployments(
    query: ListServiceDeploymentsQuery,
    options?: CallOptions,
  ): Promise<ServiceDeploymentBrief[]>;
  describeServiceDeployments(arns: string[], options?: CallOptions): Promise<DescribedServiceDeployments>;
  /** Returns the service deployment ARN ECS acted on. */
  stopServiceDeployment(arn: string, stopType: StopServiceDeploymentStopType): Promise<string>;
  listStoppedTasks(query: StoppedTasksQuery, options?: CallOptions): Promise<Task[]>;
  /** One RunTask call: the tasks ECS placed and, for the ones it could not, its failures. */
  runTask(input: RunTaskCommandInput): Promise<StartedTasks>;
  /** Tasks by ARN, batched 100 per DescribeTasks call; an unknown ARN comes back as a failure. */
  describeTasks(cluster: string, arns: string[], options?: CallOptions): Promise<DescribedTasks>;
  /** Asks ECS to stop a task; `reason` shows as its stoppedReason. */
  stopTask(cluster: string, arn: string, reason: string): Promise<Task | undefined>;
}

export interface StartedTasks {
  tasks: Task[];
  failures: Failure[];
}

export interface DescribedTasks {
  tasks: Task[];
  failures: Failure[];
}

export interface LogTailQuery {
  /** `awslogs-region`, when the logs are kept in another region than the step's. */
  region?: string;
  group: string;
  stream: string;
  lines: number;
}

export interface LogPageQuery {
  region?: string;
  group: string;
  stream: string;
  /** The `nextForwardToken` of the page before; without it the stream is read from its start. */
  nextToken?: string;
}

export interface LogPage {
  lines: string[];
  /** Where the next page starts; the same token again means the end of the stream for now. */
  nextForwardToken?: string;
  /** False when the stream does not exist (yet): the container has not logged. */
  exists: boolean;
}

/** CloudWatch Logs as the stages use it. */
export interface LogsPort {
  /** Up to `lines` newest lines of a stream, oldest first; a stream that does not exist gives none. */
  getLogTail(query: LogTailQuery, options?: CallOptions): Promise<string[]>;
  /** One page of a stream read forward from its head (or from `nextToken`), for following it live. */
  getLogPage(query: LogPageQuery, options?: CallOptions): Promise<LogPage>;
}

/** Every AWS service a step talks to, for one region. */
export interface AwsPorts {
  region: string;
  ecs: EcsPort;
  logs: LogsPort;
}
