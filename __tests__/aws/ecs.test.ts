import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  ClientException,
  ClusterNotFoundException,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { Tag, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { chunk, createEcsPort } from '../../src/aws/ecs.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { ListServiceDeploymentsQuery } from '../../src/aws/ports.js';
import type { JsonObject } from '../../src/lib/json.js';

// The port's methods, called with the client first as these tests were written.
const port = (client: ECSClient) => createEcsPort(client);
const registerTaskDefinition = (c: ECSClient, td: JsonObject, tags?: Tag[]) =>
  port(c).registerTaskDefinition(td, { tags });
const describeTaskDefinition = (c: ECSClient, ref: string) => port(c).describeTaskDefinition(ref);
const describeServices = (c: ECSClient, cluster: string, names: string[]) =>
  port(c).describeServices(cluster, names);
const describeService = (c: ECSClient, cluster: string, name: string) =>
  port(c).describeService(cluster, name);
const updateService = (c: ECSClient, input: UpdateServiceCommandInput) => port(c).updateService(input);
const listServiceDeployments = (
  c: ECSClient,
  cluster: string,
  service: string,
  options: Omit<ListServiceDeploymentsQuery, 'cluster' | 'service'>,
) => port(c).listServiceDeployments({ cluster, service, ...options });
const describeServiceDeployments = (c: ECSClient, arns: string[]) => port(c).describeServiceDeployments(arns);
const stopServiceDeployment = (c: ECSClient, arn: string) => port(c).stopServiceDeployment(arn, 'ROLLBACK');
const listStoppedTasks = (c: ECSClient, cluster: string, service: string, deploymentId: string) =>
  port(c).listStoppedTasks({ cluster, service, deploymentId });

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const meta = { httpStatusCode: 400 };
const TD_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9';

beforeEach(() => {
  ecsMock.reset();
});

describe('chunk', () => {
  it('splits into pieces of at most n', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 10)).toEqual([]);
  });
});

describe('registerTaskDefinition', () => {
  it('passes the JSON through, with the given tags, and returns ARN, revision and family', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: TD_ARN, revision: 9, family: 'web' } });
    const td = {
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'app:1' }],
      futureField: { x: 1 },
    };
    const out = await registerTaskDefinition(ecs, td, [{ key: 'team', value: 'a' }]);
    expect(out).toEqual({ arn: TD_ARN, revision: 9, family: 'web' });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input).toEqual({
      ...td,
      tags: [{ key: 'team', value: 'a' }],
    });
  });
  it('keeps the document tags when none are given', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: TD_ARN, revision: 9, family: 'web' } });
    await registerTaskDefinition(
      ecs,
      { family: 'web', containerDefinitions: [], tags: [{ key: 'k', value: 'v' }] },
      [],
    );
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.tags).toEqual([
      { key: 'k', value: 'v' },
    ]);
  });
  it('names the operation in validation errors', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(
        new ClientException({ message: "Fargate only supports network mode 'awsvpc'.", $metadata: meta }),
      );
    await expect(registerTaskDefinition(ecs, { family: 'web', containerDefinitions: [] })).rejects.toThrow(
      "RegisterTaskDefinition failed: ClientException: Fargate only supports network mode 'awsvpc'.",
    );
  });
});

describe('describeTaskDefinition', () => {
  it('asks for tags and returns plain JSON without the read-only fields', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TD_ARN,
        family: 'web',
        revision: 9,
        status: 'ACTIVE',
        registeredAt: new Date('2026-01-01T00:00:00Z'),
        registeredBy: 'arn:aws:iam::123456789012:role/x',
        compatibilities: ['EC2', 'FARGATE'],
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
        cpu: '256',
        containerDefinitions: [{ name: 'app', image: 'app:1', essential: true }],
      },
      tags: [{ key: 'team', value: 'a' }],
    });
    const out = await describeTaskDefinition(ecs, 'web');
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).toEqual({
      taskDefinition: 'web',
      include: ['TAGS'],
    });
    expect(out).toEqual({
      arn: TD_ARN,
      tags: [{ key: 'team', value: 'a' }],
      status: 'ACTIVE',
      taskDefinition: {
        family: 'web',
        cpu: '256',
        containerDefinitions: [{ name: 'app', image: 'app:1', essential: true }],
      },
    });
  });
});

describe('describeTaskDefinition: status', () => {
  it('keeps the status of a deregistered revision apart from the document', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TD_ARN,
        family: 'web',
        revision: 9,
        status: 'INACTIVE',
        deregisteredAt: new Date('2026-02-01T00:00:00Z'),
        containerDefinitions: [{ name: 'app', image: 'app:1' }],
      },
    });
    const out = await describeTaskDefinition(ecs, TD_ARN);
    expect(out.status).toBe('INACTIVE');
    expect(out.tags).toEqual([]);
    expect(out.taskDefinition).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'app:1' }],
    });
    expect(out.taskDefinition).not.toHaveProperty('status');
  });
});

describe('describeServices / describeService', () => {
  it('batches 10 services per call and gathers services and failures', async () => {
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.filter((s) => s !== 'gone').map((s) => ({ serviceName: s, status: 'ACTIVE' })),
      failures: input.services.filter((s) => s === 'gone').map((s) => ({ arn: s, reason: 'MISSING' })),
    }));
    const names = Array.from({ length: 22 }, (_, i) => `svc-${i}`).concat('gone');
    const out = await describeServices(ecs, 'prod', names);
    const calls = ecsMock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.services?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.cluster === 'prod')).toBe(true);
    expect(out.services).toHaveLength(22);
    expect(out.failures).toEqual([{ arn: 'gone', reason: 'MISSING' }]);
  });
  it('says a MISSING service was not found, naming service and cluster', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: 'arn:x', reason: 'MISSING' }] });
    await expect(describeService(ecs, 'prod', 'web')).rejects.toThrow(
      "Service 'web' was not found in cluster 'prod'. Check the service and cluster inputs (and the region).",
    );
  });
  it.each(['DRAINING', 'INACTIVE'])('refuses a %s service', async (status) => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', status }] });
    await expect(describeService(ecs, 'prod', 'web')).rejects.toThrow(
      `Service 'web' in cluster 'prod' is ${status}`,
    );
  });
  it('names the cluster when it does not exist', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: meta }));
    const error = await describeService(ecs, 'prod', 'web').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      fatal: true,
      operation: 'DescribeServices',
      awsName: 'ClusterNotFoundException',
    });
    expect((error as Error).message).toBe(
      "DescribeServices failed: cluster 'prod' was not found. Check the cluster input and the region.",
    );
  });
});

describe('updateService', () => {
  it('sends the input and returns the service', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: { serviceName: 'web' } });
    expect(await updateService(ecs, { cluster: 'prod', service: 'web', taskDefinition: TD_ARN })).toEqual({
      serviceName: 'web',
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD_ARN,
    });
  });
  it('maps access denied to the IAM action', async () => {
    ecsMock
      .on(UpdateServiceCommand)
      .rejects(
        Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: meta }),
      );
    await expect(updateService(ecs, { cluster: 'prod', service: 'web' })).rejects.toMatchObject({
      iamAction: 'ecs:UpdateService',
      fatal: true,
    });
  });
});

describe('service deployments', () => {
  it('lists all pages', async () => {
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'a' }], nextToken: 't1' })
      .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'b' }] });
    const since = new Date('2026-03-01T12:00:00Z');
    const out = await listServiceDeployments(ecs, 'prod', 'web', { createdAfter: since });
    expect(out.map((b) => b.serviceDeploymentArn)).toEqual(['a', 'b']);
    const inputs = ecsMock.commandCalls(ListServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { cluster: 'prod', service: 'web', createdAt: { after: since }, nextToken: undefined },
      { cluster: 'prod', service: 'web', createdAt: { after: since }, nextToken: 't1' },
    ]);
  });
  it('describes 20 per call and returns MISSING as a failure', async () => {
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
      serviceDeployments: input.serviceDeploymentArns
        .filter((a) => a !== 'old')
        .map((a) => ({ serviceDeploymentArn: a })),
      failures: input.serviceDeploymentArns
        .filter((a) => a === 'old')
        .map((a) => ({ arn: a, reason: 'MISSING' })),
    }));
    const arns = Array.from({ length: 24 }, (_, i) => `sd-${i}`).concat('old');
    const out = await describeServiceDeployments(ecs, arns);
    expect(
      ecsMock
        .commandCalls(DescribeServiceDeploymentsCommand)
        .map((c) => c.args[0].input.serviceDeploymentArns?.length),
    ).toEqual([20, 5]);
    expect(out.serviceDeployments).toHaveLength(24);
    expect(out.failures).toEqual([{ arn: 'old', reason: 'MISSING' }]);
  });
  it('stops a deployment with ROLLBACK', async () => {
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: 'sd' });
    expect(await stopServiceDeployment(ecs, 'sd')).toBe('sd');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0].args[0].input).toEqual({
      serviceDeploymentArn: 'sd',
      stopType: 'ROLLBACK',
    });
  });
});

describe('listStoppedTasks', () => {
  it('lists stopped tasks of the service page by page, describes 100 at a time and keeps those our deployment started', async () => {
    const arns = Array.from({ length: 150 }, (_, i) => `arn:aws:ecs:us-east-1:1:task/prod/t${i}`);
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: arns.slice(0, 100), nextToken: 'n' })
      .resolvesOnce({ taskArns: arns.slice(100) });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((t, i) => ({ taskArn: t, startedBy: i % 3 === 0 ? 'ecs-svc/1' : 'ecs-svc/2' })),
    }));
    const tasks = await listStoppedTasks(ecs, 'prod', 'web', 'ecs-svc/1');
    const listInputs = ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
    // startedBy cannot be combined with other filters (docs/ecs-behaviour.md, "Stopped tasks"): never sent.
    expect(listInputs).toEqual([
      { cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED', nextToken: undefined },
      { cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED', nextToken: 'n' },
    ]);
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([
      100, 50,
    ]);
    expect(tasks).toHaveLength(34 + 17);
    expect(tasks.every((t) => t.startedBy === 'ecs-svc/1')).toBe(true);
  });
  it('makes no DescribeTasks call when nothing stopped', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    expect(await listStoppedTasks(ecs, 'prod', 'web', 'ecs-svc/1')).toEqual([]);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });
});
