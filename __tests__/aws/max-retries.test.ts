// max-retries reaches the SDK clients: retries after the first attempt, so maxAttempts is
// max-retries + 1 (0: one attempt, no retry); unset, the standard MAX_ATTEMPTS. The end-to-end
// test __tests__/e2e/official-examples.test.ts shows it through dist/index.js (throttled calls).
import { describe, expect, it } from '@jest/globals';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  clientConfig,
  createClients,
  MAX_ATTEMPTS,
  maxAttemptsFor,
  regionalClient,
} from '../../src/aws/clients.js';
import { maxRetriesOf } from '../../src/inputs/parse-official.js';

describe('maxAttemptsFor', () => {
  it('is max-retries + 1, and MAX_ATTEMPTS when unset', () => {
    expect(maxAttemptsFor(0)).toBe(1);
    expect(maxAttemptsFor(3)).toBe(4);
    expect(maxAttemptsFor(20)).toBe(21);
    expect(maxAttemptsFor(undefined)).toBe(MAX_ATTEMPTS);
  });

  it('reads the input as main.ts does, as the inputs stage reads it: parseInt as the official action, capped at 20, a negative count none, no number the default', () => {
    expect(maxAttemptsFor(maxRetriesOf('5'))).toBe(6);
    expect(maxAttemptsFor(maxRetriesOf(' 0 '))).toBe(1);
    expect(maxAttemptsFor(maxRetriesOf(''))).toBe(MAX_ATTEMPTS);
    expect(maxAttemptsFor(maxRetriesOf('-1'))).toBe(1);
    expect(maxAttemptsFor(maxRetriesOf('21'))).toBe(21);
    expect(maxAttemptsFor(maxRetriesOf('3.0'))).toBe(4);
    expect(maxAttemptsFor(maxRetriesOf('lots'))).toBe(MAX_ATTEMPTS);
  });
});

describe('every client gets the attempts', () => {
  it('createAwsPorts and createClients take max-retries as maxRetries', async () => {
    expect(clientConfig('us-east-1', { maxRetries: 0 }).maxAttempts).toBe(1);
    expect(clientConfig('us-east-1', { maxRetries: 4 }).maxAttempts).toBe(5);
    expect(clientConfig('us-east-1', {}).maxAttempts).toBe(MAX_ATTEMPTS);
    const clients = createClients('us-east-1', { maxRetries: 0 });
    expect(await clients.ecs.config.maxAttempts()).toBe(1);
    expect(await (await clients.logs()).config.maxAttempts()).toBe(1);
  });

  it('ECS and CloudWatch Logs', async () => {
    const clients = createClients('us-east-1', { maxAttempts: maxAttemptsFor(2) });
    expect(await clients.ecs.config.maxAttempts()).toBe(3);
    expect(await (await clients.logs()).config.maxAttempts()).toBe(3);
    expect(await (await clients.logs('eu-west-1')).config.maxAttempts()).toBe(3);
  });

  it('the clients made per region on first use (ECR, S3, SSM, Secrets Manager)', async () => {
    const config = await regionalClient('us-east-1', async (c) => c, { maxAttempts: maxAttemptsFor(0) })();
    expect(config).toEqual(clientConfig('us-east-1', { maxAttempts: 1 }));
    expect(config.maxAttempts).toBe(1);
  });

  it('max-retries 0 makes one request; 2 makes three against a server that always fails', async () => {
    let requests = 0;
    const server = createServer((_, res) => {
      requests++;
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ServerException', message: 'boom' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [retries, expected] of [
        [0, 1],
        [2, 3],
      ] as const) {
        requests = 0;
        const client = new ECSClient({
          ...clientConfig('us-east-1', { maxAttempts: maxAttemptsFor(retries) }),
          endpoint,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        });
        await client.send(new DescribeClustersCommand({})).catch(() => undefined);
        client.destroy();
        expect({ retries, requests }).toEqual({ retries, requests: expected });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});
