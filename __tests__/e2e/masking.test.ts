// Masking end to end: `node dist/index.js` run as the runner runs it, against the emulator, with
// secrets the action must recognise by shape or by flag rather than by name: a JWT and a GitHub
// token under plain names in environment-variables, a password after `--db-password` in
// command, and credentials written into an (invalid) image reference. None of them may appear in
// the step log, the job summary or the outputs, and each must be registered with the runner
// (`::add-mask::`), which then masks it in every line of the real log.
import { beforeAll, describe, expect, test } from '@jest/globals';

import { unexpectedStderr } from '../../emulator/run-action.js';
import { baseSeed, deployInputs, runScenario, type Scenario, type ScenarioRun } from './scenarios.js';

// Put together at run time, so secret scanners never flag this file.
const fill = (n: number): string =>
  Array.from({ length: n }, (_, i) => 'kQ7vR2xM9pL4wT6z'[(i * 5) % 16]).join('');
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiJtYXNrLWUyZSJ9', fill(43)].join('.');
const GITHUB_TOKEN = `ghp_${fill(36)}`;
const DB_PASSWORD = 'pw-Zq9x-e2e-plaintext';
const REGISTRY_PASSWORD = 'reg-Pw-7781-e2e';

/** The three secrets of a valid run, under names that say nothing about them. */
const INPUTS = {
  'environment-variables': `SESSION=${JWT}\nGH=${GITHUB_TOKEN}`,
  command: `app --db-password ${DB_PASSWORD} --port 8080`,
};
const SECRETS = [JWT, GITHUB_TOKEN, DB_PASSWORD];

const scenario = (name: string, inputs: Record<string, string>): Scenario => ({
  name,
  seed: baseSeed(),
  inputs,
  verify: () => undefined,
});

let runs: { dryRun: ScenarioRun; deploy: ScenarioRun; badImage: ScenarioRun } | undefined;

beforeAll(async () => {
  const [dryRun, deploy, badImage] = await Promise.all([
    runScenario(scenario('dry run', deployInputs('1.1', { ...INPUTS, 'dry-run': 'true' }))),
    runScenario(scenario('deploy', deployInputs('1.1', INPUTS))),
    runScenario(
      scenario(
        'image with credentials',
        deployInputs('1.1', { ...INPUTS, image: `deploy:${REGISTRY_PASSWORD}@registry.example.com/web:1.1` }),
      ),
    ),
  ]);
  runs = { dryRun, deploy, badImage };
}, 120_000);

function runOf(name: keyof NonNullable<typeof runs>): ScenarioRun {
  if (!runs) throw new Error('the runs did not finish');
  return runs[name];
}

/** The values the step registered with `::add-mask::`. */
function masked(run: ScenarioRun): string[] {
  return run.result.masks;
}

/** The step log as a reader sees it: the `::add-mask::` commands are consumed by the runner. */
function shownLog(run: ScenarioRun): string {
  return run.result.log;
}

function expectNoLeak(run: ScenarioRun, secrets: string[]): void {
  const shown = {
    log: shownLog(run),
    stderr: run.result.stderr,
    summary: run.result.summary,
    outputs: JSON.stringify(run.result.outputs),
  };
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(shown)) {
      expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
    }
  }
}

describe('masking', () => {
  test('dry run: the plan shows the changes with the secrets hidden, and registers them', () => {
    const run = runOf('dryRun');
    expect(unexpectedStderr(run.result.stderr)).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect(run.result.outputs.outcome).toBe('planned');
    expectNoLeak(run, SECRETS);
    expect(masked(run)).toEqual(expect.arrayContaining(SECRETS));
    // The plan is still there, with the values hidden rather than left out.
    for (const text of [run.result.log, run.result.summary]) {
      expect(text).toContain('containerDefinitions[web].environment[SESSION]: ***');
      expect(text).toContain('containerDefinitions[web].environment[GH]: ***');
      expect(text).toContain('"--db-password","***"');
    }
  });

  test('deploy: the secrets reach ECS, but not the log, the summary or the outputs', () => {
    const run = runOf('deploy');
    expect(unexpectedStderr(run.result.stderr)).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect(run.result.outputs.outcome).toBe('succeeded');
    expectNoLeak(run, SECRETS);
    expect(masked(run)).toEqual(expect.arrayContaining(SECRETS));
    // Masking is for people: what is registered is the real value.
    const registered = run.taskDefinitions[run.result.outputs['task-definition-arn']];
    const web = registered?.containerDefinitions?.[0];
    expect(web?.command).toEqual(['app', '--db-password', DB_PASSWORD, '--port', '8080']);
    expect(web?.environment).toEqual(
      expect.arrayContaining([
        { name: 'SESSION', value: JWT },
        { name: 'GH', value: GITHUB_TOKEN },
      ]),
    );
  });

  test('an image reference with credentials: refused with the password hidden, and registered', () => {
    const run = runOf('badImage');
    expect(run.result.exitCode).toBe(1);
    expect(run.requests.filter((r) => /^(Register|Update|Create)/.test(r.operation))).toEqual([]);
    expectNoLeak(run, [...SECRETS, REGISTRY_PASSWORD]);
    expect(masked(run)).toContain(REGISTRY_PASSWORD);
    const error = run.result.annotations.find((a) => a.properties === "title=Input 'image'");
    expect(error?.message).toBe(
      `input 'image': "deploy:***@registry.example.com/web:1.1" is not a valid image reference: ` +
        `the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.`,
    );
    expect(run.result.summary).toContain('deploy:\\*\\*\\*@registry.example.com/web:1.1');
  });
});
