// The verdict of a staged deployment from its service deployment, the timeline the log and the
// summary show, the checks against the service, and the configuration sent with UpdateService.
import { describe, expect, test } from '@jest/globals';
import { checkStrategy } from '../../src/strategy/checks.js';
import { strategyChanges, strategyConfiguration } from '../../src/strategy/config.js';
import { judgeStaged } from '../../src/strategy/judge.js';
import { StageTimeline, trafficText } from '../../src/strategy/timeline.js';
import { stagedSection } from '../../src/report/stages.js';
import { oldActive, service, T0, at } from '../rollout/ecs-fixtures.js';
import {
  BLUE,
  BLUE_GREEN_LB,
  GREEN,
  HOOK_ID,
  lambdaHook,
  pauseHook,
  staged,
  withStrategy,
} from './fixtures.js';

const acted = new Set<string>();

describe('judgeStaged', () => {
  test('IN_PROGRESS through the bake is not a verdict; SUCCESSFUL is', () => {
    expect(judgeStaged(staged('BAKE_TIME', { production: 100 }), { acted })).toEqual({ kind: 'wait' });
    expect(judgeStaged(staged('CLEAN_UP', { status: 'SUCCESSFUL' }), { acted })).toMatchObject({
      kind: 'done',
      outcome: 'succeeded',
      reason: expect.stringContaining('after a bake time of 5 minute(s)'),
    });
  });

  test('a rollback names the stage and the failed hook; waits while it runs', () => {
    const failed = [lambdaHook('smoke-fail', 'FAILED')];
    expect(judgeStaged(staged('TEST_TRAFFIC_SHIFT', { status: 'ROLLBACK_IN_PROGRESS' }), { acted })).toEqual({
      kind: 'wait',
    });
    const done = judgeStaged(
      staged('PRODUCTION_TRAFFIC_SHIFT', {
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleHookDetails: failed,
        rollback: { reason: 'Lifecycle hook failed.', serviceRevisionArn: BLUE },
      }),
      { acted, stageBefore: 'POST_TEST_TRAFFIC_SHIFT' },
    );
    expect(done).toMatchObject({ kind: 'done', outcome: 'rolled-back', rollbackCompleted: true });
    expect(done.kind === 'done' && done.reason).toBe(
      `ECS rolled revision ${GREEN.split('/').at(-1)} back to revision ${BLUE.split('/').at(-1)} at PRODUCTION_TRAFFIC_SHIFT: Lifecycle hook failed; hook smoke-fail FAILED; the rollback completed.`,
    );
  });

  test('without a stage on the record, the stage seen last before the rollback', () => {
    const done = judgeStaged(staged(undefined, { status: 'ROLLBACK_FAILED' }), {
      acted,
      stageBefore: 'POST_TEST_TRAFFIC_SHIFT',
    });
    // ROLLBACK_FAILED is `failed` (issue 11, second review), as in the rolling follower.
    expect(done).toMatchObject({ outcome: 'failed', rollbackCompleted: false });
    expect(done.kind === 'done' && done.reason).toContain(
      'at POST_TEST_TRAFFIC_SHIFT: ECS gave no reason; the rollback failed.',
    );
  });

  test('an alarm in ALARM is named', () => {
    const done = judgeStaged(
      staged('PRODUCTION_TRAFFIC_SHIFT', {
        status: 'ROLLBACK_SUCCESSFUL',
        alarms: {
          status: 'TRIGGERED',
          alarmNames: ['latency-firing'],
          triggeredAlarmNames: ['latency-firing'],
        },
      }),
      { acted },
    );
    expect(done.kind === 'done' && done.reason).toContain('alarm latency-firing in ALARM');
  });

  test('a PAUSE hook awaiting action ends the step paused, or is continued with continue-on-pause', () => {
    const paused = staged('POST_TEST_TRAFFIC_SHIFT', {
      lifecycleHookDetails: [pauseHook('AWAITING_ACTION')],
    });
    expect(judgeStaged(paused, { acted })).toMatchObject({
      kind: 'done',
      outcome: 'paused',
      pausedHookId: HOOK_ID,
    });
    expect(judgeStaged(paused, { acted, continueOnPause: true })).toEqual({
      kind: 'continue',
      hookId: HOOK_ID,
    });
    expect(judgeStaged(paused, { acted: new Set([HOOK_ID]) })).toEqual({ kind: 'wait' });
  });

  test('wait-until-stage: reached at that stage or any later one', () => {
    const at = (stage: Parameters<typeof staged>[0]) =>
      judgeStaged(staged(stage), { acted, waitUntilStage: 'POST_TEST_TRAFFIC_SHIFT' }).kind;
    expect(at('TEST_TRAFFIC_SHIFT')).toBe('wait');
    expect(at('POST_TEST_TRAFFIC_SHIFT')).toBe('done');
    expect(at('PRODUCTION_TRAFFIC_SHIFT')).toBe('done');
  });

  test('STOPPED is a failure without a rollback', () => {
    expect(judgeStaged(staged('SCALE_UP', { status: 'STOPPED' }), { acted })).toMatchObject({
      outcome: 'failed',
    });
  });
});

describe('StageTimeline', () => {
  test('a line per stage change, traffic change, hook change and bake minute; spans with durations', () => {
    const t = new StageTimeline('web');
    const lines = [
      ...t.observe(staged('SCALE_UP'), at(0)),
      ...t.observe(staged('TEST_TRAFFIC_SHIFT', { test: 100 }), at(30)),
      ...t.observe(staged('PRODUCTION_TRAFFIC_SHIFT', { production: 10, test: 100 }), at(60)),
      ...t.observe(staged('PRODUCTION_TRAFFIC_SHIFT', { production: 100, test: 100 }), at(120)),
      ...t.observe(
        staged('POST_PRODUCTION_TRAFFIC_SHIFT', { lifecycleHookDetails: [lambdaHook('check', 'SUCCEEDED')] }),
        at(125),
      ),
      ...t.observe(staged('BAKE_TIME'), at(130)),
      ...t.observe(staged('BAKE_TIME'), at(200)),
      ...t.observe(staged('CLEAN_UP', { status: 'SUCCESSFUL' }), at(430)),
    ];
    expect(lines).toEqual([
      'web: stage SCALE_UP.',
      'web: service deployment IN_PROGRESS',
      'web: stage TEST_TRAFFIC_SHIFT (test 100% green / 0% blue).',
      'web: stage PRODUCTION_TRAFFIC_SHIFT (production 10% green / 90% blue; test 100% green / 0% blue).',
      'web: PRODUCTION_TRAFFIC_SHIFT: production 100% green / 0% blue; test 100% green / 0% blue.',
      'web: stage POST_PRODUCTION_TRAFFIC_SHIFT.',
      'web: hook check at POST_PRODUCTION_TRAFFIC_SHIFT: SUCCEEDED.',
      'web: stage BAKE_TIME.',
      'web: BAKE_TIME: 5 minute(s) left of 5.',
      'web: BAKE_TIME: 4 minute(s) left of 5.',
      'web: stage CLEAN_UP.',
      'web: service deployment SUCCESSFUL',
    ]);
    t.close(at(431), true);
    const progress = t.progress();
    expect(progress).toMatchObject({
      strategy: 'BLUE_GREEN',
      status: 'SUCCESSFUL',
      green: GREEN,
      blue: [BLUE],
    });
    expect(
      progress.stages.map((s) => [s.stage, (s.endedAt!.getTime() - s.startedAt.getTime()) / 1000]),
    ).toEqual([
      ['SCALE_UP', 30],
      ['TEST_TRAFFIC_SHIFT', 30],
      ['PRODUCTION_TRAFFIC_SHIFT', 65],
      ['POST_PRODUCTION_TRAFFIC_SHIFT', 5],
      ['BAKE_TIME', 300],
      ['CLEAN_UP', 1],
    ]);
    const summary = stagedSection(progress, at(431));
    expect(summary).toContain('### Deployment stages (BLUE_GREEN)');
    expect(summary).toContain('| `BAKE_TIME` | `12:02:10Z` | 5m 00s |');
    expect(summary).toContain('| `check` | `POST_PRODUCTION_TRAFFIC_SHIFT` | `SUCCEEDED` |');
    expect(summary).toContain(`- Green (deployed): \`${GREEN}\``);
  });

  test('no weights: no traffic text', () => {
    expect(trafficText(staged('SCALE_UP'))).toBeUndefined();
    expect(T0).toBeDefined();
  });
});

describe('checkStrategy', () => {
  const rolling = service([oldActive({ status: 'PRIMARY' })]);

  test('BLUE_GREEN needs load balancers with an alternate target group, listener rules and a role', () => {
    expect(checkStrategy({ deploymentStrategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, rolling)).toEqual([
      {
        severity: 'error',
        input: 'deployment-strategy',
        message: expect.stringContaining("service 'web' has no load balancer"),
      },
    ]);
    const plain = { ...BLUE_GREEN_LB, advancedConfiguration: undefined };
    expect(checkStrategy({ deploymentStrategy: 'CANARY' }, { ...rolling, loadBalancers: [plain] })).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('has no alternateTargetGroupArn, productionListenerRule, roleArn'),
      }),
    ]);
    expect(
      checkStrategy(
        { deploymentStrategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
        { ...rolling, loadBalancers: [BLUE_GREEN_LB] },
      ),
    ).toEqual([]);
  });

  test('staged-only inputs on a rolling service, and numbers of another strategy, are errors', () => {
    expect(checkStrategy({ waitUntilStage: 'BAKE_TIME' }, rolling).map((p) => p.input)).toEqual([
      'wait-until-stage',
    ]);
    expect(checkStrategy({ canaryPercent: 5 }, withStrategy(rolling, 'LINEAR')).map((p) => p.input)).toEqual([
      'canary-percent',
    ]);
    expect(checkStrategy({ canaryPercent: 5 }, withStrategy(rolling, 'CANARY'))).toEqual([]);
  });
});

describe('strategy configuration', () => {
  test('merged into what the service has: no other field is cleared', () => {
    const current = {
      maximumPercent: 200,
      alarms: { alarmNames: ['a'], enable: true, rollback: true },
      canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 3 },
    };
    expect(strategyConfiguration({ deploymentStrategy: 'CANARY', canaryPercent: 20 }, current)).toEqual({
      maximumPercent: 200,
      alarms: { alarmNames: ['a'], enable: true, rollback: true },
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 3 },
    });
    expect(strategyConfiguration({}, current)).toBeUndefined();
  });

  test('changes said for a person', () => {
    const s = service([oldActive({ status: 'PRIMARY' })]);
    expect(strategyChanges({ deploymentStrategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 }, s)).toEqual([
      'strategy ROLLING → BLUE_GREEN',
      'bake time (minutes) unset → 10',
    ]);
  });
});
