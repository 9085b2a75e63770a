// A step with a service definition, in-process over the ECS world: the service created with the
// revision the step registered and its first deployment followed; an existing service updated
// with the fields that differ in the same UpdateService, its tags through TagResource; a field
// that cannot change refused before any write; a missing service left alone without
// create-service.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpdateServiceCommandInput } from '@aws-sdk/client-ecs';

import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { NEW, T0, TD_NEW, oldActive, ours, service } from '../rollout/ecs-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'pipeline-servicedef-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const TEMPLATE = write(
  'web.json',
  JSON.stringify({
    family: 'web',
    containerDefinitions: [
      { name: 'app', image: 'nginx:1', essential: true, memory: 512, portMappings: [{ containerPort: 80 }] },
    ],
  }),
);
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
const SERVICE_FILE = write(
  'service.yaml',
  `serviceName: web\ncluster: prod\ndesiredCount: 3\nloadBalancers:\n  - {targetGroupArn: ${TG}, containerName: app, containerPort: 80}\ntags:\n  - {key: team, value: web}\n`,
);

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  // web:1 … web:8, so the next registration is web:9 (TD_NEW of the fixtures).
  for (let i = 0; i < 8; i++)
    aws.world.seedTaskDefinition({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx:0', memory: 512 }],
    });
});

async function step(inputs: Record<string, string>): Promise<FakeRunner> {
  const runner = new FakeRunner(
    { 'task-definition': TEMPLATE, 'service-definition': SERVICE_FILE, preflight: 'false', ...inputs },
    { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) },
  );
  await runStep({ aws, runner, clock, signal: new AbortController().signal, startedAt: clock.now() });
  return runner;
}

const completed = service([
  ours({
    runningCount: 2,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${NEW} completed.`,
  }),
]);

describe('service definitions', () => {
  it('creates the service with the registered revision and follows its first deployment', async () => {
    aws.world.timeline = [
      [0, service([ours()])],
      [45, completed],
    ];
    const runner = await step({ 'create-service': 'true' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'CreateService']);
    const [input] = aws.ecs.callsOf('createService')[0].args as [Record<string, unknown>];
    expect(input).toMatchObject({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: TD_NEW,
      desiredCount: 3,
    });
    expect(runner.outputs['deployment-id']).toBe(NEW);
  });

  it('a one-off task that fails first leaves the service uncreated', async () => {
    aws.world.taskScript = { exitCodes: { app: 3 }, runsForSeconds: 10 };
    const runner = await step({
      'create-service': 'true',
      'run-task': 'true',
      'wait-for-task-stopped': 'true',
      'run-task-launch-type': 'EC2',
    });
    expect(runner.outputs.outcome).toBe('task-failed');
    expect(mutatingCallsOf(aws.ecs)).not.toContain('CreateService');
  });

  it('updates an existing service: changed fields with the revision, tags through TagResource', async () => {
    aws.world.seedService(service([oldActive({ status: 'PRIMARY' })]));
    aws.world.timeline = [
      [0, service([ours(), oldActive()])],
      [45, completed],
    ];
    const runner = await step({});
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'TagResource']);
    const [input] = aws.ecs.callsOf('updateService')[0].args as [UpdateServiceCommandInput];
    expect(input.loadBalancers).toEqual([{ targetGroupArn: TG, containerName: 'app', containerPort: 80 }]);
    // The file's desiredCount is for creating; auto scaling owns it afterwards.
    expect(input.desiredCount).toBeUndefined();
  });

  it('a field that cannot change is refused before any write', async () => {
    aws.world.seedService({ ...service([oldActive({ status: 'PRIMARY' })]), launchType: 'EC2' });
    const file = write(
      'fargate.yaml',
      'serviceName: web\ncluster: prod\nlaunchType: FARGATE\nnetworkConfiguration:\n  awsvpcConfiguration: {subnets: [subnet-1]}\n',
    );
    const runner = await step({ 'service-definition': file });
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(runner.failed).toMatch(/service definition has problems/);
    expect(runner.log).toMatch(
      /launchType is FARGATE in the service definition but EC2 on service web, .*must be recreated/,
    );
  });

  it('without create-service a missing service is an error, with nothing written', async () => {
    const runner = await step({});
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(runner.log).toMatch(/Service 'web' does not exist in cluster 'prod'\. Set create-service: true/);
  });
});
