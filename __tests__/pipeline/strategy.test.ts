// Blue/green, linear and canary deployments in-process (src/strategy/ through the pipeline): the
// strategy inputs in the same UpdateService, their problems before any write, the staged follower's
// outcomes (succeeded only after the bake, rolled-back with the cause, paused, stage-reached,
// timed-out with a rollback), and the continue step.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, operationsOf, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { NEW, SD_ARN, T0, TD_NEW, oldActive, ours, service } from '../rollout/ecs-fixtures.js';
import { BLUE, HOOK_ID, lambdaHook, pauseHook, staged, withStrategy } from '../strategy/fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
};
const DEPLOY = { cluster: 'prod', service: 'web', image: 'nginx:2' };
const rollingService = service([oldActive({ status: 'PRIMARY' })]);
const blueGreen = withStrategy(rollingService, 'BLUE_GREEN');

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService(blueGreen);
  // What DescribeServices answers after the update: ours PRIMARY beside blue, all along.
  aws.world.timeline = [[0, withStrategy(service([ours(), oldActive()]), 'BLUE_GREEN')]];
});

async function step(
  inputs: Record<string, string>,
  options: { cancelAt?: number } = {},
): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'strategy-')) });
  const cancel = new AbortController();
  if (options.cancelAt !== undefined) {
    const at = T0.getTime() + options.cancelAt * 1000;
    clock.onSleep = (now) => {
      if (now >= at) cancel.abort();
    };
  }
  await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
  return runner;
}

const secondsSinceStart = () => (clock.now() - T0.getTime()) / 1000;

/** A blue/green deployment through every stage: SUCCESSFUL at 460 s, after a 5-minute bake. */
const throughTheBake: [number, ServiceDeployment][] = [
  [0, staged('PRE_SCALE_UP')],
  [5, staged('SCALE_UP')],
  [30, staged('POST_SCALE_UP')],
  [40, staged('TEST_TRAFFIC_SHIFT', { test: 100 })],
  [50, staged('POST_TEST_TRAFFIC_SHIFT', { test: 100 })],
  [60, staged('PRODUCTION_TRAFFIC_SHIFT', { production: 100, test: 100 })],
  [70, staged('POST_PRODUCTION_TRAFFIC_SHIFT', { production: 100, test: 100 })],
  [80, staged('BAKE_TIME', { production: 100, test: 100 })],
  [380, staged('CLEAN_UP', { production: 100, test: 100 })],
  [460, staged('CLEAN_UP', { status: 'SUCCESSFUL', production: 100, test: 100 })],
];

describe('staged deployments', () => {
  it('blue/green: followed stage by stage; succeeded only after the bake', async () => {
    aws.world.serviceDeployments = throughTheBake;
    const runner = await step(DEPLOY);
    expect(runner.outputs).toMatchObject({
      outcome: 'succeeded',
      'service-deployment-arn': SD_ARN,
      'deployment-id': NEW,
    });
    expect(runner.failed).toBeUndefined();
    expect(secondsSinceStart()).toBeGreaterThanOrEqual(460);
    const log = runner.texts('info');
    for (const stage of ['PRE_SCALE_UP', 'SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']) {
      expect(log).toContainEqual(expect.stringMatching(new RegExp(`^web: stage ${stage}\\b`)));
    }
    expect(log).toContain('web: BAKE_TIME: 5 minute(s) left of 5.');
    expect(runner.summaries[0]).toContain('### Deployment stages (BLUE_GREEN)');
    expect(runner.summaries[0]).toMatch(/\| `BAKE_TIME` \| `12:01:2\dZ` \| 5m 0\ds \|/);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    // DescribeServiceDeployments is the source: one look per poll, no DescribeServices while following.
    const ops = operationsOf(aws.ecs);
    expect(ops.filter((o) => o === 'DescribeServiceDeployments').length).toBeGreaterThan(100);
    expect(ops.slice(ops.indexOf('UpdateService') + 1)).not.toContain('DescribeServices');
  });

  it('superseded: another deployment stopped ours while it was followed (issue 11)', async () => {
    aws.world.serviceDeployments = [
      [0, staged('PRE_SCALE_UP')],
      [20, staged('TEST_TRAFFIC_SHIFT', { test: 100 })],
      [40, staged('TEST_TRAFFIC_SHIFT', { status: 'STOPPED', statusReason: 'A new deployment started.' })],
    ];
    aws.world.newerServiceDeployments = [
      {
        serviceDeploymentArn: `${SD_ARN}-newer`,
        targetServiceRevisionArn: `${BLUE.slice(0, BLUE.lastIndexOf('/'))}/999`,
        createdAt: new Date(T0.getTime() + 35_000),
      },
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('superseded');
    expect(runner.failed).toContain('Another deployment, ecs-svc/999, replaced revision');
    expect(runner.failed).toContain('at TEST_TRAFFIC_SHIFT');
    expect(runner.failed).not.toContain('.;');
    expect(runner.summaries[0]).toContain('ecs-svc/999');
  });

  it('the strategy is said once, as information, naming the one deployment-strategy sets (issue 11)', async () => {
    aws.world.seedService({ ...rollingService, loadBalancers: blueGreen.loadBalancers });
    aws.world.serviceDeployments = [[0, staged('CLEAN_UP', { status: 'SUCCESSFUL' })]];
    const runner = await step({ ...DEPLOY, 'deployment-strategy': 'CANARY' });
    expect(runner.outputs.outcome).toBe('succeeded');
    const said = runner.texts('info').filter((l) => l.includes('strategy: following its service deployment'));
    expect(said).toEqual([expect.stringContaining('web deploys with the CANARY strategy')]);
    expect(runner.texts('warning').join('\n')).not.toContain('strategy');
  });

  it('a dry run shows the strategy change in the plan (issue 11)', async () => {
    aws.world.seedService({ ...rollingService, loadBalancers: blueGreen.loadBalancers });
    const runner = await step({ ...DEPLOY, 'deployment-strategy': 'CANARY', 'dry-run': 'true' });
    expect(runner.texts('info')).toContainEqual(
      expect.stringContaining('deployment configuration would change: strategy ROLLING → CANARY'),
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('canary: the strategy inputs go in the same UpdateService, merged into the service configuration', async () => {
    aws.world.seedService(rollingService);
    aws.world.seedService({ ...rollingService, loadBalancers: blueGreen.loadBalancers });
    aws.world.serviceDeployments = [[0, staged('CLEAN_UP', { status: 'SUCCESSFUL' })]];
    const runner = await step({
      ...DEPLOY,
      'deployment-strategy': 'CANARY',
      'canary-percent': '10',
      'bake-time-in-minutes': '3',
    });
    expect(runner.outputs.outcome).toBe('succeeded');
    const [update] = aws.ecs.callsOf('updateService');
    expect((update.args[0] as { deploymentConfiguration: unknown }).deploymentConfiguration).toEqual({
      ...rollingService.deploymentConfiguration,
      strategy: 'CANARY',
      bakeTimeInMinutes: 3,
      canaryConfiguration: { canaryPercent: 10 },
    });
    expect(runner.log).toContain('strategy ROLLING → CANARY');
  });

  it('a staged strategy on a service without an alternate target group: an error before any write', async () => {
    aws.world.seedService(rollingService);
    const runner = await step({ ...DEPLOY, 'deployment-strategy': 'BLUE_GREEN' });
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.failed).toContain('The deployment strategy inputs do not fit the service');
    expect(runner.texts('error').join('\n')).toContain("service 'web' has no load balancer");
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('rolled-back: a failed hook, with the stage and the reason; the step fails', async () => {
    aws.world.serviceDeployments = [
      [0, staged('SCALE_UP')],
      [20, staged('POST_SCALE_UP', { lifecycleHookDetails: [lambdaHook('smoke-fail', 'IN_PROGRESS')] })],
      [
        40,
        staged('POST_SCALE_UP', {
          status: 'ROLLBACK_IN_PROGRESS',
          lifecycleHookDetails: [lambdaHook('smoke-fail', 'FAILED')],
          rollback: { reason: 'Lifecycle hook smoke-fail failed.', serviceRevisionArn: BLUE },
        }),
      ],
      [
        60,
        staged('POST_SCALE_UP', {
          status: 'ROLLBACK_SUCCESSFUL',
          lifecycleHookDetails: [lambdaHook('smoke-fail', 'FAILED')],
          rollback: { reason: 'Lifecycle hook smoke-fail failed.', serviceRevisionArn: BLUE },
        }),
      ],
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(runner.failed).toContain('at POST_SCALE_UP: Lifecycle hook smoke-fail failed');
    expect(runner.log).toContain('web: hook smoke-fail at POST_SCALE_UP: FAILED.');
    expect(runner.summaries[0]).toContain('| `smoke-fail` | `POST_SCALE_UP` | `FAILED` |');
  });

  it('paused: the step ends at a PAUSE hook with the ARN and the hook id, a success', async () => {
    aws.world.serviceDeployments = [
      [0, staged('SCALE_UP')],
      [
        30,
        staged('POST_TEST_TRAFFIC_SHIFT', {
          test: 100,
          lifecycleHookDetails: [pauseHook('AWAITING_ACTION')],
        }),
      ],
    ];
    const runner = await step(DEPLOY);
    expect(runner.failed).toBeUndefined();
    expect(runner.outputs).toMatchObject({
      outcome: 'paused',
      'service-deployment-arn': SD_ARN,
      'paused-hook-id': HOOK_ID,
    });
    expect(runner.summaries[0]).toContain(`Paused at hook \`${HOOK_ID}\``);
  });

  it('continue-on-pause: the pause is continued at once and followed on', async () => {
    aws.world.serviceDeployments = [
      [0, staged('POST_TEST_TRAFFIC_SHIFT', { lifecycleHookDetails: [pauseHook('AWAITING_ACTION')] })],
    ];
    aws.world.afterContinue = [
      [0, staged('POST_TEST_TRAFFIC_SHIFT', { lifecycleHookDetails: [pauseHook('AWAITING_ACTION')] })],
      [5, staged('BAKE_TIME', { lifecycleHookDetails: [pauseHook('SUCCEEDED')] })],
      [20, staged('CLEAN_UP', { status: 'SUCCESSFUL', lifecycleHookDetails: [pauseHook('SUCCEEDED')] })],
    ];
    const runner = await step({ ...DEPLOY, 'continue-on-pause': 'true' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(aws.world.continued).toEqual([
      { serviceDeploymentArn: SD_ARN, hookId: HOOK_ID, action: 'CONTINUE' },
    ]);
  });

  it('stage-reached: wait-until-stage ends the step there, a success', async () => {
    aws.world.serviceDeployments = throughTheBake;
    const runner = await step({ ...DEPLOY, 'wait-until-stage': 'POST_TEST_TRAFFIC_SHIFT' });
    expect(runner.outputs.outcome).toBe('stage-reached');
    expect(runner.failed).toBeUndefined();
    expect(secondsSinceStart()).toBeLessThan(60);
    expect(runner.log).toContain('reached POST_TEST_TRAFFIC_SHIFT');
  });

  it('timed-out with on-timeout rollback: StopServiceDeployment ROLLBACK, the rollback followed', async () => {
    aws.world.serviceDeployments = [
      [0, staged('BAKE_TIME')],
      [
        75,
        staged('BAKE_TIME', { status: 'ROLLBACK_SUCCESSFUL', rollback: { reason: 'Stopped by the user.' } }),
      ],
    ];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(aws.ecs.callsOf('stopServiceDeployment').map((c) => c.args.slice(0, 2))).toEqual([
      [SD_ARN, 'ROLLBACK'],
    ]);
    expect(runner.failed).toContain('the rollback completed');
  });
});

describe('cancel and not waiting', () => {
  it('cancelled while following: where the deployment stood; ECS goes on', async () => {
    aws.world.serviceDeployments = throughTheBake;
    const runner = await step(DEPLOY, { cancelAt: 45 });
    expect(runner.outputs.outcome).toBe('cancelled');
    expect(runner.failed).toMatch(/Cancelled while following: the service deployment was IN_PROGRESS at \w+/);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('a continue step that does not wait: outcome started after ContinueServiceDeployment', async () => {
    aws.world.startTimeline();
    aws.world.serviceDeployments = [
      [0, staged('POST_TEST_TRAFFIC_SHIFT', { lifecycleHookDetails: [pauseHook('AWAITING_ACTION')] })],
    ];
    const runner = await step({ 'continue-deployment': SD_ARN, 'wait-for-service-stability': 'false' });
    expect(runner.outputs).toMatchObject({ outcome: 'started', 'service-deployment-arn': SD_ARN });
    expect(mutatingCallsOf(aws.ecs)).toEqual(['ContinueServiceDeployment']);
  });
});

describe('continue step', () => {
  const paused = staged('POST_TEST_TRAFFIC_SHIFT', {
    test: 100,
    lifecycleHookDetails: [pauseHook('AWAITING_ACTION')],
  });

  beforeEach(() => {
    aws.world.startTimeline();
    aws.world.serviceDeployments = [[0, paused]];
  });

  it('CONTINUE: ContinueServiceDeployment for the paused hook, followed to the verdict; nothing registered', async () => {
    aws.world.afterContinue = [
      [0, paused],
      [
        10,
        staged('PRODUCTION_TRAFFIC_SHIFT', {
          production: 100,
          lifecycleHookDetails: [pauseHook('SUCCEEDED')],
        }),
      ],
      [40, staged('CLEAN_UP', { status: 'SUCCESSFUL', lifecycleHookDetails: [pauseHook('SUCCEEDED')] })],
    ];
    const runner = await step({ 'continue-deployment': SD_ARN });
    expect(runner.outputs).toMatchObject({
      outcome: 'succeeded',
      'service-deployment-arn': SD_ARN,
      'deployment-id': NEW,
    });
    expect(aws.world.continued).toEqual([
      { serviceDeploymentArn: SD_ARN, hookId: HOOK_ID, action: 'CONTINUE' },
    ]);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['ContinueServiceDeployment']);
    expect(runner.summaries[0]).toContain('`PRODUCTION_TRAFFIC_SHIFT`');
    expect(TD_NEW).toBeDefined();
  });

  it('ROLLBACK: the step fails rolled-back, although it asked for it', async () => {
    aws.world.afterContinue = [
      [0, paused],
      [
        20,
        staged('CLEAN_UP', {
          status: 'ROLLBACK_SUCCESSFUL',
          rollback: { reason: 'Rolled back by ContinueServiceDeployment.', serviceRevisionArn: BLUE },
        }),
      ],
    ];
    const runner = await step({ 'continue-deployment': SD_ARN, 'continue-action': 'ROLLBACK' });
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(runner.failed).toContain('continue-action ROLLBACK');
    expect(aws.world.continued[0].action).toBe('ROLLBACK');
  });

  it('nothing paused: a clear error, and nothing written', async () => {
    aws.world.serviceDeployments = [[0, staged('BAKE_TIME')]];
    const runner = await step({ 'continue-deployment': SD_ARN });
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.failed).toContain('Nothing to continue');
    expect(runner.texts('error').join('\n')).toContain('no PAUSE hook awaits action');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});
