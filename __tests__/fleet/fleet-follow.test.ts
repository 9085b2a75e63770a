// followServicesStage (src/stages/fleet-follow.ts) with the per-service stages mocked: a follower
// that throws fails only its own service, the others finish; on-service-failure rollback sends a
// service that had already finished back to its previous revision by UpdateService, followed.
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import type { Followed, FleetMember, ServiceUpdate, StepContext } from '../../src/stages/context.js';
import type { DeployRequest } from '../../src/lib/request.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';

type FollowArgs = { request: DeployRequest; registration: { kind: string; taskDefinitionArn?: string } };
const follow = jest.fn<(ctx: StepContext, done: FollowArgs) => Promise<Followed>>();
const update = jest.fn<(ctx: StepContext, done: FollowArgs) => Promise<ServiceUpdate>>();
jest.unstable_mockModule('../../src/stages/follow.js', () => ({
  followStage: follow,
  diagnoseStage: jest.fn(),
  logOf: (ctx: StepContext) => ctx.runner,
}));
jest.unstable_mockModule('../../src/stages/update.js', () => ({ updateStage: update }));
const { followServicesStage } = await import('../../src/stages/fleet-follow.js');

const T0 = Date.parse('2026-03-01T12:00:00Z');
const td = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
const REQUEST = {
  cluster: 'prod',
  service: 'web',
  waitForServiceStability: true,
  waitForMinutes: 30,
  onServiceFailure: 'continue',
} as DeployRequest;

const verdict = (outcome: 'succeeded' | 'failed', reason: string): Followed => ({
  kind: 'done',
  result: {
    outcome,
    reason,
    events: [],
    stoppedTasks: [],
    logTails: [],
    startedAt: new Date(T0),
    finishedAt: new Date(T0),
  },
});
const started = (id: string): ServiceUpdate => ({
  kind: 'started',
  deploymentId: id,
  startedAt: new Date(T0),
  created: true,
  settings: [],
});
const later = () => new Promise((resolve) => setTimeout(resolve, 20));

let clock: FakeClock;
let runner: FakeRunner;
let ctx: StepContext;

function member(name: string, request: DeployRequest): FleetMember {
  const service: Service = { serviceName: name, status: 'ACTIVE', taskDefinition: td('web', 8) };
  return {
    target: { cluster: 'prod', service: name },
    request: { ...request, service: name },
    check: { service, currentTaskDefinitionArn: td('web', 8) },
    registration: { kind: 'done', taskDefinitionArn: td('web', 9), registered: true },
    update: started(`ecs-svc/${name}`),
  };
}

function step(request: DeployRequest) {
  return followServicesStage(ctx, {
    request,
    registration: { kind: 'done', taskDefinitionArn: td('web', 9), registered: true },
    update: started('ecs-svc/web'),
    service: {
      service: { serviceName: 'web', taskDefinition: td('web', 8) },
      currentTaskDefinitionArn: td('web', 8),
    },
    fleet: { members: [member('api', request)], problems: [] },
  });
}

beforeEach(() => {
  clock = new FakeClock(T0);
  runner = new FakeRunner({});
  const aws = fakeAws(clock);
  aws.world.seedService({ serviceName: 'api', status: 'ACTIVE', taskDefinition: td('web', 9) });
  ctx = { aws, runner, clock, signal: new AbortController().signal, startedAt: T0 };
  follow.mockReset();
  update.mockReset();
});

describe('a follower that throws', () => {
  it("fails its own service with the error as the reason; the other's verdict is kept", async () => {
    follow.mockImplementation(async (_ctx, done) => {
      if (done.request.service === 'api') throw new Error('DescribeServices failed: InternalError.');
      await later();
      return verdict('succeeded', 'web completed.');
    });
    const { followed, fleet } = await step(REQUEST);
    expect(followed).toMatchObject({ kind: 'done', result: { outcome: 'succeeded' } });
    expect(fleet?.members[0].followed).toMatchObject({
      kind: 'done',
      result: {
        outcome: 'failed',
        deploymentId: 'ecs-svc/api',
        reason: expect.stringContaining('DescribeServices failed: InternalError.') as unknown,
      },
    });
  });
});

describe('on-service-failure rollback, a service that had already finished', () => {
  it('is updated back to its previous revision and followed; its verdict is rolled-back', async () => {
    follow.mockImplementation(async (_ctx, done) => {
      if (done.request.service === 'web') {
        await later();
        return verdict('failed', 'web failed.');
      }
      // api: finished first on web:9; then, going back, on web:8.
      return verdict('succeeded', `api on ${done.registration.taskDefinitionArn}.`);
    });
    update.mockResolvedValue(started('ecs-svc/api-back'));
    const { fleet } = await step({ ...REQUEST, onServiceFailure: 'rollback' });
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0][1].registration).toMatchObject({ taskDefinitionArn: td('web', 8) });
    expect(fleet?.members[0].followed).toMatchObject({
      kind: 'done',
      result: {
        outcome: 'rolled-back',
        rolledBackTo: { deploymentId: 'ecs-svc/api-back', taskDefinitionArn: td('web', 8) },
        rollbackCompleted: true,
      },
    });
    expect(fleet?.rolledBackFor).toEqual({ 1: 'web' });
    expect(runner.log).toMatch(
      /api: had finished on web:9; updating it back to web:8 because service web failed/,
    );
  });

  it('with continue, a finished service is left as it is', async () => {
    follow.mockImplementation(async (_ctx, done) => {
      if (done.request.service === 'web') {
        await later();
        return verdict('failed', 'web failed.');
      }
      return verdict('succeeded', 'api done.');
    });
    const { fleet } = await step(REQUEST);
    expect(update).not.toHaveBeenCalled();
    expect(fleet?.members[0].followed).toMatchObject({ result: { outcome: 'succeeded' } });
  });
});

describe('on-service-failure rollback, a service whose follower had not seen it finish (issue 13)', () => {
  it('its stop is refused; when its follower ends succeeded it is updated back, rolled-back', async () => {
    follow.mockImplementation(async (_ctx, done) => {
      if (done.request.service === 'web') {
        await later();
        return verdict('failed', 'web failed.');
      }
      // api: still followed when web fails (ECS will not stop it), then seen finished on web:9.
      if (done.registration.taskDefinitionArn === td('web', 9)) await later().then(later);
      return verdict('succeeded', `api on ${done.registration.taskDefinitionArn}.`);
    });
    update.mockResolvedValue(started('ecs-svc/api-back'));
    const { fleet } = await step({ ...REQUEST, onServiceFailure: 'rollback' });
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0][1].registration).toMatchObject({ taskDefinitionArn: td('web', 8) });
    expect(fleet?.members[0].followed).toMatchObject({
      kind: 'done',
      result: {
        outcome: 'rolled-back',
        rolledBackTo: { deploymentId: 'ecs-svc/api-back', taskDefinitionArn: td('web', 8) },
        rollbackCompleted: true,
        reason: expect.stringMatching(/^It had finished on web:9 before it could be stopped \(/) as unknown,
      },
    });
    expect(fleet?.rolledBackFor).toEqual({ 1: 'web' });
    expect(runner.log).toMatch(/api: could not roll back ecs-svc\/api/);
    expect(runner.log).toMatch(
      /api: had finished on web:9; updating it back to web:8 because service web failed/,
    );
  });
});
