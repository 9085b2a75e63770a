// The official action's remaining inputs in a whole step, in-process (the fakes of __tests__/fakes):
// the service's managed EBS volume goes into UpdateService only when given, a volume the task
// definition does not configure at launch stops the step before anything is written, and the
// inputs that change nothing here say so in a debug line.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, type Timeline, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { NEW, T0, oldActive, ours, service } from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
  volumes: [{ name: 'ebs1', configuredAtLaunch: true }, { name: 'scratch' }],
};
const DEPLOY = {
  cluster: 'prod',
  service: 'web',
  image: 'nginx:2',
  'task-definition-family': 'web',
  preflight: 'false',
};
const ROLE = 'arn:aws:iam::123456789012:role/ebs-role';
const VOLUME = { sizeInGiB: 30, volumeType: 'gp3', encrypted: true, roleArn: ROLE };

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
  aws.world.seedService({ ...service([oldActive({ status: 'PRIMARY' })]) } as Service);
  aws.world.timeline = healthy;
});

async function step(inputs: Record<string, string>): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) });
  await runStep({ aws, runner, clock, signal: new AbortController().signal, startedAt: clock.now() });
  return runner;
}

const updateInput = (): UpdateServiceCommandInput =>
  aws.ecs.callsOf('updateService')[0]?.args[0] as UpdateServiceCommandInput;

describe('service-managed-ebs-volume', () => {
  it('is sent in UpdateService with its name', async () => {
    const runner = await step({
      ...DEPLOY,
      'service-managed-ebs-volume-name': 'ebs1',
      'service-managed-ebs-volume': JSON.stringify(VOLUME),
    });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(updateInput().volumeConfigurations).toEqual([{ name: 'ebs1', managedEBSVolume: VOLUME }]);
  });

  it('unset, no volumeConfigurations is sent: a configuration set elsewhere is kept', async () => {
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(updateInput()).not.toHaveProperty('volumeConfigurations');
  });

  it('a volume not configured at launch stops the step before anything is written', async () => {
    const runner = await step({
      ...DEPLOY,
      'service-managed-ebs-volume-name': 'scratch',
      'service-managed-ebs-volume': JSON.stringify(VOLUME),
    });
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.failed).toMatch(/managed EBS volume cannot be configured as given, so nothing was written/);
    expect(runner.texts('error').join('\n')).toContain(
      `input 'service-managed-ebs-volume-name': volume "scratch" of the task definition is not configuredAtLaunch: true`,
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('its problems come out with the other stages’ in one list', async () => {
    const runner = await step({
      ...DEPLOY,
      'desired-count': 'many',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify({ ...VOLUME, volumeType: 'gp9' }),
    });
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain("input 'desired-count'");
    expect(errors).toContain(
      `input 'service-managed-ebs-volume': volumeType: "gp9" is not an EBS volume type`,
    );
    expect(errors).toContain(
      `input 'service-managed-ebs-volume-name': "data" is not a volume of the task definition`,
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('inputs accepted for the official action that change nothing here', () => {
  it('wait-max-delay-seconds and keep-null-value-keys: a debug line each, and the step as without them', async () => {
    const runner = await step({
      ...DEPLOY,
      'wait-max-delay-seconds': '15',
      'keep-null-value-keys': 'tag,command',
    });
    expect(runner.outputs.outcome).toBe('succeeded');
    const debug = runner.texts('debug').join('\n');
    expect(debug).toMatch(/wait-max-delay-seconds 15: accepted/);
    expect(debug).toMatch(/keep-null-value-keys tag, command: accepted/);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});
