// Deployments (DescribeServices `deployments[]`), the service deployments and service revisions
// that the ServiceDeployment APIs show for them, and their output shapes.
import type {
  Deployment,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceDeploymentStatus,
  ServiceRevision,
} from '@aws-sdk/client-ecs';

import { breakerSettings, breakerThreshold } from './breaker.js';
import type { Ctx } from './context.js';
import { rolloutReason } from './events.js';
import { imageDigestOf } from './ids.js';
import { compact, toDate } from './input.js';
import { shiftOutputFields } from './shift-output.js';
import type {
  DeploymentRec,
  RevisionCounts,
  ServiceDeploymentRec,
  ServiceRec,
  TaskDefRec,
  TaskRec,
} from './state.js';

/** Service deployment statuses in the "ongoing" stage (docs/ecs-behaviour.md, "Service deployments"). */
export const ONGOING: ReadonlySet<ServiceDeploymentStatus> = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

export const isAlive = (t: TaskRec): boolean => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED';
export const isPending = (t: TaskRec): boolean =>
  isAlive(t) && (t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING');
export const isRunning = (t: TaskRec): boolean => isAlive(t) && t.lastStatus === 'RUNNING';
export const isHealthy = (t: TaskRec): boolean => isRunning(t) && t.healthy;
export const isWindingDown = (t: TaskRec): boolean =>
  t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED';

export function serviceTasks(ctx: Ctx, svc: ServiceRec): TaskRec[] {
  const out: TaskRec[] = [];
  for (const arn of svc.tasks) {
    const t = ctx.tasks.get(arn);
    if (t) out.push(t);
  }
  return out;
}

export function tasksOfDeployment(ctx: Ctx, svc: ServiceRec, deploymentId: string): TaskRec[] {
  return serviceTasks(ctx, svc).filter((t) => t.deploymentId === deploymentId);
}

export function counts(ctx: Ctx, svc: ServiceRec, d: DeploymentRec): RevisionCounts {
  const tasks = tasksOfDeployment(ctx, svc, d.id);
  return {
    arn: d.revisionArn,
    requestedTaskCount: d.desiredCount,
    runningTaskCount: tasks.filter(isRunning).length,
    pendingTaskCount: tasks.filter(isPending).length,
  };
}

const isEcsController = (svc: ServiceRec): boolean => (svc.deploymentController.type ?? 'ECS') === 'ECS';

/** The breaker threshold for the service as it is now (ECS uses the latest desired count). */
export function currentThreshold(svc: ServiceRec): number {
  return breakerThreshold(
    svc.desiredCount,
    svc.deploymentConfiguration.deploymentCircuitBreaker?.thresholdConfiguration,
  );
}

/**
 * A new deployment of `taskDef` with its service revision and service deployment. The caller puts
 * it into `svc.deployments`; `sources` are the deployments it replaces.
 */
export function createDeployment(
  ctx: Ctx,
  svc: ServiceRec,
  taskDef: TaskDefRec,
  sources: readonly DeploymentRec[],
): DeploymentRec {
  const now = ctx.now();
  const id = ctx.ids.deploymentId();
  const clusterArn = ctx.arns.cluster(svc.cluster);
  const revisionArn = ctx.arns.serviceRevision(svc.cluster, svc.name, id);
  ctx.revisions.set(revisionArn, {
    arn: revisionArn,
    serviceArn: svc.arn,
    clusterArn,
    taskDefinition: taskDef.arn,
    launchType: svc.launchType,
    ...(svc.platformVersion !== undefined ? { platformVersion: svc.platformVersion } : {}),
    ...(svc.networkConfiguration !== undefined ? { networkConfiguration: svc.networkConfiguration } : {}),
    containerImages: taskDef.containers.map((c) => ({
      containerName: c.name ?? '',
      image: c.image ?? '',
      imageDigest: imageDigestOf(c.image ?? ''),
    })),
    createdAt: now,
  });
  const sdArn = ctx.arns.serviceDeployment(svc.cluster, svc.name, ctx.ids.serviceDeploymentSuffix());
  const breaker = breakerSettings(svc.deploymentConfiguration.deploymentCircuitBreaker);
  ctx.serviceDeployments.set(sdArn, {
    arn: sdArn,
    serviceArn: svc.arn,
    clusterArn,
    service: svc.name,
    cluster: svc.cluster,
    deploymentId: id,
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    sources: sources.map((s) => ({ arn: s.revisionArn, deploymentId: s.id })),
    targetRevisionArn: revisionArn,
    status: 'IN_PROGRESS',
    deploymentConfiguration: structuredClone(svc.deploymentConfiguration),
    breaker: {
      status: breaker.enable && isEcsController(svc) ? 'MONITORING' : 'DISABLED',
      failureCount: 0,
      threshold: currentThreshold(svc),
    },
  });
  return {
    id,
    status: 'PRIMARY',
    taskDefinition: taskDef.arn,
    desiredCount: svc.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: rolloutReason.inProgress(id),
    launchType: svc.launchType,
    ...(svc.platformVersion !== undefined ? { platformVersion: svc.platformVersion } : {}),
    ...(svc.networkConfiguration !== undefined ? { networkConfiguration: svc.networkConfiguration } : {}),
    revisionArn,
    serviceDeploymentArn: sdArn,
    consecutiveFailures: 0,
    nextLaunchAt: 0,
  };
}

/** The service deployment whose outcome this deployment now decides (its own, or the one rolling back to it). */
export function governingServiceDeployment(ctx: Ctx, d: DeploymentRec): ServiceDeploymentRec | undefined {
  return ctx.serviceDeployments.get(d.rollbackFor ?? d.serviceDeploymentArn);
}

function liveCounts(
  ctx: Ctx,
  svc: ServiceRec | undefined,
  deploymentId: string,
  arn: string,
): RevisionCounts {
  const d = svc?.deployments.find((x) => x.id === deploymentId);
  return d ? counts(ctx, svc!, d) : { arn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 };
}

function summaries(
  ctx: Ctx,
  sd: ServiceDeploymentRec,
): { sources: RevisionCounts[]; target: RevisionCounts } {
  if (sd.frozen) return sd.frozen;
  const svc = ctx.services.get(`${sd.cluster}/${sd.service}`);
  return {
    sources: sd.sources.map((s) => liveCounts(ctx, svc, s.deploymentId, s.arn)),
    target: liveCounts(ctx, svc, sd.deploymentId, sd.targetRevisionArn),
  };
}

/** Move a service deployment on; terminal statuses stamp finishedAt (and stoppedAt) and freeze the counts. */
export function setServiceDeploymentStatus(
  ctx: Ctx,
  sd: ServiceDeploymentRec,
  status: ServiceDeploymentStatus,
  statusReason?: string,
): void {
  const now = ctx.now();
  sd.status = status;
  if (statusReason !== undefined) sd.statusReason = statusReason;
  sd.updatedAt = now;
  if (!ONGOING.has(status)) {
    sd.finishedAt = now;
    if (status === 'STOPPED') sd.stoppedAt = now;
    sd.frozen = summaries(ctx, sd);
  }
}

export function deploymentOutput(ctx: Ctx, svc: ServiceRec, d: DeploymentRec): Deployment {
  const c = counts(ctx, svc, d);
  const ecs = isEcsController(svc);
  return compact({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    pendingCount: c.pendingTaskCount,
    runningCount: c.runningTaskCount,
    failedTasks: d.failedTasks,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    launchType: d.launchType,
    platformVersion: d.launchType === 'FARGATE' ? fargatePlatform(d.platformVersion) : undefined,
    platformFamily: d.launchType === 'FARGATE' ? 'Linux' : undefined,
    networkConfiguration: d.networkConfiguration,
    // Only the rolling-update (ECS) controller reports a rollout state.
    rolloutState: ecs ? d.rolloutState : undefined,
    rolloutStateReason: ecs ? d.rolloutStateReason : undefined,
  });
}

/** Deployments and tasks show the platform version LATEST resolved to. */
export const fargatePlatform = (v: string | undefined): string =>
  v === undefined || v === 'LATEST' ? '1.4.0' : v;

export function serviceDeploymentOutput(ctx: Ctx, sd: ServiceDeploymentRec): ServiceDeployment {
  const s = summaries(ctx, sd);
  const svc = ctx.services.get(`${sd.cluster}/${sd.service}`);
  const threshold = ONGOING.has(sd.status) && svc ? currentThreshold(svc) : sd.breaker.threshold;
  return compact({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: new Date(sd.createdAt),
    startedAt: toDate(sd.startedAt),
    finishedAt: toDate(sd.finishedAt),
    stoppedAt: toDate(sd.stoppedAt),
    updatedAt: new Date(sd.updatedAt),
    sourceServiceRevisions: s.sources,
    targetServiceRevision: s.target,
    status: sd.status,
    statusReason: sd.statusReason,
    deploymentConfiguration: sd.deploymentConfiguration,
    rollback: sd.rollback
      ? {
          reason: sd.rollback.reason,
          startedAt: new Date(sd.rollback.startedAt),
          serviceRevisionArn: sd.rollback.serviceRevisionArn,
        }
      : undefined,
    deploymentCircuitBreaker: { status: sd.breaker.status, failureCount: sd.breaker.failureCount, threshold },
    alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
    // BLUE_GREEN, LINEAR, CANARY: stage, hooks, weights, alarms (rolling reports none of them).
    ...(sd.shift ? shiftOutputFields(sd, s) : {}),
  });
}

export function serviceDeploymentBrief(sd: ServiceDeploymentRec): ServiceDeploymentBrief {
  return compact({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    startedAt: toDate(sd.startedAt),
    createdAt: new Date(sd.createdAt),
    finishedAt: toDate(sd.finishedAt),
    targetServiceRevisionArn: sd.targetRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  });
}

export function serviceRevisionOutput(ctx: Ctx, arn: string): ServiceRevision | undefined {
  const r = ctx.revisions.get(arn);
  if (!r) return undefined;
  return compact({
    serviceRevisionArn: r.arn,
    serviceArn: r.serviceArn,
    clusterArn: r.clusterArn,
    taskDefinition: r.taskDefinition,
    launchType: r.launchType,
    platformVersion: r.launchType === 'FARGATE' ? fargatePlatform(r.platformVersion) : undefined,
    platformFamily: r.launchType === 'FARGATE' ? 'Linux' : undefined,
    networkConfiguration: r.networkConfiguration,
    containerImages: r.containerImages,
    loadBalancers: [],
    serviceRegistries: [],
    createdAt: new Date(r.createdAt),
  });
}
