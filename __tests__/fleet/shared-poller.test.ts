// The batching layer under several followers: one DescribeServices round answers every follower
// that asks at about the same moment, ten services a call, and DescribeServiceDeployments asked
// for in the same turn goes out once.
import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { SharedPoller, SHARED_ANSWER_MS } from '../../src/fleet/shared-poller.js';
import { AwsCallError } from '../../src/aws/errors.js';
import { fakeEcs } from '../fakes/aws.js';
import { FakeClock } from '../fakes/clock.js';

const service = (name: string, extra: Partial<Service> = {}): Service => ({
  serviceName: name,
  serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`,
  status: 'ACTIVE',
  ...extra,
});

function setup(names: string[]) {
  const clock = new FakeClock(1_000_000);
  const ecs = fakeEcs({
    describeServices: async (_cluster, asked) => ({
      services: asked
        .filter((n) => !n.startsWith('missing'))
        .map((n) => service(n, { currentServiceDeployment: `sd/${n}` })),
      failures: asked
        .filter((n) => n.startsWith('missing'))
        .map((n) => ({ arn: `arn:x:service/prod/${n}`, reason: 'MISSING' })),
    }),
    describeServiceDeployments: async (arns) => ({
      serviceDeployments: arns.map((arn) => ({ serviceDeploymentArn: arn })),
      failures: [],
    }),
    listServiceDeployments: async () => [],
  });
  const poller = new SharedPoller(ecs, { clock });
  for (const n of names) poller.track('prod', n);
  return { clock, ecs, poller };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i + 1}`);

describe('SharedPoller', () => {
  test('followers asking together share one round: one call names them all', async () => {
    const { ecs, poller } = setup(['web', 'api', 'worker']);
    const answers = await Promise.all(
      ['web', 'api', 'worker'].map((n) => poller.port.describeService('prod', n)),
    );
    expect(answers.map((s) => s.serviceName)).toEqual(['web', 'api', 'worker']);
    const calls = ecs.callsOf('describeServices');
    expect(calls).toHaveLength(1);
    expect(calls[0].args[1]).toEqual(['web', 'api', 'worker']);
  });

  test('a follower asking just after a round is answered from it; a later one starts the next', async () => {
    const { clock, ecs, poller } = setup(['web', 'api']);
    await poller.port.describeService('prod', 'web');
    clock.advance(SHARED_ANSWER_MS / 2);
    await poller.port.describeService('prod', 'api');
    expect(ecs.callsOf('describeServices')).toHaveLength(1);
    // web asks again: its last answer came from round 1, so a new round goes out.
    await poller.port.describeService('prod', 'web');
    expect(ecs.callsOf('describeServices')).toHaveLength(2);
    clock.advance(SHARED_ANSWER_MS * 2);
    await poller.port.describeService('prod', 'api');
    expect(ecs.callsOf('describeServices')).toHaveLength(3);
  });

  test('30 followed services: one round is three calls of ten (the port batches ten a call)', async () => {
    const { ecs, poller } = setup(names(30));
    await Promise.all(names(30).map((n) => poller.port.describeService('prod', n)));
    // The ECS port's describeServices takes any number and sends ten a call (src/aws/ecs.ts).
    const calls = ecs.callsOf('describeServices');
    expect(calls).toHaveLength(1);
    expect(calls[0].args[1]).toHaveLength(30);
    expect(poller.roundCount).toBe(1);
  });

  test('an untracked follower leaves later rounds', async () => {
    const { ecs, poller, clock } = setup(['web', 'api']);
    await poller.port.describeService('prod', 'web');
    poller.untrack('prod', 'api');
    clock.advance(SHARED_ANSWER_MS * 2);
    await poller.port.describeService('prod', 'web');
    expect(ecs.callsOf('describeServices').map((c) => c.args[1])).toEqual([['web', 'api'], ['web']]);
  });

  test('a missing service gets the error describeService gives; the others their answers', async () => {
    const { poller } = setup(['web', 'missing-api']);
    const [web, api] = await Promise.allSettled([
      poller.port.describeService('prod', 'web'),
      poller.port.describeService('prod', 'missing-api'),
    ]);
    expect(web.status).toBe('fulfilled');
    expect(api.status).toBe('rejected');
    const reason = (api as PromiseRejectedResult).reason as AwsCallError;
    expect(reason).toBeInstanceOf(AwsCallError);
    expect(reason.message).toContain("Service 'missing-api' was not found in cluster 'prod'");
  });

  test('DescribeServiceDeployments asked for in the same turn is one call; each gets its own', async () => {
    const { ecs, poller } = setup([]);
    const [a, b] = await Promise.all([
      poller.port.describeServiceDeployments(['sd/web']),
      poller.port.describeServiceDeployments(['sd/api']),
    ]);
    expect(ecs.callsOf('describeServiceDeployments')).toHaveLength(1);
    expect(a.serviceDeployments.map((s) => s.serviceDeploymentArn)).toEqual(['sd/web']);
    expect(b.serviceDeployments.map((s) => s.serviceDeploymentArn)).toEqual(['sd/api']);
  });

  test('ListServiceDeployments is not called while DescribeServices names the current deployment', async () => {
    const { ecs, poller } = setup(['web']);
    expect(await poller.port.listServiceDeployments({ cluster: 'prod', service: 'web' })).toEqual([]);
    expect(ecs.callsOf('listServiceDeployments')).toHaveLength(1);
    await poller.port.describeService('prod', 'web');
    expect(await poller.port.listServiceDeployments({ cluster: 'prod', service: 'web' })).toEqual([]);
    expect(ecs.callsOf('listServiceDeployments')).toHaveLength(1);
  });

  test('other port methods pass through', async () => {
    const { ecs, poller } = setup([]);
    ecs.script.describeTaskDefinition = async () => ({ taskDefinition: {}, tags: [], arn: 'td:1' });
    expect((await poller.port.describeTaskDefinition('web')).arn).toBe('td:1');
  });
});
