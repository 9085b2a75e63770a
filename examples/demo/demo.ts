// `npm run demo`: the action end to end against the embedded emulator, as a user would see it
// in a workflow run. It starts the AWS emulator with cluster demo (seed.yaml: services web, api
// and worker running web:1 with rolling updates, storefront with blue/green and a test gate) and
// the loopback GitHub API, both on 127.0.0.1, then runs the bundled action step by step, exactly
// as the GitHub runner would (scenarios.ts):
//   1. deploy web:1.1 to web                                       -> expected: succeeded
//   2. deploy web:crash to web (the container exits on start)      -> expected: rolled-back
//   3. deploy web:1.2 to storefront as a canary: the step stops at
//      the PAUSE hook                                              -> expected: paused
//      then a second step continues it to its verdict              -> expected: succeeded
//   4. deploy web:2.0 to web, api and worker in one step, with a
//      GitHub deployment record and keep-revisions 2               -> expected: succeeded
// It prints each step's log, outputs and job summary, what the step is there to show (the stage
// timeline, what GitHub recorded), and a result table; it exits 0 only when every step ended as
// expected.
import path from 'node:path';
import { startEmulator, startGitHubApi } from '../../emulator/index.js';
import { PROJECT_ROOT, runAction, type RunActionResult } from '../../emulator/run-action.js';
import { banner, linePrefixer } from './report.js';
import {
  SCENARIOS,
  SUCCESS_OUTCOMES,
  type DemoScenario,
  type DemoStep,
  type StepContext,
} from './scenarios.js';

interface StepRun {
  scenario: DemoScenario;
  step: DemoStep;
  result: RunActionResult;
  problems: string[];
}

interface Servers {
  awsUrl: string;
  github: Awaited<ReturnType<typeof startGitHubApi>>;
}

function printInputs(inputs: Record<string, string>): void {
  console.log('Inputs:');
  for (const [k, v] of Object.entries(inputs)) console.log(`  ${k}: ${v.replace(/\n/g, '\n    ')}`);
}

/** Runs one step of the action, printing its log live, then its outputs, summary and highlights. */
async function runStep(step: DemoStep, earlier: RunActionResult[], servers: Servers): Promise<StepContext> {
  const inputs = typeof step.inputs === 'function' ? step.inputs(earlier) : step.inputs;
  printInputs(inputs);
  console.log('\nStep log:');
  const stepLog = linePrefixer('  │ ');
  const mark = servers.github.requests.length;
  const result = await runAction({
    inputs,
    endpoint: servers.awsUrl,
    githubApiUrl: servers.github.url,
    timeoutMs: 120_000,
    onOutput: (chunk) => stepLog.write(chunk),
  });
  stepLog.flush();
  console.log(`\nExit code ${result.exitCode}; outputs:`);
  for (const [k, v] of Object.entries(result.outputs)) console.log(`  ${k} = ${v.replace(/\n/g, '\n    ')}`);
  console.log('\nJob summary (GITHUB_STEP_SUMMARY):');
  console.log(result.summary.replace(/^/gm, '  ▏ '));
  const ctx: StepContext = { result, earlier, github: servers.github.requests.slice(mark) };
  const highlights = step.highlights?.(ctx) ?? [];
  if (highlights.length) console.log(`\n${highlights.join('\n')}`);
  return ctx;
}

/** What is wrong with a step's run: its outcome, its exit code, then its own checks. */
function problemsOf(step: DemoStep, ctx: StepContext): string[] {
  const { result } = ctx;
  const problems: string[] = [];
  const outcome = result.outputs.outcome ?? '(none)';
  if (outcome !== step.expected) problems.push(`outcome ${outcome}, expected ${step.expected}`);
  const expectedExit = SUCCESS_OUTCOMES.has(step.expected) ? 0 : 1;
  if (result.exitCode !== expectedExit) problems.push(`exit ${result.exitCode}, expected ${expectedExit}`);
  // Only a step that ended as expected is checked further: otherwise its checks say the same again.
  return problems.length ? problems : (step.check?.(ctx) ?? []);
}

async function runScenarios(servers: Servers): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  for (const [i, scenario] of SCENARIOS.entries()) {
    banner(`${i + 1}. ${scenario.title}`, '━');
    const earlier: RunActionResult[] = [];
    for (const [j, step] of scenario.steps.entries()) {
      if (scenario.steps.length > 1) banner(`Step ${j + 1} of ${scenario.steps.length}: ${step.title}`);
      else console.log('');
      const ctx = await runStep(step, earlier, servers);
      earlier.push(ctx.result);
      runs.push({ scenario, step, result: ctx.result, problems: problemsOf(step, ctx) });
    }
  }
  return runs;
}

/** The result table: a line per step, grouped by scenario; true when every step ended as expected. */
function printResults(runs: StepRun[], seconds: number): boolean {
  banner(`Demo result (${seconds.toFixed(1)} s)`);
  let ok = runs.length === SCENARIOS.reduce((n, s) => n + s.steps.length, 0);
  for (const [i, scenario] of SCENARIOS.entries()) {
    console.log(`${i + 1}. ${scenario.title}`);
    for (const run of runs.filter((r) => r.scenario === scenario)) {
      const good = run.problems.length === 0;
      ok &&= good;
      const outcome = run.result.outputs.outcome ?? '(none)';
      console.log(
        `   ${good ? 'ok  ' : 'FAIL'} ${run.step.title}: outcome ${outcome} (expected ${run.step.expected}), exit ${run.result.exitCode}`,
      );
      for (const problem of run.problems) console.log(`          ${problem}`);
    }
  }
  return ok;
}

async function main(): Promise<number> {
  const started = Date.now();
  // A minute of ECS in two seconds: the rollouts unfold in a few seconds each, the whole demo in
  // well under a minute.
  const emulator = await startEmulator({
    speed: 30,
    seed: path.join(PROJECT_ROOT, 'examples/demo/seed.yaml'),
  });
  const github = await startGitHubApi();
  console.log(
    `AWS emulator on ${emulator.url}: cluster demo, services web, api, worker and storefront on web:1`,
  );
  console.log(`GitHub API on ${github.url} (GITHUB_API_URL of every step)`);
  let runs: StepRun[];
  try {
    runs = await runScenarios({ awsUrl: emulator.url, github });
  } finally {
    await Promise.all([emulator.stop(), github.stop()]);
  }
  return printResults(runs, (Date.now() - started) / 1000) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
