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
  CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type {
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  ECSTarget,
} from '@aws-sdk/client-codedeploy';
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

/** ContinueServiceDeployment's request: the paused hook of a service deployment, and what to do. */
export interface ContinueRequest {
  serviceDeploymentArn: string;
  hookId: string;
  action: 'CONTINUE' | 'ROLLBACK';
}

/** Per-call options every port method may take: a cancel that abandons the call at once. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface RegisterOptions extends CallOptions {
  /** When given and not empty, they replace the document's own tags. */
  tags?: Tag[];
}

/** The ECS API as the stages use it. */
export interface EcsPort {
  /** Any number of services, batched 10 per DescribeServices call. */
  describeServices(cluster: string, names: string[], options?: CallOptions): Promise<DescribedServices>;
  /** One service that must exist and be ACTIVE; the error says which it is when not. */
  describeService(cluster: string, service: string, options?: CallOptions): Promise<Service>;
  /** A family (latest ACTIVE), `family:revision` or an ARN. */
  describeTaskDefinition(ref: string, options?: CallOptions): Promise<DescribedTaskDefinition>;
  /** Registers as given. A write abandoned by its signal may or may not have taken effect. */
  registerTaskDefinition(td: JsonObject, options?: RegisterOptions): Promise<RegisteredTaskDefinition>;
  updateService(input: UpdateServiceCommandInput, options?: CallOptions): Promise<Service>;
  listServiceDeployments(
    query: ListServiceDeploymentsQuery,
    options?: CallOptions,
  ): Promise<ServiceDeploymentBrief[]>;
  describeServiceDeployments(arns: string[], options?: CallOptions): Promise<DescribedServiceDeployments>;
  /** Returns the service deployment ARN ECS acted on. */
  stopServiceDeployment(
    arn: string,
    stopType: StopServiceDeploymentStopType,
    options?: CallOptions,
  ): Promise<string>;
  listStoppedTasks(query: StoppedTasksQuery, options?: CallOptions): Promise<Task[]>;
  /**
   * ContinueServiceDeployment: acts on a PAUSE hook waiting for action (CONTINUE or ROLLBACK);
   * returns the service deployment ARN ECS acted on.
   */
  continueServiceDeployment(request: ContinueRequest, options?: CallOptions): Promise<string>;
  // ---- service definitions (src/servicedef/) ----
  /** Creates the service; returns it as CreateService answered (its first deployment PRIMARY). */
  createService(input: CreateServiceCommandInput, options?: CallOptions): Promise<Service>;
  /** The tags of a resource (a service ARN). */
  listTagsForResource(arn: string, options?: CallOptions): Promise<Tag[]>;
  tagResource(arn: string, tags: Tag[], options?: CallOptions): Promise<void>;
  untagResource(arn: string, keys: string[], options?: CallOptions): Promise<void>;
  /** One RunTask call: the tasks ECS placed and, for the ones it could not, its failures. */
  runTask(input: RunTaskCommandInput): Promise<StartedTasks>;
  /** Tasks by ARN, batched 100 per DescribeTasks call; an unknown ARN comes back as a failure. */
  describeTasks(cluster: string, arns: string[], options?: CallOptions): Promise<DescribedTasks>;
  /** Asks ECS to stop a task; `reason` shows as its stoppedReason. */
  stopTask(cluster: string, arn: string, reason: string): Promise<Task | undefined>;
  // ---- old revisions cleaned up (src/cleanup/) ----
  /** A family's revisions of one status (every page, up to a bound), in the order asked for. */
  listTaskDefinitions(query: ListTaskDefinitionsQuery, options?: CallOptions): Promise<string[]>;
  /** Every service ARN of the cluster (every page, up to a bound). */
  listServices(cluster: string, options?: CallOptions): Promise<string[]>;
  /** Marks one revision INACTIVE; returns its ARN. */
  deregisterTaskDefinition(ref: string, options?: CallOptions): Promise<string>;
  /** Deletes INACTIVE revisions, batched 10 per DeleteTaskDefinitions call; refusals come back as failures. */
  deleteTaskDefinitions(refs: string[], options?: CallOptions): Promise<DeletedTaskDefinitions>;
}

export interface ListTaskDefinitionsQuery {
  /** The whole family name (ECS's `familyPrefix` matches the full name). */
  family: string;
  status?: TaskDefinitionStatus;
  /** DESC: newest revision first. */
  sort?: 'ASC' | 'DESC';
}

export interface DeletedTaskDefinitions {
  /** The ARNs ECS accepted for deletion (DELETE_IN_PROGRESS). */
  deleted: string[];
  failures: Failure[];
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
  /** Whether a log group of exactly this name exists in `region` (DescribeLogGroups). */
  logGroupExists(query: { region: string; name: string }, options?: CallOptions): Promise<boolean>;
}

// ---- The read-only checks of preflight (src/preflight/). Each query names its own region (and
// registry or account), since a task definition may point at resources anywhere. "Not found" is
// an answer (undefined, false, `missing`); every other failure throws AwsCallError. ----

/** One image in an ECR registry: by tag or by digest. */
export interface EcrImageQuery {
  region: string;
  registryId: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What DescribeImages says about one image. */
export interface EcrImage {
  digest: string;
  tags: string[];
}

/** A basic or enhanced scan of one image (DescribeImageScanFindings), or none. */
export interface EcrScan {
  /** COMPLETE, IN_PROGRESS, PENDING, FAILED, UNSUPPORTED_IMAGE, ... */
  status: string;
  description?: string;
  /** Finding counts by severity (CRITICAL, HIGH, ...); absent severities have none. */
  counts: Record<string, number>;
}

export interface EcrPort {
  /** `missing` when the repository or the image does not exist, saying which. */
  describeImage(
    query: EcrImageQuery,
    options?: CallOptions,
  ): Promise<{ image: EcrImage } | { missing: 'repository' | 'image' }>;
  /** undefined when the image has no scan (ScanNotFoundException). */
  describeScan(
    query: EcrImageQuery & { digest: string },
    options?: CallOptions,
  ): Promise<EcrScan | undefined>;
}

/** HeadObject's answer, told apart by status: S3 gives no error body for a HEAD. */
export type S3ObjectHead =
  | { kind: 'found' }
  | { kind: 'missing' }
  /** 403: no s3:GetObject, or a missing object without s3:ListBucket; cannot be told apart. */
  | { kind: 'denied' }
  /** 301: the bucket is in another region (from `x-amz-bucket-region`, when S3 sent it). */
  | { kind: 'other-region'; bucketRegion?: string };

export interface S3Port {
  /** HeadObject, never GetObject: an environment file can hold secrets. */
  headObject(
    query: { region: string; bucket: string; key: string },
    options?: CallOptions,
  ): Promise<S3ObjectHead>;
}

export interface SsmPort {
  /** Whether the caller's parameter `name` exists in `region` (DescribeParameters: never reads a value). */
  parameterExists(query: { region: string; name: string }, options?: CallOptions): Promise<boolean>;
}

/** DescribeSecret's answer: the versions and their stages (never the value). */
export interface SecretVersions {
  arn: string;
  /** Version id → its staging labels (AWSCURRENT, AWSPREVIOUS, ...). */
  versions: Record<string, string[]>;
}

export interface SecretsPort {
  /** undefined when the secret does not exist (ResourceNotFoundException). */
  describeSecret(
    query: { region: string; secretId: string },
    options?: CallOptions,
  ): Promise<SecretVersions | undefined>;
}

/** Every AWS service a step talks to, for one region. */
export interface AwsPorts {
  region: string;
  ecs: EcsPort;
  logs: LogsPort;
  ecr: EcrPort;
  s3: S3Port;
  ssm: SsmPort;
  secrets: SecretsPort;
  codedeploy: CodeDeployPort;
}

// ---- CodeDeploy blue/green for a service whose deployment controller is CODE_DEPLOY
// (src/codedeploy/). Plain data in the SDK's shapes; "does not exist" is an answer where the
// stages act on it (undefined), every other failure throws AwsCallError. ----

/** Which deployment group of which application. */
export interface DeploymentGroupRef {
  applicationName: string;
  deploymentGroupName: string;
}

/** The CreateDeployment request with an AppSpec given as content, as this action sends it. */
export interface CodeDeployDeploymentInput extends DeploymentGroupRef {
  /** The AppSpec as sent: JSON text, and its hex SHA-256. */
  appSpec: { content: string; sha256: string };
  description?: string;
  deploymentConfigName?: string;
}

export interface CodeDeployPort {
  /** `missing` when the application or the deployment group does not exist, saying which. */
  getDeploymentGroup(
    ref: DeploymentGroupRef,
    options?: CallOptions,
  ): Promise<{ group: DeploymentGroupInfo } | { missing: 'application' | 'deployment-group' }>;
  /** undefined when no deployment configuration has this name. */
  getDeploymentConfig(name: string, options?: CallOptions): Promise<DeploymentConfigInfo | undefined>;
  /** Starts the deployment; returns its id (`d-…`). */
  createDeployment(input: CodeDeployDeploymentInput, options?: CallOptions): Promise<string>;
  getDeployment(deploymentId: string, options?: CallOptions): Promise<DeploymentInfo>;
  /**
   * The deployment's ECS target (`<cluster>:<service>`); undefined while CodeDeploy has none,
   * including before the deployment started (DeploymentNotStartedException).
   */
  getEcsTarget(
    query: { deploymentId: string; targetId: string },
    options?: CallOptions,
  ): Promise<ECSTarget | undefined>;
  /**
   * The group's deployments that have not ended (Created, Queued, InProgress, Ready, Baking),
   * newest first: CodeDeploy refuses a new one while any is active.
   */
  listActiveDeployments(ref: DeploymentGroupRef, options?: CallOptions): Promise<string[]>;
  /** Asks CodeDeploy to stop; with `autoRollbackEnabled` it rolls the service back. */
  stopDeployment(
    query: { deploymentId: string; autoRollbackEnabled: boolean },
    options?: CallOptions,
  ): Promise<{ status?: string; statusMessage?: string }>;
}
