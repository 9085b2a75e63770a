// Builders for DescribeServices / DescribeServiceDeployments shapes, following
// docs/ecs-behaviour.md, "Rollbacks" and "Service deployments" (ids, ARNs, reason texts).

import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';

export const TD_OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8';
export const TD_NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9';
export const TD_NEWER = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:10';
export const OLD = 'ecs-svc/7246342417563559064';
export const NEW = 'ecs-svc/8010098638150428715';
export const NEWER = 'ecs-svc/9123456789012345678';
export const REVISION_PREFIX = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/';
export const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/NCWGC2ZR-taawPAYrIaU5';

/** Our deployment was created at T0; `at(s)` is s seconds later (negative: before). */
export const T0 = new Date('2026-03-01T12:00:00.000Z');
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export const BREAKER_TRIPPED = 'ECS deployment circuit breaker: tasks failed to start.';
export const rollingBackReason = (to: string) =>
  `ECS deployment circuit breaker: rolling back to deploymentId ${to}.`;

export function oldActive(extra: Partial<Deployment> = {}): Deployment {
  return {
    id: OLD,
    status: 'ACTIVE',
    taskDefinition: TD_OLD,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    createdAt: at(-3600),
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${OLD} completed.`,
    ...extra,
  };
}

export function ours(extra: Partial<Deployment> = {}): Deployment {
  return {
    id: NEW,
    status: 'PRIMARY',
    taskDefinition: TD_NEW,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    createdAt: T0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${NEW} in progress.`,
    ...extra,
  };
}

export function newer(extra: Partial<Deployment> = {}): Deployment {
  return {
    id: NEWER,
    status: 'PRIMARY',
    taskDefinition: TD_NEWER,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    createdAt: at(90),
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${NEWER} in progress.`,
    ...extra,
  };
}

let eventSeq = 0;
export function event(seconds: number, message: string, id?: string): ServiceEvent {
  eventSeq++;
  return { id: id ?? `ev-${seconds}-${eventSeq}`, createdAt: at(seconds), message };
}

export interface ServiceOptions {
  events?: ServiceEvent[];
  rollback?: boolean;
  breaker?: boolean;
  alarms?: { enable: boolean; rollback: boolean };
}

/** A service with these deployments; the breaker is on with rollback unless said otherwise. */
export function service(deployments: Deployment[], options: ServiceOptions = {}): Service {
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    status: 'ACTIVE',
    desiredCount: primary?.desiredCount ?? 2,
    runningCount: deployments.reduce((n, d) => n + (d.runningCount ?? 0), 0),
    pendingCount: deployments.reduce((n, d) => n + (d.pendingCount ?? 0), 0),
    taskDefinition: primary?.taskDefinition,
    deployments,
    // Newest first, as ECS lists them.
    events: [...(options.events ?? [])].sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime()),
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: options.breaker ?? true, rollback: options.rollback ?? true },
      ...(options.alarms ? { alarms: { alarmNames: ['web-5xx'], ...options.alarms } } : {}),
    },
  };
}

export function serviceDeployment(
  status: ServiceDeployment['status'],
  extra: Partial<ServiceDeployment> = {},
): ServiceDeployment {
  return {
    serviceDeploymentArn: SD_ARN,
    status,
    targetServiceRevision: { arn: `${REVISION_PREFIX}${NEW.split('/')[1]}` },
    sourceServiceRevisions: [{ arn: `${REVISION_PREFIX}${OLD.split('/')[1]}` }],
    createdAt: T0,
    ...extra,
  };
}

export const rollbackDetails = {
  reason: 'ECS deployment circuit breaker: rolling back',
  startedAt: at(120),
  serviceRevisionArn: `${REVISION_PREFIX}${OLD.split('/')[1]}`,
};
