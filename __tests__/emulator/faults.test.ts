// Fault injection and ECS throttling, seen through the real SDK: what it retries (throttling, 5xx,
// dropped connections) and what it does not (access denied, expired token).
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  DescribeClustersCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';

import { startEmulator, type Emulator, type FaultRule } from '../../emulator/index.js';
import { createFaultInjector } from '../../emulator/faults.js';
import { createEcsThrottler, ECS_BUCKETS } from '../../emulator/throttling.js';
import { createFakeEcs } from './fake-ecs.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
type SdkError = { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } };

let emu: Emulator | undefined;
async function start(faults: FaultRule[], throttling = false): Promise<Emulator> {
  emu = await startEmulator({
    manualClock: true,
    faults,
    throttling,
    seed: { clusters: [{ name: 'prod' }], objects: [{ bucket: 'b', key: 'k', body: 'v' }] },
    ecsModel: createFakeEcs,
  });
  return emu;
}
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});
const ecsClient = (e: Emulator, maxAttempts?: number) =>
  new ECSClient({
    endpoint: e.url,
    region: 'us-east-1',
    credentials,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
const update = new UpdateServiceCommand({ cluster: 'prod', service: 'web' });
const fail = (p: Promise<unknown>): Promise<SdkError> =>
  p.then(
    () => {
      throw new Error('expected failure');
    },
    (e: unknown) => e as SdkError,
  );

describe('fault kinds through the SDK (standard retry, maxAttempts 3)', () => {
  it('throttle: ThrottlingException "Rate exceeded", retried, then succeeds', async () => {
    const e = await start([{ operation: 'UpdateService', kind: 'throttle', rate: 1, count: 1 }]);
    const err = await fail(ecsClient(e, 1).send(update));
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
      'ThrottlingException',
      'Rate exceeded',
      400,
    ]);

    e.setFaults([{ operation: 'UpdateService', kind: 'throttle', rate: 1, count: 1 }]);
    const out = await ecsClient(e).send(update);
    expect(out.$metadata.attempts).toBe(2);
    expect(e.requests.slice(-2).map((r) => [r.operation, r.status, r.error])).toEqual([
      ['UpdateService', 400, 'ThrottlingException'],
      ['UpdateService', 200, undefined],
    ]);
  });

  it('server-error: 500 ServerException, retried twice, then succeeds; a third makes it give up', async () => {
    const e = await start([{ kind: 'server-error', rate: 1, count: 2 }]);
    const out = await ecsClient(e).send(update);
    expect(out.$metadata.attempts).toBe(3);

    e.setFaults([{ kind: 'server-error', rate: 1 }]);
    const err = await fail(ecsClient(e).send(update));
    expect([err.name, err.$metadata.httpStatusCode, err.$metadata.attempts]).toEqual([
      'ServerException',
      500,
      3,
    ]);
  });

  it('unavailable: 503 ServiceUnavailable, retried', async () => {
    const e = await start([{ kind: 'unavailable', rate: 1, count: 1 }]);
    expect((await ecsClient(e).send(update)).$metadata.attempts).toBe(2);
    expect(e.requests[0]).toMatchObject({ status: 503, error: 'ServiceUnavailable' });
  });

  it('drop: the connection closes without an answer; the SDK retries it', async () => {
    const e = await start([{ kind: 'drop', rate: 1, count: 1 }]);
    const out = await ecsClient(e).send(new DescribeClustersCommand({ clusters: ['prod'] }));
    expect(out.$metadata.attempts).toBe(2);
    expect(e.requests[0]).toMatchObject({
      operation: 'DescribeClusters',
      status: 0,
      error: 'ConnectionDropped',
    });
  });

  it("hang: the request is accepted and never answered; only the client's timeout ends it", async () => {
    const e = await start([{ operation: 'DescribeClusters', kind: 'hang', rate: 1 }]);
    const client = new ECSClient({
      endpoint: e.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    const err = await fail(client.send(new DescribeClustersCommand({})));
    expect(err.name).toBe('TimeoutError');
    // Logged once the client gave up; other operations still answer.
    await client.send(update);
    expect(e.requests[0]).toMatchObject({ operation: 'DescribeClusters', status: 0 });
  });

  it('hang: stopping the emulator ends a request that has no timeout', async () => {
    const e = await start([{ kind: 'hang', rate: 1 }]);
    const pending = fail(ecsClient(e, 1).send(new DescribeClustersCommand({})));
    // Stop once the request has reached the server (it never answers, so wait for it to be open).
    await new Promise((resolve) => setTimeout(resolve, 50));
    await e.stop();
    emu = undefined;
    const err = await pending;
    expect(err.name).not.toBe('ThrottlingException');
    expect(err.$metadata.httpStatusCode).toBeUndefined();
  });

  it('latency: the answer comes late but right', async () => {
    const e = await start([{ kind: 'latency', rate: 1, latencyMs: 150 }]);
    const t0 = Date.now();
    await ecsClient(e).send(update);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('access-denied: AWS message naming the action and resource; not retried', async () => {
    const e = await start([{ operation: /^Update/, kind: 'access-denied', rate: 1 }]);
    const err = await fail(ecsClient(e).send(update));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ecs:UpdateService ' +
        'on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows ' +
        'the ecs:UpdateService action',
    );
    expect([err.$metadata.httpStatusCode, err.$metadata.attempts]).toEqual([400, 1]);
    expect(e.requests).toHaveLength(1);
    // Reads are not matched by /^Update/.
    await ecsClient(e).send(new DescribeClustersCommand({}));
  });

  it('expired-token: ExpiredTokenException, not retried', async () => {
    const e = await start([{ kind: 'expired-token', rate: 1 }]);
    const err = await fail(ecsClient(e).send(update));
    expect([err.name, err.message, err.$metadata.attempts]).toEqual([
      'ExpiredTokenException',
      'The security token included in the request is expired',
      1,
    ]);
  });

  it('rules can target one service; other services answer normally', async () => {
    const e = await start([{ service: 'ssm', kind: 'server-error', rate: 1 }]);
    await ecsClient(e).send(update);
    const ssm = new SSMClient({ endpoint: e.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const err = await fail(ssm.send(new GetParametersCommand({ Names: ['/x'] })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['InternalServerError', 500]);
  });

  it('S3 faults use S3 names: SlowDown (retried), AccessDenied 403', async () => {
    const e = await start([{ service: 's3', kind: 'throttle', rate: 1, count: 1 }]);
    const s3 = new S3Client({ endpoint: e.url, region: 'us-east-1', credentials });
    const out = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    expect(await out.Body?.transformToString()).toBe('v');
    expect(e.requests[0]).toMatchObject({ service: 's3', status: 503, error: 'SlowDown' });

    e.setFaults([{ service: 's3', kind: 'access-denied', rate: 1 }]);
    const err = await fail(s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })));
    expect([err.name, err.$metadata.httpStatusCode, err.$metadata.attempts]).toEqual([
      'AccessDenied',
      403,
      1,
    ]);
    expect(err.message).toContain('s3:GetObject on resource: arn:aws:s3:::b/k');
  });
});

describe('createFaultInjector', () => {
  it('is deterministic for a seed and respects rate and count', () => {
    const rules: FaultRule[] = [{ kind: 'throttle', rate: 0.3 }];
    const run = (seed: number) => {
      const f = createFaultInjector(rules, seed);
      return Array.from({ length: 200 }, () => f.decide('ecs', 'UpdateService').error ?? '-');
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const hits = run(7).filter((x) => x === 'throttle').length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);

    const limited = createFaultInjector([{ kind: 'server-error', rate: 1, count: 2 }]);
    expect([1, 2, 3].map(() => limited.decide('ecr', 'PutImage').error)).toEqual([
      'server-error',
      'server-error',
      undefined,
    ]);
    expect(() => createFaultInjector([{ kind: 'drop', rate: 2 }])).toThrow(/0\.\.1/);
    expect(createFaultInjector([{ kind: 'hang', rate: 1 }]).decide('ecs', 'DescribeServices')).toEqual({
      delayMs: 0,
      drop: false,
      hang: true,
    });
  });
});

describe('ECS throttling buckets', () => {
  it('has the documented burst and refill figures', () => {
    const figures = Object.fromEntries(
      Object.entries(ECS_BUCKETS).map(([k, b]) => [k, [b.burst, b.perSecond]]),
    );
    expect(figures).toMatchObject({
      'service-modify': [50, 5],
      'service-read': [100, 20],
      'service-deployment': [50, 20],
      'task-definition-modify': [20, 1],
      'task-definition-read': [50, 20],
      'cluster-resource-read': [100, 20],
      'cluster-resource-modify': [100, 40],
      'cluster-read': [50, 20],
    });
  });

  it('drains a bucket, refills it in real time; actions of a category share it', () => {
    let now = 0;
    const t = createEcsThrottler(() => now);
    for (let i = 0; i < 20; i++)
      expect(t.take(i % 2 ? 'RegisterTaskDefinition' : 'DeregisterTaskDefinition')).toBe(true);
    expect(t.take('RegisterTaskDefinition')).toBe(false);
    expect(t.take('UpdateService')).toBe(true); // another bucket
    now += 1000;
    expect(t.take('RegisterTaskDefinition')).toBe(true);
    expect(t.take('RegisterTaskDefinition')).toBe(false);
    expect(t.take('CreateCluster')).toBe(true); // not in a documented category
  });

  it('answers ThrottlingException through the SDK after the burst; off by default', async () => {
    const e = await start([], true);
    const ecs = ecsClient(e, 1);
    for (let i = 0; i < 20; i++)
      await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [] }));
    const err = await fail(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [] })),
    );
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
      'ThrottlingException',
      'Rate exceeded',
      400,
    ]);
    expect(e.requests.at(-1)).toMatchObject({
      operation: 'RegisterTaskDefinition',
      status: 400,
      error: 'ThrottlingException',
    });
    await e.stop();

    const off = await start([]);
    const c = ecsClient(off, 1);
    for (let i = 0; i < 25; i++)
      await c.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [] }));
  });
});
