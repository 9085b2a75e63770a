import { describe, expect, it } from '@jest/globals';
import {
  deploymentIdOfRevision,
  eventsSince,
  judge,
  judgeRollback,
  revisionIsDeployment,
  ROLLBACK_START_GRACE_MS,
  type Observation,
  type OurDeployment,
  type Verdict,
} from '../../src/rollout/verdict.js';
import { shortTaskDefinition } from '../../src/lib/arn.js';
import {
  at,
  BREAKER_TRIPPED,
  event,
  NEW,
  NEWER,
  newer,
  OLD,
  oldActive,
  ours,
  rollbackDetails,
  rollingBackReason,
  service,
  serviceDeployment,
  REVISION_PREFIX,
  T0,
  TD_NEW,
  TD_NEWER,
  TD_OLD,
} from './ecs-fixtures.js';

const OURS: OurDeployment = {
  deploymentId: NEW,
  taskDefinitionArn: TD_NEW,
  previousPrimaryId: OLD,
  startedAt: T0,
};

interface Row {
  name: string;
  obs: Observation;
  ours?: OurDeployment;
  expected: Partial<Extract<Verdict, { done: true }>> | { done: false; waitingFor?: string };
  /** Substrings the reason must contain. */
  reason?: string[];
}

const tripped = () => ours({ rolloutState: 'FAILED', rolloutStateReason: BREAKER_TRIPPED, failedTasks: 3 });
const failedEvent = (s: number) =>
  event(s, `(service web) (deployment ${NEW}) deployment failed: tasks failed to start.`);
const rollingBackEvent = (s: number, to = OLD) => event(s, `(service web) rolling back to deployment ${to}.`);

const rows: Row[] = [
  // ---- healthy ----
  {
    name: 'healthy, in progress',
    obs: { service: service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()]) },
    expected: { done: false },
  },
  {
    name: 'COMPLETED while the old deployment still drains',
    obs: {
      service: service([
        ours({
          runningCount: 2,
          rolloutState: 'COMPLETED',
          rolloutStateReason: `ECS deployment ${NEW} completed.`,
        }),
        oldActive({ desiredCount: 0, runningCount: 1 }),
      ]),
    },
    expected: { done: true, outcome: 'succeeded' },
    reason: [
      `ECS deployment ${NEW} completed.`,
      '2/2 tasks running',
      '1 task of earlier deployments still stopping',
    ],
  },
  {
    name: 'COMPLETED alone',
    obs: {
      service: service([ours({ runningCount: 2, rolloutState: 'COMPLETED', rolloutStateReason: undefined })]),
    },
    expected: { done: true, outcome: 'succeeded' },
    reason: [`ECS deployment ${NEW} completed.`],
  },
  {
    name: 'no rolloutState (Classic Load Balancer): stable when one deployment runs all desired',
    obs: {
      service: service([ours({ runningCount: 2, rolloutState: undefined, rolloutStateReason: undefined })]),
    },
    expected: { done: true, outcome: 'succeeded' },
    reason: ['ECS reports no rollout state'],
  },
  {
    name: 'no rolloutState and the old deployment still running: not yet',
    obs: {
      service: service([
        ours({ runningCount: 2, rolloutState: undefined }),
        oldActive({ rolloutState: undefined, desiredCount: 0, runningCount: 1 }),
      ]),
    },
    expected: { done: false },
  },
  {
    name: 'ServiceDeployment SUCCESSFUL before DescribeServices shows COMPLETED',
    obs: {
      service: service([ours({ runningCount: 2 }), oldActive({ desiredCount: 0 })]),
      serviceDeployment: serviceDeployment('SUCCESSFUL'),
    },
    expected: { done: true, outcome: 'succeeded' },
    reason: ['SUCCESSFUL'],
  },
  {
    name: 'ours completed between polls and a newer deployment started since: still a success',
    obs: {
      service: service([newer(), ours({ status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2 })]),
    },
    expected: { done: true, outcome: 'succeeded' },
    reason: [NEWER],
  },

  // ---- circuit breaker with rollback: before / trip / rollback / end (docs/ecs-behaviour.md, "Rollbacks") ----
  {
    name: 'before the trip: failures counting up',
    obs: { service: service([ours({ failedTasks: 2 }), oldActive()]) },
    expected: { done: false },
  },
  {
    name: 'trip, rollback not visible yet, within the grace period: wait',
    obs: { service: service([tripped(), oldActive()]), now: at(40), failedSince: at(30) },
    expected: { done: false, waitingFor: `the rollback to ${OLD}` },
  },
  {
    name: 'trip, and the rollback never starts: failed after the grace period',
    obs: {
      service: service([tripped(), oldActive()]),
      now: at(30 + ROLLBACK_START_GRACE_MS / 1000),
      failedSince: at(30),
    },
    expected: { done: true, outcome: 'failed' },
    reason: [
      'failed: ECS deployment circuit breaker: tasks failed to start. Rollback is on',
      `had not started rolling back to ${OLD}`,
    ],
  },
  {
    name: 'trip with the rollback event already out, ours still PRIMARY FAILED (rollback seen only in events)',
    obs: {
      service: service([tripped(), oldActive()], { events: [failedEvent(100), rollingBackEvent(101)] }),
    },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: false,
    },
    reason: [
      'circuit breaker: tasks failed to start; ECS',
      'is rolling back to ecs-svc/7246342417563559064 (web:8)',
    ],
  },
  {
    name: 'rollback: old re-promoted PRIMARY IN_PROGRESS with the rolling-back reason, ours ACTIVE FAILED',
    obs: {
      service: service([
        oldActive({
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: rollingBackReason(OLD),
        }),
        ours({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason: BREAKER_TRIPPED,
          desiredCount: 0,
        }),
      ]),
    },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: false,
    },
    reason: ['circuit breaker: tasks failed to start; ECS is rolling back', 'had not finished'],
  },
  {
    name: 'end: only the old deployment, COMPLETED, ours gone (the SDK waiter calls this stable)',
    obs: {
      service: service([oldActive({ status: 'PRIMARY' })], {
        events: [
          failedEvent(100),
          rollingBackEvent(101),
          event(160, `(service web) (deployment ${OLD}) deployment completed.`),
        ],
      }),
    },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: true,
    },
    reason: [`${NEW} failed: tasks failed to start;`, 'the rollback completed'],
  },
  {
    name: 'end without any rollback event seen: an older deployment PRIMARY again is a rollback, not success',
    obs: { service: service([oldActive({ status: 'PRIMARY' })]) },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: true,
    },
  },
  {
    name: 'end, no createdAt anywhere: previousPrimaryId identifies the re-promoted deployment',
    obs: { service: service([oldActive({ status: 'PRIMARY', createdAt: undefined })]) },
    ours: { ...OURS, startedAt: undefined },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
    },
  },
  {
    name: 'a rolling-back event from before our start is not about us',
    obs: { service: service([ours({ runningCount: 1 }), oldActive()], { events: [rollingBackEvent(-600)] }) },
    expected: { done: false },
  },
  {
    name: 'rollback with a newly minted id: the reason prefix decides, not the id',
    obs: {
      service: service([
        newer({ taskDefinition: TD_OLD, rolloutStateReason: rollingBackReason(OLD) }),
        ours({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason: BREAKER_TRIPPED,
          desiredCount: 0,
        }),
      ]),
    },
    expected: { done: true, outcome: 'rolled-back', rolledBackTo: { deploymentId: OLD } },
  },

  // ---- failure without rollback (docs/ecs-behaviour.md, "Rollbacks") ----
  {
    name: 'rollback=false: ours stays PRIMARY FAILED',
    obs: { service: service([tripped(), oldActive()], { rollback: false }) },
    expected: { done: true, outcome: 'failed' },
    reason: [BREAKER_TRIPPED, 'Rollback is off'],
  },
  {
    name: 'rollback=false, EventBridge-style singular reason: matched by the prefix',
    obs: {
      service: service(
        [
          ours({
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: task failed to start.',
          }),
          oldActive(),
        ],
        {
          rollback: false,
          alarms: { enable: true, rollback: true },
        },
      ),
    },
    expected: { done: true, outcome: 'failed' },
    reason: ['task failed to start', 'Rollback is off'],
  },
  {
    name: 'first deployment stall: rollback on, nothing COMPLETED to roll back to',
    obs: { service: service([tripped()]) },
    expected: { done: true, outcome: 'failed' },
    reason: ['no earlier COMPLETED deployment to roll back to', 'stalled'],
  },
  {
    name: 'alarm failure with alarm rollback: wait for the rollback within the grace period',
    obs: {
      service: service(
        [ours({ rolloutState: 'FAILED', rolloutStateReason: 'alarm web-5xx in ALARM' }), oldActive()],
        {
          breaker: false,
          rollback: false,
          alarms: { enable: true, rollback: true },
        },
      ),
      now: at(10),
      failedSince: at(5),
    },
    expected: { done: false, waitingFor: `the rollback to ${OLD}` },
  },
  {
    name: 'alarm rollback: old PRIMARY again, no documented reason text, no event',
    obs: {
      service: service(
        [
          oldActive({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: 'rolling back' }),
          ours({
            status: 'ACTIVE',
            rolloutState: 'FAILED',
            rolloutStateReason: 'alarm web-5xx in ALARM',
            desiredCount: 0,
          }),
        ],
        { breaker: false, rollback: false, alarms: { enable: true, rollback: true } },
      ),
    },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: false,
    },
    reason: ['alarm web-5xx in ALARM', `is PRIMARY again`],
  },
  {
    name: 'breaker failure, no times given: no grace to wait in, failed at once',
    obs: { service: service([tripped(), oldActive()]) },
    expected: { done: true, outcome: 'failed' },
  },

  // ---- superseded ----
  {
    name: 'superseded: a newer deployment is PRIMARY, ours ACTIVE',
    obs: {
      service: service([
        newer(),
        ours({ status: 'ACTIVE', runningCount: 1 }),
        oldActive({ desiredCount: 0 }),
      ]),
    },
    expected: {
      done: true,
      outcome: 'superseded',
      supersededBy: { deploymentId: NEWER, taskDefinitionArn: TD_NEWER },
    },
    reason: ['ecs-svc/9123456789012345678 (web:10)', 'replaced ecs-svc/8010098638150428715'],
  },
  {
    name: 'superseded: ours already gone',
    obs: { service: service([newer()]) },
    expected: {
      done: true,
      outcome: 'superseded',
      supersededBy: { deploymentId: NEWER, taskDefinitionArn: TD_NEWER },
    },
  },
  {
    // Following a deployment an earlier run started: startedAt is this runner's clock, which may
    // be ahead of AWS's. Deployments are ordered by ECS's createdAt, so this is not a rollback.
    name: 'superseded, ours gone, followed from an earlier run with the runner clock ahead of AWS',
    obs: { service: service([newer()]) },
    ours: { ...OURS, previousPrimaryId: undefined, startedAt: at(300), createdAt: T0 },
    expected: {
      done: true,
      outcome: 'superseded',
      supersededBy: { deploymentId: NEWER, taskDefinitionArn: TD_NEWER },
    },
  },
  {
    name: 'superseded, no createdAt: a PRIMARY that is not the previous one is newer',
    obs: {
      service: service([newer({ createdAt: undefined }), ours({ status: 'ACTIVE', createdAt: undefined })]),
    },
    ours: { ...OURS, startedAt: undefined },
    expected: { done: true, outcome: 'superseded' },
  },
  {
    name: 'ServiceDeployment STOPPED and a newer PRIMARY: superseded',
    obs: {
      service: service([newer(), ours({ status: 'ACTIVE' })]),
      serviceDeployment: serviceDeployment('STOPPED'),
    },
    expected: { done: true, outcome: 'superseded' },
  },

  // ---- ServiceDeployment statuses (docs/ecs-behaviour.md, "Service deployments") ----
  {
    name: 'ServiceDeployment ROLLBACK_IN_PROGRESS while DescribeServices still shows ours PRIMARY FAILED',
    obs: {
      service: service([tripped(), oldActive()]),
      serviceDeployment: serviceDeployment('ROLLBACK_IN_PROGRESS', { rollback: rollbackDetails }),
    },
    expected: {
      done: true,
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: false,
    },
  },
  {
    name: 'ServiceDeployment ROLLBACK_SUCCESSFUL',
    obs: {
      service: service([
        oldActive({
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: rollingBackReason(OLD),
        }),
      ]),
      serviceDeployment: serviceDeployment('ROLLBACK_SUCCESSFUL', { rollback: rollbackDetails }),
    },
    expected: { done: true, outcome: 'rolled-back', rollbackCompleted: true },
    reason: ['the rollback completed'],
  },
  {
    name: 'ServiceDeployment ROLLBACK_FAILED',
    obs: {
      service: service([
        oldActive({ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: rollingBackReason(OLD) }),
      ]),
      serviceDeployment: serviceDeployment('ROLLBACK_FAILED', {
        rollback: rollbackDetails,
        statusReason: 'old tasks failed to start',
      }),
    },
    expected: { done: true, outcome: 'failed' },
    reason: ['rollback failed: old tasks failed to start'],
  },
  {
    name: 'ServiceDeployment STOPPED after STOP_REQUESTED from the breaker without rollback',
    obs: {
      service: service([tripped(), oldActive()]),
      serviceDeployment: serviceDeployment('STOPPED', { statusReason: BREAKER_TRIPPED }),
    },
    expected: { done: true, outcome: 'failed' },
    reason: ['ECS stopped the deployment'],
  },
  {
    name: 'ServiceDeployment STOP_REQUESTED but DescribeServices shows nothing yet: wait for the evidence',
    obs: {
      service: service([ours({ runningCount: 1 }), oldActive()]),
      serviceDeployment: serviceDeployment('STOP_REQUESTED'),
    },
    expected: { done: false },
  },
  {
    name: 'ServiceDeployment STOPPED while ours is still PRIMARY (stopped by someone): failed',
    obs: {
      service: service([ours({ runningCount: 1 }), oldActive()]),
      serviceDeployment: serviceDeployment('STOPPED', { statusReason: 'stopped by user' }),
    },
    expected: { done: true, outcome: 'failed' },
  },
  {
    name: 'a SUCCESSFUL service deployment that carries rollback details is not our success',
    obs: {
      service: service([oldActive({ status: 'PRIMARY' })]),
      serviceDeployment: serviceDeployment('SUCCESSFUL', { rollback: rollbackDetails }),
    },
    expected: { done: true, outcome: 'rolled-back' },
  },
  {
    name: 'a ServiceDeployment of another deployment is ignored',
    obs: {
      service: service([ours({ runningCount: 1 }), oldActive()]),
      serviceDeployment: serviceDeployment('SUCCESSFUL', {
        targetServiceRevision: { arn: `${REVISION_PREFIX}7246342417563559064` },
      }),
    },
    expected: { done: false },
  },
  {
    name: 'no PRIMARY at all: nothing to conclude yet',
    obs: { service: service([ours({ status: 'ACTIVE' })]) },
    expected: { done: false },
  },
];

describe('judge', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const verdict = judge(row.obs, row.ours ?? OURS);
    expect(verdict).toMatchObject(row.expected);
    if (!row.expected.done) expect(verdict).toEqual(row.expected);
    for (const part of row.reason ?? []) {
      expect(verdict.done && verdict.reason).toContain(part);
    }
  });

  it('never reports success for any rollback shape', () => {
    for (const row of rows.filter((r) => r.name.includes('rollback') || r.name.includes('ROLLBACK'))) {
      const verdict = judge(row.obs, row.ours ?? OURS);
      expect([row.name, verdict.done && verdict.outcome]).not.toEqual([row.name, 'succeeded']);
    }
  });
});

describe('judgeRollback (after our own rollback request)', () => {
  const base = service([ours({ runningCount: 1 }), oldActive()]);
  it('waits while ECS is rolling back', () => {
    expect(
      judgeRollback({ service: base, serviceDeployment: serviceDeployment('ROLLBACK_REQUESTED') }, OURS),
    ).toEqual({ done: false });
  });
  it('ROLLBACK_SUCCESSFUL ends it, completed', () => {
    const r = judgeRollback(
      {
        service: service([oldActive({ status: 'PRIMARY' })]),
        serviceDeployment: serviceDeployment('ROLLBACK_SUCCESSFUL', { rollback: rollbackDetails }),
      },
      OURS,
    );
    expect(r).toEqual({
      done: true,
      completed: true,
      reason: `ECS rolled back to ${OLD} (web:8); the rollback completed.`,
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
    });
  });
  it('ROLLBACK_FAILED ends it, not completed, with the reason', () => {
    const r = judgeRollback(
      {
        service: base,
        serviceDeployment: serviceDeployment('ROLLBACK_FAILED', { statusReason: 'no capacity' }),
      },
      OURS,
    );
    expect(r).toMatchObject({ done: true, completed: false });
    expect(r.done && r.reason).toContain('rollback failed: no capacity');
  });
  it('without a service deployment: the old one PRIMARY and COMPLETED with ours drained', () => {
    expect(
      judgeRollback(
        { service: service([oldActive({ status: 'PRIMARY' }), ours({ status: 'ACTIVE', desiredCount: 0 })]) },
        OURS,
      ),
    ).toMatchObject({
      done: true,
      completed: true,
      rolledBackTo: { deploymentId: OLD },
    });
    expect(
      judgeRollback(
        {
          service: service([
            oldActive({ status: 'PRIMARY' }),
            ours({ status: 'ACTIVE', desiredCount: 0, runningCount: 1 }),
          ]),
        },
        OURS,
      ),
    ).toEqual({ done: false });
  });
  it('ours completing before the rollback took effect also ends it', () => {
    expect(
      judgeRollback({ service: service([ours({ rolloutState: 'COMPLETED', runningCount: 2 })]) }, OURS),
    ).toMatchObject({
      done: true,
      completed: false,
    });
  });
});

describe('helpers', () => {
  it('matches service revisions to deployment ids by their number', () => {
    expect(revisionIsDeployment(`${REVISION_PREFIX}8010098638150428715`, NEW)).toBe(true);
    expect(revisionIsDeployment(`${REVISION_PREFIX}18010098638150428715`, NEW)).toBe(false);
    expect(revisionIsDeployment(undefined, NEW)).toBe(false);
    expect(deploymentIdOfRevision(`${REVISION_PREFIX}7246342417563559064`)).toBe(OLD);
    expect(deploymentIdOfRevision('nonsense')).toBeUndefined();
  });
  it('shortens task definition ARNs to family:revision', () => {
    expect(shortTaskDefinition(TD_NEW)).toBe('web:9');
    expect(shortTaskDefinition('arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a-b_c:12')).toBe(
      'a-b_c:12',
    );
    expect(shortTaskDefinition('web:9')).toBe('web:9');
    // A deployment without a task definition has nothing to shorten.
    expect(shortTaskDefinition(undefined)).toBeUndefined();
  });
  it('keeps events at or after the start, and events without a time', () => {
    const events = [event(5, 'after'), event(0, 'at'), event(-5, 'before'), { id: 'x', message: 'untimed' }];
    expect(eventsSince(events, T0).map((e) => e.message)).toEqual(['after', 'at', 'untimed']);
    expect(eventsSince(undefined, T0)).toEqual([]);
  });
});
