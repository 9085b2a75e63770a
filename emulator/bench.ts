// `npm run bench`: figures for the bundled action (dist/index.js) against the embedded emulator,
// spawned exactly as the GitHub runner does (run-action.ts). A script that prints a table, never a
// timed test: each figure is the median of several runs (`--runs N`, default 5), and the script
// exits non-zero only when a run errors or ends with an outcome other than the expected one.
//
//   cold start        spawn of `node dist/index.js` -> its first request reaching the emulator
//                     (the emulator's request log, real `time`), register-only and deploy runs
//   verdict latency   the real moment the ECS model reached the verdict -> the action process
//                     exited: succeeded (our deployment COMPLETED) and rolled back (`:crash`: the
//                     breaker trips and rolls back in the same simulation step)
//   requests/minute   the action's requests while following a `:slow` deployment (~66 s real),
//                     the most in any 60 s window, with counts per operation
//   peak RSS          VmHWM of the action process from /proc/<pid>/status, sampled every 10 ms
//   preflight         the checks of ten containers, ten secrets and two env files (dry runs), as
//                     the action logs them, and the whole run with preflight on minus off
//
// See emulator/BENCH.md for what the figures mean and the last results.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measurePreflight } from './bench-preflight.js';
import { measureServices, SERVICE_COUNTS, type ServicesFigures } from './bench-services.js';
import { startEmulator, type Emulator, type RequestLogEntry } from './index.js';
import { PROJECT_ROOT, runAction, type RunActionResult } from './run-action.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SEED = path.join(PROJECT_ROOT, 'examples/demo/seed.yaml');
const TEMPLATE = 'examples/templates/web.json';
const CLUSTER = 'demo';
const SERVICE = 'web';

/**
 * Simulated ms per real ms for the success and rollback runs, spread from 6 to 9.5 over the runs:
 * a ~60 s healthy rollout then ends 6-10 s after UpdateService, so the verdict falls at a different
 * point of the follower's 4 s poll interval in each run instead of at the same phase every time.
 */
function deploySpeed(run: number, runs: number): number {
  return runs === 1 ? 7.5 : 6 + (3.5 * (run - 1)) / (runs - 1);
}
/** For the request-rate run: a `:slow` rollout (~230 s simulated) is followed for ~66 s real. */
const RATE_SPEED = 3.5;
/** Targets (README.md "How a deployment is followed"; src/rollout/follow.ts). */
const VERDICT_TARGET_MS = 5_000;
const REQUESTS_PER_MINUTE_TARGET = 20;

interface Args {
  runs: number;
  rateRuns: number;
  /** Only the several-services figures (1, 10 and 30 services followed in one step). */
  servicesOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 5, rateRuns: 1, servicesOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number of at least 1`);
      return n;
    };
    if (flag === '--runs') args.runs = value();
    else if (flag === '--rate-runs') args.rateRuns = value();
    else if (flag === '--services-only') args.servicesOnly = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npm run bench -- [--runs N (default 5)] [--rate-runs N (default 1)] [--services-only]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${flag} (try --help)`);
  }
  return args;
}

/** Source files changed after the bundle was built: the figures would be for old code. */
function staleSources(): string[] {
  const bundle = statSync(path.join(PROJECT_ROOT, 'dist', 'index.js')).mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (statSync(full).mtimeMs > bundle) newer.push(path.relative(PROJECT_ROOT, full));
    }
  };
  walk(path.join(PROJECT_ROOT, 'src'));
  return newer;
}

/** Samples VmHWM (the kernel's peak-RSS mark) of one process until stopped. */
function memorySampler(): { onSpawn(pid: number): void; stop(): number | undefined } {
  let peakKb: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sample = (pid: number): void => {
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
    } catch {
      // the process is gone; the last sample stands
    }
  };
  return {
    onSpawn(pid) {
      sample(pid);
      timer = setInterval(() => sample(pid), 10);
    },
    stop() {
      clearInterval(timer);
      return peakKb === undefined ? undefined : peakKb / 1024;
    },
  };
}

interface RunRecord {
  result: RunActionResult;
  emulator: Emulator;
  spawnedAt: number;
  exitedAt: number;
  peakRssMb?: number;
  /** The action's requests (the emulator saw nothing else during the run). */
  requests: RequestLogEntry[];
}

async function runOnce(
  inputs: Record<string, string>,
  speed: number,
  expectedOutcome: string,
  /** The models' PRNG seed: varies pull durations, so each run meets the poll schedule at another phase. */
  randomSeed: number,
  use: (run: RunRecord) => void,
): Promise<void> {
  const emulator = await startEmulator({ speed, seed: SEED, randomSeed });
  try {
    await emulator.seed({ images: [{ repository: 'web', tag: 'slow' }] });
    const memory = memorySampler();
    let spawnedAt = 0;
    const result = await runAction({
      inputs,
      endpoint: emulator.url,
      timeoutMs: 10 * 60_000,
      onSpawn: (pid) => {
        spawnedAt = Date.now();
        memory.onSpawn(pid);
      },
    });
    // Upper bound: runAction resolves after reading the output files (a few ms after 'close').
    const exitedAt = Date.now();
    const peakRssMb = memory.stop();
    const outcome = result.outputs.outcome ?? '(none)';
    if (outcome !== expectedOutcome) {
      throw new Error(
        `expected outcome ${expectedOutcome}, got ${outcome} (exit ${result.exitCode})\n${result.log}\n${result.stderr}`,
      );
    }
    use({ result, emulator, spawnedAt, exitedAt, peakRssMb, requests: [...emulator.requests] });
  } finally {
    await emulator.stop();
  }
}

/**
 * The floor under the cold start: a bare `node -e` that sends one request with node:http, spawned
 * and measured the same way (spawn -> request logged by the emulator).
 */
async function bareNodeColdStartMs(): Promise<number> {
  const emulator = await startEmulator({ speed: 1 });
  try {
    const script = `require('node:http').request('${emulator.url}/', { method: 'POST', headers: { 'x-amz-target': 'Bench.Ping' } }).end()`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    const spawnedAt = Date.now(); // as runAction's onSpawn: right after spawn() returns
    await new Promise((resolve) => child.on('close', resolve));
    const first = emulator.requests[0];
    if (!first) throw new Error('the bare node script made no request');
    return first.time - spawnedAt;
  } finally {
    await emulator.stop();
  }
}

function coldStartMs(run: RunRecord): { ms: number; first: string } {
  const first = run.requests.filter((r) => r.time >= run.spawnedAt).sort((a, b) => a.time - b.time)[0];
  if (!first) throw new Error('the action made no request');
  return { ms: first.time - run.spawnedAt, first: `${first.service}.${first.operation}` };
}

interface ServiceEventOut {
  createdAt?: Date;
  message?: string;
}

/** The service's events from the model itself (in-process, not a request the action sees). */
function serviceEvents(emulator: Emulator): ServiceEventOut[] {
  const out = emulator.ecs.handlers.DescribeServices(
    { cluster: CLUSTER, services: [SERVICE] },
    {
      service: 'ecs',
      operation: 'DescribeServices',
      region: 'us-east-1',
      accountId: '123456789012',
    },
  ) as { services?: { events?: ServiceEventOut[] }[] };
  return out.services?.[0]?.events ?? [];
}

/** Real epoch ms at which the simulated clock read `simMs` (the clock runs at `speed` since start). */
function realTimeOf(emulator: Emulator, simMs: number): number {
  const real = Date.now();
  const sim = emulator.clock.now();
  return real - (sim - simMs) / emulator.clock.speed;
}

interface VerdictFigures {
  /** ECS reached the verdict -> the action exited. */
  latencyMs: number;
  /** ECS reached it -> the first DescribeServices that could see it. */
  seenAfterMs: number;
  /** That DescribeServices -> exit (verdict, diagnosis, report). */
  exitAfterSeenMs: number;
  /** Requests between seeing the verdict and exiting. */
  afterSeen: string[];
}

/**
 * The moment the model reached the verdict: the simulated time of the event it writes in the same
 * step (`(deployment <ours>) deployment completed.`, or `rolling back to deployment <old>.` after
 * the breaker failed ours), mapped to real time through the emulator's clock.
 */
function verdictFigures(run: RunRecord, kind: 'succeeded' | 'rolled-back'): VerdictFigures {
  const ours = run.result.outputs['deployment-id'];
  if (!ours) throw new Error('no deployment-id output');
  const update = run.requests.find((r) => r.operation === 'UpdateService');
  if (!update) throw new Error('no UpdateService request');
  const events = serviceEvents(run.emulator);
  const event = events.find((e) =>
    kind === 'succeeded'
      ? e.message?.includes(`(deployment ${ours}) deployment completed.`)
      : /rolling back to deployment ecs-svc\/\d+\./.test(e.message ?? '') &&
        (e.createdAt?.getTime() ?? 0) >= update.simTime,
  );
  if (!event?.createdAt) throw new Error(`no ${kind} event for ${ours} in the service events`);
  const verdictSim = event.createdAt.getTime();
  const verdictAt = realTimeOf(run.emulator, verdictSim);
  const seen = run.requests.find(
    (r) => r.operation === 'DescribeServices' && r.simTime >= verdictSim && r.time >= run.spawnedAt,
  );
  if (!seen) throw new Error('no DescribeServices after the verdict');
  return {
    latencyMs: run.exitedAt - verdictAt,
    seenAfterMs: seen.time - verdictAt,
    exitAfterSeenMs: run.exitedAt - seen.time,
    afterSeen: run.requests.filter((r) => r.time > seen.time).map((r) => `${r.service}.${r.operation}`),
  };
}

interface RateFigures {
  followMs: number;
  maxPerWindow: number;
  perMinute: number;
  byOperation: Record<string, number>;
}

/** The follow phase: after UpdateService was answered, until the action exited. */
function rateFigures(run: RunRecord): RateFigures {
  const update = run.requests.find((r) => r.operation === 'UpdateService');
  if (!update) throw new Error('no UpdateService request');
  const follow = run.requests.filter((r) => r.time > update.time);
  const followMs = run.exitedAt - update.time;
  const times = follow.map((r) => r.time).sort((a, b) => a - b);
  let maxPerWindow = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j] <= times[i] - 60_000) j++;
    maxPerWindow = Math.max(maxPerWindow, i - j + 1);
  }
  const byOperation: Record<string, number> = {};
  for (const r of follow) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
  return { followMs, maxPerWindow, perMinute: (follow.length / followMs) * 60_000, byOperation };
}

function deployInputs(tag: string): Record<string, string> {
  return {
    'task-definition': TEMPLATE,
    'container-name': 'web',
    image: `${REGISTRY}/web:${tag}`,
    cluster: CLUSTER,
    service: SERVICE,
    'wait-for-minutes': '10',
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

interface Row {
  metric: string;
  values: number[];
  unit: string;
  digits: number;
  target?: { max: number; text: string };
  note?: string;
}

function printTable(rows: Row[]): boolean {
  const fmt = (n: number, row: Row) => `${n.toFixed(row.digits)} ${row.unit}`;
  const header = ['metric', 'median', 'min', 'max', 'target', 'ok'];
  const lines = rows.map((row) => {
    const med = median(row.values);
    const max = Math.max(...row.values);
    return [
      `${row.metric} (n=${row.values.length})`,
      fmt(med, row),
      fmt(Math.min(...row.values), row),
      fmt(max, row),
      row.target?.text ?? '—',
      row.target ? (max <= row.target.max ? 'yes' : med <= row.target.max ? 'median' : 'NO') : 'info',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) console.log(line(l));
  return rows.every((r) => !r.target || median(r.values) <= r.target.max);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const stale = staleSources();
  if (stale.length > 0) {
    console.warn(
      `WARNING: dist/index.js is older than ${stale.length} file(s) in src/ (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', ...' : ''}); run \`npm run bundle\` for figures of the current code.`,
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `ECS deploy action benchmark: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} × ${cpu}, ${args.runs} run(s) each, ${args.rateRuns} rate run(s)`,
  );
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`load average at start: ${load()} (other work on the machine inflates the cold starts)`);
  const started = Date.now();
  const progress = (text: string) => process.stderr.write(`  ${text}\n`);
  if (args.servicesOnly) {
    const met = printServices(await servicesFigures(args.rateRuns, progress));
    console.log(
      `\n${met ? 'All targets met.' : 'Some targets missed.'} Took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    );
    return 0;
  }

  const coldRegister: number[] = [];
  const coldDeploy: number[] = [];
  const rssRegister: number[] = [];
  const rssDeploy: number[] = [];
  const verdictOk: VerdictFigures[] = [];
  const verdictRollback: VerdictFigures[] = [];
  const rates: RateFigures[] = [];
  const firstRequests = new Set<string>();
  const registerTotal: number[] = [];
  const untilUpdate: number[] = [];
  let registerOps: string[] = [];
  let deployOps: string[] = [];

  const coldBare: number[] = [];
  for (let i = 1; i <= args.runs; i++) coldBare.push(await bareNodeColdStartMs());
  progress(`bare node: first request after ${median(coldBare)} ms (median)`);
  for (let i = 1; i <= args.runs; i++) {
    await runOnce(
      { 'task-definition': TEMPLATE, 'container-name': 'web', image: `${REGISTRY}/web:1.1` },
      8,
      'registered',
      i,
      (run) => {
        const cold = coldStartMs(run);
        coldRegister.push(cold.ms);
        firstRequests.add(`register: ${cold.first}`);
        if (run.peakRssMb !== undefined) rssRegister.push(run.peakRssMb);
        registerTotal.push(run.exitedAt - run.spawnedAt);
        registerOps = run.requests.map((r) => `${r.service}.${r.operation}`);
        progress(`register-only ${i}/${args.runs}: first request after ${cold.ms} ms (${cold.first})`);
      },
    );
  }
  for (let i = 1; i <= args.runs; i++) {
    const speed = deploySpeed(i, args.runs);
    await runOnce(deployInputs('1.1'), speed, 'succeeded', i, (run) => {
      const cold = coldStartMs(run);
      coldDeploy.push(cold.ms);
      firstRequests.add(`deploy: ${cold.first}`);
      if (run.peakRssMb !== undefined) rssDeploy.push(run.peakRssMb);
      const v = verdictFigures(run, 'succeeded');
      verdictOk.push(v);
      const update = run.requests.findIndex((r) => r.operation === 'UpdateService');
      untilUpdate.push(run.requests[update].time - run.spawnedAt);
      deployOps = run.requests.slice(0, update + 1).map((r) => `${r.service}.${r.operation}`);
      progress(
        `succeeded ${i}/${args.runs} (speed ${speed.toFixed(2)}): first request after ${cold.ms} ms; exit ${v.latencyMs.toFixed(0)} ms after COMPLETED (seen after ${v.seenAfterMs.toFixed(0)} ms)`,
      );
    });
  }
  for (let i = 1; i <= args.runs; i++) {
    const speed = deploySpeed(i, args.runs);
    await runOnce(deployInputs('crash'), speed, 'rolled-back', i, (run) => {
      if (run.peakRssMb !== undefined) rssDeploy.push(run.peakRssMb);
      const v = verdictFigures(run, 'rolled-back');
      verdictRollback.push(v);
      progress(
        `rolled-back ${i}/${args.runs} (speed ${speed.toFixed(2)}): exit ${v.latencyMs.toFixed(0)} ms after the rollback (seen after ${v.seenAfterMs.toFixed(0)} ms, then ${v.afterSeen.length} requests)`,
      );
    });
  }
  for (let i = 1; i <= args.rateRuns; i++) {
    await runOnce(deployInputs('slow'), RATE_SPEED, 'succeeded', i, (run) => {
      const r = rateFigures(run);
      rates.push(r);
      if (run.peakRssMb !== undefined) rssDeploy.push(run.peakRssMb);
      progress(
        `slow ${i}/${args.rateRuns}: followed ${(r.followMs / 1000).toFixed(1)} s, max ${r.maxPerWindow} requests in 60 s`,
      );
    });
  }

  const several = await servicesFigures(args.rateRuns, progress);
  const preflight = await measurePreflight(args.runs);
  progress(
    `preflight: ${preflight.references} references, checks ${median(preflight.checksMs).toFixed(0)} ms (median)`,
  );

  console.log('');
  const verdictTarget = { max: VERDICT_TARGET_MS / 1000, text: `≤ ${VERDICT_TARGET_MS / 1000} s` };
  const allMet = printTable([
    { metric: 'cold start, bare node (floor)', values: coldBare, unit: 'ms', digits: 0 },
    { metric: 'cold start, register-only', values: coldRegister, unit: 'ms', digits: 0 },
    { metric: 'cold start, deploy', values: coldDeploy, unit: 'ms', digits: 0 },
    {
      metric: 'verdict latency, succeeded',
      values: verdictOk.map((v) => v.latencyMs / 1000),
      unit: 's',
      digits: 2,
      target: verdictTarget,
    },
    {
      metric: 'verdict latency, rolled-back',
      values: verdictRollback.map((v) => v.latencyMs / 1000),
      unit: 's',
      digits: 2,
      target: verdictTarget,
    },
    {
      metric: 'requests in any 60 s, following',
      values: rates.map((r) => r.maxPerWindow),
      unit: '',
      digits: 0,
      target: { max: REQUESTS_PER_MINUTE_TARGET, text: `≤ ${REQUESTS_PER_MINUTE_TARGET}` },
    },
    {
      metric: `preflight checks, ${preflight.references} references`,
      values: preflight.checksMs.map((ms) => ms / 1000),
      unit: 's',
      digits: 2,
      target: { max: 1, text: '< 1 s' },
    },
    {
      metric: 'preflight on minus off, whole dry run',
      values: preflight.withMs.map((ms, i) => (ms - preflight.withoutMs[i]) / 1000),
      unit: 's',
      digits: 2,
      target: { max: 1, text: '< 1 s' },
    },
    { metric: 'peak RSS, register-only', values: rssRegister, unit: 'MB', digits: 1 },
    { metric: 'peak RSS, deploy', values: rssDeploy, unit: 'MB', digits: 1 },
  ]);

  console.log('\nDetails (medians):');
  console.log(`  first request: ${[...firstRequests].join('; ')}`);
  console.log(
    `  register-only: spawn to exit ${median(registerTotal).toFixed(0)} ms; requests: ${summarize(registerOps)}`,
  );
  console.log(
    `  deploy: spawn to UpdateService ${median(untilUpdate).toFixed(0)} ms; requests until then: ${summarize(deployOps)}`,
  );
  for (const [name, vs] of [
    ['succeeded', verdictOk],
    ['rolled-back', verdictRollback],
  ] as const) {
    const tail = vs[vs.length - 1]?.afterSeen ?? [];
    console.log(
      `  ${name}: first DescribeServices able to see the verdict ${(median(vs.map((v) => v.seenAfterMs)) / 1000).toFixed(2)} s after it; exit ${(median(vs.map((v) => v.exitAfterSeenMs)) / 1000).toFixed(2)} s after that, with ${tail.length} more requests (${summarize(tail)})`,
    );
  }
  for (const r of rates) {
    console.log(
      `  following :slow for ${(r.followMs / 1000).toFixed(1)} s: ${r.perMinute.toFixed(1)} requests/min on average; ${Object.entries(
        r.byOperation,
      )
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}`,
    );
  }
  const servicesMet = printServices(several);
  console.log(
    `\n${allMet && servicesMet ? 'All targets met (by median).' : 'Some targets missed (see ok).'} Took ${((Date.now() - started) / 1000).toFixed(0)} s; load average at end: ${load()}.`,
  );
  return 0;
}

/** 1, 10 and 30 services followed in one step, `runs` times each (the figures of the last run kept). */
async function servicesFigures(runs: number, progress: (text: string) => void): Promise<ServicesFigures[]> {
  const out: ServicesFigures[] = [];
  for (const count of SERVICE_COUNTS) {
    for (let i = 1; i <= runs; i++) {
      const f = await measureServices(count, RATE_SPEED, i);
      progress(
        `${count} service(s) ${i}/${runs}: max ${f.maxPerWindow} requests in 60 s (${f.describeServicesCalls} DescribeServices), verdict latency ${(f.latencyMs / 1000).toFixed(2)} s`,
      );
      if (i === runs) out.push(f);
    }
  }
  return out;
}

/** The several-services table; true when its targets are met. */
function printServices(figures: ServicesFigures[]): boolean {
  const one = figures.find((f) => f.services === 1);
  const rateLimit = one ? one.maxPerWindow * 3 : Infinity;
  console.log('\nSeveral services followed in one step (:slow rollout):');
  console.log(
    '  services | max requests in 60 s | per minute (avg) | DescribeServices | verdict latency | ok',
  );
  let met = true;
  for (const f of figures) {
    const ok = f.maxPerWindow <= rateLimit && f.latencyMs <= VERDICT_TARGET_MS;
    met &&= ok;
    console.log(
      `  ${String(f.services).padStart(8)} | ${String(f.maxPerWindow).padStart(20)} | ${f.perMinute.toFixed(1).padStart(16)} | ${String(f.describeServicesCalls).padStart(16)} | ${(f.latencyMs / 1000).toFixed(2).padStart(13)} s | ${ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(
    `  targets: requests in 60 s for 30 services ≤ 3 × those for one (≤ ${rateLimit}); verdict latency ≤ ${VERDICT_TARGET_MS / 1000} s`,
  );
  for (const f of figures) {
    const ops = Object.entries(f.byOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ');
    console.log(`  ${f.services} service(s), following ${(f.followMs / 1000).toFixed(1)} s: ${ops}`);
  }
  return met;
}

function summarize(ops: string[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => (n > 1 ? `${op} ×${n}` : op)).join(', ') || 'none';
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
