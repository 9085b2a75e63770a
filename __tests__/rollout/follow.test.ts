import { describe, expect, it } from '@jest/globals';
import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import { fakeEcs, hangingCall, type FakeEcs } from '../fakes/aws.js';
import { fakeClock, type FakeClock } from '../fakes/clock.js';
import {
  followDeployment,
  MAX_REQUESTS_PER_MINUTE,
  pollInterval,
  progressLine,
  RequestWindow,
  shortDeploymentId,
  type FollowDeps,
  type FollowOptions,
  type FollowTarget,
} from '../../src/rollout/follow.js';
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
  REVISION_PREFIX,
  SD_ARN,
  service,
  serviceDeployment,
  T0,
  TD_NEW,
  TD_NEWER,
  TD_OLD,
} from './ecs-fixtures.js';

const TARGET: FollowTarget = {
  cluster: 'prod',
  serviceName: 'web',
  deploymentId: NEW,
  taskDefinitionArn: TD_NEW,
  previousPrimaryId: OLD,
  startedAt: T0,
};

type Step<T> = T | Error | ((h: Harness) => T | Error);

/** What the fake AWS returns from second `from` (after T0) on. */
type Timeline<T> = [from: number, step: Step<T>][];

interface Harness {
  /** Seconds since T0 on the fake clock. */
  seconds(): number;
  calls: { op: string; at: number }[];
  info: string[];
  warnings: string[];
  stoppedAt?: number;
  deps: FollowDeps;
  ecs: FakeEcs;
  clock: FakeClock;
  /** The options with the service deployment API on only when the test scripted it. */
  opts(o: FollowOptions): FollowOptions;
}

function stepAt<T>(timeline: Timeline<T>, h: Harness): T | Error {
  const current = timeline.filter(([from]) => h.seconds() >= from).at(-1);
  if (!current) throw new Error(`nothing scripted at ${h.seconds()} s`);
  const step = current[1];
  return typeof step === 'function' ? (step as (h: Harness) => T | Error)(h) : step;
}

function harness(
  services: Timeline<Service>,
  options: {
    serviceDeployments?: Timeline<ServiceDeployment | undefined>;
    /** DescribeServices call numbers (1-based) that fail once with this error. */
    failures?: Record<number, Error>;
    startAt?: number;
    onSleep?: (h: Harness) => void;
  } = {},
): Harness {
  let describeCalls = 0;
  const clock = fakeClock(T0.getTime() + (options.startAt ?? 2) * 1000, () => options.onSleep?.(h));
  const log = { info: (l: string) => h.info.push(l), warning: (l: string) => h.warnings.push(l) };
  const ecs = fakeEcs();
  const h: Harness = {
    seconds: () => (clock.now() - T0.getTime()) / 1000,
    calls: [],
    info: [],
    warnings: [],
    deps: { ecs, clock, log },
    ecs,
    clock,
    opts: (o) => ({ ...o, serviceDeployments: options.serviceDeployments !== undefined }),
  };
  const record = (op: string) => h.calls.push({ op, at: h.seconds() });
  const orThrow = <T>(v: T | Error): T => {
    if (v instanceof Error) throw v;
    return v;
  };
  ecs.script.describeService = async (cluster, name) => {
    record('DescribeServices');
    expect([cluster, name]).toEqual(['prod', 'web']);
    describeCalls++;
    const failure = options.failures?.[describeCalls];
    if (failure) throw failure;
    return orThrow(stepAt(services, h));
  };
  if (options.serviceDeployments) {
    const sds = options.serviceDeployments;
    ecs.script.listServiceDeployments = async () => {
      record('ListServiceDeployments');
      return [
        { serviceDeploymentArn: SD_ARN, targetServiceRevisionArn: `${REVISION_PREFIX}${NEW.split('/')[1]}` },
      ];
    };
    ecs.script.describeServiceDeployments = async (arns) => {
      record('DescribeServiceDeployments');
      expect(arns).toEqual([SD_ARN]);
      const sd = orThrow(stepAt(sds, h));
      return sd
        ? { serviceDeployments: [sd], failures: [] }
        : { serviceDeployments: [], failures: [{ arn: SD_ARN, reason: 'MISSING' }] };
    };
    ecs.script.stopServiceDeployment = async (arn, stopType) => {
      record('StopServiceDeployment');
      expect([arn, stopType]).toEqual([SD_ARN, 'ROLLBACK']);
      h.stoppedAt = h.seconds();
      return arn;
    };
  }
  return h;
}

const OPTIONS: FollowOptions = { waitForMinutes: 30, onTimeout: 'fail' };

function awsError(
  name: string,
  message: string,
  status: number,
  fault: 'client' | 'server' = 'client',
): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

/** The most requests in any 60 s window. */
function maxPerMinute(calls: { at: number }[]): number {
  let max = 0;
  for (const c of calls) max = Math.max(max, calls.filter((x) => x.at >= c.at && x.at < c.at + 60).length);
  return max;
}

const started = event(1, `(service web) has started 2 tasks: (task aaa) (task bbb).`);
const stoppedOld = event(25, '(service web) has stopped 1 running tasks: (task ccc).');
const healthy = [
  [
    0,
    service([ours(), oldActive()], {
      events: [event(-300, '(service web) has reached a steady state.'), started],
    }),
  ],
  [10, service([ours({ pendingCount: 1, runningCount: 1 }), oldActive()], { events: [started] })],
  [
    30,
    service([ours({ runningCount: 2 }), oldActive({ desiredCount: 0, runningCount: 1 })], {
      events: [started, stoppedOld],
    }),
  ],
  [
    45,
    service(
      [
        ours({
          runningCount: 2,
          rolloutState: 'COMPLETED',
          rolloutStateReason: `ECS deployment ${NEW} completed.`,
        }),
      ],
      {
        events: [
          started,
          stoppedOld,
          event(44, `(service web) (deployment ${NEW}) deployment completed.`),
          event(44.5, '(service web) has reached a steady state.'),
        ],
      },
    ),
  ],
] satisfies Timeline<Service>;

describe('followDeployment', () => {
  it('follows a healthy deployment: events once and oldest first, progress on change, verdict within 5 s', async () => {
    const h = harness(healthy);
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(result.reason).toContain(`ECS deployment ${NEW} completed.`);
    expect(result.finishedAt.getTime() - at(45).getTime()).toBeLessThanOrEqual(5000);
    expect(h.info).toEqual([
      `Following deployment ${NEW} of service web (web:9); waiting up to 30 minute(s).`,
      '12:00:01 (service web) has started 2 tasks: (task aaa) (task bbb).',
      'web: 0/2 running, 0 pending, 0 failed (ecs-svc/801009…)',
      `web: IN_PROGRESS: ECS deployment ${NEW} in progress.`,
      'web: 1/2 running, 1 pending, 0 failed (ecs-svc/801009…)',
      '12:00:25 (service web) has stopped 1 running tasks: (task ccc).',
      'web: 2/2 running, 0 pending, 0 failed (ecs-svc/801009…)',
      `12:00:44 (service web) (deployment ${NEW}) deployment completed.`,
      '12:00:44 (service web) has reached a steady state.',
      `web: COMPLETED: ECS deployment ${NEW} completed.`,
    ]);
    expect(h.warnings).toEqual([]);
    expect(result.events.map((e) => e.message)).toEqual([
      '(service web) has started 2 tasks: (task aaa) (task bbb).',
      '(service web) has stopped 1 running tasks: (task ccc).',
      `(service web) (deployment ${NEW}) deployment completed.`,
      '(service web) has reached a steady state.',
    ]);
    expect(result).toMatchObject({
      deploymentId: NEW,
      rolloutState: 'COMPLETED',
      counts: { desired: 2, running: 2, pending: 0, failed: 0 },
      startedAt: T0,
    });
  });

  it('polls at once, then after 1, 2, 3 s, then every 4 s', async () => {
    const h = harness([[0, service([ours(), oldActive()])]]);
    await followDeployment(h.deps, TARGET, h.opts({ ...OPTIONS, waitForMinutes: 1 }));
    const times = h.calls.filter((c) => c.op === 'DescribeServices').map((c) => c.at - 2);
    expect(times.slice(0, 8)).toEqual([0, 1, 3, 6, 10, 14, 18, 22]);
    expect([1, 2, 3, 4, 100].map(pollInterval)).toEqual([1000, 2000, 3000, 4000, 4000]);
  });

  it('keeps to 20 requests a minute with the service deployment followed too, and looks it up only when useful', async () => {
    const h = harness(
      [
        [0, service([ours({ runningCount: 1 }), oldActive()])],
        [600, service([ours({ runningCount: 2, rolloutState: 'COMPLETED' })])],
      ],
      { serviceDeployments: [[0, serviceDeployment('IN_PROGRESS')]] },
    );
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(maxPerMinute(h.calls)).toBeLessThanOrEqual(MAX_REQUESTS_PER_MINUTE);
    // The optional calls never delay a DescribeServices: after the first polls, exactly every 4 s.
    const polls = h.calls.filter((c) => c.op === 'DescribeServices').map((c) => c.at);
    expect(new Set(polls.slice(4).map((t, i) => t - polls[i + 3]))).toEqual(new Set([4]));
    // Steady state (minutes 2-9): DescribeServices every 4 s.
    const steady = h.calls.filter((c) => c.at >= 120 && c.at < 180);
    expect(steady.filter((c) => c.op === 'DescribeServices')).toHaveLength(15);
    expect(steady.filter((c) => c.op === 'DescribeServiceDeployments').length).toBeGreaterThan(0);
    expect(h.calls.filter((c) => c.op === 'ListServiceDeployments')).toHaveLength(1);
    expect(result.serviceDeploymentArn).toBe(SD_ARN);
    expect(h.info).toContain('web: service deployment IN_PROGRESS');
  });

  it('takes the verdict from the service deployment when DescribeServices does not show it', async () => {
    const h = harness([[0, service([ours({ runningCount: 2 }), oldActive({ desiredCount: 0 })])]], {
      serviceDeployments: [
        [0, serviceDeployment('IN_PROGRESS')],
        [200, serviceDeployment('SUCCESSFUL')],
      ],
    });
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(result.reason).toContain('SUCCESSFUL');
    // Looked at every 4th poll when nothing changes: within 16 s (plus a poll) of ECS.
    expect(result.finishedAt.getTime() - at(200).getTime()).toBeLessThanOrEqual(20_000);
  });

  it('reports a circuit-breaker rollback as rolled-back, waiting through the trip for the rollback to show', async () => {
    const h = harness([
      [0, service([ours({ failedTasks: 1 }), oldActive()])],
      [
        20,
        service([
          ours({ rolloutState: 'FAILED', rolloutStateReason: BREAKER_TRIPPED, failedTasks: 3 }),
          oldActive(),
        ]),
      ],
      [
        35,
        service(
          [
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
              failedTasks: 3,
            }),
          ],
          {
            events: [
              event(20, `(service web) (deployment ${NEW}) deployment failed: tasks failed to start.`),
              event(34, `(service web) rolling back to deployment ${OLD}.`),
            ],
          },
        ),
      ],
    ]);
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rolloutState: 'FAILED',
      rolloutStateReason: BREAKER_TRIPPED,
      counts: { desired: 0, failed: 3 },
    });
    // Ours is still listed (ACTIVE): its counts are current; the old deployment is still rolling out.
    expect(result.countsStale).toBeUndefined();
    expect(result.rollbackCompleted).toBe(false);
    expect(result.finishedAt.getTime() - at(35).getTime()).toBeLessThanOrEqual(5000);
    expect(h.info).toContain(`web: FAILED: ${BREAKER_TRIPPED}`);
    expect(h.info).toContain(`web: deployment failed; waiting for the rollback to ${OLD}.`);
    expect(h.info).toContain(`12:00:34 (service web) rolling back to deployment ${OLD}.`);
  });

  it('does not report a rollout state last seen IN_PROGRESS once a quick rollback removed our deployment', async () => {
    const failedEvent = event(
      18,
      `(service web) (deployment ${NEW}) deployment failed: tasks failed to start.`,
    );
    const rollingBack = event(19, `(service web) rolling back to deployment ${OLD}.`);
    const h = harness([
      [0, service([ours(), oldActive()])],
      [
        20,
        service(
          [
            oldActive({
              status: 'PRIMARY',
              rolloutState: 'IN_PROGRESS',
              rolloutStateReason: rollingBackReason(OLD),
            }),
          ],
          { events: [failedEvent, rollingBack] },
        ),
      ],
    ]);
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      rolledBackTo: { deploymentId: OLD, taskDefinitionArn: TD_OLD },
      rollbackCompleted: false,
      // From the event, not the IN_PROGRESS / "in progress" last seen before ours left deployments[].
      rolloutState: 'FAILED',
      rolloutStateReason: 'tasks failed to start.',
      // The counts last seen, marked so.
      counts: { desired: 2, running: 0, pending: 0, failed: 0 },
      countsStale: true,
    });
    expect(result.rolloutStateReason).not.toContain('in progress');
  });

  it('leaves the rollout state reason out when nothing says why the removed deployment failed; a finished rollback is completed', async () => {
    const h = harness([
      [0, service([ours(), oldActive()])],
      [
        20,
        service([oldActive({ status: 'PRIMARY' })], {
          events: [event(19, `(service web) rolling back to deployment ${OLD}.`)],
        }),
      ],
    ]);
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result).toMatchObject({ outcome: 'rolled-back', rolloutState: 'FAILED', rollbackCompleted: true });
    expect(result.rolloutStateReason).toBeUndefined();
    expect(result.countsStale).toBe(true);
  });

  it('describes the service again at once when a fresh STOPPED service deployment disagrees with it, and finds it superseded', async () => {
    const inProgress = service([ours(), oldActive()]);
    const supersededNow = service([
      newer({ createdAt: at(25) }),
      ours({ status: 'ACTIVE' }),
      oldActive({ desiredCount: 0 }),
    ]);
    const stoppedLooks = (x: Harness) =>
      x.calls.filter((c) => c.op === 'DescribeServiceDeployments' && c.at >= 25).length;
    const h = harness(
      // DescribeServices lags: it shows the newer deployment only after the STOPPED look.
      [[0, (x) => (stoppedLooks(x) > 0 ? supersededNow : inProgress)]],
      {
        serviceDeployments: [
          [0, serviceDeployment('IN_PROGRESS')],
          [25, serviceDeployment('STOPPED', { statusReason: 'Superseded by a newer deployment.' })],
        ],
      },
    );
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('superseded');
    expect(result.supersededBy).toEqual({ deploymentId: NEWER, taskDefinitionArn: TD_NEWER });
    // The STOPPED look, then DescribeServices again with no sleep in between (the fake clock
    // moves only in sleep), and the verdict from that pair: nothing after.
    const stoppedAt = h.calls.findIndex((c) => c.op === 'DescribeServiceDeployments' && c.at >= 25);
    expect(stoppedAt).toBeGreaterThan(0);
    const look = h.calls[stoppedAt];
    expect(h.calls[stoppedAt - 1]).toEqual({ op: 'DescribeServices', at: look.at });
    expect(h.calls.slice(stoppedAt + 1)).toEqual([{ op: 'DescribeServices', at: look.at }]);
    expect(result.finishedAt.getTime()).toBe(at(look.at).getTime());
  });

  it('times out after wait-for-minutes and says where the deployment stood', async () => {
    const h = harness([
      [0, service([ours({ runningCount: 1, pendingCount: 1, failedTasks: 2 }), oldActive()])],
    ]);
    const result = await followDeployment(h.deps, TARGET, h.opts({ ...OPTIONS, waitForMinutes: 2 }));
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toBe(
      `No verdict within 2 minute(s): ${NEW} was IN_PROGRESS with 1/2 running, 1 pending, 2 failed. ECS goes on with the deployment.`,
    );
    expect(h.seconds()).toBe(122);
    expect(h.calls.at(-1)).toEqual({ op: 'DescribeServices', at: 122 });
  });

  it('on timeout with on-timeout rollback: asks ECS to roll back and follows the rollback to its end', async () => {
    const inProgress = service([ours({ runningCount: 1 }), oldActive()]);
    const h = harness(
      [
        [0, inProgress],
        [
          0,
          (x) =>
            x.stoppedAt !== undefined && x.seconds() >= x.stoppedAt + 10
              ? service([oldActive({ status: 'PRIMARY' })])
              : inProgress,
        ],
      ],
      {
        serviceDeployments: [
          [
            0,
            (x) =>
              x.stoppedAt === undefined
                ? serviceDeployment('IN_PROGRESS')
                : x.seconds() < x.stoppedAt + 10
                  ? serviceDeployment('ROLLBACK_IN_PROGRESS', { rollback: rollbackDetails })
                  : serviceDeployment('ROLLBACK_SUCCESSFUL', { rollback: rollbackDetails }),
          ],
        ],
      },
    );
    const result = await followDeployment(
      h.deps,
      TARGET,
      h.opts({ waitForMinutes: 1, onTimeout: 'rollback' }),
    );
    expect(h.stoppedAt).toBe(62);
    expect(h.calls.filter((c) => c.op === 'StopServiceDeployment')).toHaveLength(1);
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toContain('No verdict within 1 minute(s)');
    expect(result.reason).toContain(
      `Rolled back on timeout: ECS rolled back to ${OLD} (web:8); the rollback completed.`,
    );
    expect(result.rolledBackTo).toEqual({ deploymentId: OLD, taskDefinitionArn: TD_OLD });
    expect(h.info).toContain(`web: no verdict after 1 minute(s); asking ECS to roll back ${NEW}.`);
    expect(h.seconds()).toBeLessThan(62 + 30);
  });

  it('on timeout with rollback but no service deployment API: says it could not roll back', async () => {
    const h = harness([[0, service([ours({ runningCount: 1 }), oldActive()])]]);
    const result = await followDeployment(
      h.deps,
      TARGET,
      h.opts({ waitForMinutes: 1, onTimeout: 'rollback' }),
    );
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toContain('Could not roll back');
    expect(result.reason).toContain('ecs:StopServiceDeployment');
  });

  it('never rolls back a service deployment that is not ours (a fallback ARN of another deployment)', async () => {
    const notOurs = serviceDeployment('SUCCESSFUL', {
      targetServiceRevision: { arn: `${REVISION_PREFIX}${OLD.split('/')[1]}` },
    });
    const h = harness([[0, service([ours({ runningCount: 1 }), oldActive()])]], {
      serviceDeployments: [[0, notOurs]],
    });
    const result = await followDeployment(
      h.deps,
      TARGET,
      h.opts({ waitForMinutes: 1, onTimeout: 'rollback' }),
    );
    expect(h.calls.filter((c) => c.op === 'StopServiceDeployment')).toHaveLength(0);
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toContain(`Could not roll back`);
    expect(result.serviceDeploymentArn).toBeUndefined();
  });

  it('ends at once on access denied, naming the IAM action', async () => {
    const h = harness(healthy, {
      failures: {
        2: awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::1:assumed-role/deploy is not authorized to perform: ecs:DescribeServices',
          400,
        ),
      },
    });
    const error = await followDeployment(h.deps, TARGET, h.opts(OPTIONS)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      fatal: true,
      iamAction: 'ecs:DescribeServices',
      operation: 'DescribeServices',
    });
    expect((error as Error).message).toContain('is not authorized to perform: ecs:DescribeServices');
    expect(h.calls).toHaveLength(2);
  });

  it('ends at once on expired credentials, with the session-length hint when the wait outlives it', async () => {
    const h = harness(healthy, {
      failures: {
        1: awsError('ExpiredTokenException', 'The security token included in the request is expired', 400),
      },
    });
    const error = await followDeployment(h.deps, TARGET, h.opts({ ...OPTIONS, waitForMinutes: 90 })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ fatal: true, kind: 'credentials-expired' });
    expect((error as Error).message).toContain('wait-for-minutes is 90');
  });

  it('warns about throttling that outlasted the SDK retries and keeps polling; the verdict is unchanged', async () => {
    const h = harness(healthy, {
      failures: {
        3: awsError('ThrottlingException', 'Rate exceeded', 400),
        4: awsError('ServerException', 'Service unavailable', 503, 'server'),
      },
    });
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(h.warnings).toEqual([
      'DescribeServices failed after retries: ThrottlingException: Rate exceeded (throttling, a network error or an AWS server error; it may clear by itself). Polling again; this does not change the verdict.',
      'DescribeServices failed after retries: ServerException: Service unavailable (throttling, a network error or an AWS server error; it may clear by itself). Polling again; this does not change the verdict.',
    ]);
  });

  it('stops using the service deployment API when it is denied, and follows with DescribeServices alone', async () => {
    const h = harness(healthy, {
      serviceDeployments: [
        [
          0,
          awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServiceDeployments', 400),
        ],
      ],
    });
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(h.calls.filter((c) => c.op === 'DescribeServiceDeployments')).toHaveLength(1);
    expect(
      h.info.some(
        (l) =>
          l.includes('ecs:DescribeServiceDeployments') &&
          l.endsWith('following with DescribeServices alone.'),
      ),
    ).toBe(true);
    expect(result.serviceDeploymentArn).toBeUndefined();
  });

  it('stops using the service deployment API when ECS has no record of it (MISSING)', async () => {
    const h = harness(healthy, { serviceDeployments: [[0, undefined]] });
    const result = await followDeployment(h.deps, TARGET, h.opts(OPTIONS));
    expect(result.outcome).toBe('succeeded');
    expect(h.calls.filter((c) => c.op === 'DescribeServiceDeployments')).toHaveLength(1);
    expect(h.info).toContain(
      `web: ECS has no service deployment record ${SD_ARN}; following with DescribeServices alone.`,
    );
  });

  it('returns promptly on abort with the deployment id and the last known state', async () => {
    const controller = new AbortController();
    const h = harness([[0, service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()])]], {
      onSleep: (x) => {
        if (x.seconds() >= 20) controller.abort();
      },
    });
    const result = await followDeployment(h.deps, TARGET, h.opts({ ...OPTIONS, signal: controller.signal }));
    expect(result).toMatchObject({
      outcome: 'cancelled',
      deploymentId: NEW,
      rolloutState: 'IN_PROGRESS',
      counts: { desired: 2, running: 1, pending: 1, failed: 0 },
    });
    expect(result.reason).toContain('Cancelled while following');
    expect(h.seconds()).toBeLessThan(25);
  });

  it('returns on abort even while a DescribeServices call hangs', async () => {
    const controller = new AbortController();
    const ecs = fakeEcs({
      describeService: (_cluster, _name, callOptions) => {
        setTimeout(() => controller.abort(), 5);
        return hangingCall(callOptions);
      },
    });
    const deps: FollowDeps = {
      ecs,
      clock: { sleep: async () => {}, now: () => T0.getTime() },
      log: { info: () => {}, warning: () => {} },
    };
    const result = await followDeployment(deps, TARGET, {
      ...OPTIONS,
      signal: controller.signal,
      serviceDeployments: false,
    });
    expect(result).toMatchObject({ outcome: 'cancelled', deploymentId: NEW });
  });
});

describe('pieces', () => {
  it('RequestWindow counts a sliding minute and says how long to wait', () => {
    const w = new RequestWindow(2, 60_000);
    w.record(0);
    w.record(10_000);
    expect(w.waitFor(20_000)).toBe(40_000);
    expect(w.count(60_000)).toBe(1);
    expect(w.waitFor(60_000)).toBe(0);
  });
  it('formats the progress line', () => {
    expect(progressLine('web', NEW, { desired: 2, running: 1, pending: 1, failed: 0 })).toBe(
      'web: 1/2 running, 1 pending, 0 failed (ecs-svc/801009…)',
    );
    expect(shortDeploymentId('ecs-svc/12')).toBe('ecs-svc/12');
  });
});
