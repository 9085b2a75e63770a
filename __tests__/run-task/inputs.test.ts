// The run-task inputs: the official action's names and meaning, our additions, and every bad
// value reported with its input (and the JSON path inside it) before anything is written.
import { describe, expect, test } from '@jest/globals';
import { readInputs, parseInputs } from '../../src/inputs/index.js';
import { ProblemsError } from '../../src/lib/problems.js';
import type { DeployRequest } from '../../src/lib/request.js';

type Inputs = Record<string, string>;
const BASE: Inputs = { 'task-definition': 'td.json', service: 'web', 'run-task': 'true' };

const parse = (inputs: Inputs): DeployRequest => parseInputs((name) => inputs[name] ?? '');

function errorsOf(inputs: Inputs): [string | undefined, string][] {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems.map((p) => [p.input, p.message]);
    throw error;
  }
  throw new Error('expected ProblemsError');
}

describe('run-task inputs', () => {
  test('the official inputs parse to the request', () => {
    const request = parse({
      ...BASE,
      'run-task-container-overrides':
        '[{"name": "app", "command": ["./migrate"], "environment": [{"name": "A", "value": "1"}]}]',
      'run-task-subnets': 'subnet-0aa, subnet-0bb',
      'run-task-security-groups': 'sg-0cc',
      'run-task-assign-public-IP': 'enabled',
      'run-task-capacity-provider-strategy': '[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]',
      'run-task-launch-type': 'fargate',
      'run-task-started-by': 'deploy/migrate',
      'run-task-tags': '[{"key": "team", "value": "web"}]',
      'run-task-managed-ebs-volume-name': 'data',
      'run-task-managed-ebs-volume': '{"roleArn": "arn:aws:iam::123456789012:role/ebs", "sizeInGiB": 10}',
      'wait-for-task-stopped': 'TRUE',
    });
    expect(request).toMatchObject({
      runTask: true,
      runTaskContainerOverrides: [
        { name: 'app', command: ['./migrate'], environment: [{ name: 'A', value: '1' }] },
      ],
      runTaskSubnets: ['subnet-0aa', 'subnet-0bb'],
      runTaskSecurityGroups: ['sg-0cc'],
      runTaskAssignPublicIp: 'ENABLED',
      runTaskCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      runTaskLaunchType: 'FARGATE',
      runTaskStartedBy: 'deploy/migrate',
      runTaskTags: [{ key: 'team', value: 'web' }],
      runTaskEbsVolumeName: 'data',
      runTaskEbsVolume: { roleArn: 'arn:aws:iam::123456789012:role/ebs', sizeInGiB: 10 },
      waitForTaskStopped: true,
    });
  });

  test('run-task-command takes a JSON array or a shell-like line', () => {
    expect(parse({ ...BASE, 'run-task-command': './migrate "up to" 3' }).runTaskCommand).toEqual([
      './migrate',
      'up to',
      '3',
    ]);
    expect(parse({ ...BASE, 'run-task-command': '["sh", "-c", "a && b"]' }).runTaskCommand).toEqual([
      'sh',
      '-c',
      'a && b',
    ]);
  });

  test('overrides that are not the RunTask shape name the field', () => {
    expect(
      errorsOf({
        ...BASE,
        'run-task-container-overrides':
          '[{"name": "app", "command": "./migrate", "memmory": 5}, {"command": []}]',
      }),
    ).toEqual([
      ['run-task-container-overrides', '[0].command must be an array of strings.'],
      [
        'run-task-container-overrides',
        '[0].memmory is not a field of this object; use name, command, environment, environmentFiles, cpu, memory, memoryReservation, resourceRequirements.',
      ],
      ['run-task-container-overrides', '[1].name is required.'],
    ]);
    expect(errorsOf({ ...BASE, 'run-task-container-overrides': '{"name": "app"}' })).toEqual([
      [
        'run-task-container-overrides',
        'must be a JSON array of container overrides ([{"name": …, "command": […]}]).',
      ],
    ]);
  });

  test('JSON that does not parse is reported without quoting it', () => {
    const [[input, message]] = errorsOf({ ...BASE, 'run-task-tags': '[{"key": "s3cr3t"' });
    expect(input).toBe('run-task-tags');
    expect(message).not.toContain('s3cr3t');
  });

  test('network inputs replace the service network as a whole: security groups need subnets', () => {
    expect(errorsOf({ ...BASE, 'run-task-security-groups': 'sg-0aa' })).toEqual([
      [
        'run-task-subnets',
        "run-task-subnets is required with run-task-security-groups: the network inputs replace the network configuration (the service's too) as a whole.",
      ],
    ]);
  });

  test('bad values of the other inputs', () => {
    expect(
      errorsOf({
        ...BASE,
        'run-task-subnets': 'subnet-0aa,,x',
        'run-task-launch-type': 'LAMBDA',
        'run-task-started-by': 'has space',
        'run-task-managed-ebs-volume': '{"sizeInGiB": 10}',
        'wait-for-task-stopped': 'yes',
        'stop-task-on-timeout': 'true',
      }),
    ).toEqual([
      ['run-task-subnets', '"subnet-0aa,,x" has an empty subnet between commas.'],
      ['run-task-subnets', '"x" is not a subnet id (subnet-<hex>).'],
      ['run-task-launch-type', '"LAMBDA" is not valid; use FARGATE, EC2, EXTERNAL or MANAGED_INSTANCES.'],
      [
        'run-task-started-by',
        '"has space" is not valid: ECS takes up to 128 letters, digits, hyphens, underscores and slashes.',
      ],
      ['run-task-managed-ebs-volume', 'roleArn is required.'],
      [
        'run-task-managed-ebs-volume',
        'needs run-task-managed-ebs-volume-name: the volume of the task definition it configures.',
      ],
      ['wait-for-task-stopped', '"yes" is not a boolean; use true or false.'],
      ['stop-task-on-timeout', 'stop-task-on-timeout has no effect unless wait-for-task-stopped is true.'],
    ]);
  });

  test('as in the official action: [] and {} are unset; a public IP or a volume name alone is ignored with a warning', () => {
    const { request, problems } = readInputs(
      (name) =>
        ({
          ...BASE,
          'run-task-capacity-provider-strategy': '[]',
          'run-task-managed-ebs-volume': '{}',
          'run-task-managed-ebs-volume-name': 'data',
          'run-task-assign-public-IP': 'ENABLED',
        })[name] ?? '',
    );
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems.map((p) => [p.severity, p.input])).toEqual([
      ['warning', 'run-task-assign-public-IP'],
      ['warning', 'run-task-managed-ebs-volume'],
    ]);
    expect(request).toMatchObject({
      runTaskCapacityProviderStrategy: undefined,
      runTaskEbsVolume: undefined,
      runTaskEbsVolumeName: undefined,
    });
  });

  test('cluster, wait-for-minutes and enable-ecs-managed-tags apply to a standalone task', () => {
    const standalone = { 'task-definition': 'td.json', cluster: 'batch', 'wait-for-minutes': '5' };
    expect(parse({ ...standalone, 'run-task': 'true', 'enable-ecs-managed-tags': 'true' })).toMatchObject({
      cluster: 'batch',
      waitForMinutes: 5,
      enableEcsManagedTags: true,
    });
    // Without run-task they still need a service.
    expect(errorsOf(standalone).map(([input]) => input)).toEqual(['cluster', 'wait-for-minutes']);
  });

  test('wait-for-minutes bounds the task wait even when the service is not followed', () => {
    const inputs = {
      ...BASE,
      'wait-for-service-stability': 'false',
      'wait-for-task-stopped': 'true',
      'wait-for-minutes': '10',
    };
    expect(parse(inputs).waitForMinutes).toBe(10);
  });
});
