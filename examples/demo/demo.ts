// `npm run demo`: the action end to end against the embedded emulator, as a user would see it
// in a workflow run. It starts the emulator with a cluster and a service running web:1, then
// runs the bundled action twice, exactly as the GitHub runner would:
//   1. deploy image web:1.1 from examples/templates/web.json       -> expected: succeeded
//   2. deploy image web:crash (the container exits on start)       -> expected: rolled-back
// It prints each step's log and job summary and exits 0 only when both ended as expected.
import path from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { PROJECT_ROOT, runAction, type RunActionResult } from '../../emulator/run-action.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

interface DemoStep {
  title: string;
  inputs: Record<string, string>;
  expected: string;
}

const steps: DemoStep[] = [
  {
    title: 'Deploy web:1.1 (a healthy image)',
    inputs: {
      'task-definition': 'examples/templates/web.json',
      'container-name': 'web',
      image: `${REGISTRY}/web:1.1`,
      'environment-variables': 'LOG_LEVEL=debug\nGREETING=hello=world',
      cluster: 'demo',
      service: 'web',
      'wait-for-minutes': '10',
    },
    expected: 'succeeded',
  },
  {
    title: 'Deploy web:crash (the container exits on start; the circuit breaker rolls back)',
    inputs: {
      'task-definition': 'examples/templates/web.json',
      'container-name': 'web',
      image: `${REGISTRY}/web:crash`,
      'environment-variables': 'LOG_LEVEL=debug\nGREETING=hello=world',
      cluster: 'demo',
      service: 'web',
      'wait-for-minutes': '10',
    },
    expected: 'rolled-back',
  },
];

/** Prefixes each complete line of a stream of chunks, holding back a line until its end arrives. */
function linePrefixer(prefix: string): { write(chunk: string): void; flush(): void } {
  let pending = '';
  return {
    write(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    },
    flush() {
      if (pending) process.stdout.write(`${prefix}${pending}\n`);
      pending = '';
    },
  };
}

function banner(text: string): void {
  const rule = '─'.repeat(Math.min(100, text.length + 4));
  console.log(`\n${rule}\n  ${text}\n${rule}`);
}

async function main(): Promise<number> {
  // A minute of ECS in two seconds: the demo takes about ten seconds and shows the rollout unfold.
  const emulator = await startEmulator({
    speed: 30,
    seed: path.join(PROJECT_ROOT, 'examples/demo/seed.yaml'),
  });
  console.log(`AWS emulator on ${emulator.url} (cluster demo, service web running web:1)`);
  const results: { step: DemoStep; result: RunActionResult }[] = [];
  try {
    for (const step of steps) {
      banner(`${step.title}`);
      console.log('Inputs:');
      for (const [k, v] of Object.entries(step.inputs)) console.log(`  ${k}: ${v.replace(/\n/g, '\n    ')}`);
      console.log('\nStep log:');
      const stepLog = linePrefixer('  │ ');
      const result = await runAction({
        inputs: step.inputs,
        endpoint: emulator.url,
        timeoutMs: 120_000,
        onOutput: (chunk) => stepLog.write(chunk),
      });
      stepLog.flush();
      results.push({ step, result });
      console.log(`\nExit code ${result.exitCode}; outputs:`);
      for (const [k, v] of Object.entries(result.outputs)) console.log(`  ${k} = ${v}`);
      console.log('\nJob summary (GITHUB_STEP_SUMMARY):');
      console.log(result.summary.replace(/^/gm, '  ▏ '));
    }
  } finally {
    await emulator.stop();
  }

  banner('Demo result');
  let ok = true;
  for (const { step, result } of results) {
    const outcome = result.outputs.outcome ?? '(none)';
    const expectedExit = step.expected === 'succeeded' ? 0 : 1;
    const good = outcome === step.expected && result.exitCode === expectedExit;
    ok &&= good;
    console.log(
      `${good ? 'ok  ' : 'FAIL'} ${step.title}: outcome ${outcome} (expected ${step.expected}), exit ${result.exitCode}`,
    );
  }
  if (results.length !== steps.length) ok = false;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
