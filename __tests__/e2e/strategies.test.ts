// ECS-native blue/green, linear and canary deployments end to end: `node dist/index.js` against
// the emulator's staged strategies (emulator/ecs/README.md, "Blue/green, linear and canary"). Each
// test asserts the outcome, the outputs, the summary's stage timeline and the request log. The
// pause tests run two steps of the action against one emulator, as a workflow would.
import { afterAll, describe, expect, test } from '@jest/globals';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { mutatingCalls, startEmulator, type Emulator, type RequestLogEntry } from '../../emulator/index.js';
import { runAction, type RunActionResult } from '../../emulator/run-action.js';
import type { EmulatorSeed } from '../../emulator/index.js';
import {
  unescapeMarkdown,
  baseSeed,
  blueGreenSeed,
  canaryService,
  deployInputs,
  lambdaHook,
  linearService,
  pauseHook,
  SPEED,
} from './scenarios.js';

interface Step {
  result: RunActionResult;
  requests: RequestLogEntry[];
}

const started: Emulator[] = [];

afterAll(async () => {
  await Promise.all(started.map((e) => e.stop()));
});

/** Starts an emulator with `seed`; each `step` runs the action once, in order, against it. */
async function emulatorWith(seed: EmulatorSeed, options: { shiftStageMs?: number } = {}) {
  const emulator = await startEmulator({ speed: SPEED, seed, ...options });
  started.push(emulator);
  const step = async (inputs: Record<string, string>, timeoutMs = 120_000): Promise<Step> => {
    const mark = emulator.requests.length;
    const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs });
    return { result, requests: emulator.requests.slice(mark) };
  };
  return Object.assign(step, { emulator });
}

/**
 * The service deployment as the emulator holds it after a step: the request log names the
 * operation only, so what a write asked for (ContinueServiceDeployment ROLLBACK, StopServiceDeployment
 * ROLLBACK) is read from the rollback it recorded (emulator/ecs/README.md: `rollback.reason`).
 */
async function recorded(emulator: Emulator, arn: string): Promise<ServiceDeployment> {
  const ctx = {
    service: 'ecs',
    operation: 'DescribeServiceDeployments',
    region: 'us-east-1',
    accountId: '123456789012',
  };
  const out = (await emulator.ecs.handlers.DescribeServiceDeployments(
    { serviceDeploymentArns: [arn] },
    ctx,
  )) as { serviceDeployments: ServiceDeployment[] };
  const sd = out.serviceDeployments[0];
  if (!sd) throw new Error(`the emulator has no service deployment ${arn}`);
  return sd;
}

/** The rows of the summary's stage timeline: [stage, traffic]. */
function timelineRows(step: Step): [string, string][] {
  return [
    ...step.result.summary.matchAll(/^\| `([A-Z_]+)` \| `\d\d:\d\d:\d\dZ` \| [^|]+\| ([^|]*) \|$/gm),
  ].map((m) => [m[1], unescapeMarkdown(m[2].trim())]);
}

/** The outcome and exit code; when they are wrong, the error shows the step log. */
function expectOutcome(step: Step, outcome: string, exitCode: number): void {
  const { result } = step;
  if (result.outputs.outcome !== outcome || result.exitCode !== exitCode) {
    throw new Error(
      `expected outcome ${outcome} and exit code ${exitCode}, got ${result.outputs.outcome} and ${result.exitCode}; step log:\n${result.log}\n${result.stderr}`,
    );
  }
}

const writes = (step: Step) => mutatingCalls(step.requests).map((r) => r.operation);

/** The stages of the summary's timeline, in order. */
function timeline(step: Step): string[] {
  const section = step.result.summary.split(/\n(?=### )/).find((s) => s.startsWith('### Deployment stages'));
  if (!section) throw new Error(`no stage timeline in the summary:\n${step.result.summary}`);
  return [...section.matchAll(/^\| `([A-Z_]+)` \| `\d\d:\d\d:\d\dZ` \| (?:\d+h )?(?:\d+m )?\d+s/gm)].map(
    (m) => m[1],
  );
}

/** ECS's order of stages: the timeline goes through them in order. */
const ORDER = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
function expectInOrder(stages: string[]): void {
  const idx = stages.map((s) => ORDER.indexOf(s));
  expect(idx.every((i) => i >= 0)).toBe(true);
  expect([...idx].sort((a, b) => a - b)).toEqual(idx);
}

const SD_ARN = /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/[A-Za-z0-9_-]+$/;

/**
 * Simulated ms a lifecycle stage lasts in the tests that assert the whole timeline: 6 s at SPEED,
 * longer than the follower's 4 s between polls, so it sees every stage.
 */
const SEEN_STAGE_MS = 120_000;

/** Simulated ms from the UpdateService to the last DescribeServiceDeployments (the verdict's). */
function simulatedToVerdict(step: Step): number {
  const update = step.requests.find((r) => r.operation === 'UpdateService');
  const last = step.requests.filter((r) => r.operation === 'DescribeServiceDeployments').at(-1);
  if (!update || !last) throw new Error('no UpdateService or DescribeServiceDeployments in the request log');
  return last.simTime - update.simTime;
}

describe('blue/green, linear and canary end to end', () => {
  test.concurrent(
    'blue/green success: the verdict only after the bake',
    async () => {
      const step = await emulatorWith(blueGreenSeed({ bakeTimeInMinutes: 3 }), {
        shiftStageMs: SEEN_STAGE_MS,
      });
      const run = await step(deployInputs('1.1'));
      expectOutcome(run, 'succeeded', 0);
      expect(run.result.outputs['service-deployment-arn']).toMatch(SD_ARN);
      expect(run.result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
      const stages = timeline(run);
      expectInOrder(stages);
      // Every stage, each seen (the stages last longer than the time between two polls).
      expect(stages).toEqual([
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
      // The verdict only after the bake: the SUCCESSFUL look came no sooner than the seven stages
      // before the bake, the 3-minute bake and the clean-up take (simulated time).
      expect(simulatedToVerdict(run)).toBeGreaterThanOrEqual(7 * SEEN_STAGE_MS + 3 * 60_000 + SEEN_STAGE_MS);
      expect(run.result.log).toMatch(/BAKE_TIME: \d minute\(s\) left of 3\./);
      expect(run.result.summary).toContain('after a bake time of 3 minute(s)');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      const ops = run.requests.map((r) => r.operation);
      expect(ops.filter((o) => o === 'DescribeServiceDeployments').length).toBeGreaterThan(3);
    },
    180_000,
  );

  test.concurrent(
    'canary rolled back by a failing hook: the stage and the hook in the reason',
    async () => {
      const hooks = [lambdaHook('canary-check-fail', ['PRODUCTION_TRAFFIC_SHIFT'])];
      const step = await emulatorWith(baseSeed({ service: canaryService({ lifecycleHooks: hooks }) }));
      const run = await step(deployInputs('1.1'));
      expectOutcome(run, 'rolled-back', 1);
      expect(run.result.outputs['service-deployment-arn']).toMatch(SD_ARN);
      expect(unescapeMarkdown(run.result.summary)).toMatch(
        /at PRODUCTION_TRAFFIC_SHIFT: .*canary-check-fail/,
      );
      expect(run.result.log).toContain('hook canary-check-fail at PRODUCTION_TRAFFIC_SHIFT: FAILED');
      expect(run.result.summary).toContain('| `canary-check-fail` | `PRODUCTION_TRAFFIC_SHIFT` | `FAILED` |');
      const stages = timeline(run);
      expect(stages).toContain('PRODUCTION_TRAFFIC_SHIFT');
      expect(stages).not.toContain('BAKE_TIME');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    },
    180_000,
  );

  test.concurrent(
    'linear rolled back by an alarm: the alarm named in the reason',
    async () => {
      const step = await emulatorWith(
        baseSeed({ service: linearService({ alarms: ['web-latency-firing'] }) }),
      );
      const run = await step(deployInputs('1.1'));
      expectOutcome(run, 'rolled-back', 1);
      expect(run.result.outputs['service-deployment-arn']).toMatch(SD_ARN);
      expect(run.result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
      expect(run.result.outputs['paused-hook-id']).toBeUndefined();
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors.join('\n')).toMatch(/ECS rolled revision \d+ back.*web-latency-firing/);
      expect(run.result.summary).toContain('web-latency-firing');
      expect(run.result.summary).toMatch(/Alarms in ALARM: `web-latency-firing`/);
      expect(run.result.log).toContain('alarm web-latency-firing in ALARM.');
      expect(timeline(run).length).toBeGreaterThan(0);
      expectInOrder(timeline(run));
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    },
    180_000,
  );

  test.concurrent(
    'a pause handed to the workflow, then continued by a second step',
    async () => {
      const hooks = [pauseHook(['POST_TEST_TRAFFIC_SHIFT'])];
      const step = await emulatorWith(blueGreenSeed({ lifecycleHooks: hooks, bakeTimeInMinutes: 2 }));
      const first = await step(deployInputs('1.1'));
      expectOutcome(first, 'paused', 0);
      const arn = first.result.outputs['service-deployment-arn'];
      expect(arn).toMatch(SD_ARN);
      expect(first.result.outputs['paused-hook-id']).toMatch(/^ecs-pause-[A-Za-z0-9_-]{43}$/);
      expect(timeline(first).at(-1)).toBe('POST_TEST_TRAFFIC_SHIFT');
      expect(first.result.summary).toContain(`Paused at hook \`${first.result.outputs['paused-hook-id']}\``);
      expect(writes(first)).toEqual(['RegisterTaskDefinition', 'UpdateService']);

      // The second step: no task definition, only the service deployment to continue.
      const second = await step({ 'continue-deployment': arn });
      expectOutcome(second, 'succeeded', 0);
      expect(second.result.outputs['service-deployment-arn']).toBe(arn);
      expect(second.result.outputs['deployment-id']).toBe(first.result.outputs['deployment-id']);
      expect(second.result.log).toContain(
        `ContinueServiceDeployment CONTINUE for the PAUSE hook ${first.result.outputs['paused-hook-id']}`,
      );
      const stages = timeline(second);
      expectInOrder(stages);
      expect(stages).toEqual(expect.arrayContaining(['BAKE_TIME', 'CLEAN_UP']));
      expect(writes(second)).toEqual(['ContinueServiceDeployment']);
    },
    240_000,
  );

  test.concurrent(
    'two pauses, two continue steps: each hook at its own stage, logged once (second review)',
    async () => {
      const hooks = [pauseHook(['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'])];
      const step = await emulatorWith(blueGreenSeed({ lifecycleHooks: hooks, bakeTimeInMinutes: 1 }));
      const first = await step(deployInputs('1.1'));
      expectOutcome(first, 'paused', 0);
      const arn = first.result.outputs['service-deployment-arn'];
      const firstHook = first.result.outputs['paused-hook-id'];
      const second = await step({ 'continue-deployment': arn });
      expectOutcome(second, 'paused', 0);
      const secondHook = second.result.outputs['paused-hook-id'];
      expect(secondHook).not.toBe(firstHook);
      expect(second.result.log).toContain(
        `ContinueServiceDeployment CONTINUE for the PAUSE hook ${firstHook} at POST_TEST_TRAFFIC_SHIFT.`,
      );
      const third = await step({ 'continue-deployment': arn });
      expectOutcome(third, 'succeeded', 0);
      expect(third.result.outputs['service-deployment-arn']).toBe(arn);
      expect(third.result.outputs['deployment-id']).toBe(first.result.outputs['deployment-id']);
      expect(third.result.log).toContain(
        `ContinueServiceDeployment CONTINUE for the PAUSE hook ${secondHook} at POST_PRODUCTION_TRAFFIC_SHIFT.`,
      );
      const hookLines = third.result.log.split('\n').filter((l) => l.includes('PAUSE hook at'));
      expect(new Set(hookLines).size).toBe(hookLines.length);
      expect(hookLines.join('\n')).toContain('web: PAUSE hook at POST_TEST_TRAFFIC_SHIFT: SUCCEEDED.');
      expect(hookLines.join('\n')).toContain('web: PAUSE hook at POST_PRODUCTION_TRAFFIC_SHIFT: SUCCEEDED.');
      const summary = third.result.summary;
      expect(summary).toContain(
        `| \`PAUSE\` | \`POST_TEST_TRAFFIC_SHIFT\` | \`SUCCEEDED\` | \`${firstHook}\` |`,
      );
      expect(summary).toContain(
        `| \`PAUSE\` | \`POST_PRODUCTION_TRAFFIC_SHIFT\` | \`SUCCEEDED\` | \`${secondHook}\` |`,
      );
      expectInOrder(timeline(third));
      expect(timeline(third)).toEqual(expect.arrayContaining(['BAKE_TIME', 'CLEAN_UP']));
      expect(writes(second)).toEqual(['ContinueServiceDeployment']);
      expect(writes(third)).toEqual(['ContinueServiceDeployment']);
    },
    240_000,
  );

  test.concurrent(
    'continue-on-pause: the step continues a PAUSE hook at PRE_PRODUCTION_TRAFFIC_SHIFT itself',
    async () => {
      const hooks = [pauseHook(['PRE_PRODUCTION_TRAFFIC_SHIFT'])];
      const step = await emulatorWith(blueGreenSeed({ lifecycleHooks: hooks, bakeTimeInMinutes: 1 }));
      const run = await step(deployInputs('1.1', { 'continue-on-pause': 'true' }));
      expectOutcome(run, 'succeeded', 0);
      expect(run.result.outputs['service-deployment-arn']).toMatch(SD_ARN);
      expect(run.result.outputs['paused-hook-id']).toBeUndefined();
      expect(run.result.log).toMatch(
        /web: continue-on-pause: continuing the PAUSE hook ecs-pause-[A-Za-z0-9_-]{43}\./,
      );
      // The hook belongs to the stage it is configured at, though ECS reports PRODUCTION_TRAFFIC_SHIFT then.
      expect(run.result.summary).toContain('| `PAUSE` | `PRE_PRODUCTION_TRAFFIC_SHIFT` | `SUCCEEDED` |');
      expect(timeline(run)).not.toContain('PRE_PRODUCTION_TRAFFIC_SHIFT');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'ContinueServiceDeployment']);
    },
    180_000,
  );

  test.concurrent(
    'LINEAR → CANARY: the linear configuration is not sent along; a row per canary step',
    async () => {
      const step = await emulatorWith(baseSeed({ service: linearService() }), {
        shiftStageMs: SEEN_STAGE_MS,
      });
      const run = await step(
        deployInputs('1.1', {
          'deployment-strategy': 'CANARY',
          'canary-percent': '10.50',
          'canary-bake-time-in-minutes': '1',
          // Longer than the time between two polls at SPEED, so BAKE_TIME is seen too.
          'bake-time-in-minutes': '3',
        }),
      );
      expectOutcome(run, 'succeeded', 0);
      expect(run.result.log).toContain('strategy LINEAR → CANARY');
      expect(run.result.log).toContain('linear configuration removed');
      expect(run.result.log).toContain('web deploys with the CANARY strategy');
      expect(run.result.log).toMatch(
        /PRODUCTION_TRAFFIC_SHIFT: canary bake about \d minute\(s\) left of 1\./,
      );
      expect(run.result.annotations.filter((a) => a.level === 'warning')).toEqual([]);
      expect(timeline(run)).toEqual([
        'PRE_SCALE_UP',
        'SCALE_UP',
        'POST_SCALE_UP',
        'TEST_TRAFFIC_SHIFT',
        'POST_TEST_TRAFFIC_SHIFT',
        'PRODUCTION_TRAFFIC_SHIFT',
        'PRODUCTION_TRAFFIC_SHIFT',
        'POST_PRODUCTION_TRAFFIC_SHIFT',
        'BAKE_TIME',
        'CLEAN_UP',
      ]);
      const summary = unescapeMarkdown(run.result.summary);
      expect(summary).toContain('### Deployment stages (CANARY)');
      expect(summary).toContain('production 10.5% green / 89.5% blue');
      expect(summary).toContain('production 100% green / 0% blue');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    },
    180_000,
  );

  test.concurrent(
    'LINEAR → ROLLING: the linear configuration is not sent along; a rolling deployment',
    async () => {
      const step = await emulatorWith(baseSeed({ service: linearService() }));
      const run = await step(deployInputs('1.1', { 'deployment-strategy': 'ROLLING' }));
      expectOutcome(run, 'succeeded', 0);
      expect(run.result.log).toContain('strategy LINEAR → ROLLING');
      expect(run.result.summary).not.toContain('### Deployment stages');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    },
    180_000,
  );

  test.concurrent(
    'a pause rolled back by a second step: the step fails rolled-back',
    async () => {
      const hooks = [pauseHook(['POST_SCALE_UP'])];
      const step = await emulatorWith(blueGreenSeed({ lifecycleHooks: hooks }));
      const first = await step(deployInputs('1.1'));
      expectOutcome(first, 'paused', 0);
      expect(timeline(first).at(-1)).toBe('POST_SCALE_UP');
      const arn = first.result.outputs['service-deployment-arn'];
      const second = await step({
        'continue-deployment': arn,
        'continue-action': 'ROLLBACK',
        cluster: 'prod',
        service: 'web',
      });
      expectOutcome(second, 'rolled-back', 1);
      expect(second.result.summary).toMatch(/continue-action ROLLBACK: ECS rolled revision \d+ back/);
      expect(second.result.summary).toContain('POST_SCALE_UP');
      expect(timeline(second)).toContain('POST_SCALE_UP');
      expect(writes(second)).toEqual(['ContinueServiceDeployment']);
      // Second review: the outputs, the timeline, the log and what the write asked for.
      const hookId = first.result.outputs['paused-hook-id'];
      expect(hookId).toMatch(/^ecs-pause-[A-Za-z0-9_-]{43}$/);
      expect(arn).toMatch(SD_ARN);
      expect(first.result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
      expect(second.result.outputs['service-deployment-arn']).toBe(arn);
      expect(second.result.outputs['deployment-id']).toBe(first.result.outputs['deployment-id']);
      expect(second.result.outputs['paused-hook-id']).toBeUndefined();
      expectInOrder(timeline(second));
      expect(timelineRows(second).at(-1)?.[1]).toMatch(/^rollback: production 0% green \/ 100% blue/);
      expect(second.result.log).toContain(
        `web: ContinueServiceDeployment ROLLBACK for the PAUSE hook ${hookId} at POST_SCALE_UP.`,
      );
      expect(second.result.summary).toMatch(/- Green \(deployed\): `web:\d+` \(service revision `/);
      const ops = second.requests.map((r) => r.operation);
      expect(ops.indexOf('DescribeServiceDeployments')).toBeLessThan(
        ops.indexOf('ContinueServiceDeployment'),
      );
      expect(ops.lastIndexOf('DescribeServiceDeployments')).toBeGreaterThan(
        ops.indexOf('ContinueServiceDeployment'),
      );
      const sd = await recorded(step.emulator, arn);
      expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
      expect(sd.rollback?.reason).toBe(
        `Rollback requested with ContinueServiceDeployment for hook ${hookId}.`,
      );
    },
    240_000,
  );

  test.concurrent(
    'stop at a stage: wait-until-stage ends the step there, a success',
    async () => {
      const step = await emulatorWith(blueGreenSeed({ bakeTimeInMinutes: 30 }));
      const run = await step(deployInputs('1.1', { 'wait-until-stage': 'POST_TEST_TRAFFIC_SHIFT' }));
      expectOutcome(run, 'stage-reached', 0);
      expect(run.result.outputs['service-deployment-arn']).toMatch(SD_ARN);
      // Reached: that stage or, when a poll fell between two stages, the one after it.
      expect(unescapeMarkdown(run.result.summary)).toMatch(
        /reached (POST_TEST_TRAFFIC_SHIFT|PRODUCTION_TRAFFIC_SHIFT) \(wait-until-stage POST_TEST_TRAFFIC_SHIFT\)/,
      );
      const stages = timeline(run);
      expectInOrder(stages);
      expect(stages).not.toContain('BAKE_TIME');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    },
    180_000,
  );

  test.concurrent(
    'timeout with rollback: StopServiceDeployment ROLLBACK after wait-for-minutes',
    async () => {
      const step = await emulatorWith(blueGreenSeed({ bakeTimeInMinutes: 600 }));
      const run = await step(
        deployInputs('1.1', { 'wait-for-minutes': '1', 'on-timeout': 'rollback' }),
        200_000,
      );
      expectOutcome(run, 'timed-out', 1);
      expect(run.result.summary).toContain('No verdict within 1 minute(s)');
      expect(run.result.summary).toContain('Rolled back on timeout');
      expect(timeline(run)).toContain('BAKE_TIME');
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
      // Second review: the outputs, the timeline (the bake's traffic kept), the request log.
      const arn = run.result.outputs['service-deployment-arn'];
      expect(arn).toMatch(SD_ARN);
      expect(run.result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
      expect(run.result.outputs['paused-hook-id']).toBeUndefined();
      expectInOrder(timeline(run));
      const rows = timelineRows(run).filter(([stage]) => stage === 'BAKE_TIME');
      expect(rows.map(([, traffic]) => traffic)).toEqual([
        'production 100% green / 0% blue; test 100% green / 0% blue',
        'rollback: production 0% green / 100% blue; test 0% green / 100% blue',
      ]);
      expect(run.result.summary).toMatch(/- Blue \(before\): `web:1` \(service revision `/);
      expect(run.result.summary).toMatch(/- Green \(deployed\): `web:2` \(service revision `/);
      const ops = run.requests.map((r) => r.operation);
      const stop = ops.indexOf('StopServiceDeployment');
      expect(ops.slice(stop + 1)).toContain('DescribeServiceDeployments');
      const sd = await recorded(step.emulator, arn);
      expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
      expect(sd.rollback?.reason).toBe('Rollback requested with StopServiceDeployment.');
    },
    240_000,
  );

  test.concurrent(
    'a staged strategy for a service without an alternate target group: an error, nothing written',
    async () => {
      const step = await emulatorWith(baseSeed());
      const run = await step(deployInputs('1.1', { 'deployment-strategy': 'BLUE_GREEN' }));
      expect(run.result.exitCode).toBe(1);
      expect(run.result.outputs.outcome).toBeUndefined();
      expect(run.result.annotations.map((a) => a.message).join('\n')).toContain(
        "service 'web' has no load balancer",
      );
      expect(writes(run)).toEqual([]);
    },
    120_000,
  );
});
