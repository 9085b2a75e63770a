// What DescribeTasks, RunTask and StopTask show of a task: the SDK's Task shape from the record.
import type { Container, Task } from '@aws-sdk/client-ecs';

import type { Ctx } from './context.js';
import { compact, toDate } from './input.js';
import type { ContainerRec, TaskRec } from './state.js';

export function taskOutput(ctx: Ctx, task: TaskRec, includeTags: boolean): Task {
  const fargate = task.launchType === 'FARGATE';
  return compact({
    attachments: task.attachments ?? [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    capacityProviderName: task.capacityProviderName,
    clusterArn: ctx.arns.cluster(task.cluster),
    connectivity:
      task.connectivityAt !== undefined && task.lastStatus !== 'STOPPED' ? 'CONNECTED' : undefined,
    connectivityAt: toDate(task.connectivityAt),
    containers: task.containers.map((c) => containerOutput(task, c)),
    cpu: task.cpu,
    createdAt: new Date(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: task.enableExecuteCommand,
    executionStoppedAt: toDate(task.executionStoppedAt),
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.memory,
    overrides: (task.overrides as Task['overrides']) ?? {
      containerOverrides: task.containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    },
    platformVersion: task.platformVersion,
    platformFamily: fargate ? 'Linux' : undefined,
    pullStartedAt: toDate(task.pullStartedAt),
    pullStoppedAt: toDate(task.pullStoppedAt),
    startedAt: toDate(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode as Task['stopCode'],
    stoppedAt: toDate(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: toDate(task.stoppingAt),
    tags: includeTags ? task.tags : undefined,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
    ephemeralStorage: fargate ? { sizeInGiB: 20 } : undefined,
  });
}

function containerOutput(task: TaskRec, c: ContainerRec): Container {
  return compact({
    containerArn: c.containerArn,
    taskArn: task.arn,
    name: c.name,
    image: c.image,
    imageDigest: c.imageDigest,
    runtimeId: c.runtimeId,
    lastStatus: c.lastStatus,
    exitCode: c.exitCode,
    reason: c.reason,
    networkBindings: [],
    networkInterfaces: [],
    healthStatus: c.healthStatus,
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
  });
}
