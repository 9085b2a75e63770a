// The deploy scenarios of the end-to-end suites, defined once: deploy.test.ts runs them against a
// well-behaved emulator, faults.test.ts against one that throttles and fails requests, and both
// assert the same verdicts with the same checks.
//
// Each scenario gets an emulator of its own (an in-process HTTP server, started in milliseconds):
// its seed, its speed and its fault rules (access denied on UpdateService must not hit the
// others), and a fault sequence that depends on its own requests only, so a seeded fault run
// repeats. A file runs all its scenarios in beforeAll, five at a time, the minute-long timed-out
// ones first (runScenarios), so it takes about as long as those; each test then checks one run.
// E2E_DUMP_DIR=<dir> writes each run's log, summary and request log there.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { expect } from '@jest/globals';

import {
  blueGreenLoadBalancer,
  mutatingCalls,
  shiftDeploymentConfiguration,
  startEmulator,
  type Emulator,
  type EmulatorSeed,
  type FaultRule,
  type RequestLogEntry,
  type ShiftConfigOptions,
} from '../../emulator/index.js';
import {
  PROJECT_ROOT,
  runAction,
  unexpectedStderr,
  type RunActionResult,
} from '../../emulator/run-action.js';

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const ACCOUNT = '123456789012';
export const CLUSTER = 'prod';
export const SERVICE = 'web';
/** The template every scenario renders (relative to the workspace, the project root). */
export const TEMPLATE = '__tests__/fixtures/e2e/web.json';
export const TD_ARN_PREFIX = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/`;
export const tdArn = (familyRevision: string): string => `${TD_ARN_PREFIX}${familyRevision}`;

/**
 * Simulated ms per real ms for most scenarios: a healthy rollout of two tasks (about a minute of
 * ECS) takes about 3 s, a circuit-breaker rollback about 4 s, a `:slow` pull (3 minutes) 9 s.
 */
export const SPEED = 20;
/**
 * For timed-out: wait-for-minutes is at least 1 (real) minute, so the `:slow` pull (3 simulated
 * minutes) must last longer than that: 90 s at this speed, a 30 s margin.
 */
export const SLOW_SPEED = 2;

const template = JSON.parse(readFileSync(path.join(PROJECT_ROOT, TEMPLATE), 'utf8')) as Record<
  string,
  unknown
>;

/** The fixture template with another image: what a seeded revision was registered from. */
export function taskDefinitionWith(tag: string): Record<string, unknown> {
  const td = structuredClone(template) as { containerDefinitions: Record<string, unknown>[] };
  td.containerDefinitions[0].image = `${REGISTRY}/web:${tag}`;
  return td;
}

const network = {
  awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'], securityGroups: ['sg-0123456789abcdef0'] },
};

export function serviceSeed(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster: CLUSTER,
    serviceName: SERVICE,
    taskDefinition: 'web:1',
    desiredCount: 2,
    launchType: 'FARGATE',
    networkConfiguration: network,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    ...changes,
  };
}

/**
 * Changes to serviceSeed() that make service `web` a BLUE_GREEN service (default: bake 1 minute,
 * no hooks, no alarms), or LINEAR / CANARY with `strategy`: a load balancer with
 * advancedConfiguration (target groups web-blue / web-green, production and test listener rules),
 * and the hooks and alarms of `options` (emulator/ecs/README.md, "Blue/green, linear and canary":
 * Lambda hooks answer by function name, alarms named `firing` go into ALARM). For example
 * `baseSeed({ service: blueGreenService({ lifecycleHooks: [pauseHook(['POST_TEST_TRAFFIC_SHIFT'])] }) })`.
 */
export function blueGreenService(options: ShiftConfigOptions = {}): Record<string, unknown> {
  const base = serviceSeed().deploymentConfiguration as Record<string, unknown>;
  return {
    loadBalancers: [blueGreenLoadBalancer()],
    deploymentConfiguration: { ...base, ...shiftDeploymentConfiguration(options) },
  };
}

/** Service `web` as a CANARY service (10% for 1 minute, then the rest), with `options`. */
export const canaryService = (options: ShiftConfigOptions = {}): Record<string, unknown> =>
  blueGreenService({ strategy: 'CANARY', ...options });

/** Service `web` as a LINEAR service (25% steps, 1 minute apart), with `options`. */
export const linearService = (options: ShiftConfigOptions = {}): Record<string, unknown> =>
  blueGreenService({ strategy: 'LINEAR', ...options });

/** Hooks for blueGreenService's `lifecycleHooks`: `lambdaHook('smoke-fail', ['POST_TEST_TRAFFIC_SHIFT'])`, `pauseHook([...])`. */
export { lambdaHook, pauseHook } from '../../emulator/index.js';

/** The whole seed of a scenario on a blue/green (or, with `strategy`, linear / canary) service. */
export const blueGreenSeed = (options: ShiftConfigOptions = {}): EmulatorSeed =>
  baseSeed({ service: blueGreenService(options) });

/** The tags of repository `web` the scenarios deploy: preflight finds them in the emulator's ECR. */
export const WEB_TAGS = [
  'latest',
  'stable',
  '1.0',
  '1.1',
  '1.2',
  '2.0',
  '24',
  '3.1',
  'healthy',
  'slow',
  'crash',
  'oom',
  'pull-error',
  'unhealthy',
  // One-off tasks that exit with this code (emulator/ecs/README.md, "Tasks run with RunTask").
  ...[0, 1, 2, 3, 42, 137, 255].map((code) => `exit-${code}`),
];

/**
 * What the fixture and example templates point at outside ECS, so that preflight (on by
 * default) finds it: the images of repositories `web` and `api`, their awslogs groups, and the
 * secret of the multi-container example.
 */
export function referencedSeed(): Pick<EmulatorSeed, 'images' | 'logGroups' | 'parameters'> {
  return {
    images: [...WEB_TAGS.map((tag) => ({ repository: 'web', tag })), { repository: 'api', tag: 'latest' }],
    logGroups: [{ name: '/ecs/web' }, { name: '/ecs/api' }],
    // examples/templates/multi.json's secret.
    parameters: [{ name: '/api/database-password', value: 'not-a-real-password', type: 'SecureString' }],
  };
}

/** Cluster `prod`, revision web:1 (the template with image web:1.0), service `web` steady on it. */
export function baseSeed(
  options: { revisions?: Record<string, unknown>[]; service?: Record<string, unknown> | null } = {},
): EmulatorSeed {
  return {
    clusters: [{ name: CLUSTER }],
    taskDefinitions: options.revisions ?? [taskDefinitionWith('1.0')],
    services: options.service === null ? [] : [serviceSeed(options.service)],
    ...referencedSeed(),
  };
}

/**
 * baseSeed with service `web` on the CODE_DEPLOY controller, and its CodeDeploy application and
 * deployment group named by the official action's defaults (`AppECS-prod-web`, `DgpECS-prod-web`);
 * `group` adds or overrides CreateDeploymentGroup fields (config, waits, alarms, auto rollback).
 */
export function codeDeploySeed(group: Record<string, unknown> = {}): EmulatorSeed {
  return {
    ...baseSeed({ service: { deploymentController: { type: 'CODE_DEPLOY' } } }),
    deploymentGroups: [
      {
        applicationName: `AppECS-${CLUSTER}-${SERVICE}`,
        deploymentGroupName: `DgpECS-${CLUSTER}-${SERVICE}`,
        ecsServices: [{ clusterName: CLUSTER, serviceName: SERVICE }],
        ...group,
      },
    ],
  };
}

/** Inputs of the usual push deploy: the template with a new image, to service web. */
export function deployInputs(tag: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'task-definition': TEMPLATE,
    'container-name': 'web',
    image: `${REGISTRY}/web:${tag}`,
    cluster: CLUSTER,
    service: SERVICE,
    ...extra,
  };
}

export interface ScenarioContext {
  emulator: Emulator;
  /** An SDK client on the emulator, with retries enough for the fault runs. */
  ecs: ECSClient;
}

export interface DuringRun {
  /** Act once the step log matches this. */
  when: RegExp;
  /** What it did, for the checks (e.g. the id of a deployment it started). */
  act(ctx: ScenarioContext): Promise<Record<string, string>>;
}

export interface Scenario {
  name: string;
  seed: EmulatorSeed;
  speed?: number;
  /** Simulated ms a blue/green lifecycle stage lasts (the emulator's `shiftStageMs`; default 30 s). */
  shiftStageMs?: number;
  inputs: Record<string, string>;
  /** Fault rules of this scenario; they come first, so they win over the fault run's random ones. */
  faults?: FaultRule[];
  /** Before the action runs (no faults injected yet). */
  setup?(ctx: ScenarioContext): Promise<Record<string, string>>;
  during?: DuringRun;
  signal?: { name: NodeJS.Signals; whenOutputMatches: RegExp };
  /** Real ms the run may take before it is killed. */
  timeoutMs?: number;
  verify(run: ScenarioRun): void;
}

export interface ScenarioRun {
  result: RunActionResult;
  /** Every request the emulator answered while the action ran (our own `during` calls included). */
  requests: RequestLogEntry[];
  /** What setup and `during` reported. */
  notes: Record<string, string>;
  /** Real time (epoch ms) the step log matched `signal.whenOutputMatches`, and when the run ended. */
  signalledAt?: number;
  endedAt: number;
  /** The service before the run (after setup), when it exists. */
  before?: Service;
  /** The service right after the run (faults off), when it exists. */
  service?: Service;
  /** Every service of the cluster right after the run, by name (several services in one step). */
  cluster: Record<string, Service>;
  /** Task definition ARNs of family web after the run. */
  revisions: string[];
  /** Task definitions by ARN: the outputs' two and every revision of the family. */
  taskDefinitions: Record<string, TaskDefinition>;
  faulted: boolean;
}

export interface RunMode {
  /** Injected after setup, after the scenario's own rules. */
  faults?: FaultRule[];
  faultSeed?: number;
}

function client(emulator: Emulator): ECSClient {
  return new ECSClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 10,
  });
}

export async function runScenario(scenario: Scenario, mode: RunMode = {}): Promise<ScenarioRun> {
  const emulator = await startEmulator({
    speed: scenario.speed ?? SPEED,
    seed: scenario.seed,
    faultSeed: mode.faultSeed,
    ...(scenario.shiftStageMs !== undefined ? { shiftStageMs: scenario.shiftStageMs } : {}),
  });
  const ctx: ScenarioContext = { emulator, ecs: client(emulator) };
  try {
    const notes = (await scenario.setup?.(ctx)) ?? {};
    const before = await describeService(ctx.ecs);
    const rules = [...(scenario.faults ?? []), ...(mode.faults ?? [])];
    emulator.setFaults(rules);
    const mark = emulator.requests.length;
    let log = '';
    let during: Promise<unknown> | undefined;
    let duringError: unknown;
    let signalledAt: number | undefined;
    const result = await runAction({
      endpoint: emulator.url,
      inputs: scenario.inputs,
      timeoutMs: scenario.timeoutMs ?? 60_000,
      signal: scenario.signal,
      onOutput(chunk) {
        log += chunk;
        if (scenario.signal && signalledAt === undefined && scenario.signal.whenOutputMatches.test(log))
          signalledAt = Date.now();
        if (scenario.during && !during && scenario.during.when.test(log)) {
          during = scenario.during.act(ctx).then(
            (n) => Object.assign(notes, n),
            (e: unknown) => (duringError = e),
          );
        }
      },
    });
    const endedAt = Date.now();
    await during;
    if (duringError) throw duringError;
    const requests = emulator.requests.slice(mark);
    emulator.setFaults([]);
    dump(scenario, mode, result, requests);
    return {
      result,
      requests,
      notes,
      signalledAt,
      endedAt,
      faulted: rules.length > 0,
      before,
      ...(await snapshot(ctx, result)),
    };
  } finally {
    ctx.ecs.destroy();
    await emulator.stop();
  }
}

/** With E2E_DUMP_DIR set, each run's log, summary and request log go to a file there (debugging). */
function dump(scenario: Scenario, mode: RunMode, result: RunActionResult, requests: RequestLogEntry[]): void {
  const dir = process.env.E2E_DUMP_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const name = `${mode.faults?.length ? 'faults-' : ''}${scenario.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}.txt`;
  const calls = requests.map((r) => `${r.time} ${r.operation} ${r.status}${r.error ? ` ${r.error}` : ''}`);
  writeFileSync(
    path.join(dir, name),
    [
      `exit ${result.exitCode} in ${result.durationMs} ms`,
      JSON.stringify(result.outputs, null, 2),
      '--- log',
      result.log,
      '--- stderr',
      result.stderr,
      '--- summary',
      result.summary,
      '--- requests',
      ...calls,
    ].join('\n'),
  );
}

async function describeService(ecs: ECSClient): Promise<Service | undefined> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  return described.services?.[0];
}

async function snapshot(
  { ecs }: ScenarioContext,
  result: RunActionResult,
): Promise<Pick<ScenarioRun, 'service' | 'cluster' | 'revisions' | 'taskDefinitions'>> {
  const service = await describeService(ecs);
  const cluster = await servicesOfCluster(ecs);
  const revisions =
    (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }))).taskDefinitionArns ?? [];
  const arns = new Set([
    ...revisions,
    ...[result.outputs['task-definition-arn'], result.outputs['previous-task-definition-arn']].filter(
      (a): a is string => !!a,
    ),
  ]);
  const taskDefinitions: Record<string, TaskDefinition> = {};
  for (const arn of arns) {
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
    if (td) taskDefinitions[arn] = td;
  }
  return { service, cluster, revisions, taskDefinitions };
}

/** Every service of CLUSTER as ECS describes it, by name. */
async function servicesOfCluster(ecs: ECSClient): Promise<Record<string, Service>> {
  const arns = (await ecs.send(new ListServicesCommand({ cluster: CLUSTER }))).serviceArns ?? [];
  const byName: Record<string, Service> = {};
  for (let i = 0; i < arns.length; i += 10) {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: arns.slice(i, i + 10) }),
    );
    for (const s of out.services ?? []) if (s.serviceName) byName[s.serviceName] = s;
  }
  return byName;
}

/**
 * Runs every scenario, at most `concurrency` at a time, in the given order. A failed run is
 * reported by its own scenario's test only. (Call it from beforeAll: jest refuses imports, which
 * the emulator and the SDK make lazily, between tests.)
 */
export async function runScenarios(
  scenarios: Scenario[],
  mode: RunMode | ((s: Scenario, index: number) => RunMode),
  concurrency: number,
): Promise<Map<string, PromiseSettledResult<ScenarioRun>>> {
  const results = new Map<string, PromiseSettledResult<ScenarioRun>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      const index = next++;
      const s = scenarios[index];
      try {
        const value = await runScenario(s, typeof mode === 'function' ? mode(s, index) : mode);
        results.set(s.name, { status: 'fulfilled', value });
      } catch (reason) {
        results.set(s.name, { status: 'rejected', reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, scenarios.length) }, worker));
  return results;
}

/** The minute-long (timed-out) scenarios first, so that the others run beside them. */
export function longestFirst(scenarios: Scenario[]): Scenario[] {
  const long = (s: Scenario) => ((s.timeoutMs ?? 0) > 60_000 ? 0 : 1);
  return [...scenarios].sort((a, b) => long(a) - long(b));
}

/** The run of one scenario, or its error. */
export function runOf(
  results: Map<string, PromiseSettledResult<ScenarioRun>> | undefined,
  name: string,
): ScenarioRun {
  const r = results?.get(name);
  if (!r) throw new Error(`scenario "${name}" did not run`);
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the scenarios

/** Answered requests of an operation (a faulted attempt is logged too, with an error status). */
export function succeeded(requests: RequestLogEntry[], operation: string): RequestLogEntry[] {
  return requests.filter((r) => r.operation === operation && r.status === 200);
}

export function attempts(requests: RequestLogEntry[], operation: string): RequestLogEntry[] {
  return requests.filter((r) => r.operation === operation);
}

function expectCleanRun(run: ScenarioRun): void {
  expect(unexpectedStderr(run.result.stderr)).toBe('');
  expect(run.result.signal).toBeNull();
}

/** Exit code and outcome first; when they are wrong, the error shows the step log. */
export function expectOutcome(run: ScenarioRun, outcome: string, exitCode: number): void {
  const { result } = run;
  if (result.outputs.outcome !== outcome || result.exitCode !== exitCode) {
    throw new Error(
      `expected outcome ${outcome} and exit code ${exitCode}, got ${result.outputs.outcome} and ${result.exitCode}; step log:\n${result.log}`,
    );
  }
  expectCleanRun(run);
}

export function expectDeploymentId(run: ScenarioRun): string {
  const id = run.result.outputs['deployment-id'];
  expect(id).toMatch(/^ecs-svc\/\d{19}$/);
  return id;
}

export function expectTaskDefinitionOutputs(
  run: ScenarioRun,
  familyRevision: string,
  previous: string,
): void {
  const { outputs } = run.result;
  expect(outputs['task-definition-arn']).toBe(tdArn(familyRevision));
  expect(outputs['task-definition-revision']).toBe(familyRevision.split(':')[1]);
  expect(outputs['previous-task-definition-arn']).toBe(tdArn(previous));
}

/** The summary's headline: `## <emoji> <title> · web`, then the reason. */
export function expectHeadline(run: ScenarioRun, title: string, reason: RegExp | string): void {
  const [headline, , quoted] = run.result.summary.split('\n');
  expect(headline).toMatch(new RegExp(`^## \\S+ ${escapeRegExp(title)} · ${SERVICE}$`));
  expect(unescapeMarkdown(quoted ?? '')).toMatch(
    typeof reason === 'string' ? new RegExp(escapeRegExp(reason)) : reason,
  );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Undoes markdown.ts `text()`. */
export function unescapeMarkdown(s: string): string {
  return s.replace(/\\([\\`*_[\]<>|~#&!])/g, '$1');
}

/** The lines of one `### <title>` section of the summary ('' when there is none). */
export function summarySection(run: ScenarioRun, title: string): string {
  const sections = run.result.summary.split(/\n(?=### )/);
  return sections.find((s) => s.startsWith(`### ${title}`)) ?? '';
}

/**
 * Service events: in the summary oldest first (by their full timestamps), each of them printed
 * exactly once in the step log, and each a real event of the service. Returns their messages.
 */
export function expectEventsOnceOldestFirst(run: ScenarioRun): string[] {
  const section = summarySection(run, 'Service events');
  const items = [...section.matchAll(/^- `(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ)` (.*)$/gm)].map((m) => ({
    time: Date.parse(m[1].replace(' ', 'T')),
    message: unescapeMarkdown(m[2]),
  }));
  expect(items.length).toBeGreaterThan(0);
  const times = items.map((i) => i.time);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const logLines = run.result.log.split('\n');
  const known = new Set((run.service?.events ?? []).map((e) => e.message));
  for (const { message } of items) {
    const printed = logLines.filter((l) => /^\d\d:\d\d:\d\d /.test(l) && l.slice(9) === message);
    expect({ message, printed: printed.length }).toEqual({ message, printed: 1 });
    expect(known.has(message)).toBe(true);
  }
  // The service events the log printed are the ones the summary lists, in the same order.
  const printedEvents = logLines.filter((l) => /^\d\d:\d\d:\d\d \(service /.test(l)).map((l) => l.slice(9));
  expect(printedEvents).toEqual(items.map((i) => i.message));
  return items.map((i) => i.message);
}

export function expectProgressLine(run: ScenarioRun, pattern: RegExp): void {
  expect(run.result.log).toMatch(pattern);
}

/** The task definition's container `web`. */
export function webContainer(td: TaskDefinition | undefined): ContainerDefinition {
  const c = td?.containerDefinitions?.find((x) => x.name === 'web');
  if (!c) throw new Error('no container web');
  return c;
}

/** A registered revision as RegisterTaskDefinition input fields, without what ECS sets. */
export function registeredShape(td: TaskDefinition | undefined): Record<string, unknown> {
  const {
    taskDefinitionArn: _a,
    revision: _r,
    status: _s,
    requiresAttributes: _ra,
    compatibilities: _c,
    registeredAt: _at,
    registeredBy: _by,
    ...rest
  } = td ?? {};
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** The service's PRIMARY deployment. */
export function primaryOf(service: Service | undefined) {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/** `entry` was the action's last request: nothing (no polling) came after it. */
export function expectNoRequestsAfter(requests: RequestLogEntry[], entry: RequestLogEntry | undefined): void {
  expect(entry).toBeDefined();
  const after = requests.slice(requests.indexOf(entry!) + 1);
  expect(after.map((r) => r.operation)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// The scenarios

export const SCENARIOS: Scenario[] = [
  {
    name: 'succeeded: the template with a new image, to a seeded service',
    seed: baseSeed(),
    inputs: deployInputs('1.1'),
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(run, 'Succeeded', `ECS deployment ${id} completed.`);
      expect(run.result.summary).toContain(`| Deployment | \`${id}\` |`);
      expect(run.result.log).toContain(`Following deployment ${id} of service web (web:2)`);
      const events = expectEventsOnceOldestFirst(run);
      expect(events).toContain(`(service web) (deployment ${id}) deployment completed.`);
      expectProgressLine(run, /^web: \d+\/2 running, \d+ pending, 0 failed \(ecs-svc\/\d{6}…\)$/m);
      expectProgressLine(run, /^web: 2\/2 running, 0 pending, 0 failed \(ecs-svc\/\d{6}…\)$/m);
      expect(succeeded(run.requests, 'RegisterTaskDefinition')).toHaveLength(1);
      expect(succeeded(run.requests, 'UpdateService')).toHaveLength(1);
      expect(
        mutatingCalls(run.requests).every((r) =>
          /^(RegisterTaskDefinition|UpdateService)$/.test(r.operation),
        ),
      ).toBe(true);
      expect(primaryOf(run.service)?.id).toBe(id);
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
      expect(webContainer(run.taskDefinitions[tdArn('web:2')]).image).toBe(`${REGISTRY}/web:1.1`);
    },
  },
  {
    name: 'rolled-back: a crashing image, circuit breaker with rollback',
    seed: baseSeed(),
    inputs: deployInputs('crash'),
    verify(run) {
      expectOutcome(run, 'rolled-back', 1);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      // Back to the deployment the service ran before.
      const back = primaryOf(run.before)?.id ?? '';
      expect(back).toMatch(/^ecs-svc\/\d{19}$/);
      // Reported as soon as the rollback is certain: it may or may not have finished by then.
      expectHeadline(
        run,
        'Failed: rolled back',
        new RegExp(
          `^> The deployment ${escapeRegExp(id)} failed: (ECS deployment circuit breaker: )?tasks failed to start; ECS (rolled back|is rolling back) to ${escapeRegExp(back)} \\(web:1\\)`,
        ),
      );
      // The sentence matches whether the rollback had finished when the step ended.
      expect(run.result.summary).toMatch(
        new RegExp(
          `\\*\\*The deployment failed\\.\\*\\* ECS (rolled the service back to \`${escapeRegExp(back)}\` \\(\`web:1\`\\); the new task definition is not running|is rolling the service back to \`${escapeRegExp(back)}\` \\(\`web:1\`\\); the rollback had not finished when this step ended)\\.`,
        ),
      );
      const stopped = summarySection(run, 'Stopped tasks');
      expect(stopped).toMatch(
        /^- \*\*\d+ tasks?\*\* · `EssentialContainerExited` · Essential container in task exited$/m,
      );
      expect(stopped).toContain('  - container `web`: exit code 1');
      const logs = summarySection(run, 'Last log lines');
      expect(logs).toContain('Error: connect ECONNREFUSED 127.0.0.1:5432');
      expect(logs).toContain('Process exited with code 1');
      expect(run.result.log).toContain('Why the deployment failed: stopped tasks and their last log lines');
      const events = expectEventsOnceOldestFirst(run);
      expect(events).toContain(`(service web) (deployment ${id}) deployment failed: tasks failed to start.`);
      expect(events).toContain(`(service web) rolling back to deployment ${back}.`);
      expect(run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        expect.stringMatching(/rolled back \(outcome: rolled-back\)/),
      ]);
      // ECS rolled back by itself: the action asked for nothing.
      expect(attempts(run.requests, 'StopServiceDeployment')).toEqual([]);
      expect(succeeded(run.requests, 'GetLogEvents').length).toBeGreaterThan(0);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(primaryOf(run.service)?.id).toBe(back);
    },
  },
  {
    name: 'rolled-back: an image that cannot be pulled',
    seed: baseSeed(),
    inputs: deployInputs('pull-error'),
    verify(run) {
      expectOutcome(run, 'rolled-back', 1);
      const id = expectDeploymentId(run);
      const back = primaryOf(run.before)?.id ?? '';
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed: rolled back',
        new RegExp(
          `^> The deployment ${escapeRegExp(id)} failed: (ECS deployment circuit breaker: )?tasks failed to start; ECS (rolled back|is rolling back) to ${escapeRegExp(back)} \\(web:1\\)`,
        ),
      );
      const stopped = summarySection(run, 'Stopped tasks');
      expect(stopped).toMatch(
        /^- \*\*\d+ tasks?\*\* · `TaskFailedToStart` · CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:pull-error: not found$/m,
      );
      expect(stopped).toMatch(/^ {2}- container `web`: no exit code: CannotPullContainerError: /m);
      expectEventsOnceOldestFirst(run);
      expect(attempts(run.requests, 'StopServiceDeployment')).toEqual([]);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
    },
  },
  {
    name: 'failed: circuit breaker enabled without rollback (circuit-breaker: enable)',
    seed: baseSeed(),
    inputs: deployInputs('pull-error', { 'circuit-breaker': 'enable' }),
    verify(run) {
      expectOutcome(run, 'failed', 1);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed',
        new RegExp(
          `^> The deployment ${escapeRegExp(id)} failed: (ECS deployment circuit breaker: )?tasks failed to start\\. (ECS stopped|Rollback is off)`,
        ),
      );
      expect(run.result.summary).not.toContain('rolled the service back');
      expect(summarySection(run, 'Stopped tasks')).toContain(
        '`TaskFailedToStart` · CannotPullContainerError',
      );
      expectEventsOnceOldestFirst(run);
      // The input changed the service's breaker, and ECS kept the failed deployment.
      expect(run.service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
        enable: true,
        rollback: false,
      });
      expect(run.service?.deploymentConfiguration?.minimumHealthyPercent).toBe(100);
      expect(primaryOf(run.service)).toEqual(expect.objectContaining({ id, rolloutState: 'FAILED' }));
      expect(attempts(run.requests, 'StopServiceDeployment')).toEqual([]);
    },
  },
  {
    name: 'failed: the service never completed a deployment, so there is nothing to roll back to',
    // The service was just created (not seeded steady): its first deployment cannot pull its image.
    seed: baseSeed({ revisions: [taskDefinitionWith('pull-error')], service: null }),
    async setup({ ecs }) {
      const out = await ecs.send(new CreateServiceCommand(serviceSeed({ desiredCount: 1 }) as never));
      return { firstDeployment: out.service?.deployments?.[0]?.id ?? '' };
    },
    inputs: deployInputs('crash'),
    verify(run) {
      expectOutcome(run, 'failed', 1);
      const id = expectDeploymentId(run);
      expect(id).not.toBe(run.notes.firstDeployment);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed',
        new RegExp(
          `^> The deployment ${escapeRegExp(id)} failed: .*(rollback failed|no earlier COMPLETED deployment)`,
        ),
      );
      expect(run.result.summary).not.toContain('rolled the service back');
      const stopped = summarySection(run, 'Stopped tasks');
      expect(stopped).toContain('`EssentialContainerExited`');
      expect(stopped).toContain('  - container `web`: exit code 1');
      // The first deployment's tasks are not ours: they are not in the report.
      expect(stopped).not.toContain('CannotPullContainerError');
      expectEventsOnceOldestFirst(run);
      expect(primaryOf(run.service)).toEqual(expect.objectContaining({ id, rolloutState: 'FAILED' }));
    },
  },
  {
    name: 'superseded: another UpdateService replaces our deployment while it runs',
    seed: baseSeed(),
    inputs: deployInputs('slow'),
    during: {
      when: /^Following deployment /m,
      async act({ ecs }) {
        // Another pipeline registers and deploys its own revision.
        const registered = await ecs.send(
          new RegisterTaskDefinitionCommand(taskDefinitionWith('2.0') as never),
        );
        const out = await ecs.send(
          new UpdateServiceCommand({
            cluster: CLUSTER,
            service: SERVICE,
            taskDefinition: registered.taskDefinition?.taskDefinitionArn,
          }),
        );
        return { other: primaryOf(out.service)?.id ?? '' };
      },
    },
    verify(run) {
      expectOutcome(run, 'superseded', 1);
      const id = expectDeploymentId(run);
      const other = run.notes.other;
      expect(other).toMatch(/^ecs-svc\/\d{19}$/);
      expect(other).not.toBe(id);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed: superseded by another deployment',
        `Another deployment, ${other} (web:3), replaced ${id} before it finished`,
      );
      expect(run.result.summary).toContain(`**The deployment did not finish:** \`${other}\` replaced it.`);
      expect(run.result.summary).toMatch(new RegExp(`\\| Superseded by \\| \`${escapeRegExp(other)}\` \\(`));
      // Ours and the other pipeline's.
      expect(succeeded(run.requests, 'UpdateService')).toHaveLength(2);
      expect(run.service?.taskDefinition).toBe(tdArn('web:3'));
      expect(primaryOf(run.service)?.id).toBe(other);
    },
  },
  {
    name: 'timed-out: a slow start outlasts wait-for-minutes; ECS goes on with it',
    seed: baseSeed(),
    speed: SLOW_SPEED,
    inputs: deployInputs('slow', { 'wait-for-minutes': '1' }),
    timeoutMs: 150_000,
    verify(run) {
      expectOutcome(run, 'timed-out', 1);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed: timed out',
        new RegExp(
          `^> No verdict within 1 minute\\(s\\): ${escapeRegExp(id)} was IN_PROGRESS .*ECS goes on with the deployment\\.$`,
        ),
      );
      // It waited the whole wait-for-minutes before giving up (a contract, not a speed figure).
      expect(run.result.durationMs).toBeGreaterThanOrEqual(60_000);
      expect(attempts(run.requests, 'StopServiceDeployment')).toEqual([]);
      // Still rolling out: our deployment is PRIMARY.
      expect(primaryOf(run.service)).toEqual(expect.objectContaining({ id, rolloutState: 'IN_PROGRESS' }));
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
    },
  },
  {
    name: 'timed-out with on-timeout: rollback: StopServiceDeployment, the service back on its old revision',
    seed: baseSeed(),
    speed: SLOW_SPEED,
    inputs: deployInputs('slow', { 'wait-for-minutes': '1', 'on-timeout': 'rollback' }),
    timeoutMs: 150_000,
    verify(run) {
      expectOutcome(run, 'timed-out', 1);
      const id = expectDeploymentId(run);
      const back = primaryOf(run.before)?.id ?? '';
      expect(back).toMatch(/^ecs-svc\/\d{19}$/);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Failed: timed out',
        new RegExp(
          `^> No verdict within 1 minute\\(s\\): ${escapeRegExp(id)} was IN_PROGRESS .*Rolled back on timeout: ECS rolled back to ${escapeRegExp(back)} \\(web:1\\); the rollback completed\\.$`,
        ),
      );
      expect(run.result.log).toContain(`web: no verdict after 1 minute(s); asking ECS to roll back ${id}.`);
      expect(run.result.summary).toContain(`| Rolled back to | \`${back}\` (`);
      const stops = succeeded(run.requests, 'StopServiceDeployment');
      expect(stops).toHaveLength(1);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(primaryOf(run.service)).toEqual(
        expect.objectContaining({ id: back, taskDefinition: tdArn('web:1'), rolloutState: 'COMPLETED' }),
      );
      expect(run.service?.deployments?.some((d) => d.id === id && d.status === 'PRIMARY')).toBe(false);
    },
  },
  {
    name: 'unchanged: the template renders what the service runs',
    seed: baseSeed(),
    inputs: deployInputs('1.0'),
    verify(run) {
      expectOutcome(run, 'unchanged', 0);
      const { outputs } = run.result;
      expect(outputs['task-definition-arn']).toBe(tdArn('web:1'));
      expect(outputs['task-definition-revision']).toBe('1');
      expect(outputs['previous-task-definition-arn']).toBe(tdArn('web:1'));
      // The running deployment, in which nothing changed.
      const running = run.service?.deployments ?? [];
      expect(running).toHaveLength(1);
      expect(running[0].id).toBe(primaryOf(run.before)?.id);
      expect(outputs['deployment-id']).toBe(running[0].id);
      expectHeadline(run, 'Unchanged', `Service web already runs ${tdArn('web:1')}`);
      expect(run.result.summary).toContain('No changes to the task definition.');
      // Nothing registered and, with nothing to change, no UpdateService either: no write at all.
      expect(mutatingCalls(run.requests)).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1')]);
      // Nothing to follow.
      expect(attempts(run.requests, 'DescribeServiceDeployments')).toEqual([]);
    },
  },
  {
    name: 'planned: dry-run writes nothing and shows the diff',
    seed: baseSeed(),
    inputs: deployInputs('1.1', { 'dry-run': 'true', 'environment-variables': 'LOG_LEVEL=debug' }),
    verify(run) {
      expectOutcome(run, 'planned', 0);
      expect(run.result.outputs['deployment-id']).toBeUndefined();
      expect(run.result.outputs['task-definition-arn']).toBeUndefined();
      expect(run.result.outputs['previous-task-definition-arn']).toBe(tdArn('web:1'));
      expectHeadline(
        run,
        'Planned (dry run)',
        `Dry run: 2 changes against ${tdArn('web:1')} would be registered as a new revision; nothing was written to AWS.`,
      );
      expect(run.result.summary).toContain('_Dry run: nothing was registered or deployed._');
      const plan = summarySection(run, 'Task definition changes');
      expect(plan).toContain('<details open><summary>Task definition changes (2)</summary>');
      expect(plan).toContain(`~ containerDefinitions[web].image: ${REGISTRY}/web:1.0 → ${REGISTRY}/web:1.1`);
      expect(plan).toContain('~ containerDefinitions[web].environment[LOG_LEVEL]: info → debug');
      expect(mutatingCalls(run.requests)).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1')]);
      expect(run.service?.deployments).toHaveLength(1);
    },
  },
  {
    name: 'started: wait-for-service-stability false updates the service and stops',
    seed: baseSeed(),
    inputs: deployInputs('1.1', { 'wait-for-service-stability': 'false' }),
    verify(run) {
      expectOutcome(run, 'started', 0);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      expectHeadline(
        run,
        'Started, not followed',
        `Deployment ${id} started; not followed because wait-for-service-stability is false.`,
      );
      const updates = succeeded(run.requests, 'UpdateService');
      expect(updates).toHaveLength(1);
      // No polling after it.
      expectNoRequestsAfter(run.requests, updates[0]);
      expect(run.service?.deployments?.map((d) => d.id)).toContain(id);
    },
  },
  {
    name: 'redeploy: no template, images: web=:1.2 keeps the repository and changes only the image',
    seed: baseSeed(),
    inputs: { cluster: CLUSTER, service: SERVICE, images: 'web=:1.2' },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      const before = registeredShape(run.taskDefinitions[tdArn('web:1')]);
      const after = registeredShape(run.taskDefinitions[tdArn('web:2')]);
      expect(webContainer(run.taskDefinitions[tdArn('web:2')]).image).toBe(`${REGISTRY}/web:1.2`);
      (before.containerDefinitions as Record<string, unknown>[])[0].image = `${REGISTRY}/web:1.2`;
      expect(after).toEqual(before);
      const plan = summarySection(run, 'Task definition changes');
      expect(plan).toContain('Task definition changes (1)');
      expect(plan).toContain(`~ containerDefinitions[web].image: ${REGISTRY}/web:1.0 → ${REGISTRY}/web:1.2`);
      expect(succeeded(run.requests, 'RegisterTaskDefinition')).toHaveLength(1);
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
    },
  },
  {
    name: 'redeploy: task-definition-arn of an older revision deploys it as is (a rollback), nothing registered',
    seed: baseSeed({
      revisions: [taskDefinitionWith('1.0'), taskDefinitionWith('1.1')],
      service: { taskDefinition: 'web:2' },
    }),
    inputs: { cluster: CLUSTER, service: SERVICE, 'task-definition-arn': tdArn('web:1') },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:1', 'web:2');
      expectHeadline(run, 'Succeeded', `ECS deployment ${id} completed.`);
      expect(attempts(run.requests, 'RegisterTaskDefinition')).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1'), tdArn('web:2')]);
      expect(succeeded(run.requests, 'UpdateService')).toHaveLength(1);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(primaryOf(run.service)).toEqual(expect.objectContaining({ id, taskDefinition: tdArn('web:1') }));
    },
  },
  {
    name: 'redeploy: force-new-deployment alone restarts the tasks on the same revision',
    seed: baseSeed(),
    inputs: { cluster: CLUSTER, service: SERVICE, 'force-new-deployment': 'true' },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const id = expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:1', 'web:1');
      expectHeadline(run, 'Succeeded', `ECS deployment ${id} completed.`);
      expect(attempts(run.requests, 'RegisterTaskDefinition')).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1')]);
      expect(succeeded(run.requests, 'UpdateService')).toHaveLength(1);
      expect(primaryOf(run.service)).toEqual(
        expect.objectContaining({ id, taskDefinition: tdArn('web:1'), rolloutState: 'COMPLETED' }),
      );
      const events = expectEventsOnceOldestFirst(run);
      expect(events).toContain(`(service web) (deployment ${id}) deployment completed.`);
    },
  },
  {
    name: 'redeploy: one variable changed with no template (environment-variables: LOG_LEVEL=debug)',
    seed: baseSeed(),
    inputs: { cluster: CLUSTER, service: SERVICE, 'environment-variables': 'LOG_LEVEL=debug' },
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      expectDeploymentId(run);
      expectTaskDefinitionOutputs(run, 'web:2', 'web:1');
      const web = webContainer(run.taskDefinitions[tdArn('web:2')]);
      expect(web.image).toBe(`${REGISTRY}/web:1.0`);
      expect(web.environment).toEqual([
        { name: 'PORT', value: '8080' },
        { name: 'LOG_LEVEL', value: 'debug' },
      ]);
      const before = registeredShape(run.taskDefinitions[tdArn('web:1')]);
      const after = registeredShape(run.taskDefinitions[tdArn('web:2')]);
      (before.containerDefinitions as { environment: unknown }[])[0].environment = web.environment;
      expect(after).toEqual(before);
      const plan = summarySection(run, 'Task definition changes');
      expect(plan).toContain('Task definition changes (1)');
      expect(plan).toContain('~ containerDefinitions[web].environment[LOG_LEVEL]: info → debug');
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
    },
  },
  {
    name: 'guard: a missing service fails before anything is written',
    seed: baseSeed({ service: null }),
    inputs: deployInputs('1.1', { service: 'api' }),
    verify(run) {
      expect(run.result.exitCode).toBe(1);
      expect(unexpectedStderr(run.result.stderr)).toBe('');
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toEqual([expect.stringContaining("Service 'api' was not found in cluster 'prod'")]);
      expect(mutatingCalls(run.requests)).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1')]);
    },
  },
  {
    // Issue 12: CodeDeploy deploys a CODE_DEPLOY service; without its AppSpec and application it cannot.
    name: 'guard: a CODE_DEPLOY service without an AppSpec or CodeDeploy application gets clear errors and nothing is registered',
    seed: baseSeed({ service: { deploymentController: { type: 'CODE_DEPLOY' } } }),
    inputs: deployInputs('1.1'),
    verify(run) {
      expect(run.result.exitCode).toBe(1);
      expect(unexpectedStderr(run.result.stderr)).toBe('');
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toEqual([
        expect.stringMatching(
          /The AppSpec file 'appspec\.yaml' does not exist\. The service uses the CODE_DEPLOY deployment controller/,
        ),
        expect.stringContaining("CodeDeploy has no application 'AppECS-prod-web'"),
        expect.stringMatching(/^The service uses the CODE_DEPLOY deployment controller, .*CodeDeploy/),
      ]);
      expect(mutatingCalls(run.requests)).toEqual([]);
      expect(run.revisions).toEqual([tdArn('web:1')]);
    },
  },
  {
    name: 'guard: access denied on UpdateService ends the step at once, naming ecs:UpdateService',
    seed: baseSeed(),
    faults: [{ operation: 'UpdateService', kind: 'access-denied', rate: 1 }],
    inputs: deployInputs('1.1'),
    verify(run) {
      expect(run.result.exitCode).toBe(1);
      expect(unexpectedStderr(run.result.stderr)).toBe('');
      const errors = run.result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toEqual([
        expect.stringMatching(
          /^UpdateService was denied: the role this workflow uses needs the IAM permission ecs:UpdateService /,
        ),
      ]);
      expect(errors[0]).toContain('is not authorized to perform: ecs:UpdateService');
      // One attempt (access denied is not retried), and nothing after it: no polling.
      const updates = attempts(run.requests, 'UpdateService');
      expect(updates).toHaveLength(1);
      expect(updates[0].error).toBe('AccessDeniedException');
      expectNoRequestsAfter(run.requests, updates[0]);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(run.service?.deployments).toHaveLength(1);
      // What had happened is still reported: the revision registered before the refusal.
      expect(run.result.outputs['task-definition-arn']).toBe(tdArn('web:2'));
      expect(run.result.outputs.outcome).toBeUndefined();
      expect(run.result.summary).toContain('Failed before a verdict');
      expect(run.result.summary).toContain('web:2');
    },
  },
  {
    name: 'guard: a cancel (SIGTERM) while following exits promptly and names the deployment',
    seed: baseSeed(),
    inputs: deployInputs('slow'),
    signal: { name: 'SIGTERM', whenOutputMatches: /^Following deployment /m },
    verify(run) {
      expectOutcome(run, 'cancelled', 1);
      const id = expectDeploymentId(run);
      expect(run.signalledAt).toBeDefined();
      // It stopped polling at the signal: at most the one DescribeServices already under way
      // (with its SDK retries when faults are injected). Timing is the benchmark's business.
      const polledAfter = run.requests.filter(
        (r) => r.time > run.signalledAt! && r.operation === 'DescribeServices',
      );
      expect(polledAfter.length).toBeLessThanOrEqual(run.faulted ? 6 : 1);
      expect(run.result.log).toContain('::warning::SIGTERM received: the step is being cancelled.');
      expectHeadline(run, 'Failed: cancelled before a verdict', `Cancelled while following: ${id} was`);
      expect(run.result.summary).toContain('**The run was cancelled** while following the deployment.');
      // ECS goes on with the deployment.
      expect(primaryOf(run.service)?.id).toBe(id);
      expect(attempts(run.requests, 'StopServiceDeployment')).toEqual([]);
    },
  },
];
