// The typed request: every action input, parsed once (src/inputs/, one table entry per input),
// in one object.
// Everything downstream reads this, never `core.getInput`.

import type { JsonObject } from './json.js';

/** One image change. `container` undefined means "the target container" (container-name or the only one). */
export interface ImageChange {
  container?: string;
  /** A full image reference (`repo:tag`, `repo@sha256:...`), or `:tag` / `@sha256:...` to keep the repository. */
  image: string;
  /** Which input it came from, for error messages: `image` or `images`. */
  input: 'image' | 'images';
}

/** Changes to a name/value list (environment, secrets, docker labels, log options). */
export interface KeyValueChanges {
  /** Set or override, in input order. For secrets the value is the `valueFrom`. */
  set: { name: string; value: string }[];
  /** Remove these names (lines `-NAME`). */
  remove: string[];
}

/** A RunTask container override as given (the ContainerOverride shape of the ECS API, checked). */
export type ContainerOverrideInput = JsonObject & { name: string };
export type RunTaskLaunchType = 'FARGATE' | 'EC2' | 'EXTERNAL' | 'MANAGED_INSTANCES';
export interface CapacityProviderItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export type CircuitBreakerMode = 'rollback' | 'enable' | 'disable';
export type OnTimeout = 'fail' | 'rollback';
/** `on-service-failure`: with several services, what becomes of the others when one fails. */
export type OnServiceFailure = 'continue' | 'rollback';
/** One service of the step and the cluster it is in. */
export interface ServiceTarget {
  cluster: string;
  /** A name or ARN, as given. */
  service: string;
}
/** `deployment-strategy`: ECS's DeploymentConfiguration.strategy words. */
export const DEPLOYMENT_STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type DeploymentStrategyName = (typeof DEPLOYMENT_STRATEGIES)[number];
/** `continue-action`: ContinueServiceDeployment's action words. */
export type ContinueAction = 'CONTINUE' | 'ROLLBACK';
export type PropagateTags = 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
/** The severities `fail-on-scan-findings` takes, most severe first. */
export const SCAN_THRESHOLDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type ScanThreshold = (typeof SCAN_THRESHOLDS)[number];

export interface DeployRequest {
  // ---- where the task definition comes from (at most one of template / taskDefinitionRef) ----
  /** `task-definition`: path of a JSON or YAML template, relative to the workspace. */
  templatePath?: string;
  /** `task-definition-arn`, or `task-definition-family` [+ `task-definition-revision`]: a registered revision to start from. */
  taskDefinitionRef?: string;
  /** `vars`: template variables for `${NAME}` placeholders (then the process environment). */
  vars: Record<string, string>;

  // ---- render ----
  /** `container-name`: the target container(s) for image, environment, secrets, env files, labels, command, logs. */
  containerNames: string[];
  images: ImageChange[];
  environment: KeyValueChanges;
  /** `environment-variables-mode`: `merge` (default) keeps the template's other variables; `replace` drops them. */
  environmentMode: 'merge' | 'replace';
  /** `env-files`: S3 object ARNs to add; `remove` lists ARNs given as `-arn`. */
  envFiles: { add: string[]; remove: string[] };
  secrets: KeyValueChanges;
  dockerLabels: KeyValueChanges;
  /** `command`: the container command, already split into arguments. */
  command?: string[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  logDriver?: string;
  logOptions: KeyValueChanges;

  // ---- deploy ----
  cluster: string;
  /** Without a service the step registers the task definition and stops. */
  service?: string;
  /**
   * `service` with one line or several: every service, in the order given, each with its cluster
   * (`cluster/name`, else `cluster`). The first is `service` and `cluster`. Unset without a service.
   */
  services?: ServiceTarget[];
  /** `on-service-failure` (default continue): let the others finish, or roll them back. */
  onServiceFailure?: OnServiceFailure;
  waitForServiceStability: boolean;
  waitForMinutes: number;
  forceNewDeployment: boolean;
  desiredCount?: number;
  enableEcsManagedTags?: boolean;
  propagateTags?: PropagateTags;
  /** `circuit-breaker`: undefined leaves the service's setting as it is. */
  circuitBreaker?: CircuitBreakerMode;
  onTimeout: OnTimeout;
  /** `dry-run`: render, validate and diff against what runs; write nothing. */
  dryRun: boolean;

  // ---- ECS-native blue/green, linear and canary (src/strategy/) ----
  /** `deployment-strategy`: undefined leaves the service's strategy as it is. */
  deploymentStrategy?: DeploymentStrategyName;
  /** `bake-time-in-minutes`: how long blue and green both run after the production shift. */
  bakeTimeInMinutes?: number;
  canaryPercent?: number;
  canaryBakeTimeInMinutes?: number;
  linearStepPercent?: number;
  linearStepBakeTimeInMinutes?: number;
  /** `wait-until-stage`: end the step once the service deployment reaches this lifecycle stage. */
  waitUntilStage?: string;
  /** `continue-on-pause`: continue a PAUSE hook at once instead of ending the step `paused`. */
  continueOnPause?: boolean;
  /** `continue-deployment`: the service deployment ARN whose paused hook this step continues. */
  continueDeployment?: string;
  /** `continue-action`: what ContinueServiceDeployment asks for; undefined means CONTINUE. */
  continueAction?: ContinueAction;

  // ---- service definition ----
  /** `service-definition`: a CreateService-shaped file (JSON or YAML) that names and shapes the service. */
  serviceDefinitionPath?: string;
  /** `create-service: true`: create the service from the service definition when it does not exist (unset: false). */
  createService?: boolean;

  // ---- preflight ----
  /** `preflight`: check that what the task definition names exists before anything is written. */
  preflight: boolean;
  /** `pin-image-digest`: register ECR images as `repository@sha256:...` instead of by tag. */
  pinImageDigest: boolean;
  /** `fail-on-scan-findings`: stop when an ECR scan has findings at or above this severity. */
  failOnScanFindings?: ScanThreshold;
  // ---- one-off task (run-task), before the service is updated ----
  /** `run-task`: run the revision this step registered (or reused) as a standalone task. */
  runTask: boolean;
  /** `run-task-container-overrides`: RunTask's containerOverrides, as given. */
  runTaskContainerOverrides: ContainerOverrideInput[];
  /** Network inputs: given, they replace the service's networkConfiguration as a whole. */
  runTaskSubnets?: string[];
  runTaskSecurityGroups?: string[];
  runTaskAssignPublicIp?: 'ENABLED' | 'DISABLED';
  /** Given, it wins over `run-task-launch-type` (as in the official action). */
  runTaskCapacityProviderStrategy?: CapacityProviderItem[];
  runTaskLaunchType?: RunTaskLaunchType;
  runTaskStartedBy: string;
  runTaskTags: { key: string; value: string }[];
  /** `run-task-managed-ebs-volume-name` and `-volume`: one volume configured at launch. */
  runTaskEbsVolumeName?: string;
  runTaskEbsVolume?: JsonObject;
  /** `wait-for-task-stopped`: follow the task to its end; with a service, it gates the update. */
  waitForTaskStopped: boolean;
  /** `run-task-command`: the target container's command for this task only. */
  runTaskCommand?: string[];
  /** `stop-task-on-timeout`: StopTask when wait-for-minutes passes (default: leave it running). */
  stopTaskOnTimeout: boolean;
  // ---- GitHub deployment record ----
  /** `github-environment`: record the deploy as a GitHub deployment to this environment. */
  githubEnvironment?: string;
  /** `github-token`: writes the record (the workflow's token by default); never printed. */
  githubToken?: string;
  /** `environment-url`: the URL shown with the deployment (its statuses' environment_url). */
  environmentUrl?: string;

  // ---- the official action's other inputs (src/inputs/parse-official.ts); undefined when unset ----
  /** `wait-max-delay-seconds`: accepted for the official action's workflows; our polling is faster already. */
  waitMaxDelaySeconds?: number;
  /** `service-managed-ebs-volume-name` and `-volume`: UpdateService's volumeConfigurations, sent only when given. */
  serviceEbsVolumeName?: string;
  serviceEbsVolume?: JsonObject;
  /** `keep-null-value-keys`: accepted; every empty value of the template is kept already. */
  keepNullValueKeys?: string[];
  /** `max-retries`: retries of an AWS call after the first attempt (the SDK's maxAttempts is this + 1). */
  maxRetries?: number;
  // ---- old revisions cleaned up, after a successful deploy (src/cleanup/) ----
  /** `keep-revisions`: keep the family's newest N ACTIVE revisions, deregister the rest; unset: no cleanup. */
  keepRevisions?: number;
  /** `delete-deregistered`: also delete the revisions the cleanup deregistered (DeleteTaskDefinitions). */
  deleteDeregistered: boolean;

  // ---- CodeDeploy blue/green (a service whose deployment controller is CODE_DEPLOY) ----
  /** `codedeploy-appspec`: path of the AppSpec file (JSON or YAML), relative to the workspace. */
  codeDeployAppSpec?: string;
  /** `codedeploy-application`; unset: `AppECS-{cluster}-{service}`. */
  codeDeployApplication?: string;
  /** `codedeploy-deployment-group`; unset: `DgpECS-{cluster}-{service}`. */
  codeDeployDeploymentGroup?: string;
  /** `codedeploy-deployment-description`, already cut to CodeDeploy's 512 characters. */
  codeDeployDescription?: string;
  /** `codedeploy-deployment-config`; unset: the deployment group's. */
  codeDeployConfig?: string;
}
