import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ACTION_VERSION, createClients, MAX_ATTEMPTS, resolveRegion } from '../../src/aws/clients.js';

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
