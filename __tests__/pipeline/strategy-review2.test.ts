// Issue 11, the second review of blue/green, linear and canary, in-process through the pipeline:
// hooks of a continue step attributed to their configured stage by order and logged once, a
// rollback that failed or is still running, blue and green named by their task definitions, the
// bake's traffic kept after an on-timeout rollback, and the inputs refused before any write.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentLifecycleHook, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, operationsOf, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { SD_ARN, T0, oldActive, ours, service } from '../rollout/ecs-fixtures.js';
import { BLUE, GREEN, pauseHook, staged, withStrategy } from '../strategy/fixtures.js';

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
  aws.world.timeline = [[0, withStrategy(service([ours(), oldActive()]), 'BLUE_GREEN')]];
});

async function step(inputs: Record<string, string>): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'strategy-')) });
  await runStep({ aws, runner, clock, signal: new AbortController().signal, startedAt: clock.now() });
  return runner;
}

const PAUSES: DeploymentLifecycleHook[] = [
  { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
];
const FIRST = 'ecs-pause-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const SECOND = 'ecs-pause-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const pause = (hookId: string, status: 'AWAITING_ACTION' | 'SUCCEEDED') => ({ ...pauseHook(status), hookId });
const withPauses = (stage: ServiceDeployment['lifecycleStage'], extra: Partial<ServiceDeployment>) =>
  staged(stage, {
    production: 100,
    test: 100,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: PAUSES },
    ...extra,
  });

describe('hooks in a continue step (the third step of a deployment with two pauses)', () => {
  beforeEach(() => {
    aws.world.startTimeline();
    // The first pause was continued by the step before; the second awaits action.
    aws.world.serviceDeployments = [
      [
        0,
        withPauses('POST_PRODUCTION_TRAFFIC_SHIFT', {
          lifecycleHookDetails: [pause(FIRST, 'SUCCEEDED'), pause(SECOND, 'AWAITING_ACTION')],
        }),
      ],
    ];
    const done = [pause(FIRST, 'SUCCEEDED'), pause(SECOND, 'SUCCEEDED')];
    aws.world.afterContinue = [
      [0, withPauses('POST_PRODUCTION_TRAFFIC_SHIFT', { lifecycleHookDetails: done })],
      [10, withPauses('BAKE_TIME', { lifecycleHookDetails: done })],
      [80, withPauses('CLEAN_UP', { status: 'SUCCESSFUL', lifecycleHookDetails: done })],
    ];
  });

  it('each hook at its own configured stage, each logged once; the continue line names the stage', async () => {
    const runner = await step({ 'continue-deployment': SD_ARN });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.log).toContain(
      `web: ContinueServiceDeployment CONTINUE for the PAUSE hook ${SECOND} at POST_PRODUCTION_TRAFFIC_SHIFT.`,
    );
    const hookLines = runner.texts('info').filter((l) => l.includes('PAUSE hook at'));
    expect(hookLines).toEqual([
      'web: PAUSE hook at POST_TEST_TRAFFIC_SHIFT: SUCCEEDED.',
      'web: PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT: SUCCEEDED.',
    ]);
    const summary = runner.summaries[0];
    expect(summary).toContain(`| \`PAUSE\` | \`POST_TEST_TRAFFIC_SHIFT\` | \`SUCCEEDED\` | \`${FIRST}\` |`);
    expect(summary).toContain(
      `| \`PAUSE\` | \`POST_PRODUCTION_TRAFFIC_SHIFT\` | \`SUCCEEDED\` | \`${SECOND}\` |`,
    );
    expect(summary.match(/\| `POST_PRODUCTION_TRAFFIC_SHIFT` \| `SUCCEEDED` \|/g)).toHaveLength(1);
  });

  it('blue and green named by their task definitions, from the service', async () => {
    const runner = await step({ 'continue-deployment': SD_ARN });
    const summary = runner.summaries[0];
    expect(summary).toContain(`- Blue (before): \`web:8\` (service revision \`${BLUE}\`)`);
    expect(summary).toContain(`- Green (deployed): \`web:9\` (service revision \`${GREEN}\`)`);
  });
});

describe('a rollback that failed or is still running', () => {
  const rollingBackAt = (status: ServiceDeployment['status']) =>
    staged('PRODUCTION_TRAFFIC_SHIFT', {
      status,
      production: 0,
      rollback: { reason: 'CloudWatch alarm(s) web-5xx in ALARM state.', serviceRevisionArn: BLUE },
      alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx'], triggeredAlarmNames: ['web-5xx'] },
    });

  it('ROLLBACK_FAILED ends failed, saying the rollback failed', async () => {
    aws.world.serviceDeployments = [
      [0, staged('PRODUCTION_TRAFFIC_SHIFT', { production: 10 })],
      [20, rollingBackAt('ROLLBACK_IN_PROGRESS')],
      [40, rollingBackAt('ROLLBACK_FAILED')],
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('failed');
    expect(runner.failed).toContain('ECS tried to roll revision');
    expect(runner.failed).toContain(
      'at PRODUCTION_TRAFFIC_SHIFT: CloudWatch alarm(s) web-5xx in ALARM state',
    );
    expect(runner.failed).toContain('the rollback failed.');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('a rollback still running at the deadline is timed-out, saying so; no rollback asked for', async () => {
    aws.world.serviceDeployments = [
      [0, staged('PRODUCTION_TRAFFIC_SHIFT', { production: 10 })],
      [20, rollingBackAt('ROLLBACK_IN_PROGRESS')],
    ];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.failed).toContain('No verdict within 1 minute(s): ECS is rolling revision');
    expect(runner.failed).toContain('the rollback had not finished when wait-for-minutes ran out.');
    expect(runner.summaries[0]).toContain('Rolling back to');
    expect(operationsOf(aws.ecs)).not.toContain('StopServiceDeployment');
  });
});

describe('an alarm without rollback (alarms.rollback false)', () => {
  it('ends failed: ECS stopped the deployment without rolling back', async () => {
    const alarms = {
      status: 'TRIGGERED' as const,
      alarmNames: ['web-5xx'],
      triggeredAlarmNames: ['web-5xx'],
    };
    aws.world.serviceDeployments = [
      [0, staged('PRODUCTION_TRAFFIC_SHIFT', { production: 10 })],
      [
        20,
        staged('PRODUCTION_TRAFFIC_SHIFT', {
          status: 'STOPPED',
          production: 10,
          statusReason: 'CloudWatch alarm(s) web-5xx in ALARM state.',
          alarms,
        }),
      ],
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('failed');
    expect(runner.failed).toContain(
      'ECS stopped the service deployment at PRODUCTION_TRAFFIC_SHIFT: CloudWatch alarm(s) web-5xx in ALARM state; it was not rolled back.',
    );
    expect(runner.summaries[0]).toContain('Alarms in ALARM: `web-5xx`');
  });
});

describe('the summary of a deploy step', () => {
  it('blue and green by task definition; the BAKE_TIME row keeps the bake traffic after an on-timeout rollback', async () => {
    aws.world.serviceDeployments = [
      [0, staged('BAKE_TIME', { production: 100, test: 100 })],
      [
        75,
        staged('BAKE_TIME', {
          status: 'ROLLBACK_IN_PROGRESS',
          production: 0,
          test: 0,
          rollback: { reason: 'Rollback requested with StopServiceDeployment.', serviceRevisionArn: BLUE },
        }),
      ],
      [
        90,
        staged('BAKE_TIME', {
          status: 'ROLLBACK_SUCCESSFUL',
          production: 0,
          test: 0,
          rollback: { reason: 'Rollback requested with StopServiceDeployment.', serviceRevisionArn: BLUE },
        }),
      ],
    ];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    const summary = runner.summaries[0];
    expect(summary).toContain(`- Blue (before): \`web:8\``);
    expect(summary).toContain(`- Green (deployed): \`web:9\``);
    const rows = summary.split('\n').filter((l) => l.startsWith('| `BAKE_TIME`'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('production 100% green / 0% blue; test 100% green / 0% blue');
    expect(rows[1]).toContain('rollback: production 0% green / 100% blue');
  });
});

describe('inputs refused before any write', () => {
  it('continue-deployment that is not a service deployment ARN: an input error naming it', async () => {
    const runner = await step({ 'continue-deployment': 'ecs-svc/123', cluster: 'prod', service: 'web' });
    expect(runner.outputs.outcome).toBeUndefined();
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain('continue-deployment');
    expect(errors).toContain('"ecs-svc/123" is not a service deployment ARN');
    expect(runner.texts('warning')).toEqual([]);
    expect(operationsOf(aws.ecs)).toEqual([]);
  });

  it('deployment-strategy on a CODE_DEPLOY service: the strategy does not apply to that controller', async () => {
    aws.world.seedService({ ...blueGreen, deploymentController: { type: 'CODE_DEPLOY' } });
    // The CodeDeploy checks run too (their problem is listed beside ours).
    aws.codedeploy.script.getDeploymentGroup = async () => ({ missing: 'deployment-group' });
    const runner = await step({ ...DEPLOY, 'deployment-strategy': 'CANARY' });
    expect(runner.outputs.outcome).toBeUndefined();
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain('deployment-strategy');
    expect(errors).toContain('uses the CODE_DEPLOY deployment controller, where the strategy does not apply');
    expect(errors).not.toContain('no load balancer');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});
