// The CodeDeploy model's records. Times are simulated epoch ms; outputs convert them to Dates.
import type {
  AlarmConfiguration,
  AutoRollbackConfiguration,
  BlueGreenDeploymentConfiguration,
  DeploymentStatus,
  ErrorInformation,
  LifecycleEventStatus,
  LoadBalancerInfo,
  RevisionLocation,
} from '@aws-sdk/client-codedeploy';

import type { EcsAppSpec } from './appspec.js';
import type { ConfigRec } from './configs.js';

export interface ApplicationRec {
  id: string;
  name: string;
  computePlatform: 'ECS' | 'Server' | 'Lambda';
  createTime: number;
}

export interface GroupRec {
  id: string;
  applicationName: string;
  name: string;
  serviceRoleArn?: string;
  deploymentConfigName: string;
  computePlatform: 'ECS' | 'Server' | 'Lambda';
  ecsServices: { serviceName: string; clusterName: string }[];
  loadBalancerInfo: LoadBalancerInfo;
  blueGreenDeploymentConfiguration: BlueGreenDeploymentConfiguration;
  alarmConfiguration: AlarmConfiguration;
  autoRollbackConfiguration: AutoRollbackConfiguration;
  /** Which of the pair's target groups (0 or 1) the production task set is registered with. */
  liveTargetGroup: number;
  lastSuccessfulDeployment?: { id: string; status: DeploymentStatus; endTime: number; createTime: number };
  lastAttemptedDeployment?: { id: string; status: DeploymentStatus; endTime?: number; createTime: number };
}

export interface LifecycleEventRec {
  name: string;
  status: LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

/** Where a deployment is in its run: the stage it waits in, and until when. */
export type Stage = 'created' | 'event' | 'ready-wait' | 'termination-wait' | 'done';

export interface DeploymentRec {
  id: string;
  applicationName: string;
  group: GroupRec;
  config: ConfigRec;
  status: DeploymentStatus;
  creator: 'user' | 'codeDeployRollback';
  createTime: number;
  startTime?: number;
  completeTime?: number;
  description?: string;
  revision: RevisionLocation;
  appSpec: EcsAppSpec;
  errorInformation?: ErrorInformation;
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
  /** Rollback on failure / alarm / stop, from the request or the group. */
  autoRollback: AutoRollbackConfiguration;
  alarms: AlarmConfiguration;
  // The ECS target.
  cluster: string;
  service: string;
  events: LifecycleEventRec[];
  /** Index of the lifecycle event under way (stage `event`). */
  current: number;
  stage: Stage;
  /** When the stage under way ends or next changes something (a traffic step); undefined: never. */
  wakeAt?: number;
  /** When the stage under way gives up (Install waiting for a task set that never stabilises). */
  deadline?: number;
  originalTaskSetId: string;
  replacementTaskSetId?: string;
  /** Traffic on the replacement, percent. */
  replacementWeight: number;
  /** Target groups (by index in the pair) of the original and replacement task sets. */
  blueTargetGroup: number;
  /** The alarm that fires (name contains `firing`), and when; undefined when none does. */
  alarmAt?: number;
  firingAlarms: string[];
  /** A rollback deployment: it restores this task set and removes `replacementTaskSetId`. */
  restores?: { taskSetId: string; promoteBack: boolean; undoes: DeploymentRec };
  lastUpdatedAt: number;
  instanceTerminationWaitTimeStarted: boolean;
  /** When AllowTraffic started: the traffic schedule counts from here. */
  trafficStartedAt?: number;
  /** ContinueDeployment ended the ready wait (so STOP_DEPLOYMENT does not stop it). */
  continued?: boolean;
  /** The replacement became PRIMARY (the traffic shift finished). */
  promoted?: boolean;
}
