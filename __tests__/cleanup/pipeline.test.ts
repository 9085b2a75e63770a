// keep-revisions through the whole step in-process (src/stages/pipeline.ts over the fakes): the
// cleanup runs after a successful deploy only, keeps the newest N, what any service of the cluster
// runs and the previous revision; a failed deploy cleans nothing; a dry run lists and writes
// nothing; a failure to clean up is a warning, never a failed step.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, tdArn, type Timeline, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import {
  BREAKER_TRIPPED,
  NEW,
  T0,
  TD_NEW,
  TD_OLD,
  oldActive,
  ours,
  service,
} from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
};
const DEPLOY = { cluster: 'prod', service: 'web', image: 'nginx:2', 'keep-revisions': '3' };

const completed = service([
  ours({
    runningCount: 2,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${NEW} completed.`,
  }),
]);
const healthy: Timeline = [
  [0, service([ours(), oldActive()])],
  [45, completed],
];
/** A second service of the cluster, not the step's, running web:3. */
const worker: Service = {
  serviceName: 'worker',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/worker',
  status: 'ACTIVE',
  taskDefinition: tdArn('web', 3),
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: tdArn('web', 3) }],
};

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  // web:1 … web:8; the service runs web:8 (TD_OLD); the step registers web:9 (TD_NEW).
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService(service([oldActive({ status: 'PRIMARY' })]));
  aws.world.seedService(worker);
});

async function step(inputs: Record<string, string>): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'cleanup-')) });
  await runStep({ aws, runner, clock, signal: new AbortController().signal, startedAt: clock.now() });
  return runner;
}

const statuses = () =>
  Array.from({ length: 9 }, (_, i) => `${i + 1}:${aws.world.statusOf(tdArn('web', i + 1))}`);

describe('keep-revisions in the step', () => {
  it('after a successful deploy: keeps the newest 3, the previous revision and what worker runs', async () => {
    aws.world.timeline = healthy;
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.failed).toBeUndefined();
    // Newest 3: web:9 (registered), web:8 (also the previous revision), web:7; web:3 runs in worker.
    expect(statuses()).toEqual([
      '1:INACTIVE',
      '2:INACTIVE',
      '3:ACTIVE',
      '4:INACTIVE',
      '5:INACTIVE',
      '6:INACTIVE',
      '7:ACTIVE',
      '8:ACTIVE',
      '9:ACTIVE',
    ]);
    expect(mutatingCallsOf(aws.ecs)).toEqual([
      'RegisterTaskDefinition',
      'UpdateService',
      ...Array(5).fill('DeregisterTaskDefinition'),
    ]);
    expect(JSON.parse(runner.outputs['deregistered-task-definitions'])).toEqual(
      [1, 2, 4, 5, 6].map((r) => tdArn('web', r)),
    );
    const summary = runner.summaries[0];
    expect(summary).toContain('### Cleanup');
    expect(summary).toMatch(/running in service worker/);
    expect(summary).toMatch(/previous revision of web/);
    expect(summary).toMatch(/newest 1/);
    expect(runner.texts('info')).toContain('Cleanup: deregistered web:1.');
  });

  it('the previous revision is kept even when it is not among the newest N', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ ...DEPLOY, 'keep-revisions': '1' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(aws.world.statusOf(TD_OLD)).toBe('ACTIVE');
    expect(aws.world.statusOf(TD_NEW)).toBe('ACTIVE');
    expect(aws.world.statusOf(tdArn('web', 3))).toBe('ACTIVE');
    expect(aws.world.statusOf(tdArn('web', 7))).toBe('INACTIVE');
  });

  it('with delete-deregistered: deletes them too, in one DeleteTaskDefinitions call', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ ...DEPLOY, 'delete-deregistered': 'true' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(aws.ecs.callsOf('deleteTaskDefinitions')).toHaveLength(1);
    expect(statuses().filter((s) => s.endsWith('DELETE_IN_PROGRESS'))).toEqual([
      '1:DELETE_IN_PROGRESS',
      '2:DELETE_IN_PROGRESS',
      '4:DELETE_IN_PROGRESS',
      '5:DELETE_IN_PROGRESS',
      '6:DELETE_IN_PROGRESS',
    ]);
    expect(runner.summaries[0]).toContain('deregistered and deleted');
  });

  it('a failed deploy cleans nothing up', async () => {
    aws.world.timeline = [
      [0, service([ours({ failedTasks: 1 }), oldActive()])],
      [
        20,
        service([ours({ rolloutState: 'FAILED', rolloutStateReason: BREAKER_TRIPPED }), oldActive()], {
          rollback: false,
        }),
      ],
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('failed');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(aws.ecs.callsOf('listTaskDefinitions')).toEqual([]);
    expect(runner.outputs['deregistered-task-definitions']).toBeUndefined();
    expect(runner.summaries[0]).toMatch(/### Cleanup\s+Not run: the deployment did not succeed \(failed\)/);
  });

  it('a deployment not followed (wait-for-service-stability false) cleans nothing up', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ ...DEPLOY, 'wait-for-service-stability': 'false' });
    expect(runner.outputs.outcome).toBe('started');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('a timeout cleans nothing up', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('a dry run lists what it would do, counting the revision it would register, and writes nothing', async () => {
    const runner = await step({ ...DEPLOY, 'dry-run': 'true', 'delete-deregistered': 'true' });
    expect(runner.outputs.outcome).toBe('planned');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(runner.outputs['deregistered-task-definitions']).toBeUndefined();
    const summary = runner.summaries[0];
    // Would keep: the new revision, web:8 and web:7 (newest 3), web:3 (worker); would remove 1, 2, 4, 5, 6.
    expect(summary).toContain('Dry run: 5 revisions of `web` would be deregistered and deleted');
    expect(summary).toContain('the revision this step would register');
    for (const r of [1, 2, 4, 5, 6])
      expect(summary).toContain(`\`web:${r}\` | would be deregistered and deleted`);
  });

  it('a cleanup that is refused is a warning naming the IAM action; the deploy still succeeds', async () => {
    aws.world.timeline = healthy;
    aws.world.fail(
      'DeregisterTaskDefinition',
      new AwsCallError('DeregisterTaskDefinition failed: access denied.', {
        kind: 'access-denied',
        operation: 'DeregisterTaskDefinition',
      }),
    );
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.failed).toBeUndefined();
    expect(runner.texts('warning').join('\n')).toMatch(/ecs:DeregisterTaskDefinition/);
    expect(runner.summaries[0]).toMatch(/ecs:DeregisterTaskDefinition/);
    expect(JSON.parse(runner.outputs['deregistered-task-definitions'])).toEqual([]);
  });

  it('nothing to change (the service already runs the revision, steady) still cleans up', async () => {
    aws.world.seedService(service([oldActive({ status: 'PRIMARY', rolloutState: 'COMPLETED' })]));
    const runner = await step({ cluster: 'prod', service: 'web', 'keep-revisions': '2' });
    expect(runner.outputs.outcome).toBe('unchanged');
    // web:8 (running, newest) and web:7 are kept; web:3 runs in worker.
    expect(aws.world.statusOf(tdArn('web', 7))).toBe('ACTIVE');
    expect(aws.world.statusOf(tdArn('web', 6))).toBe('INACTIVE');
    expect(aws.world.statusOf(tdArn('web', 3))).toBe('ACTIVE');
  });
});

describe('keep-revisions inputs', () => {
  it.each([
    ['0', /keep-revisions/],
    ['two', /keep-revisions/],
    ['-1', /keep-revisions/],
  ])('keep-revisions %s is refused before anything is written', async (value, message) => {
    const runner = await step({ ...DEPLOY, 'keep-revisions': value });
    expect(runner.failed).toBeDefined();
    expect(
      runner.lines
        .filter((l) => l.kind === 'error')
        .map((l) => `${l.properties?.title ?? ''} ${l.text}`)
        .join('\n'),
    ).toMatch(message);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('delete-deregistered without keep-revisions is refused, naming both', async () => {
    const { 'keep-revisions': _k, ...withoutKeep } = DEPLOY;
    const runner = await step({ ...withoutKeep, 'delete-deregistered': 'true' });
    expect(runner.failed).toBeDefined();
    expect(runner.log).toMatch(/delete-deregistered needs keep-revisions/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});
