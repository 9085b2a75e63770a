import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ACTION_VERSION,
  clientConfig,
  CONNECTION_TIMEOUT_MS,
  createClients,
  MAX_ATTEMPTS,
  REQUEST_TIMEOUT_MS,
  resolveRegion,
} from '../../src/aws/clients.js';
import { classifyAwsError, transientCause } from '../../src/aws/errors.js';

describe('resolveRegion', () => {
  it('prefers the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion('eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(resolveRegion(undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe(
      'us-east-1',
    );
    expect(resolveRegion(' ', { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
  });
  it('says how to set a region when there is none', () => {
    expect(() => resolveRegion(undefined, {})).toThrow(/No AWS region: set AWS_REGION/);
  });
});

describe('createClients', () => {
  const saved = process.env.AWS_REGION;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = saved;
  });

  it('keeps the user-agent version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(ACTION_VERSION).toBe(pkg.version);
  });

  it('configures region, standard retries and the user agent on ECS', async () => {
    process.env.AWS_REGION = 'ap-southeast-2';
    const clients = createClients();
    expect(clients.region).toBe('ap-southeast-2');
    for (const client of [clients.ecs]) {
      expect(await client.config.region()).toBe('ap-southeast-2');
      expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
      expect(client.config.retryMode).toBe('standard');
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
      expect(client.config.customUserAgent).toEqual([['ecs-deploy-action/0.1.0']]);
    }
  });

  it('creates the Logs client on first use, once per region', async () => {
    const clients = createClients('us-east-1');
    const a = await clients.logs();
    expect(await a.config.region()).toBe('us-east-1');
    expect(await clients.logs('us-east-1')).toBe(a);
    const other = await clients.logs('eu-central-1');
    expect(other).not.toBe(a);
    expect(await other.config.region()).toBe('eu-central-1');
    expect(await other.config.maxAttempts()).toBe(MAX_ATTEMPTS);
  });
});

describe('timeouts', () => {
  it('gives every client a connection and a request timeout that end the call with an error', () => {
    expect(clientConfig('us-east-1').requestHandler).toEqual({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
    expect(CONNECTION_TIMEOUT_MS).toBeGreaterThan(0);
    expect(REQUEST_TIMEOUT_MS).toBeGreaterThan(0);
  });

  describe('against a server that accepts requests and never answers', () => {
    const sockets = new Set<import('node:net').Socket>();
    let server: Server | undefined;
    const saved = { ...process.env };
    afterEach(async () => {
      process.env = { ...saved };
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });
    async function hangingServer(): Promise<string> {
      server = createServer(() => {
        // Accept the request, read nothing back: the client must give up by itself.
      });
      server.on('connection', (s) => sockets.add(s));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    }
    function useEndpoint(url: string): void {
      process.env.AWS_ENDPOINT_URL_ECS = url;
      process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = url;
      process.env.AWS_ACCESS_KEY_ID = 'test';
      process.env.AWS_SECRET_ACCESS_KEY = 'test';
      delete process.env.AWS_SESSION_TOKEN;
    }

    it('ECS: the request times out with a TimeoutError, which counts as a network failure', async () => {
      useEndpoint(await hangingServer());
      const clients = createClients('us-east-1', { requestTimeoutMs: 300, maxAttempts: 1 });
      const error = await clients.ecs.send(new DescribeClustersCommand({})).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect(classifyAwsError(error)).toBe('retryable');
      expect(transientCause(error)).toBe('network');
    });

    it('CloudWatch Logs: the same timeout', async () => {
      useEndpoint(await hangingServer());
      const clients = createClients('us-east-1', { requestTimeoutMs: 300, maxAttempts: 1 });
      const logs = await clients.logs();
      const error = await logs
        .send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's' }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError' });
    });
  });
});
