// What GetDeployment and GetDeploymentTarget show of a deployment: DeploymentInfo with its
// overview, and the ECS target with its lifecycle events and task sets (blue: the original,
// green: the replacement) with their traffic weights.
import type {
  DeploymentInfo,
  DeploymentTarget,
  ECSTaskSet,
  LifecycleEvent,
} from '@aws-sdk/client-codedeploy';

import type { TaskSetApi } from '../ecs/task-sets.js';
import { groupOutput } from './groups.js';
import type { DeploymentRec } from './state.js';

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export const targetIdOf = (d: DeploymentRec): string => `${d.cluster}:${d.service}`;

/** The target's status: the deployment's, in the target vocabulary. */
function targetStatus(
  d: DeploymentRec,
): 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Ready' | 'Skipped' {
  switch (d.status) {
    case 'Created':
    case 'Queued':
      return 'Pending';
    case 'Ready':
      return 'Ready';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
      return 'Failed';
    case 'Stopped':
      return d.events.some((e) => e.status === 'Failed') ? 'Failed' : 'Skipped';
    default:
      return 'InProgress';
  }
}

export function deploymentOutput(d: DeploymentRec): DeploymentInfo {
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  overview[targetStatus(d)] += 1;
  const group = groupOutput(d.group);
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.group.name,
    deploymentConfigName: d.config.name,
    deploymentId: d.id,
    revision: d.revision,
    status: d.status,
    ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
    createTime: new Date(d.createTime),
    startTime: date(d.startTime),
    completeTime: date(d.completeTime),
    deploymentOverview: overview,
    description: d.description,
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: d.autoRollback,
    updateOutdatedInstancesOnly: false,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: group.deploymentStyle,
    blueGreenDeploymentConfiguration: group.blueGreenDeploymentConfiguration,
    loadBalancerInfo: group.loadBalancerInfo,
    instanceTerminationWaitTimeStarted: d.instanceTerminationWaitTimeStarted,
    fileExistsBehavior: 'DISALLOW',
    deploymentStatusMessages: [],
    computePlatform: 'ECS',
  };
}

function eventOutput(e: DeploymentRec['events'][number]): LifecycleEvent {
  return {
    lifecycleEventName: e.name,
    status: e.status,
    startTime: date(e.startTime),
    endTime: date(e.endTime),
    ...(e.diagnostics ? { diagnostics: e.diagnostics as LifecycleEvent['diagnostics'] } : {}),
  };
}

/** The task sets of the target as CodeDeploy reports them (`identifer` is the model's own spelling). */
function taskSetsInfo(d: DeploymentRec, ecs: TaskSetApi): ECSTaskSet[] {
  const pair = d.group.loadBalancerInfo.targetGroupPairInfoList?.[0]?.targetGroups ?? [];
  // A rollback deployment names the same two task sets as the deployment it undoes.
  const sets = [
    { id: d.originalTaskSetId, label: 'Blue', weight: 100 - d.replacementWeight, tg: d.blueTargetGroup },
    { id: d.replacementTaskSetId, label: 'Green', weight: d.replacementWeight, tg: 1 - d.blueTargetGroup },
  ] as const;
  const out: ECSTaskSet[] = [];
  for (const s of sets) {
    if (s.id === undefined) continue;
    let counts: { desired: number; running: number; pending: number };
    let status: string;
    try {
      counts = ecs.counts(d.cluster, d.service, s.id);
      status = ecs.statusOf(d.cluster, d.service, s.id);
    } catch {
      continue; // removed: no longer part of the target
    }
    out.push({
      identifer: s.id,
      desiredCount: counts.desired,
      pendingCount: counts.pending,
      runningCount: counts.running,
      status,
      trafficWeight: s.weight,
      ...(pair[s.tg]?.name ? { targetGroup: { name: pair[s.tg]!.name } } : {}),
      taskSetLabel: s.label,
    });
  }
  return out;
}

export function targetOutput(d: DeploymentRec, ecs: TaskSetApi, serviceArn: string): DeploymentTarget {
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: d.id,
      targetId: targetIdOf(d),
      targetArn: serviceArn,
      lastUpdatedAt: new Date(d.lastUpdatedAt),
      lifecycleEvents: d.events.map(eventOutput),
      status: targetStatus(d),
      taskSetsInfo: taskSetsInfo(d, ecs),
    },
  };
}
