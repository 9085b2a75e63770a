// The service definition on its own (src/servicedef/): loading (describe output, placeholders,
// positions), the checks of the file, against the task definition, the service and the inputs,
// and the plan of what it changes.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@aws-sdk/client-ecs';

import type { JsonObject } from '../../src/lib/json.js';
import {
  checkAgainstInputs,
  checkAgainstService,
  checkAgainstTaskDefinition,
} from '../../src/servicedef/against.js';
import { checkServiceDefinitionFile } from '../../src/servicedef/checks.js';
import { loadServiceDefinition, type ServiceDefinition } from '../../src/servicedef/load.js';
import { covers, createServiceInput, serviceChanges, tagChanges } from '../../src/servicedef/plan.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'servicedef-'));
const TG = (name: string, id = '0123456789abcdef') =>
  `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/${id}`;

async function load(name: string, text: string, vars: Record<string, string> = {}) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return loadServiceDefinition(file, vars, {});
}

async function definition(
  name: string,
  text: string,
  vars: Record<string, string> = {},
): Promise<ServiceDefinition> {
  const loaded = await load(name, text, vars);
  expect(loaded.problems).toEqual([]);
  return loaded.definition!;
}

const TD: JsonObject = {
  family: 'web',
  networkMode: 'awsvpc',
  containerDefinitions: [
    { name: 'web', portMappings: [{ containerPort: 8080 }] },
    { name: 'sidecar', portMappings: [] },
  ],
};

const NETWORK = 'networkConfiguration:\n  awsvpcConfiguration:\n    subnets: [subnet-1]\n';

describe('loading', () => {
  test('describe-services output: services[0] unwrapped, runtime state stripped, roleArn as role', async () => {
    const described = {
      services: [
        {
          serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
          serviceName: 'web',
          clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
          status: 'ACTIVE',
          runningCount: 2,
          deployments: [{ id: 'ecs-svc/1' }],
          events: [],
          roleArn: 'arn:aws:iam::123456789012:role/ecsServiceRole',
          desiredCount: 2,
          createdAt: '2024-01-01T00:00:00Z',
        },
      ],
      failures: [],
    };
    const def = await definition('described.json', JSON.stringify(described, null, 2));
    expect(def.doc).toEqual({
      serviceName: 'web',
      desiredCount: 2,
      role: 'arn:aws:iam::123456789012:role/ecsServiceRole',
      cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    });
    // Positions point into the file as written.
    expect(def.positionOf(['desiredCount'])?.line).toBe(16);
    expect(def.positionOf(['role'])?.line).toBe(15);
  });

  test('placeholders: a service named per environment, whole-value numbers and booleans typed', async () => {
    const def = await definition(
      'env.yaml',
      'serviceName: api-${ENV}\ndesiredCount: ${COUNT}\nenableExecuteCommand: ${EXEC}\n',
      { ENV: 'dev', COUNT: '3', EXEC: 'true' },
    );
    expect(def.doc).toEqual({ serviceName: 'api-dev', desiredCount: 3, enableExecuteCommand: true });
  });

  test('an unset variable is a problem at its line; a missing file names the input', async () => {
    const unset = await load('unset.yaml', 'serviceName: api\ncluster: ${CLUSTER}\n');
    expect(unset.unresolved).toBe(true);
    expect(unset.problems[0]).toMatchObject({
      line: 2,
      column: 10,
      path: 'cluster',
      input: 'service-definition',
    });
    const missing = await loadServiceDefinition(join(dir, 'nope.json'), {}, {});
    expect(missing.problems[0]).toMatchObject({ input: 'service-definition' });
    expect(missing.problems[0].message).toMatch(/does not exist/);
  });
});

describe('checks of the file', () => {
  test("the circuit breaker's threshold is checked before any write", async () => {
    const def = await definition(
      'threshold.yaml',
      [
        'serviceName: web',
        'deploymentConfiguration:',
        '  deploymentCircuitBreaker:',
        '    enable: true',
        '    rollback: true',
        '    thresholdConfiguration: {type: BOUNDED_PERCENT, value: 150}',
      ].join('\n'),
    );
    expect(checkServiceDefinitionFile(def).map((p) => [p.line, p.path, p.message])).toEqual([
      [
        6,
        'deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value',
        'thresholdConfiguration.value must be a whole number from 1 to 100 for BOUNDED_PERCENT.',
      ],
    ]);
  });

  test('the service-linked role of describe-services output is not taken as a role to set', async () => {
    const file = join(dir, 'linked.json');
    writeFileSync(
      file,
      JSON.stringify({
        services: [
          {
            serviceName: 'web',
            roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
          },
        ],
      }),
    );
    const read = await loadServiceDefinition(file, {}, {});
    expect(read.definition?.doc.role).toBeUndefined();
  });

  test('unknown fields, the name, target group ARNs and their number, ranges', async () => {
    const lbs = Array.from(
      { length: 6 },
      (_, i) => `  - {targetGroupArn: ${TG(`tg${i}`)}, containerName: web, containerPort: 8080}`,
    );
    const def = await definition(
      'bad.yaml',
      [
        'serviceName: "web service"',
        'desiredCounts: 2',
        'loadBalancers:',
        ...lbs,
        '  - {targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:tg/x", containerName: web, containerPort: 70000}',
        'deploymentConfiguration:',
        '  minimumHealthyPercent: 150',
        '  maximumPercent: 50',
        '  deploymentCircuitBreaker: {enable: yes}',
        'networkConfiguration:',
        '  awsvpcConfiguration: {subnets: []}',
        'healthCheckGracePeriodSeconds: -1',
      ].join('\n'),
    );
    const messages = checkServiceDefinitionFile(def).map((p) => `${p.line}:${p.path}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^2:desiredCounts: 'desiredCounts' is not a field of CreateService/),
      expect.stringMatching(/^1:serviceName: serviceName must be 1 to 255 letters/),
      expect.stringMatching(/^4:loadBalancers: A service can have at most 5 target groups; this one has 7/),
      expect.stringMatching(
        /^10:loadBalancers\[6\]\.targetGroupArn: targetGroupArn must be a target group ARN/,
      ),
      expect.stringMatching(/^10:loadBalancers\[6\]\.containerPort: The load balancer needs a containerPort/),
      expect.stringMatching(
        /^16:networkConfiguration\.awsvpcConfiguration\.subnets: awsvpcConfiguration needs at least one subnet/,
      ),
      expect.stringMatching(/^12:deploymentConfiguration\.minimumHealthyPercent: .* 0 to 100/),
      expect.stringMatching(/^13:deploymentConfiguration\.maximumPercent: .* at least 100/),
      expect.stringMatching(
        /^14:deploymentConfiguration\.deploymentCircuitBreaker\.enable: .* true or false/,
      ),
      expect.stringMatching(
        /^14:deploymentConfiguration\.deploymentCircuitBreaker: deploymentCircuitBreaker\.rollback must be true or false/,
      ),
      expect.stringMatching(/^17:healthCheckGracePeriodSeconds: /),
    ]);
  });

  test('the example service definition is clean against its task definition', async () => {
    const text = readFileSync(join(ROOT, 'examples/services/api.yaml'), 'utf8');
    const def = await definition('api.yaml', text, { ENV: 'dev' });
    const td = JSON.parse(readFileSync(join(ROOT, 'examples/templates/multi.json'), 'utf8')) as JsonObject;
    expect(def.doc.serviceName).toBe('api-dev');
    expect(checkServiceDefinitionFile(def)).toEqual([]);
    expect(checkAgainstTaskDefinition(def, td)).toEqual([]);
  });
});

describe('against the task definition', () => {
  test("a load balancer's container and port must be in the port mappings", async () => {
    const def = await definition(
      'lb.yaml',
      `serviceName: web\n${NETWORK}loadBalancers:\n  - {targetGroupArn: ${TG('a')}, containerName: web, containerPort: 9090}\n  - {targetGroupArn: ${TG('b')}, containerName: api, containerPort: 8080}\n  - {targetGroupArn: ${TG('c')}, containerName: sidecar, containerPort: 80}\n`,
    );
    expect(checkAgainstTaskDefinition(def, TD).map((p) => [p.line, p.path, p.message])).toEqual([
      [
        6,
        'loadBalancers[0].containerPort',
        "Container 'web' of web does not expose port 9090 (its container ports are 8080); ECS would refuse the load balancer.",
      ],
      [
        7,
        'loadBalancers[1].containerName',
        "Container 'api' is not in task definition web (its containers: web, sidecar).",
      ],
      [
        8,
        'loadBalancers[2].containerPort',
        "Container 'sidecar' of web does not expose port 80 (it has no port mappings); ECS would refuse the load balancer.",
      ],
    ]);
  });

  test('awsvpc needs a network configuration; Fargate needs awsvpc', async () => {
    const none = await definition('nonet.yaml', 'serviceName: web\n');
    expect(checkAgainstTaskDefinition(none, TD)[0].message).toMatch(
      /awsvpc network mode, so the service needs a networkConfiguration/,
    );
    const fargate = await definition('fargate.yaml', 'serviceName: web\nlaunchType: FARGATE\n');
    const bridge = { ...TD, networkMode: 'bridge' };
    expect(checkAgainstTaskDefinition(fargate, bridge)).toEqual([
      expect.objectContaining({
        path: 'launchType',
        line: 2,
        message: expect.stringMatching(/Fargate needs the awsvpc network mode/),
      }),
    ]);
  });
});

describe('against the service and the inputs', () => {
  const service: Service = {
    serviceName: 'web',
    launchType: 'FARGATE',
    schedulingStrategy: 'REPLICA',
    roleArn: 'arn:aws:iam::123456789012:role/ecsServiceRole',
  };

  test('launch type, scheduling strategy and role cannot change: the service must be recreated', async () => {
    const def = await definition(
      'immutable.yaml',
      'serviceName: web\nlaunchType: EC2\nschedulingStrategy: DAEMON\nrole: ecsServiceRole\n',
    );
    expect(checkAgainstService(def, service).map((p) => [p.line, p.path, p.message])).toEqual([
      [
        2,
        'launchType',
        expect.stringMatching(
          /^launchType is EC2 in the service definition but FARGATE on service web, .* must be recreated/,
        ),
      ],
      [3, 'schedulingStrategy', expect.stringMatching(/^schedulingStrategy is DAEMON .* REPLICA/)],
    ]);
  });

  test('service and cluster inputs must match the file; the default cluster yields to it', async () => {
    const def = await definition('names.yaml', 'serviceName: web\ncluster: prod\n');
    expect(checkAgainstInputs(def, { cluster: 'default' })).toEqual([]);
    expect(
      checkAgainstInputs(def, {
        service: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
        cluster: 'prod',
      }),
    ).toEqual([]);
    expect(checkAgainstInputs(def, { service: 'api', cluster: 'staging' }).map((p) => p.path)).toEqual([
      'serviceName',
      'cluster',
    ]);
  });
});

describe('the plan', () => {
  test('a field equal as far as the file writes it is no change; sets ignore order', () => {
    const have = { awsvpcConfiguration: { subnets: ['b', 'a'], assignPublicIp: 'DISABLED' } };
    expect(covers(have, { awsvpcConfiguration: { subnets: ['a', 'b'] } })).toBe(true);
    expect(covers(have, { awsvpcConfiguration: { subnets: ['a'] } })).toBe(false);
  });

  test('only fields that differ are sent; desiredCount is not; tags reconciled, aws: tags kept', () => {
    const service = {
      serviceName: 'web',
      desiredCount: 5,
      loadBalancers: [{ targetGroupArn: TG('a'), containerName: 'web', containerPort: 8080 }],
      healthCheckGracePeriodSeconds: 60,
    } as Service;
    const doc: JsonObject = {
      serviceName: 'web',
      desiredCount: 2,
      healthCheckGracePeriodSeconds: 60,
      loadBalancers: [{ targetGroupArn: TG('b'), containerName: 'web', containerPort: 8080 }],
      tags: [{ key: 'team', value: 'api' }],
    };
    const current = [
      { key: 'team', value: 'web' },
      { key: 'old', value: 'x' },
      { key: 'aws:cloudformation:stack-name', value: 's' },
    ];
    const changes = serviceChanges(doc, service, current);
    expect(changes.fields).toEqual({ loadBalancers: doc.loadBalancers });
    expect(changes.tags).toEqual({ set: [{ key: 'team', value: 'api' }], remove: ['old'] });
    expect(changes.diff).toEqual([
      expect.stringMatching(/^~ loadBalancers: /),
      '~ tags[team]: web → api',
      '- tags[old]',
    ]);
    expect(tagChanges(undefined, current)).toEqual({ set: [], remove: [] });
  });

  test('CreateService: our revision and cluster, the desired-count input over the file', () => {
    const doc: JsonObject = { serviceName: 'web', desiredCount: 2, cluster: 'other' };
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
    expect(createServiceInput(doc, { cluster: 'prod', taskDefinitionArn: arn })).toMatchObject({
      cluster: 'prod',
      taskDefinition: arn,
      desiredCount: 2,
    });
    expect(
      createServiceInput(doc, { cluster: 'prod', taskDefinitionArn: arn, desiredCount: 0 }).desiredCount,
    ).toBe(0);
  });

  test('CreateService carries a client token, the same for the same service and revision', () => {
    const doc: JsonObject = { serviceName: 'web' };
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
    const a = createServiceInput(doc, { cluster: 'prod', taskDefinitionArn: arn });
    const b = createServiceInput(doc, { cluster: 'prod', taskDefinitionArn: arn });
    expect(a.clientToken).toMatch(/^[0-9a-f]{32}$/);
    expect(b.clientToken).toBe(a.clientToken);
    expect(
      createServiceInput({ ...doc, clientToken: 'mine' }, { cluster: 'prod', taskDefinitionArn: arn })
        .clientToken,
    ).toBe('mine');
  });
});
