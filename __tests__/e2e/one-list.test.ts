// Every problem that can be known before a write comes out in one run, in one list: an input, an
// unset placeholder, a misspelt field and a broken ECS rule, each with its input or its file
// position; a problem of one stage does not hide the next stage's. Nothing is written to AWS.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, unexpectedStderr, type RunActionResult } from '../../emulator/run-action.js';
import { baseSeed, CLUSTER, SERVICE } from './scenarios.js';

let emulator: Emulator;
let result: RunActionResult;
let withPreflight: RunActionResult;

beforeAll(async () => {
  emulator = await startEmulator({ manualClock: true, seed: baseSeed() });
  emulator.seed({
    parameters: Array.from({ length: 12 }, (_, i) => ({ name: `/web/s${i + 1}`, value: 'x' })),
    logGroups: [{ name: '/ecs/web' }],
  });
  [result, withPreflight] = await Promise.all([
    runAction({
      endpoint: emulator.url,
      inputs: {
        'task-definition': '__tests__/fixtures/bad/several-stages.yaml',
        cluster: CLUSTER,
        service: SERVICE,
        'desired-count': '99999999999',
      },
    }),
    runAction({
      endpoint: emulator.url,
      inputs: {
        'task-definition': '__tests__/fixtures/bad/preflight-and-inputs.json',
        cluster: CLUSTER,
        service: SERVICE,
        'desired-count': 'many',
        secrets: 'not a secret line',
      },
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await emulator.stop();
});

test('inputs, placeholders, field names and ECS rules are listed together', () => {
  const errors = result.annotations.filter((a) => a.level === 'error' && a.properties !== '');
  const text = errors.map((e) => `${e.properties} ${e.message}`).join('\n');
  expect(text).toContain("input 'desired-count'");
  expect(text).toContain("Template variable 'IMAGE_TAG' is not set");
  expect(text).toMatch(/several-stages\.yaml,line=9,col=5.*healthcheck.*healthCheck/);
  expect(text).toMatch(/containerPort/);
  expect(errors.length).toBeGreaterThanOrEqual(4);
  expect(result.log).toMatch(
    /The deployment was stopped before anything was written to AWS: \d+ problems, each listed above\./,
  );
});

test('the field whose placeholder is unset is not also reported as a bad image', () => {
  expect(result.annotations.some((a) => /not a valid image reference/.test(a.message))).toBe(false);
});

test('writes nothing and reports no outcome', () => {
  expect(result.exitCode).toBe(1);
  expect(result.outputs.outcome).toBeUndefined();
  expect(mutatingCalls(emulator.requests)).toEqual([]);
  expect(result.summary).toContain('Nothing was written to AWS.');
});

test('preflight runs beside input problems: a bad render input is left out, the rest is checked', () => {
  const errors = withPreflight.annotations.filter((a) => a.level === 'error' && a.properties !== '');
  const text = errors.map((e) => `${e.properties} ${e.message}`).join('\n');
  expect(text).toContain("input 'desired-count'");
  expect(text).toContain("input 'secrets'");
  expect(text).toMatch(/image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:9\.9 does not exist/);
  expect(withPreflight.exitCode).toBe(1);
  // Many references checked at once print no listener warning (or anything else) on stderr.
  expect(unexpectedStderr(withPreflight.stderr)).toBe('');
});
