// The pure planner of keep-revisions (src/cleanup/plan.ts): the newest N are kept (counting the
// revision the step deploys, or in a dry run would register), and never a revision a service of
// the cluster runs or a step service's previous revision, whatever its age.
import { describe, expect, it } from '@jest/globals';
import { planCleanup, revisionKey, sameRevision } from '../../src/cleanup/plan.js';
import { revisionsInUse } from '../../src/cleanup/in-use.js';

const arn = (revision: number, family = 'web') =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
const revisions = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => arn(from + i));
const short = (a: string) => revisionKey(a);

describe('planCleanup', () => {
  it('keeps the newest N, the deployed one among them, and deregisters the rest oldest first', () => {
    const plan = planCleanup({
      active: revisions(1, 10),
      keep: 3,
      deployed: arn(10),
      running: [],
      previous: [],
    });
    expect(plan.kept.map((k) => [short(k.arn), k.reasons])).toEqual([
      ['web:10', [{ kind: 'newest', rank: 1 }, { kind: 'deployed' }]],
      ['web:9', [{ kind: 'newest', rank: 2 }]],
      ['web:8', [{ kind: 'newest', rank: 3 }]],
    ]);
    expect(plan.deregister.map(short)).toEqual([
      'web:1',
      'web:2',
      'web:3',
      'web:4',
      'web:5',
      'web:6',
      'web:7',
    ]);
  });

  it('never deregisters a revision a service runs (any service, any deployment) nor the previous revision', () => {
    const plan = planCleanup({
      active: [...revisions(1, 10)].reverse(),
      keep: 2,
      deployed: arn(10),
      running: [
        { service: 'web', taskDefinitionArn: arn(10) },
        { service: 'worker', taskDefinitionArn: arn(3) },
        { service: 'cron', taskDefinitionArn: arn(3) },
        { service: 'cron', taskDefinitionArn: arn(5) },
      ],
      previous: [{ service: 'web', taskDefinitionArn: arn(7) }],
    });
    expect(plan.kept.map((k) => [short(k.arn), k.reasons])).toEqual([
      ['web:10', [{ kind: 'newest', rank: 1 }, { kind: 'deployed' }, { kind: 'running', services: ['web'] }]],
      ['web:9', [{ kind: 'newest', rank: 2 }]],
      ['web:7', [{ kind: 'previous', services: ['web'] }]],
      ['web:5', [{ kind: 'running', services: ['cron'] }]],
      ['web:3', [{ kind: 'running', services: ['worker', 'cron'] }]],
    ]);
    expect(plan.deregister.map(short)).toEqual(['web:1', 'web:2', 'web:4', 'web:6', 'web:8']);
  });

  it('keep 1 keeps only the deployed revision (and what runs)', () => {
    const plan = planCleanup({
      active: revisions(1, 4),
      keep: 1,
      deployed: arn(4),
      running: [{ service: 'web', taskDefinitionArn: arn(4) }],
      previous: [{ service: 'web', taskDefinitionArn: arn(3) }],
    });
    expect(plan.kept.map((k) => short(k.arn))).toEqual(['web:4', 'web:3']);
    expect(plan.deregister.map(short)).toEqual(['web:1', 'web:2']);
  });

  it('a dry run that would register counts the new revision among the newest N', () => {
    const plan = planCleanup({
      active: revisions(1, 6),
      keep: 3,
      wouldRegister: true,
      running: [],
      previous: [],
    });
    expect(plan.kept.map((k) => [short(k.arn), k.reasons])).toEqual([
      ['web:6', [{ kind: 'newest', rank: 2 }]],
      ['web:5', [{ kind: 'newest', rank: 3 }]],
    ]);
    expect(plan.deregister.map(short)).toEqual(['web:1', 'web:2', 'web:3', 'web:4']);
  });

  it('a reused older revision is kept as deployed without taking one of the newest N', () => {
    const plan = planCleanup({
      active: revisions(1, 6),
      keep: 2,
      deployed: arn(2),
      running: [],
      previous: [],
    });
    expect(plan.kept.map((k) => short(k.arn))).toEqual(['web:6', 'web:5', 'web:2']);
    expect(plan.deregister.map(short)).toEqual(['web:1', 'web:3', 'web:4']);
  });

  it('keeps everything when there are N or fewer', () => {
    const plan = planCleanup({
      active: revisions(1, 3),
      keep: 5,
      deployed: arn(3),
      running: [],
      previous: [],
    });
    expect(plan.deregister).toEqual([]);
    expect(plan.kept).toHaveLength(3);
  });

  it('compares ARNs and short names as the same revision', () => {
    expect(sameRevision(arn(3), 'web:3')).toBe(true);
    expect(sameRevision(arn(3), arn(3, 'api'))).toBe(false);
    const plan = planCleanup({
      active: revisions(1, 3),
      keep: 1,
      deployed: 'web:3',
      running: [{ service: 'a', taskDefinitionArn: 'web:1' }],
      previous: [],
    });
    expect(plan.deregister.map(short)).toEqual(['web:2']);
  });
});

describe('revisionsInUse', () => {
  it("takes each service's task definition, every deployment's and every task set's", () => {
    const uses = revisionsInUse([
      {
        serviceName: 'web',
        taskDefinition: arn(9),
        deployments: [{ taskDefinition: arn(9) }, { taskDefinition: arn(8) }],
      },
      { serviceName: 'blue-green', taskSets: [{ taskDefinition: arn(4) }, { taskDefinition: arn(5) }] },
      { serviceName: 'empty' },
    ]);
    expect(uses.map((u) => [u.service, short(u.taskDefinitionArn)])).toEqual([
      ['web', 'web:9'],
      ['web', 'web:8'],
      ['blue-green', 'web:4'],
      ['blue-green', 'web:5'],
    ]);
  });
});
