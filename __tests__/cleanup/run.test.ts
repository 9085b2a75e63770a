// runCleanup (src/cleanup/run.ts) over a scripted ECS port: what it calls, in which order, and that
// nothing that goes wrong throws: each failure is a warning naming the IAM action.
import { describe, expect, it } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { EcsPort } from '../../src/aws/ports.js';
import { runCleanup, type CleanupTarget } from '../../src/cleanup/run.js';
import { revisionKey } from '../../src/cleanup/plan.js';
import { fakeEcs, hangingCall } from '../fakes/aws.js';
import { FakeClock } from '../fakes/clock.js';

const T0 = Date.UTC(2026, 0, 1);
const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const short = (a: string) => revisionKey(a);

const services: Service[] = [
  { serviceName: 'web', taskDefinition: arn(12), deployments: [{ taskDefinition: arn(12) }] },
  { serviceName: 'worker', taskDefinition: arn(4), deployments: [{ taskDefinition: arn(4) }] },
];

function world(overrides: Partial<EcsPort> = {}) {
  const statuses = new Map<string, string>();
  for (let r = 1; r <= 12; r++) statuses.set(arn(r), 'ACTIVE');
  const ecs = fakeEcs({
    listTaskDefinitions: async (q) =>
      [...statuses]
        .filter(([, s]) => s === (q.status ?? 'ACTIVE'))
        .map(([a]) => a)
        .reverse(),
    listServices: async () =>
      services.map((s) => `arn:aws:ecs:us-east-1:123456789012:service/prod/${s.serviceName}`),
    describeServices: async () => ({ services, failures: [] }),
    deregisterTaskDefinition: async (ref) => {
      statuses.set(ref, 'INACTIVE');
      return ref;
    },
    deleteTaskDefinitions: async (refs) => {
      for (const r of refs) statuses.set(r, 'DELETE_IN_PROGRESS');
      return { deleted: refs, failures: [] };
    },
    ...overrides,
  });
  return { ecs, statuses };
}

function deps(ecs: EcsPort, clock = new FakeClock(T0), signal = new AbortController().signal) {
  const info: string[] = [];
  const warnings: string[] = [];
  return {
    deps: {
      ecs,
      clock,
      signal,
      log: { info: (l: string) => info.push(l), warning: (l: string) => warnings.push(l) },
    },
    info,
    warnings,
  };
}

const target = (extra: Partial<CleanupTarget> = {}): CleanupTarget => ({
  family: 'web',
  clusters: ['prod'],
  keep: 3,
  deleteDeregistered: false,
  dryRun: false,
  deployed: arn(12),
  wouldRegister: false,
  previous: [{ service: 'web', taskDefinitionArn: arn(11) }],
  deadline: T0 + 5 * 60_000,
  ...extra,
});

describe('runCleanup', () => {
  it('deregisters the old revisions oldest first, keeping the newest, the running and the previous one', async () => {
    const { ecs, statuses } = world();
    const { deps: d, info, warnings } = deps(ecs);
    const report = await runCleanup(d, target());
    expect(report.deregistered.map(short)).toEqual([
      'web:1',
      'web:2',
      'web:3',
      'web:5',
      'web:6',
      'web:7',
      'web:8',
      'web:9',
    ]);
    expect(report.kept.map((k) => short(k.arn))).toEqual(['web:12', 'web:11', 'web:10', 'web:4']);
    expect(statuses.get(arn(4))).toBe('ACTIVE');
    expect(statuses.get(arn(11))).toBe('ACTIVE');
    expect(ecs.callsOf('listTaskDefinitions')[0].args[0]).toEqual({
      family: 'web',
      status: 'ACTIVE',
      sort: 'DESC',
    });
    expect(ecs.callsOf('deleteTaskDefinitions')).toEqual([]);
    expect(info).toContain('Cleanup: deregistered web:1.');
    expect(warnings).toEqual([]);
    expect(report.failures).toEqual([]);
  });

  it('with delete-deregistered, deletes what it deregistered, 10 per call', async () => {
    const { ecs, statuses } = world();
    const { deps: d } = deps(ecs);
    const report = await runCleanup(d, target({ keep: 1, previous: [], deleteDeregistered: true }));
    // web:12 (newest, running in web) and web:4 (running in worker) stay.
    expect(report.deregistered).toHaveLength(10);
    expect(ecs.callsOf('deleteTaskDefinitions').map((c) => (c.args[0] as string[]).length)).toEqual([10]);
    expect(report.deleted).toEqual(report.deregistered);
    expect(statuses.get(arn(1))).toBe('DELETE_IN_PROGRESS');
    expect(statuses.get(arn(4))).toBe('ACTIVE');
  });

  it('reports each revision DeleteTaskDefinitions refused, as a warning naming ecs:DeleteTaskDefinitions', async () => {
    const { ecs } = world({
      deleteTaskDefinitions: async (refs) => ({
        deleted: refs.slice(1),
        failures: [{ arn: refs[0], reason: 'The specified task definition is in ACTIVE status.' }],
      }),
    });
    const { deps: d, warnings } = deps(ecs);
    const report = await runCleanup(d, target({ deleteDeregistered: true }));
    expect(report.failures).toEqual([
      {
        arn: arn(1),
        iamAction: 'ecs:DeleteTaskDefinitions',
        message:
          'DeleteTaskDefinitions did not delete web:1: The specified task definition is in ACTIVE status.',
      },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ecs:DeleteTaskDefinitions');
  });

  it('access denied on DeregisterTaskDefinition is one warning naming the action, and stops the rest', async () => {
    const denied = new AwsCallError('not authorized to perform ecs:DeregisterTaskDefinition', {
      kind: 'access-denied',
      operation: 'DeregisterTaskDefinition',
      awsName: 'AccessDeniedException',
    });
    const { ecs } = world({ deregisterTaskDefinition: async () => Promise.reject(denied) });
    const { deps: d, warnings } = deps(ecs);
    const report = await runCleanup(d, target());
    expect(ecs.callsOf('deregisterTaskDefinition')).toHaveLength(1);
    expect(report.deregistered).toEqual([]);
    expect(report.notDone).toHaveLength(7);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ecs:DeregisterTaskDefinition/);
    expect(report.failures[0].iamAction).toBe('ecs:DeregisterTaskDefinition');
  });

  it('another failure skips that revision and goes on', async () => {
    let n = 0;
    const { ecs } = world({
      deregisterTaskDefinition: async (ref) => {
        if (n++ === 0)
          throw new AwsCallError('ClientException: boom', {
            kind: 'other',
            operation: 'DeregisterTaskDefinition',
          });
        return ref;
      },
    });
    const { deps: d } = deps(ecs);
    const report = await runCleanup(d, target());
    expect(report.failures.map((f) => f.arn && short(f.arn))).toEqual(['web:1']);
    expect(report.deregistered).toHaveLength(7);
  });

  it('deregisters nothing when the services cannot be listed (what runs is not known)', async () => {
    const denied = new AwsCallError('not authorized to perform ecs:ListServices', {
      kind: 'access-denied',
      operation: 'ListServices',
    });
    const { ecs } = world({ listServices: async () => Promise.reject(denied) });
    const { deps: d, warnings } = deps(ecs);
    const report = await runCleanup(d, target());
    expect(report.planned).toBe(false);
    expect(ecs.callsOf('deregisterTaskDefinition')).toEqual([]);
    expect(warnings[0]).toMatch(/ecs:ListServices/);
    expect(warnings[0]).toMatch(/nothing was deregistered/);
  });

  it('a dry run lists what it would do and writes nothing', async () => {
    const { ecs } = world();
    const { deps: d } = deps(ecs);
    const report = await runCleanup(
      d,
      target({ dryRun: true, deployed: undefined, wouldRegister: true, deleteDeregistered: true }),
    );
    // The revision it would register takes one of the 3: web:12 and web:11 are the other two.
    expect(report.deregistered.map(short)).toEqual([
      'web:1',
      'web:2',
      'web:3',
      'web:5',
      'web:6',
      'web:7',
      'web:8',
      'web:9',
      'web:10',
    ]);
    expect(report.deleted).toEqual(report.deregistered);
    expect(ecs.callsOf('deregisterTaskDefinition')).toEqual([]);
    expect(ecs.callsOf('deleteTaskDefinitions')).toEqual([]);
  });

  it('paces deregistrations under the bucket: the first 10 at once, then one a second', async () => {
    const clock = new FakeClock(T0);
    const times: number[] = [];
    const { ecs } = world({
      deregisterTaskDefinition: async (ref) => {
        times.push(clock.now() - T0);
        return ref;
      },
    });
    const many = Array.from({ length: 14 }, (_, i) => arn(i + 1));
    ecs.script.listTaskDefinitions = async () => [...many].reverse();
    ecs.script.describeServices = async () => ({ services: [], failures: [] });
    const { deps: d } = deps(ecs, clock);
    await runCleanup(d, target({ keep: 1, previous: [], deployed: arn(14) }));
    expect(times).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000, 2000, 3000]);
  });

  it('stops at the deadline and leaves the rest ACTIVE', async () => {
    const clock = new FakeClock(T0);
    const { ecs } = world();
    const many = Array.from({ length: 30 }, (_, i) => arn(i + 1));
    ecs.script.listTaskDefinitions = async () => [...many].reverse();
    ecs.script.describeServices = async () => ({ services: [], failures: [] });
    const { deps: d, warnings } = deps(ecs, clock);
    const report = await runCleanup(
      d,
      target({ keep: 1, previous: [], deployed: arn(30), deadline: T0 + 5_000 }),
    );
    expect(report.stopped).toBe('deadline');
    expect(report.deregistered.length + report.notDone.length).toBe(29);
    expect(report.notDone.length).toBeGreaterThan(0);
    expect(warnings.some((w) => /deadline/.test(w))).toBe(true);
  });

  it('a cancel abandons the call in flight and stops', async () => {
    const cancel = new AbortController();
    const { ecs } = world({
      deregisterTaskDefinition: (_ref, options) => {
        cancel.abort();
        return hangingCall<string>(options);
      },
    });
    const { deps: d, warnings } = deps(ecs, new FakeClock(T0), cancel.signal);
    const report = await runCleanup(d, target());
    expect(report.stopped).toBe('cancelled');
    expect(ecs.callsOf('deregisterTaskDefinition')).toHaveLength(1);
    expect(ecs.callsOf('deregisterTaskDefinition')[0].signal?.aborted).toBe(true);
    expect(report.notDone).toHaveLength(8);
    expect(warnings.some((w) => /cancelled/.test(w))).toBe(true);
  });
});
