// wait-for-minutes as a hard bound (a call that hangs is abandoned at the deadline), a cancel that
// ends the follow whatever is in flight, and a no-verdict result that says why and labels the last
// known state with the time it was seen. Fake clock and fake ECS port: nothing waits in real time
// except the one test of the system clock, which waits a fraction of a second.

import { describe, expect, it } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import type { CallOptions } from '../../src/aws/ports.js';
import {
  followDeployment,
  type FollowDeps,
  type FollowOptions,
  type FollowTarget,
} from '../../src/rollout/follow.js';
import { systemClock } from '../../src/lib/clock.js';
import { fakeEcs, hangingCall, type FakeEcs } from '../fakes/aws.js';
import { fakeClock, type FakeClock } from '../fakes/clock.js';
import { NEW, OLD, oldActive, ours, service, T0, TD_NEW } from './ecs-fixtures.js';

const TARGET: FollowTarget = {
  cluster: 'prod',
  serviceName: 'web',
  deploymentId: NEW,
  taskDefinitionArn: TD_NEW,
  previousPrimaryId: OLD,
  startedAt: T0,
};
const OPTIONS: FollowOptions = { waitForMinutes: 1, onTimeout: 'fail', serviceDeployments: false };
const inProgress = service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()]);

function networkError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
    code: 'ECONNREFUSED',
    $metadata: {},
  });
}
function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

interface Setup {
  ecs: FakeEcs;
  clock: FakeClock;
  deps: FollowDeps;
  warnings: string[];
  seconds(): number;
}

/** DescribeServices answers `answer(call number, options)`; the clock starts at T0 + 2 s. */
function setup(answer: (n: number, options?: CallOptions) => Promise<Service>): Setup {
  const clock = fakeClock(T0.getTime() + 2000);
  const warnings: string[] = [];
  let n = 0;
  const ecs = fakeEcs({ describeService: (_c, _s, options) => answer(++n, options) });
  return {
    ecs,
    clock,
    deps: { ecs, clock, log: { info: () => {}, warning: (l) => warnings.push(l) } },
    warnings,
    seconds: () => (clock.now() - T0.getTime()) / 1000,
  };
}

describe('wait-for-minutes bounds the follow', () => {
  it('abandons a DescribeServices that hangs at the deadline, and says AWS stopped answering', async () => {
    let t: Setup | undefined = undefined;
    t = setup(async (n, options) => {
      if (n < 4) return inProgress;
      // The 4th poll (at 12:00:08) never answers; time goes on while it hangs.
      setImmediate(() => t!.clock.advance(10 * 60_000));
      return hangingCall(options);
    });
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    const hung = t.ecs.callsOf('describeService')[3];
    expect(hung.signal?.aborted).toBe(true);
    expect(t.ecs.callsOf('describeService')).toHaveLength(4);
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toBe(
      `No verdict within 1 minute(s): AWS has been unreachable since 12:00:08Z: every DescribeServices since then failed with a network error or timed out, or got no answer (1 poll); ${NEW} was last seen IN_PROGRESS at 12:00:05Z, with 1/2 running, 1 pending, 0 failed. ECS goes on with the deployment.`,
    );
    expect(result.noVerdict).toEqual({
      cause: 'aws-unreachable',
      failingSince: new Date('2026-03-01T12:00:08.000Z'),
      failedPolls: 1,
      lastSeenAt: new Date('2026-03-01T12:00:05.000Z'),
      lastSeenState: 'IN_PROGRESS',
    });
    // The state last seen is not shown as current.
    expect(result.rolloutState).toBeUndefined();
    expect(result.countsStale).toBe(true);
  });

  it('also abandons a hanging ServiceDeployment call at the deadline', async () => {
    const t = setup(async () => inProgress);
    t.ecs.script.listServiceDeployments = (_q, options) => {
      setImmediate(() => t.clock.advance(10 * 60_000));
      return hangingCall(options);
    };
    const result = await followDeployment(t.deps, TARGET, { ...OPTIONS, serviceDeployments: true });
    expect(result.outcome).toBe('timed-out');
    expect(t.ecs.callsOf('listServiceDeployments')[0].signal?.aborted).toBe(true);
    // DescribeServices answered every time: there is simply no final state.
    expect(result.noVerdict).toEqual({ cause: 'no-final-state' });
  });

  it('on the system clock too, the deadline ends a call that never answers', async () => {
    const ecs = fakeEcs({ describeService: (_c, _s, options) => hangingCall(options) });
    const result = await followDeployment(
      { ecs, clock: systemClock, log: { info: () => {}, warning: () => {} } },
      TARGET,
      { ...OPTIONS, waitForMinutes: 0.002 },
    );
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toContain(`${NEW} was never seen: no DescribeServices answered`);
    expect(ecs.callsOf('describeService')[0].signal?.aborted).toBe(true);
  });

  it('a cancel abandons a hanging call at once and says where things stood', async () => {
    const controller = new AbortController();
    const t = setup(async (n, options) => {
      if (n < 3) return inProgress;
      setImmediate(() => controller.abort());
      return hangingCall(options);
    });
    const result = await followDeployment(t.deps, TARGET, { ...OPTIONS, signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(t.ecs.callsOf('describeService')[2].signal?.aborted).toBe(true);
    // Abandoned at once: the poll in flight was not waited for, so it says nothing about AWS.
    expect(result.reason).toBe(
      `Cancelled while following: ${NEW} was IN_PROGRESS with 1/2 running, 1 pending, 0 failed. ECS goes on with the deployment.`,
    );
  });
});

describe('why there was no verdict', () => {
  it('every poll failing with a network error from some time on: AWS unreachable since then', async () => {
    const t = setup(async (n) => {
      if (n <= 5) return inProgress;
      throw networkError();
    });
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    expect(result.outcome).toBe('timed-out');
    // Polls at 2, 3, 5, 8, 12 s answered; from 16 s on every one failed, up to the last at 62 s.
    expect(result.noVerdict).toMatchObject({
      cause: 'aws-unreachable',
      failingSince: new Date('2026-03-01T12:00:16.000Z'),
      failedPolls: 13,
      lastSeenAt: new Date('2026-03-01T12:00:12.000Z'),
      lastSeenState: 'IN_PROGRESS',
    });
    expect(result.reason).toContain('AWS has been unreachable since 12:00:16Z');
    expect(result.reason).toContain(`${NEW} was last seen IN_PROGRESS at 12:00:12Z, with 1/2 running`);
    expect(t.warnings[0]).toContain('ECONNREFUSED');
  });

  it('throttled on every poll from some time on', async () => {
    const t = setup(async (n) => {
      if (n <= 2) return inProgress;
      throw throttled();
    });
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    expect(result.noVerdict).toMatchObject({
      cause: 'throttled',
      failingSince: new Date('2026-03-01T12:00:05.000Z'),
    });
    expect(result.reason).toContain('AWS has throttled every DescribeServices since 12:00:05Z');
    expect(result.reason).toContain('was last seen IN_PROGRESS at 12:00:03Z');
  });

  it('a mix of failures says the calls failed, and never seen when none answered', async () => {
    const t = setup(async (n) => {
      throw n % 2 ? throttled() : networkError();
    });
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    expect(result.noVerdict).toMatchObject({
      cause: 'aws-failing',
      failingSince: new Date('2026-03-01T12:00:02.000Z'),
    });
    expect(result.noVerdict?.lastSeenAt).toBeUndefined();
    expect(result.reason).toContain(
      'every DescribeServices since 12:00:02Z failed (throttling, network or AWS server errors;',
    );
    expect(result.reason).toContain(`${NEW} was never seen: no DescribeServices answered.`);
  });

  it('polls answered with no final state: the state is current, and the cause says so', async () => {
    const t = setup(async () => inProgress);
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    expect(result.noVerdict).toEqual({ cause: 'no-final-state' });
    expect(result.rolloutState).toBe('IN_PROGRESS');
    expect(result.countsStale).toBeUndefined();
  });

  it('a failure that clears is forgotten: the next answer makes the state current again', async () => {
    const t = setup(async (n) => {
      if (n === 3) throw networkError();
      return inProgress;
    });
    const result = await followDeployment(t.deps, TARGET, OPTIONS);
    expect(result.noVerdict).toEqual({ cause: 'no-final-state' });
  });
});
