// Service definitions end to end (`service-definition`, `create-service`): `node dist/index.js`
// against the emulator. An environment created on its first deploy and updated on the second, a
// changed target group list applied, an immutable field and a load balancer on a port the task
// does not expose refused with nothing written, a dry run that shows both diffs, and a first
// deployment that fails with nothing to roll back to.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';

import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, unexpectedStderr, type RunActionResult } from '../../emulator/run-action.js';
import { baseSeed, CLUSTER, REGISTRY, SPEED, TEMPLATE } from './scenarios.js';

const FIXTURES = '__tests__/fixtures/servicedef/';
let emulator: Emulator;
let ecs: ECSClient;

beforeAll(async () => {
  // Service web-prod runs web:1 steady; web-dev and web-qa do not exist yet.
  emulator = await startEmulator({ speed: SPEED, seed: baseSeed({ service: { serviceName: 'web-prod' } }) });
  ecs = new ECSClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  ecs.destroy();
  await emulator.stop();
});

async function run(
  inputs: Record<string, string>,
): Promise<{ result: RunActionResult; ops: string[]; writes: string[] }> {
  const mark = emulator.requests.length;
  const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs: 90_000 });
  const requests = emulator.requests.slice(mark);
  expect(unexpectedStderr(result.stderr)).toBe('');
  return {
    result,
    ops: requests.map((r) => r.operation),
    writes: mutatingCalls(requests).map((r) => r.operation),
  };
}

async function describe1(name: string): Promise<Service | undefined> {
  const out = await ecs.send(
    new DescribeServicesCommand({ cluster: CLUSTER, services: [name], include: ['TAGS'] }),
  );
  return out.services?.find((s) => s.status === 'ACTIVE');
}

const deployInputs = (tag: string, vars: string, extra: Record<string, string> = {}) => ({
  'task-definition': TEMPLATE,
  'container-name': 'web',
  image: `${REGISTRY}/web:${tag}`,
  'service-definition': `${FIXTURES}web.yaml`,
  vars,
  ...extra,
});

function expectOutcome(result: RunActionResult, outcome: string, exitCode: number): void {
  if (result.outputs.outcome !== outcome || result.exitCode !== exitCode) {
    throw new Error(
      `expected ${outcome}/${exitCode}, got ${result.outputs.outcome}/${result.exitCode}:\n${result.log}`,
    );
  }
}

describe('service definitions', () => {
  test('creates the environment on its first deploy, then updates it on the second', async () => {
    const first = await run(deployInputs('1.1', 'ENV=dev\nTG2=web-dev-blue', { 'create-service': 'true' }));
    expectOutcome(first.result, 'succeeded', 0);
    expect(first.writes).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(first.result.log).toMatch(/Service: web-dev does not exist and will be created in cluster prod/);
    const created = await describe1('web-dev');
    expect(created?.taskDefinition).toBe(first.result.outputs['task-definition-arn']);
    expect(created?.loadBalancers?.map((lb) => lb.targetGroupArn?.split('/')[1])).toEqual([
      'web-dev-public',
      'web-dev-blue',
      'web-dev-admin',
    ]);
    expect(created).toMatchObject({
      desiredCount: 2,
      enableExecuteCommand: true,
      healthCheckGracePeriodSeconds: 60,
    });
    expect(created?.tags).toEqual([
      { key: 'environment', value: 'dev' },
      { key: 'team', value: 'web' },
    ]);

    const second = await run(deployInputs('1.2', 'ENV=dev\nTG2=web-dev-green\nTEAM=platform'));
    expectOutcome(second.result, 'succeeded', 0);
    expect(second.ops).not.toContain('CreateService');
    expect(second.writes).toEqual(['RegisterTaskDefinition', 'UpdateService', 'TagResource']);
    expect(second.result.log).toMatch(/~ loadBalancers: /);
    expect(second.result.log).toMatch(/~ tags\[team\]: web → platform/);
    const updated = await describe1('web-dev');
    expect(updated?.taskDefinition).toBe(second.result.outputs['task-definition-arn']);
    expect(updated?.loadBalancers?.[1].targetGroupArn).toMatch(/targetgroup\/web-dev-green\//);
    expect(updated?.tags).toContainEqual({ key: 'team', value: 'platform' });
  }, 120_000);

  test('a changed target group list alone is applied, in a new deployment of the same revision', async () => {
    const { result, writes } = await run(deployInputs('1.2', 'ENV=dev\nTG2=web-dev-red\nTEAM=platform'));
    expectOutcome(result, 'succeeded', 0);
    // The task definition is unchanged (reused), the load balancers are not.
    expect(writes).toEqual(['UpdateService']);
    expect(result.log).toMatch(/Service: 1 change to web-dev/);
    const service = await describe1('web-dev');
    expect(service?.loadBalancers?.map((lb) => lb.targetGroupArn?.split('/')[1])).toEqual([
      'web-dev-public',
      'web-dev-red',
      'web-dev-admin',
    ]);
  }, 120_000);

  test('a change of tags alone is applied, and the outcome says the service was updated', async () => {
    const { result, writes } = await run(deployInputs('1.2', 'ENV=dev\nTG2=web-dev-red\nTEAM=payments'));
    expectOutcome(result, 'unchanged', 0);
    expect(writes).toEqual(['TagResource']);
    expect(result.outputs.outcome).toBe('unchanged');
    expect(result.log).toMatch(/Service web-dev updated \(tags team=payments\)/);
    expect(result.log).not.toMatch(/nothing was changed/);
  }, 120_000);

  test('a field that cannot change on an existing service is refused with zero writes', async () => {
    const { result, writes } = await run({
      'task-definition': TEMPLATE,
      'service-definition': `${FIXTURES}ec2.json`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.outcome).toBeUndefined();
    expect(writes).toEqual([]);
    expect(result.log).toMatch(
      /launchType is EC2 in the service definition but FARGATE on service web-prod, and it cannot change on an existing service: the service must be recreated/,
    );
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        properties: expect.stringContaining(`file=${FIXTURES}ec2.json,line=4,col=17`),
      }),
    );
  });

  test('a load balancer on a port the task does not expose is refused at its line and column', async () => {
    const { result, writes } = await run({
      'task-definition': TEMPLATE,
      'service-definition': `${FIXTURES}bad-port.json`,
    });
    expect(result.exitCode).toBe(1);
    expect(writes).toEqual([]);
    const annotation = result.annotations.find((a) => a.message.includes('does not expose port 9090'));
    expect(annotation?.properties).toContain(`file=${FIXTURES}bad-port.json,line=12,col=24`);
    expect(annotation?.message).toMatch(
      /loadBalancers\[0\]\.containerPort: Container 'web' of web does not expose port 9090 \(its container ports are 8080\)/,
    );
  });

  test('a dry run shows the task definition diff and the service diff, and writes nothing', async () => {
    const { result, writes } = await run(
      deployInputs('2.0', 'ENV=prod\nTG2=web-prod-blue', { 'dry-run': 'true' }),
    );
    expectOutcome(result, 'planned', 0);
    expect(writes).toEqual([]);
    expect(result.log).toMatch(/Task definition: 1 change against .*web:1/);
    expect(result.log).toMatch(
      /~ loadBalancers: \[\] → \[\{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/web-prod-public/,
    );
    expect(result.log).toMatch(/~ enableExecuteCommand: false → true/);
    expect(result.summary).toContain('### Task definition changes');
    expect(result.summary).toContain('### Service changes');
  });

  test('a missing service is not created without create-service', async () => {
    const { result, writes } = await run(deployInputs('1.1', 'ENV=staging\nTG2=web-staging-blue'));
    expect(result.exitCode).toBe(1);
    expect(writes).toEqual([]);
    expect(result.log).toMatch(
      /Service 'web-staging' does not exist in cluster 'prod'\. Set create-service: true/,
    );
  });

  test('a first deployment that fails has nothing to roll back to: failed, saying so', async () => {
    const { result, writes } = await run(
      deployInputs('crash', 'ENV=qa\nTG2=web-qa-blue', { 'create-service': 'true' }),
    );
    expectOutcome(result, 'failed', 1);
    expect(writes).toContain('CreateService');
    expect(result.log).toMatch(/no earlier COMPLETED deployment to roll back to/);
  }, 120_000);
});
