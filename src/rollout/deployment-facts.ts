// What the verdict is judged on, and how deployments are named and matched: our deployment, one
// look at the service, and the id/ARN conventions that tie a service revision or a rollback
// target to an `ecs-svc/<n>` deployment (docs/ecs-behaviour.md, "Service deployments"). Pure.

import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../lib/arn.js';

export interface OurDeployment {
  /** `ecs-svc/<n>` */
  deploymentId: string;
  taskDefinitionArn: string;
  /** The PRIMARY before our UpdateService. */
  previousPrimaryId?: string;
  serviceDeploymentArn?: string;
  /** When ECS created our deployment (its `createdAt`, on the AWS clock that also stamps events). */
  startedAt?: Date;
  /**
   * When ECS created our deployment (AWS clock), also for a deployment an earlier run started,
   * where `startedAt` is when this run began following. Orders deployments; never the runner clock.
   */
  createdAt?: Date;
}

export interface Observation {
  service: Service;
  /** Ours, from DescribeServiceDeployments; ignored unless its target revision is our deployment. */
  serviceDeployment?: ServiceDeployment;
  now?: Date;
  /** When the follower first saw our deployment FAILED while still PRIMARY. */
  failedSince?: Date;
}

export interface DeploymentRef {
  deploymentId: string;
  taskDefinitionArn?: string;
}

/** `1234` for `ecs-svc/1234`. */
export function deploymentNumber(deploymentId: string): string {
  return deploymentId.slice(deploymentId.lastIndexOf('/') + 1);
}

/**
 * Whether a service revision ARN is the one our deployment targets: its numeric suffix is the
 * number in `ecs-svc/<n>` (docs/ecs-behaviour.md, "Service deployments"; terraform-provider-aws relies on the same).
 */
export function revisionIsDeployment(revisionArn: string | undefined, deploymentId: string): boolean {
  return !!revisionArn && revisionArn.endsWith(`/${deploymentNumber(deploymentId)}`);
}

/** `ecs-svc/<n>` for a service revision ARN ending in `/<n>`. */
export function deploymentIdOfRevision(revisionArn: string | undefined): string | undefined {
  const n = revisionArn?.match(/\/(\d+)$/)?.[1];
  return n ? `ecs-svc/${n}` : undefined;
}

export function serviceDeploymentIsOurs(sd: ServiceDeployment | undefined, deploymentId: string): boolean {
  return !!sd && revisionIsDeployment(sd.targetServiceRevision?.arn, deploymentId);
}

/** The PRIMARY deployment: the one ECS is rolling out (or has rolled out) now. */
export function primaryOf(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === 'PRIMARY');
}

/** Service events at or after `since`, newest first as ECS lists them. Events without a time count as new. */
export function eventsSince(events: ServiceEvent[] | undefined, since: Date | undefined): ServiceEvent[] {
  if (!events) return [];
  if (!since) return events;
  return events.filter((e) => !e.createdAt || e.createdAt.getTime() >= since.getTime());
}

export function refOf(deployments: Deployment[], id: string): DeploymentRef {
  const d = deployments.find((x) => x.id === id);
  return d?.taskDefinition ? { deploymentId: id, taskDefinitionArn: d.taskDefinition } : { deploymentId: id };
}

export function describeRef(r: DeploymentRef): string {
  const td = shortTaskDefinition(r.taskDefinitionArn);
  return td ? `${r.deploymentId} (${td})` : r.deploymentId;
}
