// The non-ECS models through the real SDK clients: ECR, S3, SSM, Secrets Manager, CloudWatch Logs,
// with the error shapes the SDK parses, and seeding from a YAML file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';

import { imageDigest, mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { createFakeEcs, type FakeEcs } from './fake-ecs.js';

const START = Date.UTC(2025, 5, 1, 12);
const SEED_YAML = `
clusters:
  - name: prod
images:
  - { repository: web, tag: '28f3d25' }
  - { repository: web, tag: latest, digest: 'sha256:${'ab'.repeat(32)}' }
  - { repository: web, tag: stable, digest: 'sha256:${'ab'.repeat(32)}' }
objects:
  - { bucket: config, key: prod/web.env, body: "LOG_LEVEL=info\\n" }
parameters:
  - { name: /web/db-url, value: postgres://db }
  - { name: /web/api-key, value: s3cr3t, type: SecureString }
  - { name: /other/flag, value: 'on' }
secrets:
  - { name: web/db-password, value: hunter2 }
`;

let emu: Emulator;
let fake: FakeEcs;
let dir: string;
const common = () => ({
  endpoint: emu.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

type SdkError = { name: string; message: string; $metadata: { httpStatusCode?: number } };
const failure = (p: Promise<unknown>): Promise<SdkError> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as SdkError,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emu-seed-'));
  const seedFile = path.join(dir, 'seed.yaml');
  await writeFile(seedFile, SEED_YAML);
  emu = await startEmulator({
    manualClock: true,
    startTime: START,
    seed: seedFile,
    ecsModel: (opts) => (fake = createFakeEcs(opts)),
  });
});

afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('seeding from a YAML file', () => {
  it('sends the ECS parts to the ECS model and the rest to the other models', () => {
    expect(fake.seeds).toEqual([{ clusters: [{ name: 'prod' }] }]);
    expect(emu.models.ecr.resolve('web', '28f3d25')).toBe(imageDigest('web', '28f3d25'));
    expect(emu.models.s3.read('config', 'prod/web.env')).toBe('LOG_LEVEL=info\n');
    expect(emu.models.secretsmanager.arnOf('web/db-password')).toMatch(
      /^arn:aws:secretsmanager:us-east-1:123456789012:secret:web\/db-password-[A-Za-z0-9]{6}$/,
    );
  });
});

describe('ECR', () => {
  const ecr = () => new ECRClient(common());

  it('DescribeImages resolves a tag to its deterministic digest', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: '28f3d25' }] }),
    );
    const d = out.imageDetails![0]!;
    expect(d.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.imageDigest).toBe(imageDigest('web', '28f3d25'));
    expect(d).toMatchObject({ repositoryName: 'web', registryId: '123456789012', imageTags: ['28f3d25'] });
    expect(d.imagePushedAt).toEqual(new Date(START));
  });

  it('DescribeImages: one image with two tags', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'stable' }] }),
    );
    expect(out.imageDetails![0]!.imageTags).toEqual(['latest', 'stable']);
  });

  it('DescribeImages: ImageNotFoundException and RepositoryNotFoundException with AWS texts', async () => {
    const missing = await failure(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'nope' }] })),
    );
    expect(missing.name).toBe('ImageNotFoundException');
    expect(missing.message).toBe(
      "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository " +
        "with name 'web' in the registry with id '123456789012'",
    );
    expect(missing.$metadata.httpStatusCode).toBe(400);

    const noRepo = await failure(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'ghost', imageIds: [{ imageTag: 'x' }] })),
    );
    expect(noRepo.name).toBe('RepositoryNotFoundException');
    expect(noRepo.message).toBe(
      "The repository with name 'ghost' does not exist in the registry with id '123456789012'",
    );
  });

  it('BatchGetImage reports missing images as failures, not an exception', async () => {
    const out = await ecr().send(
      new BatchGetImageCommand({
        repositoryName: 'web',
        imageIds: [{ imageTag: 'latest' }, { imageTag: 'gone' }],
      }),
    );
    expect(out.images?.map((i) => i.imageId)).toEqual([
      { imageDigest: `sha256:${'ab'.repeat(32)}`, imageTag: 'latest' },
    ]);
    expect(out.images![0]!.imageManifest).toContain('schemaVersion');
    expect(out.failures).toEqual([
      {
        imageId: { imageTag: 'gone' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ]);
  });

  it('PutImage tags a manifest by its SHA-256 digest and moves the tag', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, layers: ['new'] });
    const out = await ecr().send(
      new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'latest' }),
    );
    expect(out.image?.imageId?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(emu.models.ecr.resolve('web', 'latest')).toBe(out.image?.imageId?.imageDigest);
    const repos = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['web'] }));
    expect(repos.repositories?.[0]?.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/web');

    const again = await failure(
      ecr().send(new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'latest' })),
    );
    expect(again.name).toBe('ImageAlreadyExistsException');
  });
});

describe('S3', () => {
  const s3 = () => new S3Client(common());

  it('PUT, GET and HEAD an object (path style through 127.0.0.1)', async () => {
    await s3().send(
      new PutObjectCommand({
        Bucket: 'config',
        Key: 'prod/new.env',
        Body: 'A=1\nB=2\n',
        ContentType: 'text/plain',
      }),
    );
    const got = await s3().send(new GetObjectCommand({ Bucket: 'config', Key: 'prod/new.env' }));
    expect(await got.Body?.transformToString()).toBe('A=1\nB=2\n');
    expect(got.ContentType).toBe('text/plain');
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'config', Key: 'prod/new.env' }));
    expect(head.ContentLength).toBe(8);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const last = emu.requests.filter((r) => r.service === 's3').slice(-3);
    expect(last.map((r) => [r.operation, r.target, r.status])).toEqual([
      ['PutObject', 'config/prod/new.env', 200],
      ['GetObject', 'config/prod/new.env', 200],
      ['HeadObject', 'config/prod/new.env', 200],
    ]);
  });

  it('virtual-hosted style (bucket in the Host header) works too', async () => {
    // *.localhost does not resolve here, so send the Host header by hand, as a vhost client would.
    const { request } = await import('node:http');
    const send = (method: string, p: string, body?: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: emu.port,
            method,
            path: p,
            headers: {
              host: `vhost.localhost:${emu.port}`,
              authorization:
                'AWS4-HMAC-SHA256 Credential=test/20250601/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x',
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect((await send('PUT', '/')).status).toBe(200);
    expect((await send('PUT', '/dir/k', 'v')).status).toBe(200);
    expect(emu.models.s3.read('vhost', 'dir/k')).toBe('v');
    expect(await send('GET', '/dir/k')).toEqual({ status: 200, text: 'v' });
    const list = await new S3Client(common()).send(new ListObjectsV2Command({ Bucket: 'vhost' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(['dir/k']);
  });

  it('streams with unknown length (aws-chunked) are decoded', async () => {
    const { Readable } = await import('node:stream');
    await s3().send(
      new PutObjectCommand({
        Bucket: 'config',
        Key: 'stream',
        Body: Readable.from([Buffer.from('chunk-1 '), Buffer.from('chunk-2')]),
        ContentLength: 15,
      }),
    );
    expect(emu.models.s3.read('config', 'stream')).toBe('chunk-1 chunk-2');
  });

  it('NoSuchKey, NoSuchBucket, and HEAD 404 without a body', async () => {
    const key = await failure(s3().send(new GetObjectCommand({ Bucket: 'config', Key: 'missing.env' })));
    expect([key.name, key.message, key.$metadata.httpStatusCode]).toEqual([
      'NoSuchKey',
      'The specified key does not exist.',
      404,
    ]);
    const bucket = await failure(s3().send(new GetObjectCommand({ Bucket: 'nobucket', Key: 'x' })));
    expect([bucket.name, bucket.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    const head = await failure(s3().send(new HeadObjectCommand({ Bucket: 'config', Key: 'missing.env' })));
    expect([head.name, head.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
  });
});

describe('SSM', () => {
  const ssm = () => new SSMClient(common());

  it('PutParameter creates versions and refuses to overwrite without Overwrite', async () => {
    const first = await ssm().send(
      new PutParameterCommand({ Name: '/web/new', Value: 'one', Type: 'String' }),
    );
    expect(first.Version).toBe(1);
    const again = await failure(
      ssm().send(new PutParameterCommand({ Name: '/web/new', Value: 'two', Type: 'String' })),
    );
    expect(again.name).toBe('ParameterAlreadyExists');
    const second = await ssm().send(
      new PutParameterCommand({ Name: '/web/new', Value: 'two', Overwrite: true }),
    );
    expect(second.Version).toBe(2);
  });

  it('GetParameters lists unknown names in InvalidParameters', async () => {
    const out = await ssm().send(
      new GetParametersCommand({
        Names: ['/web/db-url', '/web/api-key', '/web/missing'],
        WithDecryption: true,
      }),
    );
    expect(out.Parameters?.map((p) => [p.Name, p.Value, p.Type])).toEqual([
      ['/web/db-url', 'postgres://db', 'String'],
      ['/web/api-key', 's3cr3t', 'SecureString'],
    ]);
    expect(out.Parameters![0]!.ARN).toBe('arn:aws:ssm:us-east-1:123456789012:parameter/web/db-url');
    expect(out.Parameters![0]!.LastModifiedDate).toEqual(new Date(START));
    expect(out.InvalidParameters).toEqual(['/web/missing']);
  });

  it('GetParameter accepts an ARN; a missing one is ParameterNotFound', async () => {
    const out = await ssm().send(
      new GetParameterCommand({ Name: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db-url' }),
    );
    expect(out.Parameter?.Value).toBe('postgres://db');
    const err = await failure(ssm().send(new GetParameterCommand({ Name: '/nope' })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['ParameterNotFound', 400]);
  });

  it('DescribeParameters filters by Name (Equals, BeginsWith)', async () => {
    const eq = await ssm().send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/web/api-key'] }] }),
    );
    expect(eq.Parameters?.map((p) => [p.Name, p.Type])).toEqual([['/web/api-key', 'SecureString']]);
    const prefix = await ssm().send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/web/'] }],
      }),
    );
    expect(prefix.Parameters?.map((p) => p.Name)).toEqual(['/web/api-key', '/web/db-url', '/web/new']);
  });
});

describe('Secrets Manager', () => {
  const sm = () => new SecretsManagerClient(common());

  it('CreateSecret returns an ARN with a 6-character suffix; DescribeSecret finds it by name, ARN or partial ARN', async () => {
    const created = await sm().send(new CreateSecretCommand({ Name: 'web/token', SecretString: 'tok' }));
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:123456789012:secret:web\/token-[A-Za-z0-9]{6}$/,
    );
    for (const id of ['web/token', created.ARN!, created.ARN!.slice(0, -7)]) {
      const d = await sm().send(new DescribeSecretCommand({ SecretId: id }));
      expect(d.ARN).toBe(created.ARN);
      expect(d.CreatedDate).toEqual(new Date(START));
    }
    const v = await sm().send(new GetSecretValueCommand({ SecretId: 'web/db-password' }));
    expect(v.SecretString).toBe('hunter2');
    const dup = await failure(sm().send(new CreateSecretCommand({ Name: 'web/token', SecretString: 'x' })));
    expect(dup.name).toBe('ResourceExistsException');
  });

  it('a missing secret is ResourceNotFoundException with the AWS text', async () => {
    const err = await failure(sm().send(new DescribeSecretCommand({ SecretId: 'nope' })));
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
      400,
    ]);
  });
});

describe('CloudWatch Logs', () => {
  const logs = () => new CloudWatchLogsClient(common());
  const T = START + 10_000;

  beforeAll(() => {
    emu.models.logs.sink('/ecs/web', 'ecs/app/task1', [
      { timestamp: T, message: 'starting' },
      { timestamp: T + 1, message: 'ERROR connection refused' },
      { timestamp: T + 2, message: 'exiting' },
    ]);
    emu.models.logs.sink('/ecs/web', 'ecs/app/task2', [{ timestamp: T + 3, message: 'ERROR again' }]);
  });

  it('GetLogEvents returns the latest events by default and pages forward from the head', async () => {
    const tail = await logs().send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'ecs/app/task1', limit: 2 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(['ERROR connection refused', 'exiting']);

    const head = await logs().send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'ecs/app/task1',
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(head.events?.map((e) => [e.timestamp, e.message])).toEqual([
      [T, 'starting'],
      [T + 1, 'ERROR connection refused'],
    ]);
    const next = await logs().send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'ecs/app/task1',
        nextToken: head.nextForwardToken,
        limit: 2,
      }),
    );
    expect(next.events?.map((e) => e.message)).toEqual(['exiting']);
    const end = await logs().send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'ecs/app/task1',
        nextToken: next.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(next.nextForwardToken); // a repeated token ends pagination
  });

  it('FilterLogEvents searches all streams with a text pattern', async () => {
    const out = await logs().send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/web', filterPattern: 'ERROR' }),
    );
    expect(out.events?.map((e) => [e.logStreamName, e.message])).toEqual([
      ['ecs/app/task1', 'ERROR connection refused'],
      ['ecs/app/task2', 'ERROR again'],
    ]);
    const phrase = await logs().send(
      new FilterLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamNames: ['ecs/app/task1'],
        filterPattern: '"connection refused"',
      }),
    );
    expect(phrase.events).toHaveLength(1);
  });

  it('a missing group or stream is ResourceNotFoundException', async () => {
    const group = await failure(
      logs().send(new GetLogEventsCommand({ logGroupName: '/nope', logStreamName: 's' })),
    );
    expect([group.name, group.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    ]);
    const stream = await failure(
      logs().send(new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'nope' })),
    );
    expect(stream.message).toBe('The specified log stream does not exist.');
  });
});

describe('request log', () => {
  it('names every service and counts only writes as mutating', () => {
    const services = new Set(emu.requests.map((r) => r.service));
    expect(services).toEqual(new Set(['ecr', 's3', 'ssm', 'secretsmanager', 'logs']));
    const writes = new Set(mutatingCalls(emu.requests).map((r) => r.operation));
    expect(writes).toEqual(
      new Set(['PutImage', 'PutObject', 'CreateBucket', 'PutParameter', 'CreateSecret']),
    );
  });
});
