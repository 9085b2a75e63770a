// Two runs of the same commit deploy one service at once: our deployment is replaced by the other
// run's, whose task definition has the same content under another revision. We follow that one on
// and report its verdict; a replacement with different content stays superseded.

import { describe, expect, it } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import type { DescribedTaskDefinition } from '../../src/aws/ports.js';
import { followDeployment, type FollowOptions, type FollowTarget } from '../../src/rollout/follow.js';
import type { JsonObject } from '../../src/lib/json.js';
import { fakeEcs, type FakeEcs } from '../fakes/aws.js';
import { fakeClock } from '../fakes/clock.js';
import {
  at,
  NEW,
  NEWER,
  newer,
  OLD,
  oldActive,
  ours,
  service,
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
  createdAt: T0,
};
const OPTIONS: FollowOptions = { waitForMinutes: 10, onTimeout: 'fail', serviceDeployments: false };

function taskDefinition(family: string, revision: number, image: string): JsonObject {
  return {
    family,
    revision,
    containerDefinitions: [{ name: 'app', image, memory: 512, essential: true }],
    requiresCompatibilities: ['FARGATE'],
  };
}
const described = (arn: string, td: JsonObject): DescribedTaskDefinition => ({
  taskDefinition: td,
  tags: [],
  arn,
});

const replaced = service([
  newer({ createdAt: at(20) }),
  ours({ status: 'ACTIVE' }),
  oldActive({ desiredCount: 0 }),
]);
const newerCompleted = service([
  newer({
    createdAt: at(20),
    runningCount: 2,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${NEWER} completed.`,
  }),
]);

/** Ours until 20 s, then replaced by NEWER, which completes at 60 s. */
function timeline(clockSeconds: () => number): Service {
  const s = clockSeconds();
  if (s < 20) return service([ours(), oldActive()]);
  return s < 60 ? replaced : newerCompleted;
}

function run(descriptions: Record<string, JsonObject>): {
  ecs: FakeEcs;
  follow: ReturnType<typeof followDeployment>;
  info: string[];
} {
  const clock = fakeClock(T0.getTime() + 2000);
  const seconds = () => (clock.now() - T0.getTime()) / 1000;
  const info: string[] = [];
  const ecs = fakeEcs({
    describeService: async () => timeline(seconds),
    describeTaskDefinition: async (arn) => described(arn, descriptions[arn]),
  });
  const follow = followDeployment(
    { ecs, clock, log: { info: (l) => info.push(l), warning: () => {} } },
    TARGET,
    OPTIONS,
  );
  return { ecs, follow, info };
}

describe('a deployment replaced by another run of the same commit', () => {
  it('follows the replacement on when its task definition is identical in content, and reports its verdict', async () => {
    const { ecs, follow, info } = run({
      [TD_NEW]: taskDefinition('web', 9, 'web:28f3d25'),
      [TD_NEWER]: taskDefinition('web', 10, 'web:28f3d25'),
    });
    const result = await follow;
    expect(ecs.callsOf('describeTaskDefinition').map((c) => c.args[0])).toEqual([TD_NEW, TD_NEWER]);
    expect(result.outcome).toBe('succeeded');
    expect(result.reason).toBe(
      `Our deployment ${NEW} was replaced by deployment ${NEWER} of web:10, identical to ours (web:9), started by another run, which succeeded: ECS deployment ${NEWER} completed. 2/2 tasks running.`,
    );
    expect(result.followedOn).toEqual({ deploymentId: NEWER, taskDefinitionArn: TD_NEWER });
    expect(result.supersededBy).toBeUndefined();
    // Ours is still the deployment this run started; the state is the one followed to the end.
    expect(result.deploymentId).toBe(NEW);
    expect(result.rolloutState).toBe('COMPLETED');
    expect(info).toContain(
      `web: ${NEW} was replaced by deployment ${NEWER} of web:10, identical to ours (web:9), started by another run; following that deployment on.`,
    );
    expect(result.finishedAt.getTime() - at(60).getTime()).toBeLessThanOrEqual(5000);
  });

  it('stays superseded when the replacement deploys different content', async () => {
    const { follow } = run({
      [TD_NEW]: taskDefinition('web', 9, 'web:28f3d25'),
      [TD_NEWER]: taskDefinition('web', 10, 'web:9c1d24a'),
    });
    const result = await follow;
    expect(result.outcome).toBe('superseded');
    expect(result.supersededBy).toEqual({ deploymentId: NEWER, taskDefinitionArn: TD_NEWER });
    expect(result.followedOn).toBeUndefined();
    expect(result.reason).toContain(
      `Another deployment, ${NEWER} (web:10), replaced ${NEW} before it finished`,
    );
  });

  it('stays superseded when the task definitions cannot be compared', async () => {
    const clock = fakeClock(T0.getTime() + 2000);
    const warnings: string[] = [];
    const ecs = fakeEcs({
      describeService: async () => timeline(() => (clock.now() - T0.getTime()) / 1000),
      describeTaskDefinition: async () => {
        throw new Error('boom');
      },
    });
    const result = await followDeployment(
      { ecs, clock, log: { info: () => {}, warning: (l) => warnings.push(l) } },
      TARGET,
      OPTIONS,
    );
    expect(result.outcome).toBe('superseded');
    expect(warnings).toEqual(['Could not compare web:10 with web:9: boom']);
  });

  it('follows on without a look when the other run deployed the very same revision (forced)', async () => {
    const clock = fakeClock(T0.getTime() + 2000);
    const seconds = () => (clock.now() - T0.getTime()) / 1000;
    const sameRevision = (s: Service): Service => ({
      ...s,
      deployments: s.deployments?.map((d) => (d.id === NEWER ? { ...d, taskDefinition: TD_NEW } : d)),
    });
    const ecs = fakeEcs({ describeService: async () => sameRevision(timeline(seconds)) });
    const result = await followDeployment(
      { ecs, clock, log: { info: () => {}, warning: () => {} } },
      TARGET,
      OPTIONS,
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.followedOn).toEqual({ deploymentId: NEWER, taskDefinitionArn: TD_NEW });
    expect(ecs.callsOf('describeTaskDefinition')).toHaveLength(0);
  });

  it("reports the replacement's rollback as a rollback", async () => {
    const clock = fakeClock(T0.getTime() + 2000);
    const seconds = () => (clock.now() - T0.getTime()) / 1000;
    const rolledBack = service([
      oldActive({ status: 'PRIMARY' }),
      newer({ status: 'ACTIVE', createdAt: at(20), rolloutState: 'FAILED', desiredCount: 0 }),
    ]);
    const ecs = fakeEcs({
      describeService: async () => (seconds() < 60 ? timeline(seconds) : rolledBack),
      describeTaskDefinition: async (arn) => described(arn, taskDefinition('web', 1, 'web:same')),
    });
    const result = await followDeployment(
      { ecs, clock, log: { info: () => {}, warning: () => {} } },
      TARGET,
      OPTIONS,
    );
    expect(result.outcome).toBe('rolled-back');
    expect(result.rolledBackTo).toEqual({ deploymentId: OLD, taskDefinitionArn: TD_OLD });
    expect(result.reason).toContain(
      `started by another run, which was rolled back: The deployment ${NEWER} failed`,
    );
  });
});
