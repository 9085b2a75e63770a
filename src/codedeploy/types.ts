// What following a CodeDeploy deployment concludes, and what the report needs to tell it.

/** The outcomes a CodeDeploy deployment can end with (a subset of the step's, README "Outcomes"). */
export type CodeDeployOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'timed-out' | 'cancelled';

/** One lifecycle event of the ECS target, as last seen. */
export interface LifecycleEventLine {
  name: string;
  status: string;
  /** The Lambda function the AppSpec's hook names for this event. */
  hook?: string;
  /** CodeDeploy's diagnostics message, when it gave one. */
  message?: string;
  startTime?: Date;
  endTime?: Date;
}

/** One task set of the ECS target, as last seen. */
export interface TaskSetLine {
  /** Blue (the original) or Green (the replacement). */
  label?: string;
  id?: string;
  status?: string;
  /** Percent of production traffic. */
  trafficWeight?: number;
  desired?: number;
  running?: number;
  pending?: number;
  targetGroup?: string;
}

/** What failed, when CodeDeploy says: a lifecycle event (its hook), an alarm, or an error code. */
export interface CodeDeployCause {
  text: string;
  /** The lifecycle event that failed, and the Lambda function of its hook. */
  failedEvent?: { name: string; hook?: string; message?: string };
  /** The alarm CodeDeploy named, or its message. */
  alarm?: string;
  /** CodeDeploy's errorInformation.code (HOOK_EXECUTION_FAILURE, ALARM_ACTIVE, ...). */
  errorCode?: string;
}

/** Our StopDeployment when wait-for-minutes passed with on-timeout rollback. */
export interface TimeoutStop {
  /** StopDeployment's answer (Pending or Succeeded) and message. */
  status?: string;
  statusMessage?: string;
  /** The deployment's status when we stopped following it (Stopped once the stop took effect). */
  finalStatus?: string;
  rollbackDeploymentId?: string;
}

/** The rollback deployment CodeDeploy made for a failed or stopped one, as last seen. */
export interface RollbackLine {
  deploymentId: string;
  /** Its status as last seen (Created, InProgress, Succeeded, Failed, ...); undefined if never seen. */
  status?: string;
  /** CodeDeploy's errorInformation, when the rollback itself failed. */
  error?: string;
}

export interface CodeDeployResult {
  outcome: CodeDeployOutcome;
  /** One sentence: why the deployment ended this way. */
  reason: string;
  deploymentId: string;
  /** CodeDeploy's status as last seen (Succeeded, Failed, Stopped, InProgress, Ready, ...). */
  status?: string;
  cause?: CodeDeployCause;
  /** Set when CodeDeploy started a rollback deployment (for a failure, an alarm or our stop). */
  rollbackDeploymentId?: string;
  /** The rollback deployment as last seen, when it was followed (src/codedeploy/rollback.ts). */
  rollback?: RollbackLine;
  lifecycleEvents: LifecycleEventLine[];
  taskSets: TaskSetLine[];
  /** The progress lines printed while following, oldest first. */
  progress: { at: Date; message: string }[];
  /** The bound the follow had, in minutes, and what it was made of. */
  wait: { minutes: number; readyMinutes: number; terminationMinutes: number; waitForMinutes: number };
  stop?: TimeoutStop;
  startedAt: Date;
  finishedAt: Date;
}
