// Several services through the whole step in-process (src/stages/pipeline.ts over the fakes,
// issue 13's review): the step outcome rule ({succeeded, unchanged} is success), outputs keyed
// `cluster/name` when bare names collide, every service's checks before the gate (CodeDeploy,
// the strategy inputs), and an UpdateService refused for a later service after the first's was made.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, type Timeline, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { NEW, T0, oldActive, ours, service } from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
};

/** Another service of the cluster, steady on web:8 like web. */
function other(name: string, extra: Partial<Service> = {}): Service {
  return {
    ...service([oldActive({ status: 'PRIMARY' })]),
    serviceName: name,
    serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`,
    ...extra,
  };
}

const healthy: Timeline = [
  [0, service([ours(), oldActive()])],
  [
    45,
    service([
      ours({
        runningCount: 2,
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${NEW} completed.`,
      }),
    ]),
  ],
];

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService(service([oldActive({ status: 'PRIMARY' })]));
});

async function step(inputs: Record<string, string>): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'several-')) });
  await runStep({ aws, runner, clock, signal: new AbortController().signal, startedAt: clock.now() });
  return runner;
}

const servicesOf = (runner: FakeRunner) =>
  JSON.parse(runner.outputs.services ?? '{}') as Record<string, { outcome: string }>;

describe('the step outcome with several services', () => {
  it('every service unchanged: the step is unchanged, and its reason does not count them as failures', async () => {
    aws.world.seedService(other('api'));
    const runner = await step({ cluster: 'prod', service: 'web\napi' });
    expect(runner.failed).toBeUndefined();
    expect(runner.outputs.outcome).toBe('unchanged');
    expect(runner.summaries[0]).not.toMatch(/0 of 2/);
    expect(runner.log).toMatch(/All 2 services already ran the revision; none was changed: web, api\./);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('services whose bare names collide', () => {
  it('the output, the summary and the reason say cluster/name', async () => {
    const runner = await step({ cluster: 'prod', service: 'prod/web\nstaging/web' });
    expect(Object.keys(servicesOf(runner))).toEqual(['prod/web', 'staging/web']);
    expect(runner.summaries[0]).toContain('[`prod/web`]');
    expect(runner.summaries[0]).toContain('[`staging/web`]');
    expect(runner.log).toMatch(/none was changed: prod\/web, staging\/web\./);
  });
});

describe('every service is checked before the gate', () => {
  it('a CODE_DEPLOY service among several is refused before any write, named', async () => {
    aws.world.seedService(other('api', { deploymentController: { type: 'CODE_DEPLOY' } }));
    const runner = await step({
      cluster: 'prod',
      service: 'web\napi',
      'container-name': 'app',
      image: 'nginx:2',
    });
    expect(runner.failed).toBeDefined();
    expect(runner.log).toMatch(
      /Service api is deployed by CodeDeploy \(deployment controller CODE_DEPLOY\), and several services with CodeDeploy in one step are not supported/,
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it("a later service's strategy problems are in the gate's one list, prefixed with its name", async () => {
    aws.world.seedService(other('api'));
    const runner = await step({
      ...{ cluster: 'prod', service: 'web\napi', 'container-name': 'app', image: 'nginx:2' },
      'bake-time-in-minutes': '5',
    });
    expect(runner.failed).toBeDefined();
    expect(runner.log).toMatch(/Service api: bake-time-in-minutes applies to BLUE_GREEN/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('a later UpdateService refused after the first was made', () => {
  it('the started service is followed to its verdict; the refused one fails with the error; services is set', async () => {
    aws.world.timeline = healthy;
    aws.world.seedService(other('api'));
    const update = aws.ecs.script.updateService!;
    aws.ecs.script.updateService = async (input: UpdateServiceCommandInput) => {
      if (input.service === 'api') {
        throw new AwsCallError('UpdateService failed: access denied.', {
          kind: 'access-denied',
          operation: 'UpdateService',
        });
      }
      return update(input);
    };
    const runner = await step({
      cluster: 'prod',
      service: 'web\napi',
      'container-name': 'app',
      image: 'nginx:2',
    });
    const services = servicesOf(runner);
    expect(services.web.outcome).toBe('succeeded');
    expect(services.api.outcome).toBe('failed');
    expect(runner.outputs.outcome).toBe('failed');
    expect(runner.failed).toBeDefined();
    expect(runner.log).toMatch(/Service api: UpdateService failed: UpdateService failed: access denied\./);
    expect(runner.summaries[0]).toMatch(/\| `prod` \| ❌ failed \|.*UpdateService of service api failed/);
    expect(runner.summaries[0]).toContain('### Services');
  });
});
