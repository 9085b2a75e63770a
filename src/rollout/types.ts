// What following a deployment concludes, and what the report needs to tell it.

/**
 * The one word a deployment ends with (README.md, "Outcomes"), plus `registered` for a run
 * without a service (register only) and `started` for a deployment started and not followed
 * (`wait-for-service-stability: false`), and `cancelled` for a workflow cancel (SIGINT/SIGTERM)
 * while following: no verdict, and ECS goes on with the deployment. `task-failed`: the one-off
 * task (run-task) did not stop with every essential container at exit code 0, or never started.
 * `paused` (a blue/green, linear or canary deployment waits at a PAUSE hook, handed to the
 * workflow) and `stage-reached` (`wait-until-stage` reached) are successes: ECS goes on.
 */
export const OUTCOMES = [
  'succeeded',
  'rolled-back',
  'failed',
  'superseded',
  'timed-out',
  'unchanged',
  'planned',
  'registered',
  'started',
  'cancelled',
  'task-failed',
  'paused',
  'stage-reached',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes after which the step fails. A rollback is always a failure. */
export const FAILING_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'cancelled',
  'rolled-back',
  'failed',
  'superseded',
  'timed-out',
  'task-failed',
]);

export interface ServiceEventLine {
  id: string;
  createdAt: Date;
  message: string;
}

export interface ContainerStop {
  name: string;
  exitCode?: number;
  reason?: string;
}

/** Stopped tasks of our deployment that stopped the same way, most frequent group first. */
export interface StoppedTaskGroup {
  count: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerStop[];
  /** Task ids (the last part of the ARN), a few examples. */
  taskIds: string[];
}

/** The last lines of a stopped container's awslogs stream. */
export interface LogTail {
  container: string;
  logGroup: string;
  logStream: string;
  lines: string[];
}

export interface DeploymentCounts {
  desired: number;
  pending: number;
  running: number;
  failed: number;
}

/**
 * Why following ended without a verdict: AWS out of reach (every poll at the end failed with a
 * network error or a timeout, or got no answer), throttled on every poll at the end, failing
 * otherwise (server errors, or a mix), or answering all along with no final state.
 */
export type NoVerdictCause = 'aws-unreachable' | 'throttled' | 'aws-failing' | 'no-final-state';

/** For a follow that ended without a verdict (timed out or cancelled). */
export interface NoVerdict {
  cause: NoVerdictCause;
  /** When the failing polls at the end began (every cause but no-final-state). */
  failingSince?: Date;
  /** How many polls in a row failed at the end. */
  failedPolls?: number;
  /**
   * When DescribeServices last listed the deployment, when that is not the end: the rollout state
   * and counts below are as seen then, not current.
   */
  lastSeenAt?: Date;
  /** The rollout state seen at `lastSeenAt`. */
  lastSeenState?: string;
}

export interface DeploymentResult {
  outcome: Outcome;
  /** One sentence: why the deployment ended this way. */
  reason: string;
  /** `ecs-svc/<n>` of our deployment. */
  deploymentId?: string;
  serviceDeploymentArn?: string;
  /**
   * Our deployment's rollout state as known at the end. When it was no longer listed by ECS at the
   * end, or the polls at the end failed, an in-progress state seen earlier is left out (see
   * result.ts, finalRolloutState; noVerdict.lastSeenState has it, with its time).
   */
  rolloutState?: string;
  rolloutStateReason?: string;
  /** Set when ECS rolled back: the deployment (and its task definition) it went back to. */
  rolledBackTo?: { deploymentId: string; taskDefinitionArn?: string };
  /** For rolled-back: whether the rollback had finished when following ended. */
  rollbackCompleted?: boolean;
  /** Set when superseded: the deployment that replaced ours. */
  supersededBy?: { deploymentId: string; taskDefinitionArn?: string };
  /**
   * Set when ours was replaced by a deployment of identical content that another run started
   * (the same commit deployed twice at once), which was then followed to this verdict instead.
   */
  followedOn?: { deploymentId: string; taskDefinitionArn?: string };
  /** Set when following ended without a verdict: why, and how old the last known state is. */
  noVerdict?: NoVerdict;
  /** Service events seen while following, oldest first. */
  events: ServiceEventLine[];
  stoppedTasks: StoppedTaskGroup[];
  logTails: LogTail[];
  /** Our deployment's task counts, as last seen. */
  counts?: DeploymentCounts;
  /**
   * The counts are from an earlier look: ECS no longer listed our deployment at the end, or the
   * polls at the end failed.
   */
  countsStale?: boolean;
  startedAt: Date;
  finishedAt: Date;
  /** A blue/green, linear or canary deployment, followed stage by stage (src/strategy/). */
  staged?: StagedProgress;
}

/** One lifecycle stage as the follower saw it: when it began and ended, and the traffic split. */
export interface StageSpan {
  /** As ECS spells it (`POST_TEST_TRAFFIC_SHIFT`). */
  stage: string;
  startedAt: Date;
  /** Unset for the stage the deployment was in when following ended. */
  endedAt?: Date;
  /** `production 10% green / 90% blue`, where ECS reports weights. */
  traffic?: string;
}

/** A lifecycle hook's result as last seen. */
export interface HookResult {
  hookId?: string;
  /** `PAUSE`, or the Lambda function's name. */
  target: string;
  /** The stage the deployment was in when the hook was first seen. */
  stage?: string;
  status: string;
}

/** What following a blue/green, linear or canary deployment saw, for the log and the summary. */
export interface StagedProgress {
  strategy?: string;
  serviceDeploymentArn?: string;
  /** The service deployment's status as last seen (IN_PROGRESS, SUCCESSFUL, ROLLBACK_SUCCESSFUL, …). */
  status?: string;
  /** The lifecycle stage as last seen. */
  stage?: string;
  stages: StageSpan[];
  /** Revisions (service revision ARNs) the deployment started from: blue. */
  blue: string[];
  /** The revision it deploys: green. */
  green?: string;
  /** Task definition ARNs of blue and green by service revision ARN, where the step knows them. */
  taskDefinitions?: Record<string, string>;
  hooks: HookResult[];
  /** The PAUSE hook the step stopped at (outcome `paused`). */
  pausedHookId?: string;
  /** Alarms ECS reported in ALARM. */
  triggeredAlarms: string[];
}
