// The HTTP layer with the real ECS SDK client: routing, wire format, auth refusal, request log,
// clocks. The ECS model is a small fake here (the real one has its own tests).
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';

import { mutatingCalls, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { createClock } from '../../emulator/clock.js';
import { createFakeEcs, type FakeEcs } from './fake-ecs.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emu: Emulator | undefined;

async function start(
  options: EmulatorOptions = {},
): Promise<{ emu: Emulator; fake: FakeEcs; ecs: ECSClient }> {
  let fake: FakeEcs | undefined;
  emu = await startEmulator({
    manualClock: true,
    startTime: Date.UTC(2025, 0, 1),
    ...options,
    ecsModel: (opts) => (fake = createFakeEcs(opts)),
  });
  const ecs = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  return { emu, fake: fake!, ecs };
}

afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe('startEmulator', () => {
  it('listens on 127.0.0.1 and serves ECS through the model handlers', async () => {
    const { emu, fake, ecs } = await start();
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(fake.options).toMatchObject({ region: 'us-east-1', accountId: '123456789012' });

    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    const out = await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'nope'] }));
    expect(out.clusters?.[0]?.clusterName).toBe('prod');
    expect(out.failures).toEqual([{ arn: 'nope', reason: 'MISSING' }]);
  });

  it('writes Date outputs as epoch seconds, which the SDK turns back into Dates', async () => {
    const { emu, ecs } = await start({ seed: { clusters: [{ name: 'prod' }] } });
    emu.advance(90_500);
    const out = await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web' }));
    expect(out.service?.createdAt).toEqual(new Date(Date.UTC(2025, 0, 1) + 90_500));
  });

  it('returns a model AwsError with its status and name, as the SDK parses it', async () => {
    const { ecs } = await start();
    const err = (await ecs
      .send(new UpdateServiceCommand({ cluster: 'missing', service: 'web' }))
      .catch((e) => e)) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode?: number; attempts?: number };
    };
    expect(err.name).toBe('ClusterNotFoundException');
    expect(err.message).toBe('Cluster not found.');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$metadata.attempts).toBe(1);
  });

  it('turns a handler crash into a 500 ServerException with the message', async () => {
    const { emu, ecs } = await start();
    const err = (await new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 })
      .send(new DescribeServicesCommand({ services: ['web'] }))
      .catch((e) => e)) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
    expect(err.name).toBe('ServerException');
    expect(err.message).toBe('boom: model bug');
    expect(err.$metadata.httpStatusCode).toBe(500);
    ecs.destroy();
  });

  it('refuses requests without Authorization like AWS does', async () => {
    const { emu } = await start();
    const json = await fetch(emu.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService',
      },
      body: JSON.stringify({ cluster: 'prod', service: 'web' }),
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await json.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });

    const s3 = await fetch(`${emu.url}/bucket/key`);
    expect(s3.status).toBe(403);
    expect(await s3.text()).toContain('<Code>AccessDenied</Code>');

    expect(emu.requests.map((r) => [r.service, r.operation, r.status, r.error])).toEqual([
      ['ecs', 'UpdateService', 400, 'MissingAuthenticationTokenException'],
      ['s3', 'GetObject', 403, 'AccessDenied'],
    ]);
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const { emu } = await start();
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=x',
    };
    for (const target of [
      'AmazonEC2ContainerServiceV20141113.LaunchRockets',
      'NoSuchService_2020.Describe',
    ]) {
      const res = await fetch(emu.url, {
        method: 'POST',
        headers: { ...headers, 'x-amz-target': target },
        body: '{}',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    }
    const bad = await fetch(emu.url, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService' },
      body: '{not json',
    });
    expect(((await bad.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  it('logs every request with sim time and target; mutatingCalls picks the writes', async () => {
    const lines: string[] = [];
    const { emu, ecs } = await start({ log: (l) => lines.push(l), seed: { clusters: [{ name: 'prod' }] } });
    emu.advance(1000);
    await ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web' }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'gone', service: 'api' })).catch(() => undefined);

    expect(emu.requests).toHaveLength(3);
    expect(emu.requests[0]).toMatchObject({
      service: 'ecs',
      operation: 'DescribeClusters',
      status: 200,
      target: 'prod',
    });
    expect(emu.requests[0]!.simTime).toBe(Date.UTC(2025, 0, 1) + 1000);
    expect(Math.abs(emu.requests[0]!.time - Date.now())).toBeLessThan(10_000);
    expect(mutatingCalls(emu.requests).map((r) => [r.operation, r.target, r.status, r.error])).toEqual([
      ['UpdateService', 'web', 200, undefined],
      ['UpdateService', 'api', 400, 'ClusterNotFoundException'],
    ]);
    expect(lines[1]).toContain('ecs.UpdateService web -> 200');
  });

  it('hands the logs model sink to the ECS model', async () => {
    const { emu, ecs } = await start({ seed: { clusters: [{ name: 'prod' }] } });
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web' }));
    expect(emu.models.logs.messages('/ecs/web', 'web/app/1')).toEqual(['updated']);
  });

  it('manual clock: time moves only with advance(), which runs the model', async () => {
    const { emu, fake, ecs } = await start();
    const t0 = emu.clock.now();
    await ecs.send(new DescribeClustersCommand({}));
    expect(emu.clock.now()).toBe(t0);
    expect(fake.advances).toBe(0); // requests do not run the model in manual mode
    emu.advance(60_000);
    expect(emu.clock.now()).toBe(t0 + 60_000);
    expect(fake.advances).toBe(1);
  });

  it('speed mode: the timer and each request run the model', async () => {
    const { emu, fake, ecs } = await start({ manualClock: false, speed: 1000 });
    const t0 = emu.clock.now();
    await new Promise((r) => setTimeout(r, 120));
    expect(emu.clock.now() - t0).toBeGreaterThanOrEqual(100_000);
    expect(fake.advances).toBeGreaterThanOrEqual(1);
    const before = fake.advances;
    await ecs.send(new DescribeClustersCommand({}));
    expect(fake.advances).toBeGreaterThan(before);
  });

  it('passes ECS parts of a seed to ecs.seed()', async () => {
    const { fake } = await start({ seed: { clusters: [{ name: 'a' }], services: [{ serviceName: 'web' }] } });
    expect(fake.seeds).toEqual([{ clusters: [{ name: 'a' }], services: [{ serviceName: 'web' }] }]);
  });

  it('rejects a seed with an unknown key', async () => {
    await expect(start({ seed: { service: [] } as never })).rejects.toThrow(/unknown key\(s\) service/);
  });
});

describe('createClock', () => {
  it('runs speed times faster than real time from startTime, never backwards', () => {
    let real = 1000;
    const clock = createClock({ startTime: 5_000_000, speed: 60, realNow: () => real });
    expect(clock.now()).toBe(5_000_000);
    real += 1000;
    expect(clock.now()).toBe(5_060_000);
    clock.advance(500);
    expect(clock.now()).toBe(5_060_500);
    real -= 5000; // a real clock step back
    expect(clock.now()).toBe(5_060_500);
    expect(() => clock.advance(-1)).toThrow();
  });
});

describe('with the real ECS model', () => {
  it('loads it by default, seeds it, and lets it see the tag behind a pinned ECR digest', async () => {
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
    const crashDigest = `sha256:${'cd'.repeat(32)}`;
    emu = await startEmulator({
      manualClock: true,
      seed: {
        clusters: [{ name: 'prod' }],
        images: [
          { repository: 'web', tag: 'v1' },
          { repository: 'web', tag: 'v2', digest: crashDigest },
          { repository: 'web', tag: 'crash', digest: crashDigest },
        ],
        taskDefinitions: [
          {
            family: 'web',
            containerDefinitions: [{ name: 'app', image: `${repo}:v1`, essential: true, memory: 512 }],
          },
        ],
        services: [{ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }],
      },
    });
    const ecs = new ECSClient({ endpoint: emu.url, region: 'us-east-1', credentials });
    const before = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(before.services?.[0]).toMatchObject({ serviceName: 'web', runningCount: 2 });

    const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          { name: 'app', image: `${repo}@${crashDigest}`, essential: true, memory: 512 },
        ],
      }),
    );
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    emu.advance(10 * 60_000);
    const after = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    const failed = after.services?.[0]?.deployments?.reduce((n, d) => n + (d.failedTasks ?? 0), 0) ?? 0;
    const events = after.services?.[0]?.events?.map((e) => e.message).join('\n') ?? '';
    expect(failed > 0 || /failed|rolling back/.test(events)).toBe(true);
  });
});
