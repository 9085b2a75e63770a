// Service event messages and rollout-state reasons, word for word as ECS writes them
// (docs/ecs-behaviour.md, "rolloutState and rolloutStateReason", "How a rollback looks in DescribeServices", "Service events"). Kept together so that a text is changed in one place.
import { MAX_SERVICE_EVENTS } from './timings.js';

const tasks = (ids: readonly string[]): string => ids.map((id) => `(task ${id})`).join(' ');

export const serviceEvent = {
  // ECS writes "1 tasks" too: the count is not pluralised.
  started: (service: string, taskIds: readonly string[]) =>
    `(service ${service}) has started ${taskIds.length} tasks: ${tasks(taskIds)}.`,
  stopped: (service: string, taskIds: readonly string[]) =>
    `(service ${service}) has stopped ${taskIds.length} running tasks: ${tasks(taskIds)}.`,
  deploymentCompleted: (service: string, deploymentId: string) =>
    `(service ${service}) (deployment ${deploymentId}) deployment completed.`,
  steadyState: (service: string) => `(service ${service}) has reached a steady state.`,
  deploymentFailed: (service: string, deploymentId: string) =>
    `(service ${service}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (service: string, deploymentId: string) =>
    `(service ${service}) rolling back to deployment ${deploymentId}.`,
  unableToStart: (service: string) =>
    `(service ${service}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  blockedByConfiguration: (service: string) =>
    `(service ${service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
};

export const rolloutReason = {
  inProgress: (deploymentId: string) => `ECS deployment ${deploymentId} in progress.`,
  completed: (deploymentId: string) => `ECS deployment ${deploymentId} completed.`,
  breakerTripped: 'ECS deployment circuit breaker: tasks failed to start.',
  rollingBack: (deploymentId: string) =>
    `ECS deployment circuit breaker: rolling back to deploymentId ${deploymentId}.`,
};

/**
 * ServiceDeployment.statusReason / rollback.reason. AWS documents the fields but no texts, so
 * these are ours; they reuse the rollout wording where one exists.
 */
export const serviceDeploymentReason = {
  breakerTripped: rolloutReason.breakerTripped,
  rollingBack: rolloutReason.rollingBack,
  rolledBack: (deploymentId: string) =>
    `ECS deployment circuit breaker: rolled back to deploymentId ${deploymentId}.`,
  noRollbackTarget:
    'ECS deployment circuit breaker: tasks failed to start. No COMPLETED deployment to roll back to.',
  superseded: (newDeploymentId: string) =>
    `Service deployment stopped: a new service deployment (${newDeploymentId}) started.`,
  userRollbackRequested: 'Rollback requested with StopServiceDeployment.',
  userRollingBack: (deploymentId: string) =>
    `Rolling back to deploymentId ${deploymentId} (requested with StopServiceDeployment).`,
  userRolledBack: (deploymentId: string) =>
    `Rolled back to deploymentId ${deploymentId} (requested with StopServiceDeployment).`,
  userNoRollbackTarget:
    'Rollback requested with StopServiceDeployment, but no COMPLETED deployment to roll back to.',
};

export interface EventRecord {
  id: string;
  createdAt: number;
  message: string;
}

/** Newest first, at most MAX_SERVICE_EVENTS (the oldest fall off). */
export function pushEvent(events: EventRecord[], event: EventRecord): void {
  events.unshift(event);
  if (events.length > MAX_SERVICE_EVENTS) events.length = MAX_SERVICE_EVENTS;
}
