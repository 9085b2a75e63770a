// The step's verdict over several services (src/stages/services-outcome.ts) and what a service is
// called when bare names collide (src/fleet/members.ts, src/report/services.ts): pure.
import { describe, expect, it } from '@jest/globals';
import { labelledRunner } from '../../src/fleet/labelled-runner.js';
import { serviceLabels } from '../../src/fleet/members.js';
import { FakeRunner } from '../fakes/runner.js';
import { servicesOutput, type ServiceRow } from '../../src/report/services.js';
import type { Outcome } from '../../src/rollout/types.js';
import { stepVerdict } from '../../src/stages/services-outcome.js';

const row = (service: string, outcome: Outcome, cluster = 'prod'): ServiceRow => ({
  service,
  cluster,
  outcome,
  reason: `${service} ${outcome}.`,
});

describe('stepVerdict: {succeeded, unchanged} is success; else the first other outcome', () => {
  it.each<[string, Outcome[], Outcome]>([
    ['all succeeded', ['succeeded', 'succeeded'], 'succeeded'],
    ['all unchanged', ['unchanged', 'unchanged'], 'unchanged'],
    ['succeeded and unchanged', ['unchanged', 'succeeded'], 'succeeded'],
    ['unchanged before a failure does not hide it', ['unchanged', 'failed', 'succeeded'], 'failed'],
    ['the first not in the set, in the order given', ['succeeded', 'started', 'failed'], 'started'],
    ['rolled-back first', ['rolled-back', 'timed-out'], 'rolled-back'],
  ])('%s', (_name, outcomes, expected) => {
    const names = ['web', 'api', 'worker'];
    expect(stepVerdict(outcomes.map((o, i) => row(names[i], o))).outcome).toBe(expected);
  });

  it('the reasons: never "0 of 2 services succeeded" for an unchanged step', () => {
    expect(stepVerdict([row('web', 'unchanged'), row('api', 'unchanged')]).reason).toBe(
      'All 2 services already ran the revision; none was changed: web, api.',
    );
    expect(stepVerdict([row('web', 'succeeded'), row('api', 'unchanged')]).reason).toBe(
      'All 2 services succeeded or were left as they were: web succeeded; api unchanged.',
    );
    expect(stepVerdict([row('web', 'unchanged'), row('api', 'failed'), row('worker', 'failed')]).reason).toBe(
      'Service api: api failed. (1 of 3 services succeeded or unchanged; 2 failed.)',
    );
  });
});

describe('services whose bare names collide', () => {
  it('are called cluster/name; the others by name', () => {
    expect(
      serviceLabels([
        { cluster: 'prod', service: 'web' },
        { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/staging', service: 'web' },
        { cluster: 'prod', service: 'api' },
      ]),
    ).toEqual(['prod/web', 'staging/web', 'api']);
  });

  it('the services output keeps both', () => {
    const rows = [
      { ...row('web', 'succeeded'), label: 'prod/web' },
      { ...row('web', 'failed', 'staging'), label: 'staging/web' },
    ];
    expect(Object.keys(JSON.parse(servicesOutput(rows)) as object)).toEqual(['prod/web', 'staging/web']);
  });
});

describe('the log of a service whose bare name collides', () => {
  it('says cluster/name instead of the bare name, or in front of a line without it', () => {
    const runner = new FakeRunner({});
    const said = labelledRunner(runner, 'web', 'staging/web');
    said.info('web: 1/2 running, 0 pending, 0 failed (ecs-svc/1…)');
    said.warning('Deployment ecs-svc/1 of web:9 to service web started.');
    said.setOutput('x', 'y');
    expect(runner.texts('info')).toEqual(['staging/web: 1/2 running, 0 pending, 0 failed (ecs-svc/1…)']);
    expect(runner.texts('warning')).toEqual([
      'staging/web: Deployment ecs-svc/1 of web:9 to service web started.',
    ]);
    expect(runner.outputs).toEqual({ x: 'y' });
  });
});
