// What every stage of one step is given, and the record of what the stages returned. The stage
// contract (docs/architecture.md, "The stage contract"): a stage is a function of the context and
// the earlier stages' results; it returns a typed result (or a `skipped` one when it does not
// apply), throws ProblemsError / AwsCallError when the step cannot go on, and touches AWS and the
// runner only through `ctx`.

import type { Service } from '@aws-sdk/client-ecs';
import type { AwsPorts } from '../aws/ports.js';
import type { Clock } from '../lib/clock.js';
import type { JsonObject } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { Diagnosis } from '../rollout/diagnose.js';
import type { DeploymentResult } from '../rollout/types.js';
import type { RunTaskPlan } from '../run-task/plan.js';
import type { TaskRunReport } from '../run-task/types.js';
import type { Runner } from '../runner/runner.js';
import type { Base } from '../taskdef/base.js';

export interface StepContext {
  aws: AwsPorts;
  runner: Runner;
  clock: Clock;
  /** A workflow cancel (SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** When the step started, by `clock`. */
  startedAt: number;
}

/** The service as found before anything was written; undefined without a `service` input. */
export interface ServiceCheck {
  service?: Service;
  /** The revision the service runs now. */
  currentTaskDefinitionArn?: string;
}

export interface Rendered {
  taskDefinition: JsonObject;
  /** Warnings from rendering and validation (errors stop the step). */
  warnings: Problem[];
  /** The rendered file behind the `task-definition` output. */
  path: string;
}

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
    };

export type Followed =
  | { kind: 'skipped' }
  /** wait-for-service-stability false. */
  | { kind: 'not-waiting' }
  | { kind: 'done'; result: DeploymentResult };

/** Every stage's result, filled in as the step goes; a failure reports what was filled. */
export interface StepRecord {
  request?: DeployRequest;
  service?: ServiceCheck;
  base?: Base;
  rendered?: Rendered;
  plan?: Plan;
  taskPlan?: TaskPlanResult;
  registration?: Registration;
  task?: TaskRun;
  update?: ServiceUpdate;
  followed?: Followed;
  diagnosis?: Diagnosis;
}

/** A step that ran every stage. */
export type CompleteRecord = Required<StepRecord>;
