// The service definition side of the ECS model (emulator/ecs/service-fields.ts): CreateService's
// load balancer checks against the task definition, Fargate's awsvpc rule, the fields that
// UpdateService changes and DescribeServices returns, and the tag operations.
import { describe, expect, it } from '@jest/globals';

import { harness, NETWORK } from './ecs-harness.js';

const TG = (name: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const create = (extra: Record<string, unknown>) => ({
  cluster: 'main',
  serviceName: 'api',
  taskDefinition: 'web:1',
  desiredCount: 1,
  launchType: 'FARGATE',
  networkConfiguration: NETWORK,
  ...extra,
});

describe('CreateService load balancers', () => {
  it('refuses a container or port the task definition does not have, a bad ARN and a sixth target group', () => {
    const h = harness();
    const lb = (containerName: string, containerPort: number, arn = TG('a')) => ({
      targetGroupArn: arn,
      containerName,
      containerPort,
    });
    expect(h.error('CreateService', create({ loadBalancers: [lb('web', 80)] })).message).toBe(
      'The container web did not have a container port 80 defined.',
    );
    expect(h.error('CreateService', create({ loadBalancers: [lb('app', 8080)] })).message).toBe(
      'The container app does not exist in the task definition.',
    );
    expect(
      h.error('CreateService', create({ loadBalancers: [lb('web', 8080, 'arn:aws:elb:tg')] })).type,
    ).toBe('InvalidParameterException');
    const six = Array.from({ length: 6 }, (_, i) => lb('web', 8080, TG(`tg${i}`)));
    expect(h.error('CreateService', create({ loadBalancers: six })).message).toMatch(
      /at most 5 target groups/,
    );
    expect(h.service('api')).toBeUndefined();
  });

  it('accepts well-formed target groups; DescribeServices returns them with the stored fields', () => {
    const h = harness();
    const lbs = ['a', 'b', 'c'].map((n) => ({
      targetGroupArn: TG(n),
      containerName: 'web',
      containerPort: 8080,
    }));
    h.call(
      'CreateService',
      create({ loadBalancers: lbs, enableExecuteCommand: true, tags: [{ key: 'team', value: 'api' }] }),
    );
    const s = h.call('DescribeServices', { cluster: 'main', services: ['api'], include: ['TAGS'] })
      .services[0];
    expect(s).toMatchObject({
      loadBalancers: lbs,
      enableExecuteCommand: true,
      schedulingStrategy: 'REPLICA',
    });
    expect(s.tags).toEqual([{ key: 'team', value: 'api' }]);
    h.call('UpdateService', { cluster: 'main', service: 'api', loadBalancers: lbs.slice(1) });
    expect(h.service('api')?.loadBalancers).toEqual(lbs.slice(1));
  });

  it('Fargate needs the awsvpc network mode', () => {
    const h = harness();
    h.call('RegisterTaskDefinition', {
      family: 'bridge',
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'web', image: 'nginx', memory: 128 }],
    });
    expect(
      h.error('CreateService', create({ taskDefinition: 'bridge:1', networkConfiguration: undefined }))
        .message,
    ).toBe("Fargate only supports network mode 'awsvpc'.");
  });
});

describe('TagResource, UntagResource, ListTagsForResource', () => {
  it('sets, replaces and removes the tags of a service', () => {
    const h = harness();
    const arn = 'arn:aws:ecs:us-east-1:123456789012:service/main/web';
    h.call('TagResource', {
      resourceArn: arn,
      tags: [
        { key: 'team', value: 'web' },
        { key: 'env', value: 'dev' },
      ],
    });
    h.call('TagResource', { resourceArn: arn, tags: [{ key: 'team', value: 'api' }] });
    h.call('UntagResource', { resourceArn: arn, tagKeys: ['env'] });
    expect(h.call('ListTagsForResource', { resourceArn: arn }).tags).toEqual([{ key: 'team', value: 'api' }]);
    expect(
      h.error('TagResource', { resourceArn: `${arn}-nope`, tags: [{ key: 'a', value: 'b' }] }).type,
    ).toBe('ResourceNotFoundException');
  });
});
