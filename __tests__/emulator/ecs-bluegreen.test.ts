// The ECS model's BLUE_GREEN, LINEAR and CANARY deployments, driven with the real ECSClient over
// the emulator's HTTP layer on a manual clock (exact timelines): lifecycle stages in ECS's order,
// traffic weights, hooks chosen by function name, PAUSE with ContinueServiceDeployment, alarms,
// StopServiceDeployment, and what stays visible after a rollback (docs/ecs-behaviour.md,
// "Blue/green, linear and canary deployments").
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';

import {
  blueGreenLoadBalancer,
  lambdaHook,
  pauseHook,
  shiftDeploymentConfiguration,
  startEmulator,
  type Emulator,
} from '../../emulator/index.js';
import { NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emu: Emulator | undefined;

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

interface Seen {
  /** Simulated seconds since UpdateService. */
  at: number;
  stage: string | undefined;
  status: string | undefined;
}

async function start(deploymentConfiguration: DeploymentConfiguration, desiredCount = 2) {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }],
      taskDefinitions: [webTaskDefinition('v1')],
      services: [
        {
          cluster: 'main',
          serviceName: 'web',
          taskDefinition: 'web:1',
          desiredCount,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
          loadBalancers: [blueGreenLoadBalancer()],
          deploymentConfiguration: {
            ...deploymentConfiguration,
            deploymentCircuitBreaker: { enable: true, rollback: true },
          },
        },
      ],
    },
  });
  const e = emu;
  const ecs = new ECSClient({ endpoint: e.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const service = async (): Promise<Service> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))).services![0]!;
  const describe = async (arn: string): Promise<ServiceDeployment> =>
    (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
      .serviceDeployments![0]!;
  let startedAt = T0;
  const deploy = async (tag: string): Promise<{ arn: string; service: Service }> => {
    const td = await ecs.send(new RegisterTaskDefinitionCommand(webTaskDefinition(tag) as never));
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'main',
        service: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    startedAt = e.clock.now();
    return { arn: out.service!.currentServiceDeployment!, service: out.service! };
  };
  const seen: Seen[] = [];
  /** Poll every `stepMs` of simulated time, recording each change of stage or status, until `done`. */
  const follow = async (
    arn: string,
    done: (sd: ServiceDeployment) => boolean,
    stepMs = 1000,
    maxMs = 3 * 60 * 60_000,
  ): Promise<ServiceDeployment> => {
    for (let t = 0; t <= maxMs; t += stepMs) {
      const sd = await describe(arn);
      const last = seen.at(-1);
      if (!last || last.stage !== sd.lifecycleStage || last.status !== sd.status) {
        seen.push({ at: (e.clock.now() - startedAt) / 1000, stage: sd.lifecycleStage, status: sd.status });
      }
      if (done(sd)) return sd;
      e.advance(stepMs);
    }
    throw new Error('not reached');
  };
  const stages = (): (string | undefined)[] =>
    seen.map((s) => s.stage).filter((s, i, all) => i === 0 || s !== all[i - 1]);
  return { e, ecs, service, describe, deploy, follow, seen, stages };
}

const finished = (sd: ServiceDeployment): boolean =>
  ['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'].includes(sd.status!);

describe('a BLUE_GREEN deployment', () => {
  it('goes through every stage, bakes with blue kept, then cleans up and succeeds', async () => {
    const h = await start(shiftDeploymentConfiguration({ bakeTimeInMinutes: 3 }));
    const before = await h.service();
    expect(before.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 3 });
    expect(before.loadBalancers![0]!.advancedConfiguration).toMatchObject({
      alternateTargetGroupArn: expect.stringContaining(':targetgroup/web-green/'),
    });
    const blueId = before.deployments![0]!.id!;
    const { arn, service } = await h.deploy('v2');
    expect(arn).toMatch(/:service-deployment\/main\/web\/[A-Za-z0-9_-]{21}$/);
    expect(service.deployments!.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);

    // Blue keeps its two tasks while green scales up beside it; production stays on blue.
    const scaled = await h.follow(arn, (sd) => sd.lifecycleStage === 'POST_SCALE_UP');
    expect(scaled.targetServiceRevision).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 0,
      requestedTestTrafficWeight: 0,
    });
    expect(scaled.sourceServiceRevisions![0]).toMatchObject({
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 100,
    });

    const tested = await h.follow(arn, (sd) => sd.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT');
    expect(tested.targetServiceRevision).toMatchObject({
      requestedTestTrafficWeight: 100,
      requestedProductionTrafficWeight: 0,
    });

    // During the bake both revisions run: production on green, blue kept to roll back to.
    const baking = await h.follow(arn, (sd) => sd.lifecycleStage === 'BAKE_TIME');
    expect(baking.status).toBe('IN_PROGRESS');
    expect(baking.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 100,
      runningTaskCount: 2,
    });
    expect(baking.sourceServiceRevisions![0]).toMatchObject({
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 2,
    });
    const during = await h.service();
    expect(during.deployments).toHaveLength(2);
    expect(during.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(during.deployments![1]).toMatchObject({ id: blueId, status: 'ACTIVE', runningCount: 2 });
    const bakeStart = h.seen.at(-1)!.at;

    const done = await h.follow(arn, finished);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(h.stages()).toEqual([
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
    // SUCCESSFUL only after the whole 3-minute bake and the clean-up.
    const cleanUp = h.seen.find((s) => s.stage === 'CLEAN_UP')!.at;
    expect(cleanUp - bakeStart).toBe(180);
    expect(h.seen.at(-1)!.at).toBeGreaterThan(cleanUp);
    expect(done.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 100,
      runningTaskCount: 2,
    });
    expect(done.alarms).toEqual({ status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] });

    const after = await h.service();
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    expect(after.runningCount).toBe(2);
    const msgs = after.events!.map((ev) => ev.message!);
    expect(msgs.some((m) => /has stopped 2 running tasks/.test(m))).toBe(true);
  });

  it('refuses a strategy the service cannot run, as ECS does', async () => {
    const h = await start(shiftDeploymentConfiguration());
    const err = (await h.ecs
      .send(
        new UpdateServiceCommand({
          cluster: 'main',
          service: 'web',
          loadBalancers: [{ ...blueGreenLoadBalancer(), advancedConfiguration: undefined }],
          deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
        }),
      )
      .catch((x: unknown) => x)) as Error;
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toContain('advancedConfiguration');
    const refuse = async (cfg: DeploymentConfiguration, text: string) => {
      const x = (await h.ecs
        .send(new UpdateServiceCommand({ cluster: 'main', service: 'web', deploymentConfiguration: cfg }))
        .catch((y: unknown) => y)) as Error;
      expect(x.name).toBe('InvalidParameterException');
      expect(x.message).toContain(text);
    };
    await refuse({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0 } }, 'canaryPercent');
    await refuse({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2.5 } }, 'stepPercent');
    await refuse({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, 'bakeTimeInMinutes');
    await refuse({ strategy: 'BLUE_GREEN', canaryConfiguration: { canaryPercent: 10 } }, 'only valid');
    await refuse(
      { strategy: 'BLUE_GREEN', lifecycleHooks: [pauseHook(['PRODUCTION_TRAFFIC_SHIFT'])] },
      'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.',
    );
    await refuse(
      { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['POST_SCALE_UP'] }] },
      'hookTargetArn',
    );
    await refuse({ strategy: 'SIDEWAYS' as never }, 'strategy must be one of');
    // Nothing was changed by the refusals.
    expect((await h.service()).deploymentConfiguration!.strategy).toBe('BLUE_GREEN');
  });
});

describe('a CANARY deployment with a failing Lambda hook', () => {
  it('shifts the canary percent, fails at the hook, rolls back to blue and keeps the cause visible', async () => {
    const h = await start(
      shiftDeploymentConfiguration({
        strategy: 'CANARY',
        canaryPercent: 10,
        canaryBakeTimeInMinutes: 2,
        lifecycleHooks: [
          lambdaHook('check-health', ['POST_SCALE_UP']),
          lambdaHook('canary-fail-check', ['POST_PRODUCTION_TRAFFIC_SHIFT']),
        ],
      }),
    );
    const blueId = (await h.service()).deployments![0]!.id!;
    const { arn } = await h.deploy('v2');
    const canary = await h.follow(
      arn,
      (sd) => sd.targetServiceRevision?.requestedProductionTrafficWeight === 10,
    );
    expect(canary.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(canary.sourceServiceRevisions![0]!.requestedProductionTrafficWeight).toBe(90);
    const canaryAt = h.e.clock.now();
    const full = await h.follow(
      arn,
      (sd) => sd.targetServiceRevision?.requestedProductionTrafficWeight === 100,
    );
    // The canary shift stage (30 s), then the 2-minute canary bake, before the rest moves.
    expect(h.e.clock.now() - canaryAt).toBe((30 + 120) * 1000);
    expect(full.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(full.lifecycleHookDetails!.map((d) => d.status)).toEqual(['SUCCEEDED']);

    const done = await h.follow(arn, finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(h.seen.map((s) => s.status)).toContain('ROLLBACK_IN_PROGRESS');
    // The cause stays: the hook FAILED, the stage it failed at, the reasons.
    expect(done.lifecycleStage).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
    const failed = done.lifecycleHookDetails!.find((d) => d.status === 'FAILED')!;
    expect(failed).toMatchObject({
      targetType: 'AWS_LAMBDA',
      targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:canary-fail-check',
      timeoutAction: 'ROLLBACK',
    });
    expect(failed.hookId).toMatch(/^ecs-lambda-[A-Za-z0-9_-]{43}$/);
    expect(done.rollback!.reason).toContain('canary-fail-check');
    expect(done.rollback!.reason).toContain('POST_PRODUCTION_TRAFFIC_SHIFT');
    expect(done.rollback!.serviceRevisionArn).toBe(done.sourceServiceRevisions![0]!.arn);
    expect(done.statusReason).toContain(`Rolled back to deploymentId ${blueId}`);
    expect(done.statusReason).toContain('canary-fail-check');
    // Traffic is back on blue, green is gone.
    expect(done.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 0,
    });
    expect(done.sourceServiceRevisions![0]).toMatchObject({ requestedProductionTrafficWeight: 100 });
    const after = await h.service();
    expect(after.deployments).toEqual([
      expect.objectContaining({ id: blueId, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
  });
});

describe('a LINEAR deployment with a firing alarm', () => {
  it('shifts in steps until the alarm fires a minute in, then rolls back with the alarm named', async () => {
    const h = await start(
      shiftDeploymentConfiguration({
        strategy: 'LINEAR',
        linearStepPercent: 25,
        linearStepBakeTimeInMinutes: 1,
        alarms: ['web-5xx-firing', 'web-latency'],
      }),
    );
    const { arn } = await h.deploy('v2');
    const first = await h.describe(arn);
    expect(first.alarms).toEqual({
      status: 'MONITORING',
      alarmNames: ['web-5xx-firing', 'web-latency'],
      triggeredAlarmNames: [],
    });
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    const rollingBack = h.seen.find((s) => s.status === 'ROLLBACK_IN_PROGRESS')!;
    expect(rollingBack.at).toBe(60);
    expect(done.alarms).toEqual({
      status: 'TRIGGERED',
      alarmNames: ['web-5xx-firing', 'web-latency'],
      triggeredAlarmNames: ['web-5xx-firing'],
    });
    expect(done.rollback!.reason).toBe('CloudWatch alarm(s) web-5xx-firing in ALARM state.');
    expect(done.statusReason).toContain('web-5xx-firing');
  });

  it('steps 25, 50, 75, 100 with a bake after each step but the last', async () => {
    const h = await start(
      shiftDeploymentConfiguration({
        strategy: 'LINEAR',
        linearStepPercent: 25,
        linearStepBakeTimeInMinutes: 1,
      }),
    );
    const { arn } = await h.deploy('v2');
    const weights: number[] = [];
    await h.follow(arn, (sd) => {
      const w = sd.targetServiceRevision?.requestedProductionTrafficWeight;
      if (w !== undefined && w !== weights.at(-1)) weights.push(w);
      return finished(sd);
    });
    expect(weights).toEqual([0, 25, 50, 75, 100]);
    expect((await h.describe(arn)).status).toBe('SUCCESSFUL');
  });
});

describe('a PAUSE hook', () => {
  const pausing = () =>
    shiftDeploymentConfiguration({
      lifecycleHooks: [pauseHook(['POST_TEST_TRAFFIC_SHIFT'], { timeoutInMinutes: 60 })],
    });

  it('waits in AWAITING_ACTION until ContinueServiceDeployment CONTINUE, then goes on to success', async () => {
    const h = await start(pausing());
    const { arn } = await h.deploy('v2');
    const paused = await h.follow(arn, (sd) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    expect(paused.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    const hook = paused.lifecycleHookDetails![0]!;
    expect(hook.hookId).toMatch(/^ecs-pause-[A-Za-z0-9_-]{43}$/);
    expect(hook.targetType).toBe('PAUSE');
    expect(hook.targetArn).toBeUndefined();
    expect(hook.timeoutAction).toBe('ROLLBACK');
    const pausedAt = h.e.clock.now();
    // expiresAt: when the pause began (within the last poll step) plus its 60-minute timeout.
    expect(hook.expiresAt!.getTime()).toBeLessThanOrEqual(pausedAt + 60 * 60_000);
    expect(hook.expiresAt!.getTime()).toBeGreaterThan(pausedAt + 60 * 60_000 - 1000);
    // It stays paused as long as nobody acts (well within its timeout).
    h.e.advance(30 * 60_000);
    expect((await h.describe(arn)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');

    // Wrong ids and actions are refused as ECS names them.
    const fail = (input: Record<string, unknown>) =>
      h.ecs.send(new ContinueServiceDeploymentCommand(input as never)).catch((x: Error) => x);
    expect(((await fail({ serviceDeploymentArn: `${arn}x`, hookId: hook.hookId })) as Error).name).toBe(
      'ServiceDeploymentNotFoundException',
    );
    expect(((await fail({ serviceDeploymentArn: arn, hookId: 'ecs-pause-nope' })) as Error).name).toBe(
      'InvalidParameterException',
    );
    expect(
      ((await fail({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'MAYBE' })) as Error).name,
    ).toBe('InvalidParameterException');

    const out = await h.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: hook.hookId,
        action: 'CONTINUE',
      }),
    );
    expect(out.serviceDeploymentArn).toBe(arn);
    // A second CONTINUE finds the hook no longer waiting.
    expect(((await fail({ serviceDeploymentArn: arn, hookId: hook.hookId })) as Error).name).toBe(
      'ClientException',
    );
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
  });

  it('rolls back on ContinueServiceDeployment ROLLBACK before production traffic moves', async () => {
    const h = await start(pausing());
    const { arn } = await h.deploy('v2');
    const paused = await h.follow(arn, (sd) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    const hookId = paused.lifecycleHookDetails![0]!.hookId!;
    await h.ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'ROLLBACK' }),
    );
    expect((await h.describe(arn)).status).toBe('ROLLBACK_REQUESTED');
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(done.rollback!.reason).toContain('ContinueServiceDeployment');
    expect(done.rollback!.reason).toContain(hookId);
    expect(done.statusReason).toContain('ContinueServiceDeployment');
    expect(done.targetServiceRevision).toMatchObject({ requestedTestTrafficWeight: 0, runningTaskCount: 0 });
  });

  it('times out with its timeout action', async () => {
    const h = await start(
      shiftDeploymentConfiguration({
        lifecycleHooks: [pauseHook(['POST_SCALE_UP'], { timeoutInMinutes: 5, timeoutAction: 'CONTINUE' })],
      }),
    );
    const { arn } = await h.deploy('v2');
    const done = await h.follow(arn, finished, 5000);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.lifecycleHookDetails![0]!.status).toBe('TIMED_OUT');
  });
});

describe('StopServiceDeployment ROLLBACK during a blue/green deployment', () => {
  it('moves traffic back to blue and ends ROLLBACK_SUCCESSFUL with the request as the reason', async () => {
    const h = await start(shiftDeploymentConfiguration({ bakeTimeInMinutes: 30 }));
    const blueId = (await h.service()).deployments![0]!.id!;
    const { arn } = await h.deploy('v2');
    await h.follow(arn, (sd) => sd.lifecycleStage === 'BAKE_TIME');
    await h.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    expect((await h.describe(arn)).status).toBe('ROLLBACK_REQUESTED');
    const done = await h.follow(arn, finished);
    expect(h.seen.map((s) => s.status)).toEqual(
      expect.arrayContaining([
        'IN_PROGRESS',
        'ROLLBACK_REQUESTED',
        'ROLLBACK_IN_PROGRESS',
        'ROLLBACK_SUCCESSFUL',
      ]),
    );
    expect(done.lifecycleStage).toBe('BAKE_TIME');
    expect(done.rollback!.reason).toBe('Rollback requested with StopServiceDeployment.');
    expect(done.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 0,
    });
    expect(done.sourceServiceRevisions![0]).toMatchObject({
      requestedProductionTrafficWeight: 100,
      runningTaskCount: 2,
    });
    const after = await h.service();
    expect(after.deployments).toEqual([
      expect.objectContaining({ id: blueId, status: 'PRIMARY', rolloutState: 'COMPLETED' }),
    ]);
  });
});

describe('a slow Lambda hook', () => {
  it('stays IN_PROGRESS for five simulated minutes, then succeeds', async () => {
    const h = await start(
      shiftDeploymentConfiguration({ lifecycleHooks: [lambdaHook('smoke-slow', ['PRE_SCALE_UP'])] }),
    );
    const { arn } = await h.deploy('v2');
    const first = await h.describe(arn);
    expect(first.lifecycleStage).toBe('PRE_SCALE_UP');
    expect(first.lifecycleHookDetails![0]!.status).toBe('IN_PROGRESS');
    h.e.advance(5 * 60_000 - 1000);
    const still = await h.describe(arn);
    expect(still.lifecycleStage).toBe('PRE_SCALE_UP');
    expect(still.lifecycleHookDetails![0]!.status).toBe('IN_PROGRESS');
    h.e.advance(1000);
    const now = await h.describe(arn);
    expect(now.lifecycleHookDetails![0]!.status).toBe('SUCCEEDED');
    expect(now.lifecycleStage).toBe('SCALE_UP');
    expect((await h.follow(arn, finished)).status).toBe('SUCCESSFUL');
  });
});

describe('a ROLLING service', () => {
  it('reports no lifecycle stage and no traffic weights', async () => {
    const h = await start({});
    await h.ecs.send(
      new UpdateServiceCommand({
        cluster: 'main',
        service: 'web',
        deploymentConfiguration: { strategy: 'ROLLING' },
      }),
    );
    const { arn } = await h.deploy('v2');
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.lifecycleStage).toBeUndefined();
    expect(done.lifecycleHookDetails).toBeUndefined();
    expect(done.targetServiceRevision!.requestedProductionTrafficWeight).toBeUndefined();
  });
});

describe('the circuit breaker during a blue/green deployment', () => {
  it('rolls back when green tasks fail to start, stage and breaker kept', async () => {
    const h = await start(shiftDeploymentConfiguration());
    const blueId = (await h.service()).deployments![0]!.id!;
    const { arn } = await h.deploy('pull-error');
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleStage).toBe('SCALE_UP');
    expect(done.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', failureCount: 3 });
    expect(done.rollback!.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(done.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 0 });
    // Blue never stopped serving: its two tasks ran throughout.
    expect(done.sourceServiceRevisions![0]).toMatchObject({
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 100,
    });
    expect((await h.service()).deployments).toEqual([
      expect.objectContaining({ id: blueId, status: 'PRIMARY', rolloutState: 'COMPLETED' }),
    ]);
  });
});

describe('a blue/green deployment superseded by another', () => {
  it('stops the first, starts the second from RECONCILE_SERVICE and keeps blue until the new clean-up', async () => {
    const h = await start(shiftDeploymentConfiguration());
    const blueId = (await h.service()).deployments![0]!.id!;
    const first = await h.deploy('v2');
    await h.follow(first.arn, (sd) => sd.lifecycleStage === 'POST_SCALE_UP');
    const second = await h.deploy('v3');
    const firstNow = await h.describe(first.arn);
    expect(firstNow.status).toMatch(/^STOP(_REQUESTED|PED)$/);
    const sd = await h.describe(second.arn);
    expect(sd.lifecycleStage).toBe('RECONCILE_SERVICE');
    expect(sd.sourceServiceRevisions).toHaveLength(2);
    const done = await h.follow(second.arn, finished);
    expect(done.status).toBe('SUCCESSFUL');
    expect((await h.describe(first.arn)).status).toBe('STOPPED');
    const after = await h.service();
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments![0]!.id).not.toBe(blueId);
    expect(after.runningCount).toBe(2);
  });
});

describe('the e2e seed helpers', () => {
  it('seed a canary service with hooks and alarms that DescribeServices returns', async () => {
    const { blueGreenSeed, lambdaHook: hook, CLUSTER, SERVICE } = await import('../e2e/scenarios.js');
    emu = await startEmulator({
      manualClock: true,
      startTime: T0,
      seed: blueGreenSeed({
        strategy: 'CANARY',
        lifecycleHooks: [hook('smoke-fail', ['POST_TEST_TRAFFIC_SHIFT'])],
        alarms: ['web-firing'],
      }),
    });
    const ecs = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
      .services![0]!;
    expect(s.deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      bakeTimeInMinutes: 1,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
      lifecycleHooks: [
        {
          targetType: 'AWS_LAMBDA',
          hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke-fail',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        },
      ],
      alarms: { alarmNames: ['web-firing'], enable: true, rollback: true },
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(s.loadBalancers![0]!.advancedConfiguration).toEqual({
      alternateTargetGroupArn:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/fedcba9876543210',
      productionListenerRule:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-alb/0123456789abcdef/0123456789abcdef/1111111111111111',
      testListenerRule:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-alb/0123456789abcdef/0123456789abcdef/2222222222222222',
      roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
    });
  });
});

describe('timeouts and alarms without rollback', () => {
  it('rolls back when a PAUSE hook times out with the default action', async () => {
    const h = await start(
      shiftDeploymentConfiguration({
        lifecycleHooks: [pauseHook(['PRE_SCALE_UP'], { timeoutInMinutes: 2 })],
      }),
    );
    const { arn } = await h.deploy('v2');
    const done = await h.follow(arn, finished, 5000);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleStage).toBe('PRE_SCALE_UP');
    expect(done.lifecycleHookDetails![0]).toMatchObject({ targetType: 'PAUSE', status: 'TIMED_OUT' });
    expect(done.rollback!.reason).toMatch(
      /^Lifecycle hook ecs-pause-\S+ \(PAUSE\) timed out at PRE_SCALE_UP\.$/,
    );
  });

  it('stops the deployment when an alarm fires and rollback is off', async () => {
    const h = await start(shiftDeploymentConfiguration({ alarms: ['web-firing'], alarmRollback: false }));
    const { arn } = await h.deploy('v2');
    const done = await h.follow(arn, finished);
    expect(done.status).toBe('STOPPED');
    expect(done.statusReason).toBe(
      'Service deployment failed: CloudWatch alarm(s) web-firing in ALARM state.',
    );
    expect(done.alarms).toMatchObject({ status: 'TRIGGERED', triggeredAlarmNames: ['web-firing'] });
    expect(done.rollback).toBeUndefined();
  });
});

describe('in speed mode, as the end-to-end tests run it', () => {
  it('reaches SUCCESSFUL on its own clock', async () => {
    const { blueGreenSeed, taskDefinitionWith, CLUSTER, SERVICE } = await import('../e2e/scenarios.js');
    emu = await startEmulator({ speed: 2000, seed: blueGreenSeed() });
    const ecs = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const td = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinitionWith('1.1') as never));
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    const arn = out.service!.currentServiceDeployment!;
    const stages = new Set<string>();
    let sd: ServiceDeployment | undefined;
    for (let i = 0; i < 400; i++) {
      sd = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
        .serviceDeployments![0]!;
      if (sd.lifecycleStage) stages.add(sd.lifecycleStage);
      if (finished(sd)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(sd!.status).toBe('SUCCESSFUL');
    // Which stages a poll catches depends on real time; that it sees some does not.
    expect(stages.size).toBeGreaterThan(0);
  });
});
