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
