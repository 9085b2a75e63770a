// A controllable clock around the ECS model, for its unit tests: call handlers, move time, read
// the service as DescribeServices shows it.
import type {
  DescribeServiceDeploymentsResponse,
  DescribeServicesResponse,
  DescribeTasksResponse,
  ListServiceDeploymentsResponse,
  ListTasksResponse,
  Service,
  ServiceDeployment,
  Task,
} from '@aws-sdk/client-ecs';

import { AwsError, type EcsModel } from '../../emulator/core.js';
import { createEcsModel, type EcsModelExtras } from '../../emulator/ecs/model.js';
import { mulberry32 } from '../../emulator/random.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const REPO = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web`;
export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0abc'], securityGroups: ['sg-0abc'], assignPublicIp: 'DISABLED' },
};

/** A valid Fargate task definition whose image tag picks the behaviour. */
export function webTaskDefinition(tag: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'web',
        image: `${REPO}:${tag}`,
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
    ...extra,
  };
}

export interface HarnessOptions extends EcsModelExtras {
  /** Seed a steady service `web` on `web:1` with this many tasks (default 2); null: no service. */
  desiredCount?: number | null;
  deploymentConfiguration?: Record<string, unknown>;
  randomSeed?: number;
}

export interface LogLine {
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

export function harness(options: HarnessOptions = {}) {
  let now = T0;
  const logs: LogLine[] = [];
  const { desiredCount = 2, deploymentConfiguration, randomSeed = 7, ...extras } = options;
  const model: EcsModel = createEcsModel({
    clock: { now: () => now },
    region: REGION,
    accountId: ACCOUNT,
    random: mulberry32(randomSeed),
    logSink: (group, stream, events) => events.forEach((e) => logs.push({ group, stream, ...e })),
    ...extras,
  });
  model.seed({
    clusters: [{ name: 'main' }],
    taskDefinitions: [webTaskDefinition('v1')],
    services:
      desiredCount === null
        ? []
        : [
            {
              cluster: 'main',
              serviceName: 'web',
              taskDefinition: 'web:1',
              desiredCount,
              launchType: 'FARGATE',
              networkConfiguration: NETWORK,
              deploymentConfiguration: deploymentConfiguration ?? {
                deploymentCircuitBreaker: { enable: true, rollback: true },
              },
            },
          ],
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read outputs field by field
  const call = <T = any>(operation: string, input: unknown): T => {
    const handler = model.handlers[operation];
    if (!handler) throw new Error(`no handler ${operation}`);
    return handler(input, { service: 'ecs', operation, region: REGION, accountId: ACCOUNT }) as T;
  };
  const error = (operation: string, input: unknown): AwsError => {
    try {
      call(operation, input);
    } catch (e) {
      if (e instanceof AwsError) return e;
      throw e;
    }
    throw new Error(`${operation} did not fail`);
  };
  const advance = (ms: number): void => {
    now += ms;
    model.advance();
  };
  const service = (name = 'web'): Service =>
    call<DescribeServicesResponse>('DescribeServices', { cluster: 'main', services: [name] }).services![0]!;
  /** Step time until `done` holds; returns the elapsed ms. Fails after `maxMs`. */
  const until = (done: () => boolean, maxMs = 60 * 60_000, stepMs = 1000): number => {
    for (let t = 0; t <= maxMs; t += stepMs) {
      if (done()) return t;
      advance(stepMs);
    }
    throw new Error(`condition not reached within ${maxMs} ms`);
  };
  /** Register `web:<next>` with the tag and update the service to it. */
  const deploy = (
    tag: string,
    update: Record<string, unknown> = {},
    tdExtra: Record<string, unknown> = {},
  ): Service => {
    const td = call('RegisterTaskDefinition', webTaskDefinition(tag, tdExtra)).taskDefinition;
    return call('UpdateService', {
      cluster: 'main',
      service: 'web',
      taskDefinition: td.taskDefinitionArn,
      ...update,
    }).service;
  };
  const primaryId = (s: Service = service()): string =>
    s.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
  /** The service deployment whose target revision belongs to `deploymentId` (the terraform way). */
  const serviceDeployment = (deploymentId: string, name = 'web'): ServiceDeployment => {
    const briefs = call<ListServiceDeploymentsResponse>('ListServiceDeployments', {
      cluster: 'main',
      service: name,
    }).serviceDeployments!;
    const brief = briefs.find((b) => b.targetServiceRevisionArn!.endsWith(`/${deploymentId.split('/')[1]}`));
    if (!brief) throw new Error(`no service deployment for ${deploymentId}`);
    return call<DescribeServiceDeploymentsResponse>('DescribeServiceDeployments', {
      serviceDeploymentArns: [brief.serviceDeploymentArn],
    }).serviceDeployments![0]!;
  };
  /** Tasks of a deployment, stopped ones included (ListTasks by service, both statuses). */
  const tasksOf = (deploymentId: string, desiredStatus: 'RUNNING' | 'STOPPED' = 'STOPPED'): Task[] => {
    const arns = call<ListTasksResponse>('ListTasks', {
      cluster: 'main',
      serviceName: 'web',
      desiredStatus,
    }).taskArns!;
    if (arns.length === 0) return [];
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      tasks.push(
        ...call<DescribeTasksResponse>('DescribeTasks', { cluster: 'main', tasks: arns.slice(i, i + 100) })
          .tasks!,
      );
    }
    return tasks.filter((t) => t.startedBy === deploymentId);
  };
  /** Event messages oldest first (DescribeServices lists newest first). */
  const messages = (s: Service = service()): string[] => s.events!.map((e) => e.message!).reverse();
  const now_ = (): number => now;

  return {
    model,
    call,
    error,
    advance,
    service,
    until,
    deploy,
    primaryId,
    serviceDeployment,
    tasksOf,
    messages,
    logs,
    now: now_,
  };
}

export type Harness = ReturnType<typeof harness>;
