// The RunTask request built from the inputs, the task definition and the service (pure).
import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { parseInputs } from '../../src/inputs/index.js';
import type { JsonObject } from '../../src/lib/json.js';
import { planRunTask } from '../../src/run-task/plan.js';

const TD: JsonObject = {
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [
    { name: 'app', image: 'web:1', essential: true },
    { name: 'envoy', image: 'envoy:1', essential: false },
  ],
  volumes: [{ name: 'data', configuredAtLaunch: true }, { name: 'tmp' }],
};
const SERVICE: Service = {
  serviceName: 'web',
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
  platformVersion: '1.4.0',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-0a'], securityGroups: ['sg-0a'], assignPublicIp: 'DISABLED' },
  },
};

const request = (inputs: Record<string, string>) =>
  parseInputs((name) => ({ 'task-definition': 'td.json', 'run-task': 'true', ...inputs })[name] ?? '');

describe('planRunTask', () => {
  test('with a service: its network, strategy and platform version, the command on the only essential container', () => {
    const plan = planRunTask({
      request: request({ service: 'web', 'run-task-command': 'rake db:migrate' }),
      taskDefinition: TD,
      service: SERVICE,
    });
    expect(plan.problems).toEqual([]);
    expect(plan.input).toEqual({
      cluster: 'default',
      count: 1,
      startedBy: 'GitHub-Actions',
      overrides: { containerOverrides: [{ name: 'app', command: ['rake', 'db:migrate'] }] },
      networkConfiguration: SERVICE.networkConfiguration,
      capacityProviderStrategy: SERVICE.capacityProviderStrategy,
      platformVersion: '1.4.0',
    });
    expect(plan.copiedFromService).toEqual([
      'network configuration',
      'capacity provider strategy',
      'platform version',
    ]);
  });

  test('given network inputs replace the service network as a whole; a launch type given wins over the service strategy', () => {
    const plan = planRunTask({
      request: request({ service: 'web', 'run-task-subnets': 'subnet-0b', 'run-task-launch-type': 'EC2' }),
      taskDefinition: TD,
      service: SERVICE,
    });
    expect(plan.input.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-0b'], assignPublicIp: 'DISABLED' },
    });
    expect(plan.input.launchType).toBe('EC2');
    expect(plan.input.capacityProviderStrategy).toBeUndefined();
    // ECS refuses a platform version with EC2.
    expect(plan.input.platformVersion).toBeUndefined();
  });

  test('a strategy given wins over a launch type given, as in the official action', () => {
    const plan = planRunTask({
      request: request({
        'run-task-subnets': 'subnet-0b',
        'run-task-launch-type': 'FARGATE',
        'run-task-capacity-provider-strategy': '[{"capacityProvider": "FARGATE"}]',
      }),
      taskDefinition: TD,
    });
    expect(plan.input).toMatchObject({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] });
    expect(plan.input.launchType).toBeUndefined();
  });

  test('the command merges into an override of the same container', () => {
    const plan = planRunTask({
      request: request({
        'run-task-subnets': 'subnet-0b',
        'run-task-container-overrides': '[{"name": "app", "environment": [{"name": "A", "value": "1"}]}]',
        'run-task-command': '["./migrate"]',
      }),
      taskDefinition: TD,
    });
    expect(plan.input.overrides).toEqual({
      containerOverrides: [{ name: 'app', environment: [{ name: 'A', value: '1' }], command: ['./migrate'] }],
    });
  });

  test('every problem at once: unknown containers, two commands, awsvpc without subnets, a volume not configured at launch', () => {
    const plan = planRunTask({
      request: request({
        'run-task-container-overrides': '[{"name": "worker"}, {"name": "app", "command": ["a"]}]',
        'run-task-command': 'b',
        'run-task-managed-ebs-volume-name': 'tmp',
        'run-task-managed-ebs-volume': '{"roleArn": "arn:aws:iam::123456789012:role/ebs"}',
      }),
      taskDefinition: TD,
    });
    expect(plan.problems.map((p) => [p.input, p.message])).toEqual([
      [
        'run-task-container-overrides',
        '[0].name: "worker" is not a container of the task definition; its containers are app, envoy.',
      ],
      [
        'run-task-command',
        'container "app" also gets a command from run-task-container-overrides; give its command once.',
      ],
      [
        'run-task-subnets',
        'the task definition uses networkMode awsvpc, so RunTask needs subnets, and there is no service to copy them from; give run-task-subnets (and run-task-security-groups).',
      ],
      [
        'run-task-managed-ebs-volume-name',
        'volume "tmp" of the task definition is not configuredAtLaunch: true, so RunTask cannot configure it.',
      ],
    ]);
  });

  test('run-task-command needs one target when several containers are essential', () => {
    const td = { ...TD, containerDefinitions: [{ name: 'a' }, { name: 'b' }] };
    const plan = planRunTask({
      request: request({ 'run-task-subnets': 'subnet-0b', 'run-task-command': 'x' }),
      taskDefinition: td,
    });
    expect(plan.problems.map((p) => p.input)).toEqual(['run-task-command']);
    const named = planRunTask({
      request: request({ 'run-task-subnets': 'subnet-0b', 'run-task-command': 'x', 'container-name': 'b' }),
      taskDefinition: td,
    });
    expect(named.input.overrides).toEqual({ containerOverrides: [{ name: 'b', command: ['x'] }] });
  });

  test('subnets for a task that is not awsvpc are an error; an EC2-only definition defaults to EC2', () => {
    const td = { ...TD, networkMode: 'bridge', requiresCompatibilities: ['EC2'] };
    expect(planRunTask({ request: request({}), taskDefinition: td }).input).toMatchObject({
      launchType: 'EC2',
    });
    const plan = planRunTask({ request: request({ 'run-task-subnets': 'subnet-0b' }), taskDefinition: td });
    expect(plan.problems.map((p) => p.input)).toEqual(['run-task-subnets']);
  });

  test('overrides longer than 8192 characters are refused before RunTask', () => {
    const long = JSON.stringify([{ name: 'app', command: ['x'.repeat(9000)] }]);
    const plan = planRunTask({
      request: request({ 'run-task-subnets': 'subnet-0b', 'run-task-container-overrides': long }),
      taskDefinition: TD,
    });
    expect(plan.problems.map((p) => p.message)).toEqual([
      'the overrides are longer than the 8192 characters ECS allows.',
    ]);
  });
});
