// The deploy scenarios (scenarios.ts) end to end: `node dist/index.js` run as the runner runs it,
// against the emulator, one emulator per scenario, several scenarios at a time. Each test checks
// its scenario's exit code, outputs, job summary and the emulator's request log.
import { beforeAll, describe, test } from '@jest/globals';

import { longestFirst, runOf, runScenarios, SCENARIOS, type ScenarioRun } from './scenarios.js';

let runs: Map<string, PromiseSettledResult<ScenarioRun>> | undefined;

beforeAll(async () => {
  runs = await runScenarios(longestFirst(SCENARIOS), {}, 5);
}, 240_000);

describe('deploy', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
    scenario.verify(runOf(runs, name));
  });
});
