// RegisterTaskDefinition / DescribeTaskDefinition / ListTaskDefinitions / Deregister in the ECS
// model: the rejections with ECS's own messages (docs/ecs-behaviour.md, "Task definition rules", "Secrets"), revisions, ARNs, tags.
import { describe, expect, it } from '@jest/globals';

import { harness, webTaskDefinition } from './ecs-harness.js';

const container = (over: Record<string, unknown> = {}) => ({
  name: 'app',
  image: 'nginx:1.27',
  memory: 256,
  ...over,
});

describe('RegisterTaskDefinition rejections', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'Fargate without awsvpc (even when networkMode is omitted)',
      webTaskDefinition('v1', { networkMode: undefined }),
      "Fargate only supports network mode 'awsvpc'.",
    ],
    [
      'Fargate with bridge',
      webTaskDefinition('v1', { networkMode: 'bridge' }),
      "Fargate only supports network mode 'awsvpc'.",
    ],
    [
      'awsvpc host port different from the container port',
      webTaskDefinition('v1', {
        containerDefinitions: [
          { name: 'web', image: 'nginx:1', portMappings: [{ containerPort: 8080, hostPort: 80 }] },
        ],
      }),
      'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
    ],
    [
      'a Fargate cpu/memory pair outside the table',
      webTaskDefinition('v1', { cpu: '256', memory: '4096' }),
      "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    ],
    [
      'an unknown Fargate cpu',
      webTaskDefinition('v1', { cpu: '300', memory: '1024' }),
      "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    ],
    [
      'no container memory without task memory',
      { family: 'api', containerDefinitions: [{ name: 'x', image: 'nginx:1' }] },
      "Invalid setting for container 'x'. At least one of 'memory' or 'memoryReservation' must be specified.",
    ],
    [
      'secrets without an execution role',
      {
        family: 'api',
        containerDefinitions: [
          container({
            secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
          }),
        ],
      },
      "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
    ],
    [
      'Fargate without cpu',
      webTaskDefinition('v1', { cpu: undefined }),
      "Fargate requires that 'cpu' be defined at the task level.",
    ],
    [
      'Fargate ECR image without an execution role',
      webTaskDefinition('v1', { executionRoleArn: undefined }),
      'Fargate requires task definition to have execution role ARN to support ECR images.',
    ],
    [
      'a missing image',
      { family: 'api', containerDefinitions: [{ name: 'x', memory: 128 }] },
      'Container.image should not be null or empty.',
    ],
  ];

  it.each(cases)('rejects %s with ECS message', (_name, input, message) => {
    const h = harness({ desiredCount: null });
    const e = h.error('RegisterTaskDefinition', input);
    expect(e.type).toBe('ClientException');
    expect(e.status).toBe(400);
    expect(e.message).toBe(message);
  });

  it('rejects more than 10 containers, a bad family, and no essential container', () => {
    const h = harness({ desiredCount: null });
    const eleven = Array.from({ length: 11 }, (_, i) => container({ name: `c${i}` }));
    expect(h.error('RegisterTaskDefinition', { family: 'api', containerDefinitions: eleven }).type).toBe(
      'ClientException',
    );
    expect(
      h.error('RegisterTaskDefinition', { family: 'bad family!', containerDefinitions: [container()] }).type,
    ).toBe('ClientException');
    expect(
      h.error('RegisterTaskDefinition', {
        family: 'api',
        containerDefinitions: [container({ essential: false })],
      }).message,
    ).toMatch(/essential/);
    expect(() =>
      h.call('RegisterTaskDefinition', {
        family: 'api',
        containerDefinitions: Array.from({ length: 10 }, (_, i) => container({ name: `c${i}` })),
      }),
    ).not.toThrow();
  });

  it('rejects COMPLETE/SUCCESS dependencies on essential containers and bad health checks', () => {
    const h = harness({ desiredCount: null });
    const deps = {
      family: 'api',
      containerDefinitions: [
        container(),
        container({ name: 'init', dependsOn: [{ containerName: 'app', condition: 'SUCCESS' }] }),
      ],
    };
    expect(h.error('RegisterTaskDefinition', deps).type).toBe('ClientException');
    const hc = {
      family: 'api',
      containerDefinitions: [container({ healthCheck: { command: ['curl', 'localhost'] } })],
    };
    expect(h.error('RegisterTaskDefinition', hc).message).toMatch(/CMD/);
  });
});

describe('registered task definitions', () => {
  it('increment revisions per family, with ECS ARNs and defaults filled in', () => {
    const h = harness({ desiredCount: null }); // the seed registered web:1
    const r2 = h.call('RegisterTaskDefinition', {
      ...webTaskDefinition('v2'),
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(r2.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      family: 'web',
      revision: 2,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
    });
    expect(r2.taskDefinition.registeredAt).toBeInstanceOf(Date);
    expect(r2.taskDefinition.containerDefinitions[0]).toMatchObject({
      essential: true,
      cpu: 0,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      environment: [],
      mountPoints: [],
      volumesFrom: [],
    });
    expect(r2.taskDefinition.tags).toBeUndefined();
    const other = h.call('RegisterTaskDefinition', {
      family: 'api',
      containerDefinitions: [container()],
      cpu: '1 vCPU',
      memory: '2 GB',
    });
    expect(other.taskDefinition).toMatchObject({
      revision: 1,
      cpu: '1024',
      memory: '2048',
      networkMode: 'bridge',
    });
  });

  it('are described by family, family:revision or ARN, with tags on request', () => {
    const h = harness({ desiredCount: null });
    h.call('RegisterTaskDefinition', { ...webTaskDefinition('v2'), tags: [{ key: 'team', value: 'core' }] });
    expect(h.call('DescribeTaskDefinition', { taskDefinition: 'web' }).taskDefinition.revision).toBe(2);
    expect(h.call('DescribeTaskDefinition', { taskDefinition: 'web:1' }).taskDefinition.revision).toBe(1);
    const byArn = h.call('DescribeTaskDefinition', {
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      include: ['TAGS'],
    });
    expect(byArn.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(h.call('DescribeTaskDefinition', { taskDefinition: 'web:2' }).tags).toBeUndefined();
    for (const ref of ['nope', 'web:9']) {
      const e = h.error('DescribeTaskDefinition', { taskDefinition: ref });
      expect([e.type, e.message]).toEqual(['ClientException', 'Unable to describe task definition.']);
    }
  });

  it('are listed, and deregistered revisions are INACTIVE and refused by UpdateService', () => {
    const h = harness();
    h.call('RegisterTaskDefinition', webTaskDefinition('v2'));
    expect(h.call('ListTaskDefinitions', { familyPrefix: 'web' }).taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    ]);
    const d = h.call('DeregisterTaskDefinition', { taskDefinition: 'web:2' }).taskDefinition;
    expect(d.status).toBe('INACTIVE');
    expect(d.deregisteredAt).toBeInstanceOf(Date);
    expect(
      h.call('ListTaskDefinitions', { familyPrefix: 'web', status: 'INACTIVE' }).taskDefinitionArns,
    ).toHaveLength(1);
    expect(h.call('DescribeTaskDefinition', { taskDefinition: 'web' }).taskDefinition.revision).toBe(1);
    const e = h.error('UpdateService', { cluster: 'main', service: 'web', taskDefinition: 'web:2' });
    expect([e.type, e.message]).toEqual(['ClientException', 'TaskDefinition is inactive']);
    const missing = h.error('UpdateService', { cluster: 'main', service: 'web', taskDefinition: 'web:7' });
    expect([missing.type, missing.message]).toEqual(['ClientException', 'TaskDefinition not found.']);
  });
});
