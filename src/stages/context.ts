// What every stage of one step is given, and the record of what the stages returned. The stage
// contract (docs/architecture.md, "The stage contract"): a stage is a function of the context and
// the earlier stages' results; it returns a typed result (or a `skipped` one when it does not
// apply), throws ProblemsError / AwsCallError when the step cannot go on, and touches AWS and the
// runner only through `ctx`.

import type { ServiceRow } from '../report/services.js';
import type { Service, Tag } from '@aws-sdk/client-ecs';
import type { AwsPorts } from '../aws/ports.js';
import type { DeploymentSubject } from '../github/record.js';
import type { DeploymentState, GitHubPortFactory, Repository } from '../github/port.js';
import type { CleanupReport } from '../cleanup/types.js';
import type { Clock } from '../lib/clock.js';
import type { JsonObject } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest, ServiceTarget } from '../lib/request.js';
import type { PreflightReport } from '../preflight/run.js';
import type { Diagnosis } from '../rollout/diagnose.js';
import type { DeploymentResult } from '../rollout/types.js';
import type { RunTaskPlan } from '../run-task/plan.js';
import type { TaskRunReport } from '../run-task/types.js';
import type { Runner } from '../runner/runner.js';
import type { Base } from '../taskdef/base.js';
import type { ServiceDefinitionRead, ServicePlan } from './service-definition.js';
import type { DeploymentGroupRef } from '../aws/ports.js';
import type { CodeDeployResult } from '../codedeploy/types.js';
import type { CodeDeployCheck } from './codedeploy.js';

export interface StepContext {
  aws: AwsPorts;
  runner: Runner;
  clock: Clock;
  /** A workflow cancel (SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** When the step started, by `clock`. */
  startedAt: number;
  /** Makes the GitHub port for `github-environment` (absent: no deployment record can be written). */
  github?: GitHubPortFactory;
}

/**
 * The service as found before anything was written; undefined without a `service` input, or when
 * the service or cluster input has a problem (then it is not looked up).
 */
export interface ServiceCheck {
  service?: Service;
  /** The revision the service runs now. */
  currentTaskDefinitionArn?: string;
  /** With a service definition: the service does not exist (or was deleted), so it may be created. */
  missing?: boolean;
  /** With a service definition that sets tags: the service's tags now. */
  tags?: Tag[];
}

/** The action inputs, parsed; a problem with one does not stop the stages that do not need it. */
export interface InputsRead {
  request: DeployRequest;
  problems: Problem[];
}

/**
 * The task definition as it would be registered, and every problem found on the way, nothing
 * written: where it comes from (template, revision), rendering the inputs into it, the ECS rules.
 */
export interface Draft {
  base?: Base;
  /** Undefined when nothing could be rendered (the base could not be read, or its inputs are bad). */
  taskDefinition?: JsonObject;
  /** Problems of the template or the named revision. */
  baseProblems: Problem[];
  /** Problems of rendering the inputs into it (warnings too). */
  renderProblems: Problem[];
  /** Problems of the ECS rules (warnings too). */
  validationProblems: Problem[];
  /** Placeholders were left unfilled, so the definition is not what would be registered. */
  unresolved: boolean;
  /**
   * The inputs were applied. False when a render input has a problem (`taskDefinition` is then the
   * base as it is, checked against the ECS rules for its own problems) or the render could not
   * apply one: either way it is not what would be registered.
   */
  inputsApplied: boolean;
  /**
   * It rendered without errors, if only with the inputs that parsed (a render input with a problem
   * is left out): what it points at can be preflighted, so one run reports that too.
   */
  checkable: boolean;
}

/** What passed the gate: the definition to register, its warnings, and the file written. */
export interface Rendered {
  taskDefinition: JsonObject;
  /** Warnings from rendering and validation (errors stop the step). */
  warnings: Problem[];
  /** The rendered file behind the `task-definition` output. */
  path: string;
}

/**
 * What preflight checked. Skipped with `preflight: false` (`disabled`), or when no definition
 * rendered (`unrendered`: unresolved placeholders; for the gate that collects every stage's
 * problems before the first write, see `preflightSkipped` in preflight.ts).
 */
export type Preflight =
  | { kind: 'skipped'; why: 'disabled' | 'unrendered' }
  | ({ kind: 'done'; durationMs: number } & PreflightReport);

export interface Plan {
  /** formatDiff() lines against `diffAgainstArn`. */
  diff: string[];
  diffAgainstArn?: string;
  /** An identical ACTIVE revision, deployed as is instead of registering a copy. */
  reuseArn?: string;
}

export type Registration =
  | { kind: 'skipped'; why: 'dry-run' }
  /** `registered` false: an identical revision was reused. */
  | { kind: 'done'; taskDefinitionArn: string; registered: boolean };

/** The one-off task's RunTask input, checked before the first write; `problems` stop the step. */
export type TaskPlanResult =
  { kind: 'skipped'; problems: Problem[] } | { kind: 'planned'; plan: RunTaskPlan; problems: Problem[] };

export type TaskRun =
  /** No run-task, or a dry run. */
  { kind: 'skipped' } | { kind: 'done'; report: TaskRunReport };

export type ServiceUpdate =
  /** No service to update, or a dry run. */
  | { kind: 'skipped' }
  /** Nothing to change and the service steady: nothing written. */
  | { kind: 'unchanged'; deploymentId?: string }
  /** Nothing to change, but our revision is still rolling out from an earlier run. */
  | { kind: 'follow-existing'; deploymentId: string; createdAt?: Date; startedAt: Date }
  /** UpdateService changed settings only; ECS started no deployment. */
  | { kind: 'settings-only'; deploymentId: string; settings: string[] }
  /** UpdateService started our deployment (or found our revision already rolling out). */
  | {
      kind: 'started';
      deploymentId: string;
      previousPrimaryId?: string;
      startedAt: Date;
      createdAt?: Date;
      /** False when our revision was already rolling out (an earlier run's deployment). */
      created: boolean;
      settings: string[];
    }
  /** A CODE_DEPLOY service: CreateDeployment started a CodeDeploy blue/green deployment (`d-…`). */
  | {
      kind: 'codedeploy';
      deploymentId: string;
      group: DeploymentGroupRef;
      /** The deployment configuration asked for, else the deployment group's. */
      deploymentConfigName?: string;
      startedAt: Date;
    };

export type Followed =
  | { kind: 'skipped' }
  /** wait-for-service-stability false. */
  | { kind: 'not-waiting' }
  | { kind: 'done'; result: DeploymentResult }
  /** A CodeDeploy deployment followed to its verdict. */
  | { kind: 'codedeploy'; result: CodeDeployResult };

/**
 * The GitHub deployment record (`github-environment`). `unrecorded`: GitHub refused or failed
 * (the step warned and goes on without it); `stopped` once GitHub refused a status, so the step
 * makes no further calls with that token.
 */
export type GitHubDeployment =
  | { kind: 'skipped'; why: 'not-asked' | 'dry-run' }
  | { kind: 'unrecorded'; warning: string }
  | {
      kind: 'created';
      id: number;
      environment: string;
      /** The statuses GitHub accepted, in order (appended in place; the job summary reads the last). */
      states: DeploymentState[];
      repository: Repository;
      subject: DeploymentSubject;
      logUrl?: string;
      environmentUrl?: string;
      stopped?: boolean;
    };
/** keep-revisions: the old revisions cleaned up after a successful deploy (or listed by a dry run). */
export type Cleanup =
  | { kind: 'skipped'; why: 'not-requested' }
  /** The deploy did not succeed (`detail` says how): nothing is cleaned up. */
  | { kind: 'skipped'; why: 'not-succeeded'; detail: string }
  /** `report`: the first service's family; `otherFamilies`: each other family the step registered into. */
  | { kind: 'done'; report: CleanupReport; otherFamilies?: CleanupReport[] };

/** Every stage's result, filled in as the step goes; a failure reports what was filled. */
export interface StepRecord {
  inputs?: InputsRead;
  /** The `service-definition` file as read (`none` without one). */
  serviceDefinition?: ServiceDefinitionRead;
  /** Its problems against the task definition, the service and the inputs, for the gate. */
  serviceChecks?: Problem[];
  /** What it changes on the service (create, or the fields and tags that differ). */
  servicePlan?: ServicePlan;
  /** The service's managed EBS volume (service-managed-ebs-volume) against the task definition, for the gate. */
  volumeChecks?: Problem[];
  /** The deployment-strategy inputs' problems against the service, for the gate. */
  strategyChecks?: Problem[];
  service?: ServiceCheck;
  draft?: Draft;
  request?: DeployRequest;
  base?: Base;
  rendered?: Rendered;
  preflight?: Preflight;
  plan?: Plan;
  taskPlan?: TaskPlanResult;
  registration?: Registration;
  task?: TaskRun;
  update?: ServiceUpdate;
  followed?: Followed;
  diagnosis?: Diagnosis;
  /** The GitHub deployment record, after the gate. */
  github?: GitHubDeployment;
  cleanup?: Cleanup;
  /** With several services: the second and later ones, through the stages (stages/fleet.ts). */
  fleet?: Fleet;
  /** One row per service, in the order given (the first is the one above): for later stages. */
  services?: ServiceResult[];
  /** A CODE_DEPLOY service's AppSpec and deployment group, checked before the gate. */
  codeDeploy?: CodeDeployCheck;
}

/**
 * What `runStages` guarantees; `fleet` and `services` stay optional (one service has no fleet), and
 * `cleanup` comes last, after the services' results it depends on.
 */
export type CompleteRecord = Required<Omit<StepRecord, 'fleet' | 'services' | 'cleanup'>> &
  Pick<StepRecord, 'fleet' | 'services' | 'cleanup'>;

/**
 * One of several services (a second or later line of `service`), as the stages go: `request` is
 * the step's request naming this service and its cluster, so the per-service stages take it as is.
 */
export interface FleetMember {
  target: ServiceTarget;
  /** Its name, or `cluster/name` when another service of the step has the same name. */
  label?: string;
  request: DeployRequest;
  check: ServiceCheck;
  /**
   * Its current definition differs from the first service's in more than the rendered containers
   * and no template was given: it is rendered from its own base, and registered on its own.
   */
  own?: { draft: Draft; preflight: Preflight };
  rendered?: Rendered;
  plan?: Plan;
  registration?: Registration;
  update?: ServiceUpdate;
  /** Its UpdateService failed (the message): the services before and after it went on. */
  updateError?: string;
  followed?: Followed;
  diagnosis?: Diagnosis;
}

export interface Fleet {
  members: FleetMember[];
  /** For the gate: services not found, own bases that do not render, service lines not allowed. */
  problems: Problem[];
  /**
   * on-service-failure rollback: by index in the order given (0 is the first service), the
   * service whose failure made this step roll this one back.
   */
  rolledBackFor?: Record<number, string>;
}

/** A service's result, for the report and the stages after it (GitHub deployments, cleanup). */
export type ServiceResult = ServiceRow;
