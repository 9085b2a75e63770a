// keep-revisions end to end: `node dist/index.js` against the emulator, as the runner runs it. The
// family has 12 revisions; the step's service `web` runs web:10 and another service of the
// cluster, `worker`, runs web:3. The step registers web:13 and keeps the newest 3 (13, 12, 11),
// web:10 (web's previous revision, its rollback target) and web:3 (running in worker); web:1, 2,
// 4 to 9 go. A failed deploy cleans nothing up; a dry run lists what it would do and writes nothing.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';

import { mutatingCalls, startEmulator, type FaultRule, type RequestLogEntry } from '../../emulator/index.js';
import { runAction, type RunActionResult } from '../../emulator/run-action.js';
import {
  baseSeed,
  CLUSTER,
  deployInputs,
  REGISTRY,
  serviceSeed,
  SPEED,
  taskDefinitionWith,
  tdArn,
} from './scenarios.js';

interface CleanupRun {
  result: RunActionResult;
  requests: RequestLogEntry[];
  /** Status of web:1 … web:13 after the run (`-` when there is no such revision). */
  statuses: Record<number, string>;
}

const KEPT = [3, 10, 11, 12, 13];
const GONE = [1, 2, 4, 5, 6, 7, 8, 9];

async function run(inputs: Record<string, string>, faults: FaultRule[] = []): Promise<CleanupRun> {
  const seed = baseSeed({
    revisions: Array.from({ length: 12 }, (_, i) => taskDefinitionWith(`r${i + 1}`)),
    service: { taskDefinition: 'web:10' },
  });
  seed.services = [
    ...(seed.services ?? []),
    serviceSeed({ serviceName: 'worker', taskDefinition: 'web:3', desiredCount: 1 }),
  ];
  const emulator = await startEmulator({ speed: SPEED, seed });
  const ecs = new ECSClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    emulator.setFaults(faults);
    const mark = emulator.requests.length;
    const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs: 90_000 });
    const requests = emulator.requests.slice(mark);
    emulator.setFaults([]);
    const statuses: Record<number, string> = {};
    for (let r = 1; r <= 13; r++) {
      const td = await ecs
        .send(new DescribeTaskDefinitionCommand({ taskDefinition: `web:${r}` }))
        .then((out) => out.taskDefinition?.status ?? '-')
        .catch(() => '-');
      statuses[r] = td;
    }
    // The listing the action used sees exactly the ACTIVE ones.
    const active = (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' })))
      .taskDefinitionArns;
    expect(active).toEqual(
      Object.entries(statuses)
        .filter(([, s]) => s === 'ACTIVE')
        .map(([r]) => tdArn(`web:${r}`)),
    );
    return { result, requests, statuses };
  } finally {
    ecs.destroy();
    await emulator.stop();
  }
}

const only = (statuses: Record<number, string>, status: string) =>
  Object.entries(statuses)
    .filter(([, s]) => s === status)
    .map(([r]) => Number(r));

const operations = (requests: RequestLogEntry[]) => mutatingCalls(requests).map((r) => r.operation);

/** worker's own revision: the app and a sidecar, family worker (rendered from its own base). */
function workerRevision(tag: string): Record<string, unknown> {
  const td = taskDefinitionWith(tag) as { containerDefinitions: Record<string, unknown>[] };
  const sidecar = {
    ...td.containerDefinitions[0],
    name: 'sidecar',
    image: `${REGISTRY}/web:1.0`,
    essential: false,
    portMappings: [],
  };
  return { ...td, family: 'worker', containerDefinitions: [...td.containerDefinitions, sidecar] };
}

/** web runs web:5 of 5, worker runs worker:4 of 4; the step deploys both (no template) with keep-revisions 2. */
async function runTwoFamilies(
  extra: Record<string, string>,
): Promise<{ result: RunActionResult; statuses: Record<string, string>; requests: RequestLogEntry[] }> {
  const seed = baseSeed({
    revisions: [
      ...Array.from({ length: 5 }, (_, i) => taskDefinitionWith(`r${i + 1}`)),
      ...Array.from({ length: 4 }, (_, i) => workerRevision(`w${i + 1}`)),
    ],
    service: { taskDefinition: 'web:5' },
  });
  seed.services = [
    ...(seed.services ?? []),
    serviceSeed({ serviceName: 'worker', taskDefinition: 'worker:4' }),
  ];
  const emulator = await startEmulator({ speed: SPEED, seed });
  const ecs = new ECSClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const inputs = {
      ...{ 'container-name': 'web', image: `${REGISTRY}/web:2.0`, cluster: CLUSTER },
      ...{ service: 'web\nworker', 'keep-revisions': '2', ...extra },
    };
    const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs: 90_000 });
    const statuses: Record<string, string> = {};
    for (const name of [
      ...[1, 2, 3, 4, 5, 6].map((r) => `web:${r}`),
      ...[1, 2, 3, 4, 5].map((r) => `worker:${r}`),
    ]) {
      statuses[name] = await ecs
        .send(new DescribeTaskDefinitionCommand({ taskDefinition: name }))
        .then((out) => out.taskDefinition?.status ?? '-')
        .catch(() => '-');
    }
    return { result, statuses, requests: [...emulator.requests] };
  } finally {
    ecs.destroy();
    await emulator.stop();
  }
}

const withStatus = (statuses: Record<string, string>, status: string) =>
  Object.entries(statuses)
    .filter(([, s]) => s === status)
    .map(([name]) => name);

let runs: Record<string, CleanupRun>;
let families: Record<string, Awaited<ReturnType<typeof runTwoFamilies>>>;

beforeAll(async () => {
  const [kept, deleted, failed, dryRun, denied] = await Promise.all([
    run(deployInputs('2.0', { 'keep-revisions': '3' })),
    run(deployInputs('2.0', { 'keep-revisions': '3', 'delete-deregistered': 'true' })),
    run(deployInputs('crash', { 'keep-revisions': '3', 'delete-deregistered': 'true' })),
    run(deployInputs('2.0', { 'keep-revisions': '3', 'delete-deregistered': 'true', 'dry-run': 'true' })),
    run(deployInputs('2.0', { 'keep-revisions': '3', 'delete-deregistered': 'true' }), [
      { operation: 'DeregisterTaskDefinition', kind: 'access-denied', rate: 1 },
    ]),
  ]);
  runs = { kept, deleted, failed, dryRun, denied };
  const [deployed, planned] = await Promise.all([runTwoFamilies({}), runTwoFamilies({ 'dry-run': 'true' })]);
  families = { deployed, planned };
}, 240_000);

describe('keep-revisions end to end', () => {
  test('after a successful deploy: exactly the old revisions beyond the newest 3 are deregistered, never a running or the previous one', () => {
    const { result, requests, statuses } = runs.kept;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'succeeded']);
    expect(result.outputs['task-definition-arn']).toBe(tdArn('web:13'));
    expect(only(statuses, 'ACTIVE')).toEqual(KEPT);
    expect(only(statuses, 'INACTIVE')).toEqual(GONE);
    const deregistered = requests.filter((r) => r.operation === 'DeregisterTaskDefinition');
    expect(deregistered.map((r) => [r.target, r.status])).toEqual(GONE.map((n) => [`web:${n}`, 200]));
    expect(operations(requests)).toEqual([
      'RegisterTaskDefinition',
      'UpdateService',
      ...GONE.map(() => 'DeregisterTaskDefinition'),
    ]);
    // Everything the cleanup wrote came after the verdict.
    const update = requests.findIndex((r) => r.operation === 'UpdateService');
    const lastDescribe = requests.map((r) => r.operation).lastIndexOf('DescribeServices');
    expect(requests.findIndex((r) => r.operation === 'DeregisterTaskDefinition')).toBeGreaterThan(update);
    expect(requests.findIndex((r) => r.operation === 'ListServices')).toBeGreaterThan(update);
    expect(lastDescribe).toBeGreaterThan(update);
    expect(JSON.parse(result.outputs['deregistered-task-definitions'])).toEqual(
      GONE.map((n) => tdArn(`web:${n}`)),
    );
    expect(result.summary).toContain('### Cleanup');
    expect(result.summary).toContain('8 revisions of `web` deregistered; 5 kept (keep-revisions: 3)');
    expect(result.summary).toMatch(/`web:3` \| kept: running in service worker/);
    expect(result.summary).toMatch(/`web:10` \| kept: previous revision of web \(rollback target\)/);
    expect(result.summary).toMatch(
      /`web:13` \| kept: newest 1; deployed by this step; running in service web/,
    );
    expect(result.log).toContain('Cleanup: deregistered web:1.');
  });

  test('with delete-deregistered: the same revisions are deregistered, then deleted in one call', () => {
    const { result, requests, statuses } = runs.deleted;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'succeeded']);
    expect(only(statuses, 'ACTIVE')).toEqual(KEPT);
    expect(only(statuses, 'DELETE_IN_PROGRESS')).toEqual(GONE);
    const deletes = requests.filter((r) => r.operation === 'DeleteTaskDefinitions');
    expect(deletes.map((r) => r.status)).toEqual([200]);
    expect(operations(requests).slice(-1)).toEqual(['DeleteTaskDefinitions']);
    expect(result.summary).toContain('deregistered and deleted');
    expect(result.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });

  test('a failed deploy cleans nothing up', () => {
    const { result, requests, statuses } = runs.failed;
    expect(result.exitCode).toBe(1);
    expect(result.outputs.outcome).toBe('rolled-back');
    expect(operations(requests)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(requests.filter((r) => /^List(TaskDefinitions|Services)$/.test(r.operation))).toEqual([]);
    expect(only(statuses, 'ACTIVE')).toEqual([...Array(13).keys()].map((i) => i + 1));
    expect(result.outputs['deregistered-task-definitions']).toBeUndefined();
    expect(result.summary).toMatch(/### Cleanup\s+Not run: the deployment did not succeed \(rolled-back\)/);
  });

  test('a dry run lists what it would do, counting the revision it would register, and writes nothing', () => {
    const { result, requests, statuses } = runs.dryRun;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'planned']);
    expect(mutatingCalls(requests)).toEqual([]);
    expect(only(statuses, 'ACTIVE')).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(result.outputs['deregistered-task-definitions']).toBeUndefined();
    // The new revision takes one of the 3: web:12 and web:11 are the others; web:10 and web:3 stay too.
    expect(result.summary).toContain('Dry run: 8 revisions of `web` would be deregistered and deleted');
    for (const n of GONE)
      expect(result.summary).toContain(`\`web:${n}\` | would be deregistered and deleted`);
    expect(result.summary).toContain('the revision this step would register');
  });

  test('a refused cleanup is a warning naming the IAM action; the deploy still succeeds', () => {
    const { result, requests, statuses } = runs.denied;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'succeeded']);
    // Access denied stops the cleanup at its first refusal: the others would be refused too.
    expect(requests.filter((r) => r.operation === 'DeregisterTaskDefinition')).toHaveLength(1);
    expect(requests.filter((r) => r.operation === 'DeleteTaskDefinitions')).toEqual([]);
    expect(only(statuses, 'ACTIVE')).toEqual([...Array(13).keys()].map((i) => i + 1));
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings.join('\n')).toMatch(/ecs:DeregisterTaskDefinition/);
    expect(result.summary).toMatch(/`ecs:DeregisterTaskDefinition`/);
    expect(JSON.parse(result.outputs['deregistered-task-definitions'])).toEqual([]);
  });

  test('two families (worker rendered from its own base): each is cleaned up by the same rules', () => {
    const { result, statuses } = families.deployed;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'succeeded']);
    // Newest 2 of each family: the revision registered and the previous one (also each service's rollback target).
    expect(withStatus(statuses, 'ACTIVE')).toEqual(['web:5', 'web:6', 'worker:4', 'worker:5']);
    expect(withStatus(statuses, 'INACTIVE')).toEqual([
      'web:1',
      'web:2',
      'web:3',
      'web:4',
      'worker:1',
      'worker:2',
      'worker:3',
    ]);
    expect(JSON.parse(result.outputs['deregistered-task-definitions'])).toEqual([
      ...[1, 2, 3, 4].map((n) => tdArn(`web:${n}`)),
      ...[1, 2, 3].map((n) => tdArn(`worker:${n}`)),
    ]);
    expect(result.summary).toContain('4 revisions of `web` deregistered; 2 kept (keep-revisions: 2)');
    expect(result.summary).toContain('3 revisions of `worker` deregistered; 2 kept (keep-revisions: 2)');
    // What the cluster runs is listed once for both families.
    expect(families.deployed.requests.filter((r) => r.operation === 'ListServices')).toHaveLength(1);
  });

  test('two families in a dry run: each counts the one revision it would register, nothing is written', () => {
    const { result, statuses } = families.planned;
    expect([result.exitCode, result.outputs.outcome]).toEqual([0, 'planned']);
    expect(withStatus(statuses, 'INACTIVE')).toEqual([]);
    expect(result.summary).toContain('Dry run: 4 revisions of `web` would be deregistered');
    expect(result.summary).toContain('Dry run: 3 revisions of `worker` would be deregistered');
  });
});
