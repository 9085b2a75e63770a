// The model's records. Times are simulated epoch ms; outputs convert them to Date objects.
import type {
  Attachment,
  ContainerDefinition,
  DeploymentConfiguration,
  DeploymentController,
  LaunchType,
  LoadBalancer,
  NetworkConfiguration,
  PropagateTags,
  ServiceDeploymentStatus,
  ServiceRegistry,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

import type { TaskPlan } from './behaviours.js';
import type { EventRecord } from './events.js';
import type { HookRun } from './hooks.js';
import type { LifecycleStage, Phase } from './lifecycle.js';
import type { ShiftStrategy } from './strategy-config.js';

export interface ClusterRec {
  name: string;
  arn: string;
  createdAt: number;
  tags: Tag[];
  settings: { name: string; value: string }[];
}

export interface TaskDefRec {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  deregisteredAt?: number;
  /** The registered definition as DescribeTaskDefinition shows it, minus the fields set above. */
  body: TaskDefinition;
  containers: ContainerDefinition[];
  tags: Tag[];
}

export type TaskLastStatus =
  'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface ContainerRec {
  name: string;
  image: string;
  containerArn: string;
  essential: boolean;
  hasHealthCheck: boolean;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
  /** awslogs destination, when the container definition names one. */
  logGroup?: string;
  logStreamPrefix?: string;
}

export interface TaskRec {
  id: string;
  arn: string;
  cluster: string;
  taskDefinitionArn: string;
  family: string;
  group: string;
  startedBy?: string;
  /** Set for service tasks. */
  service?: string;
  deploymentId?: string;
  launchType: LaunchType;
  platformVersion?: string;
  cpu?: string;
  memory?: string;
  lastStatus: TaskLastStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** The scheduler's view: RUNNING and past its health grace (or HEALTHY). Counts toward minimumHealthyPercent. */
  healthy: boolean;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerRec[];
  plan: TaskPlan;
  /** Bumped when the task is told to stop, so its pending lifecycle steps are ignored. */
  token: number;
  version: number;
  tags: Tag[];
  availabilityZone: string;
  enableExecuteCommand: boolean;
  overrides?: unknown;
  /** RunTask with a capacityProviderStrategy; managed EBS volumes (RunTask volumeConfigurations). */
  capacityProviderName?: string;
  attachments?: Attachment[];
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRec {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  launchType: LaunchType;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  revisionArn: string;
  /** The service deployment this deployment is the target of. */
  serviceDeploymentArn: string;
  /** While re-promoted by a rollback: the service deployment that is rolling back to it. */
  rollbackFor?: string;
  /** Consecutive failures, for the scheduler's retry backoff (independent of the breaker count). */
  consecutiveFailures: number;
  /** The scheduler launches no task of this deployment before this time (backoff). */
  nextLaunchAt: number;
  lastUnableEventAt?: number;
  blockedEventSent?: boolean;
}

export interface ServiceDeploymentRec {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  service: string;
  cluster: string;
  deploymentId: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  /** Revisions that were running when it started, with their task counts then (when gone). */
  sources: { arn: string; deploymentId: string }[];
  targetRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  breaker: {
    status: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';
    failureCount: number;
    threshold: number;
  };
  /** The rollback was asked for with StopServiceDeployment (not by the breaker). */
  userRollback?: boolean;
  /** Revision task counts as they were when the service deployment finished. */
  frozen?: { sources: RevisionCounts[]; target: RevisionCounts };
  /** BLUE_GREEN, LINEAR or CANARY: the lifecycle stages, hooks, traffic and alarms (traffic-shift.ts). */
  shift?: ShiftRec;
  /** statusReason once a rollback this deployment started has finished, when it names a cause. */
  rollbackDoneReason?: string;
}

/** The state of one traffic-shifting service deployment. */
export interface ShiftRec {
  strategy: ShiftStrategy;
  phases: Phase[];
  /** Index of the current phase in `phases`. */
  phase: number;
  phaseStartedAt: number;
  stage: LifecycleStage;
  /** Every hook run of this deployment, oldest first (failed ones stay visible). */
  hooks: HookRun[];
  /** Requested weights of the green (target) revision, percent. */
  testWeight: number;
  productionWeight: number;
  /** The deployment serving production when this one started (the rollback target). */
  blueDeploymentId: string;
  /** Traffic went back to blue (a rollback started). */
  rolledBack?: boolean;
  /** Set by ContinueServiceDeployment ROLLBACK: the reason the rollback will carry. */
  pendingRollback?: string;
  alarms: {
    enabled: boolean;
    rollback: boolean;
    names: string[];
    triggered: string[];
    /** When a `firing` alarm goes into ALARM (none: every alarm stays OK). */
    firesAt?: number;
    status: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';
  };
}

export interface RevisionCounts {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
}

export interface ServiceRevisionRec {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  launchType: LaunchType;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  containerImages: { containerName: string; image: string; imageDigest: string }[];
  createdAt: number;
}

export interface ServiceRec {
  name: string;
  arn: string;
  cluster: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: DeploymentController;
  launchType: LaunchType;
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: LoadBalancer[];
  serviceRegistries: ServiceRegistry[];
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags: boolean;
  propagateTags: PropagateTags;
  enableExecuteCommand: boolean;
  tags: Tag[];
  /** CreateService's `role`, as an ARN. */
  roleArn?: string;
  schedulingStrategy?: 'REPLICA' | 'DAEMON';
  /** Fields stored as given (capacity providers, placement, Service Connect, ...): service-fields.ts. */
  stored?: Record<string, unknown>;
  createdAt: number;
  createdBy: string;
  /** PRIMARY first, then ACTIVE newest first. */
  deployments: DeploymentRec[];
  /** Drained deployments (INACTIVE, not listed), newest first: rollback candidates. */
  history: DeploymentRec[];
  events: EventRecord[];
  currentServiceDeployment?: string;
  /** Task ARNs of this service, live and recently stopped. */
  tasks: Set<string>;
  /** Steady state announced and not lost since, so the event is not repeated every tick. */
  steady: boolean;
  /** When a scheduler pass is already queued for this service. */
  reconcileAt?: number;
}
