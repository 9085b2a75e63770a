// Issue 11, the review of blue/green, linear and canary: the configuration sent when the strategy
// changes, the bake time BLUE_GREEN needs, STOPPED and superseded verdicts, hooks attributed to
// their configured stage, a row per canary or linear step, and the inputs of a continue step.
import { describe, expect, test } from '@jest/globals';
import type { DeploymentLifecycleHook, ServiceDeployment } from '@aws-sdk/client-ecs';
import { readInputs } from '../../src/inputs/index.js';
import { INPUT_DEFAULTS, type InputName } from '../../src/inputs/table.js';
import { checkStrategy } from '../../src/strategy/checks.js';
import {
  strategyChanges,
  strategyConfiguration,
  withStrategy as withStrategyFields,
} from '../../src/strategy/config.js';
import { judgeStaged, rollbackCause } from '../../src/strategy/judge.js';
import { configuredStage, StageTimeline } from '../../src/strategy/timeline.js';
import { stagedSection } from '../../src/report/stages.js';
import { at, oldActive, SD_ARN, service } from '../rollout/ecs-fixtures.js';
import { BLUE_GREEN_LB, HOOK_ID, lambdaHook, pauseHook, staged, withStrategy } from './fixtures.js';

const acted = new Set<string>();
const rolling = service([oldActive({ status: 'PRIMARY' })]);
const linear = {
  ...withStrategy(rolling, 'LINEAR'),
  deploymentConfiguration: {
    ...rolling.deploymentConfiguration,
    strategy: 'LINEAR' as const,
    bakeTimeInMinutes: 5,
    linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 },
  },
};

describe('changing the strategy', () => {
  test('LINEAR → CANARY: linearConfiguration is not sent along, even after a merge over the service', () => {
    const fields = withStrategyFields({ deploymentStrategy: 'CANARY', canaryPercent: 10 }, linear, {});
    const sent = fields.deploymentConfiguration!;
    expect(sent.strategy).toBe('CANARY');
    expect(sent.canaryConfiguration).toEqual({ canaryPercent: 10 });
    expect(sent.linearConfiguration).toBeUndefined();
    // src/rollout/deploy.ts spreads the fields over the service's configuration: still none.
    const merged = { ...linear.deploymentConfiguration, ...sent };
    expect(merged.linearConfiguration).toBeUndefined();
    expect(JSON.parse(JSON.stringify(merged))).not.toHaveProperty('linearConfiguration');
    expect(strategyChanges({ deploymentStrategy: 'CANARY', canaryPercent: 10 }, linear)).toEqual([
      'strategy LINEAR → CANARY',
      'canary percent unset → 10',
      'linear configuration removed',
    ]);
  });

  test('LINEAR → ROLLING drops it too; a change within LINEAR keeps it', () => {
    const current = linear.deploymentConfiguration;
    expect(
      strategyConfiguration({ deploymentStrategy: 'ROLLING' }, current)?.linearConfiguration,
    ).toBeUndefined();
    expect(strategyConfiguration({ linearStepPercent: 50 }, current)?.linearConfiguration).toEqual({
      stepPercent: 50,
      stepBakeTimeInMinutes: 1,
    });
  });

  test('BLUE_GREEN without a bake time is refused before any write, naming bake-time-in-minutes', () => {
    const lbs = { ...rolling, loadBalancers: [BLUE_GREEN_LB] };
    expect(checkStrategy({ deploymentStrategy: 'BLUE_GREEN' }, lbs)).toEqual([
      expect.objectContaining({
        input: 'bake-time-in-minutes',
        message: expect.stringContaining('needs a bake time'),
      }),
    ]);
    expect(checkStrategy({ deploymentStrategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, lbs)).toEqual([]);
    const baked = {
      ...lbs,
      deploymentConfiguration: { ...lbs.deploymentConfiguration, bakeTimeInMinutes: 3 },
    };
    expect(checkStrategy({ deploymentStrategy: 'BLUE_GREEN' }, baked)).toEqual([]);
  });
});

describe('STOPPED', () => {
  test('names the stage ECS recorded, not the one seen last, without doubled punctuation', () => {
    const sd = staged('POST_SCALE_UP', {
      status: 'STOPPED',
      statusReason: 'Service deployment failed: alarm.',
    });
    const done = judgeStaged(sd, { acted, stageBefore: 'TEST_TRAFFIC_SHIFT' });
    expect(done).toMatchObject({ kind: 'done', outcome: 'failed' });
    const reason = (done as { reason: string }).reason;
    expect(reason).toBe(
      'ECS stopped the service deployment at POST_SCALE_UP: Service deployment failed: alarm; it was not rolled back.',
    );
    expect(reason).not.toContain('.;');
  });

  test('superseded when a newer deployment replaced ours, as the rolling follower decides', () => {
    const sd = staged('TEST_TRAFFIC_SHIFT', { status: 'STOPPED' });
    expect(judgeStaged(sd, { acted, supersededBy: { deploymentId: 'ecs-svc/9' } })).toMatchObject({
      kind: 'done',
      outcome: 'superseded',
      supersededBy: { deploymentId: 'ecs-svc/9' },
      reason: expect.stringContaining('Another deployment, ecs-svc/9, replaced revision'),
    });
  });
});

const hooksAt = (hooks: DeploymentLifecycleHook[]): Partial<ServiceDeployment> => ({
  deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 5, lifecycleHooks: hooks },
});

describe('hooks belong to their configured stage', () => {
  const pauseAtPreProduction = hooksAt([
    { targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] },
  ]);

  test('a PAUSE hook at PRE_PRODUCTION_TRAFFIC_SHIFT, seen while ECS reports PRODUCTION_TRAFFIC_SHIFT', () => {
    const sd = staged('PRODUCTION_TRAFFIC_SHIFT', {
      ...pauseAtPreProduction,
      lifecycleHookDetails: [pauseHook('AWAITING_ACTION')],
    });
    expect(configuredStage(sd, pauseHook('AWAITING_ACTION'), 'PRODUCTION_TRAFFIC_SHIFT')).toBe(
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
    );
    expect(judgeStaged(sd, { acted })).toMatchObject({
      outcome: 'paused',
      reason: expect.stringContaining(`paused at PRE_PRODUCTION_TRAFFIC_SHIFT (hook ${HOOK_ID})`),
    });
  });

  test('a Lambda hook matched by its ARN, first seen a stage later', () => {
    const check = lambdaHook('check', 'SUCCEEDED');
    const cfg = hooksAt([
      { targetType: 'AWS_LAMBDA', hookTargetArn: check.targetArn, lifecycleStages: ['POST_SCALE_UP'] },
    ]);
    const t = new StageTimeline('web');
    const lines = t.observe(staged('TEST_TRAFFIC_SHIFT', { ...cfg, lifecycleHookDetails: [check] }), at(0));
    expect(lines).toContain('web: hook check at POST_SCALE_UP: SUCCEEDED.');
    expect(t.progress().hooks).toEqual([
      expect.objectContaining({ target: 'check', stage: 'POST_SCALE_UP' }),
    ]);
  });

  // Second review: by order, the n-th hook of a target at the n-th configured stage of that target.
  test('the same target at two stages: each hook at its own, whether ECS lists every hook or the active one', () => {
    const a = { ...pauseHook('SUCCEEDED'), hookId: 'ecs-pause-a' };
    const b = { ...pauseHook('AWAITING_ACTION'), hookId: 'ecs-pause-b' };
    const twice = hooksAt([
      { targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'] },
    ]);
    const both = staged('POST_PRODUCTION_TRAFFIC_SHIFT', { ...twice, lifecycleHookDetails: [a, b] });
    expect(configuredStage(both, a, 'POST_PRODUCTION_TRAFFIC_SHIFT')).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(configuredStage(both, b, 'POST_PRODUCTION_TRAFFIC_SHIFT')).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
    // Seen later (in the bake), still the same stages.
    expect(configuredStage(both, a, 'BAKE_TIME')).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(configuredStage(both, b, 'BAKE_TIME')).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
    // Only the active hook listed: the stage the deployment has reached.
    const active = staged('POST_PRODUCTION_TRAFFIC_SHIFT', { ...twice, lifecycleHookDetails: [b] });
    expect(configuredStage(active, b, 'POST_PRODUCTION_TRAFFIC_SHIFT')).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
    // A Lambda function at two stages, the same way; a PAUSE is not counted with it.
    const check = lambdaHook('check', 'SUCCEEDED');
    const again = { ...lambdaHook('check', 'IN_PROGRESS'), hookId: 'ecs-lambda-check-2' };
    const lambdas = staged('TEST_TRAFFIC_SHIFT', {
      ...hooksAt([
        {
          targetType: 'AWS_LAMBDA',
          hookTargetArn: check.targetArn,
          lifecycleStages: ['PRE_SCALE_UP', 'TEST_TRAFFIC_SHIFT'],
        },
        { targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] },
      ]),
      lifecycleHookDetails: [check, { ...pauseHook('SUCCEEDED'), hookId: 'p' }, again],
    });
    const t = new StageTimeline('web');
    const lines = t.observe(lambdas, at(0));
    expect(lines.filter((l) => l.includes('hook'))).toEqual([
      'web: hook check at PRE_SCALE_UP: SUCCEEDED.',
      'web: PAUSE hook at POST_SCALE_UP: SUCCEEDED.',
      'web: hook check at TEST_TRAFFIC_SHIFT: IN_PROGRESS.',
    ]);
  });

  test('the cause of a failed hook comes from rollback.reason, not from fields the SDK drops', () => {
    const failed = { ...lambdaHook('smoke', 'FAILED'), reason: 'not in the SDK' } as never;
    const sd = staged('POST_SCALE_UP', {
      status: 'ROLLBACK_SUCCESSFUL',
      lifecycleHookDetails: [failed],
      rollback: { reason: 'Lifecycle hook smoke failed.' },
    });
    expect(rollbackCause(sd)).toBe('Lifecycle hook smoke failed');
    expect(rollbackCause({ ...sd, rollback: {} })).toBe('hook smoke FAILED');
  });
});

describe('canary and linear steps', () => {
  const canary = (production: number, extra: Partial<ServiceDeployment> = {}) =>
    staged('PRODUCTION_TRAFFIC_SHIFT', {
      production,
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 5,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
      },
      ...extra,
    });

  test('a row per production step with its split, and the time left in the canary bake', () => {
    const t = new StageTimeline('web');
    const lines = [
      ...t.observe(canary(0), at(0)),
      ...t.observe(canary(10), at(10)),
      ...t.observe(canary(10), at(70)),
      ...t.observe(canary(10), at(130)),
      ...t.observe(canary(100), at(200)),
    ];
    expect(lines).toEqual(
      expect.arrayContaining([
        'web: stage PRODUCTION_TRAFFIC_SHIFT (production 0% green / 100% blue).',
        'web: PRODUCTION_TRAFFIC_SHIFT: production 10% green / 90% blue.',
        'web: PRODUCTION_TRAFFIC_SHIFT: canary bake about 3 minute(s) left of 3.',
        'web: PRODUCTION_TRAFFIC_SHIFT: canary bake about 2 minute(s) left of 3.',
        'web: PRODUCTION_TRAFFIC_SHIFT: canary bake about 1 minute(s) left of 3.',
        'web: stage PRODUCTION_TRAFFIC_SHIFT (production 100% green / 0% blue).',
      ]),
    );
    const spans = t.progress().stages;
    expect(spans.map((s) => [s.stage, s.traffic])).toEqual([
      ['PRODUCTION_TRAFFIC_SHIFT', 'production 10% green / 90% blue'],
      ['PRODUCTION_TRAFFIC_SHIFT', 'production 100% green / 0% blue'],
    ]);
    const summary = stagedSection(t.progress(), at(230));
    expect(summary).toContain('production 10% green / 90% blue');
    expect(summary).toContain('production 100% green / 0% blue');
  });

  // Second review (issue 11): the rollback's split is a row of its own, marked as the rollback's,
  // and the step's row keeps the split seen during the step; a rollback is still no new step.
  test('a rollback (green back to 0) is a row of its own; the step row keeps its split', () => {
    const t = new StageTimeline('web');
    t.observe(canary(10), at(0));
    t.observe(canary(0, { status: 'ROLLBACK_IN_PROGRESS' }), at(30));
    t.observe(canary(0, { status: 'ROLLBACK_IN_PROGRESS' }), at(40));
    expect(t.progress().stages.map((s) => [s.stage, s.traffic])).toEqual([
      ['PRODUCTION_TRAFFIC_SHIFT', 'production 10% green / 90% blue'],
      ['PRODUCTION_TRAFFIC_SHIFT', 'rollback: production 0% green / 100% blue'],
    ]);
  });
});

describe('inputs (as the runner passes them, defaults filled in)', () => {
  const read = (inputs: Record<string, string>) =>
    readInputs((name) => inputs[name] ?? INPUT_DEFAULTS[name as InputName] ?? '', { region: 'us-east-1' });
  const messages = (inputs: Record<string, string>) =>
    read(inputs).problems.map((p) => `${p.input}: ${p.message}`);

  test('canary-percent takes the API double with up to two decimals, a multiple of 0.1', () => {
    const ok = read({ service: 'web', 'deployment-strategy': 'CANARY', 'canary-percent': '10.50' });
    expect(ok.problems).toEqual([]);
    expect(ok.request.canaryPercent).toBe(10.5);
    expect(read({ service: 'web', 'canary-percent': '0.10' }).request.canaryPercent).toBe(0.1);
    expect(messages({ service: 'web', 'canary-percent': '10.55' })).toEqual([
      'canary-percent: "10.55" is not a percentage from 0.1 to 100 in steps of 0.1.',
    ]);
    expect(messages({ service: 'web', 'canary-percent': '10.500' })).toHaveLength(1);
  });

  test('a continue step refuses the deploy inputs it would silently ignore', () => {
    const given = {
      'keep-revisions': '5',
      'delete-deregistered': 'true',
      'service-managed-ebs-volume-name': 'data',
      'codedeploy-application': 'app',
      'run-task-subnets': 'subnet-0123456789abcdef0',
      'github-environment': 'production',
    };
    const inputs = messages({ 'continue-deployment': SD_ARN, ...given }).map((m) => m.split(':')[0]);
    for (const input of Object.keys(given)) expect(inputs).toContain(input);
    // Their defaults, as the runner passes them, are not a problem.
    expect(messages({ 'continue-deployment': SD_ARN })).toEqual([]);
  });

  test('several services with continue-deployment are refused', () => {
    expect(messages({ 'continue-deployment': SD_ARN, service: 'web\napi' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^service: service names several services/)]),
    );
  });
});
