// The deploy scenarios of deploy.test.ts again, with AWS misbehaving on every operation: 20 %
// of requests throttled and 5 % answered with a server error (seeded, so a run repeats). The SDK
// retries them (standard mode, 6 attempts) and the follower polls through what is left; the
// verdicts and every check of deploy.test.ts must stay the same.
import { beforeAll, describe, expect, test } from '@jest/globals';

import type { FaultRule } from '../../emulator/index.js';
import { longestFirst, runOf, runScenarios, SCENARIOS, type ScenarioRun } from './scenarios.js';

const FAULTS: FaultRule[] = [
  { kind: 'throttle', rate: 0.2 },
  { kind: 'server-error', rate: 0.05 },
];
/** Scenario i gets fault seed FAULT_SEED + i. E2E_FAULT_SEED tries other sequences. */
const FAULT_SEED = Number(process.env.E2E_FAULT_SEED ?? 7000);

let runs: Map<string, PromiseSettledResult<ScenarioRun>> | undefined;

beforeAll(async () => {
  runs = await runScenarios(
    longestFirst(SCENARIOS),
    (s) => ({ faults: FAULTS, faultSeed: FAULT_SEED + SCENARIOS.indexOf(s) }),
    5,
  );
}, 240_000);

describe('deploy with 20 % throttling and 5 % server errors', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
    scenario.verify(runOf(runs, name));
  });

  test('the faults were injected at about the configured rates', () => {
    const requests = SCENARIOS.flatMap((s) => {
      const r = runs?.get(s.name);
      return r?.status === 'fulfilled' ? r.value.requests : [];
    });
    const rate = (error: string) => requests.filter((r) => r.error === error).length / requests.length;
    expect(requests.length).toBeGreaterThan(200);
    expect(rate('ThrottlingException')).toBeGreaterThan(0.12);
    expect(rate('ThrottlingException')).toBeLessThan(0.28);
    expect(rate('ServerException')).toBeGreaterThan(0.01);
    expect(rate('ServerException')).toBeLessThan(0.1);
  });
});
