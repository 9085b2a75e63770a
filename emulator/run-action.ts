// Runs the bundled action (`node dist/index.js`) exactly as the GitHub runner does: inputs as
// INPUT_<NAME> variables (with action.yml's defaults filled in, as the runner does), the
// GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY / GITHUB_STATE files in their real formats,
// RUNNER_TEMP, and AWS_ENDPOINT_URL pointing at the emulator with dummy credentials.
// Used by the end-to-end tests, the demo and the benchmark.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunActionOptions {
  /** Action inputs by their action.yml name, e.g. `{ 'task-definition': 'web.json' }`. */
  inputs: Record<string, string>;
  /** The emulator's URL; sets AWS_ENDPOINT_URL. Leave out to talk to nothing (tests of input errors). */
  endpoint?: string;
  region?: string;
  /** Extra environment (e.g. template variables read from the environment). */
  env?: Record<string, string>;
  /** The node binary; defaults to the one running this code. */
  node?: string;
  /** The workspace the action runs in (GITHUB_WORKSPACE and cwd); defaults to the project root. */
  workspace?: string;
  /** Kill the action after this long (ms). */
  timeoutMs?: number;
  /** Called with each chunk of the action's stdout, for live display (the demo). */
  onOutput?: (chunk: string) => void;
  /** Send this signal after `signalAfterMs` (cancel tests). */
  signal?: { name: NodeJS.Signals; afterMs: number } | { name: NodeJS.Signals; whenOutputMatches: RegExp };
  /** Called with the child's pid right after spawning (the benchmark samples its memory). */
  onSpawn?: (pid: number) => void;
  /**
   * The loopback GitHub API's URL (emulator/github/); sets GITHUB_API_URL. Without it GITHUB_API_URL
   * points at a closed port on 127.0.0.1, so a step never reaches the real GitHub.
   */
  githubApiUrl?: string;
}

/** What the runner makes of `${{ github.token }}` in this harness: a token only the loopback API knows. */
export const WORKFLOW_TOKEN = 'ghs_emulatorWorkflowToken0000000000000000';
/** A port nothing listens on: GitHub calls of a run without the loopback API are refused at once. */
const NO_GITHUB_API = 'http://127.0.0.1:9';

export interface RunActionResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /**
   * The step log as the runner shows it: stdout without the `::add-mask::` commands, which the
   * runner consumes. Registered values are NOT replaced here, so a test still sees any value the
   * action printed elsewhere.
   */
  log: string;
  /** Everything the action printed on stdout, `::add-mask::` commands included. */
  rawLog: string;
  /** The values the action registered with `::add-mask::` (core.setSecret), in order. */
  masks: string[];
  stderr: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  durationMs: number;
  /** `::error ...::` and `::warning ...::` workflow commands found in the log. */
  annotations: { level: 'error' | 'warning' | 'notice'; properties: string; message: string }[];
  /** The content of the file the `task-definition` output names (read before RUNNER_TEMP is removed). */
  renderedTaskDefinition?: string;
}

interface ActionYaml {
  inputs?: Record<string, { default?: string | number | boolean }>;
}

/** action.yml's input defaults, which the runner passes as INPUT_ variables when an input is not given. */
export function actionDefaults(root = PROJECT_ROOT): Record<string, string> {
  const doc = parseYaml(readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionYaml;
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    if (spec?.default !== undefined) defaults[name] = String(spec.default);
  }
  return defaults;
}

/** The runner's mapping: upper-case, spaces to underscores, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses the GITHUB_OUTPUT / GITHUB_ENV file format: `name=value` lines and `name<<DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function parseAnnotations(log: string): RunActionResult['annotations'] {
  const found: RunActionResult['annotations'] = [];
  for (const m of log.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    found.push({
      level: m[1] as 'error' | 'warning' | 'notice',
      properties: m[2] ?? '',
      message: m[3].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'),
    });
  }
  return found;
}

/**
 * What the action wrote to stderr that a test should care about: everything but the AWS SDK's
 * notice that its future versions need Node 22 (printed on Node 20 only).
 */
export function unexpectedStderr(stderr: string): string {
  return stderr
    .replace(
      /\(node:\d+\) Warning: NodeVersionSupportWarning:[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n?/g,
      '',
    )
    .trim();
}

export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ecs-deploy-run-'));
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_PATH: path.join(dir, 'path'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  const runnerTemp = path.join(dir, 'runner-temp');
  await mkdir(runnerTemp);

  const inputs = { ...actionDefaults(), ...options.inputs };
  // The runner evaluates expressions in action.yml's defaults; the only one is the workflow token.
  for (const [name, value] of Object.entries(inputs)) {
    if (value === '${{ github.token }}') inputs[name] = WORKFLOW_TOKEN;
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.workspace ?? PROJECT_ROOT,
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.githubApiUrl ?? NO_GITHUB_API,
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    AWS_REGION: options.region ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret-key',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...files,
    ...(options.endpoint ? { AWS_ENDPOINT_URL: options.endpoint } : {}),
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;

  const started = Date.now();
  const child = spawn(options.node ?? process.execPath, [path.join(PROJECT_ROOT, 'dist', 'index.js')], {
    cwd: env.GITHUB_WORKSPACE,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let log = '';
  let stderr = '';
  let signalled = false;
  const sendSignal = (name: NodeJS.Signals): void => {
    if (!signalled) {
      signalled = true;
      child.kill(name);
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
    options.onOutput?.(chunk);
    const sig = options.signal;
    if (sig && 'whenOutputMatches' in sig && sig.whenOutputMatches.test(log)) sendSignal(sig.name);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timers: NodeJS.Timeout[] = [];
  if (options.signal && 'afterMs' in options.signal) {
    const { name, afterMs } = options.signal;
    timers.push(setTimeout(() => sendSignal(name), afterMs));
  }
  if (options.timeoutMs) timers.push(setTimeout(() => child.kill('SIGKILL'), options.timeoutMs));
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig])),
  );
  timers.forEach(clearTimeout);

  const result: RunActionResult = {
    exitCode,
    signal,
    log: log
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    rawLog: log,
    masks: [...log.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]),
    stderr,
    outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    exportedEnv: parseFileCommands(await readFile(files.GITHUB_ENV, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    durationMs: Date.now() - started,
    annotations: parseAnnotations(log),
  };
  // The rendered task definition lives under RUNNER_TEMP; keep it readable for the caller by
  // reading it before cleaning up.
  if (result.outputs['task-definition']) {
    try {
      result.renderedTaskDefinition = await readFile(result.outputs['task-definition'], 'utf8');
    } catch {
      // absent file: the test asserting on it will say so
    }
  }
  await rm(dir, { recursive: true, force: true });
  return result;
}
