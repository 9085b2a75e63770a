// S3 as a preflight check sees it (HeadObject / HeadBucket, never GetObject): 404 for a missing key
// the caller may list, 403 when it may not or the bucket is another owner's, and the bucket's
// region in `x-amz-bucket-region`, through the real S3 client.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

import { mutatingCalls, type Emulator } from '../../emulator/index.js';
import { clientOptions, failure, OTHER, OWN, startPreflightEmulator } from './preflight-helpers.js';

let emu: Emulator;
const s3 = (region = 'us-east-1') => new S3Client({ ...clientOptions(emu, region), forcePathStyle: true });

beforeAll(async () => {
  emu = await startPreflightEmulator({
    buckets: [
      { name: 'eu-config', region: 'eu-west-1' },
      { name: 'locked', listable: false },
      { name: 'partner', accountId: OTHER },
      { name: 'partner-shared', accountId: OTHER, sharedWith: [OWN] },
    ],
    objects: [
      { bucket: 'config', key: 'prod/web.env', body: 'A=1\n' },
      { bucket: 'config', key: 'private/web.env', body: 'Z=0\n' },
      { bucket: 'eu-config', key: 'web.env', body: 'B=2\n' },
      { bucket: 'locked', key: 'web.env', body: 'C=3\n' },
      { bucket: 'partner', key: 'web.env', body: 'D=4\n' },
      { bucket: 'partner-shared', key: 'web.env', body: 'E=5\n' },
    ],
    deny: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::config/private/*' }],
  });
});

afterAll(async () => {
  await emu.stop();
});

const bucketRegion = (e: { $response?: { headers: Record<string, string> } }) =>
  e.$response?.headers['x-amz-bucket-region'];

describe('S3 HeadObject and HeadBucket', () => {
  it('HeadObject finds an object; a missing key in a listable bucket is 404 without a body', async () => {
    const ok = await s3().send(new HeadObjectCommand({ Bucket: 'config', Key: 'prod/web.env' }));
    expect(ok.ContentLength).toBe(4);
    const missing = await failure(
      s3().send(new HeadObjectCommand({ Bucket: 'config', Key: 'prod/nope.env' })),
    );
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
  });

  it('a missing key in a bucket the caller may not list is 403, like an existing one it may not read', async () => {
    const missing = await failure(s3().send(new HeadObjectCommand({ Bucket: 'locked', Key: 'nope.env' })));
    expect(missing.$metadata.httpStatusCode).toBe(403);
    const present = await s3().send(new HeadObjectCommand({ Bucket: 'locked', Key: 'web.env' }));
    expect(present.ContentLength).toBe(4);
  });

  it('HeadBucket names the bucket region; another region answers 301 with the region header', async () => {
    const own = await s3().send(new HeadBucketCommand({ Bucket: 'config' }));
    expect(own.BucketRegion).toBe('us-east-1');
    const eu = await s3('eu-west-1').send(new HeadBucketCommand({ Bucket: 'eu-config' }));
    expect(eu.BucketRegion).toBe('eu-west-1');

    const wrongRegion = await failure(s3().send(new HeadBucketCommand({ Bucket: 'eu-config' })));
    expect(wrongRegion.$metadata.httpStatusCode).toBe(301);
    expect(bucketRegion(wrongRegion)).toBe('eu-west-1');
    const object = await failure(s3().send(new HeadObjectCommand({ Bucket: 'eu-config', Key: 'web.env' })));
    expect(object.$metadata.httpStatusCode).toBe(301);
    expect(bucketRegion(object)).toBe('eu-west-1');
    const found = await s3('eu-west-1').send(new HeadObjectCommand({ Bucket: 'eu-config', Key: 'web.env' }));
    expect(found.ContentLength).toBe(4);
  });

  it("another owner's bucket is 403 with its region unless shared; a missing bucket is 404", async () => {
    const head = await failure(s3().send(new HeadBucketCommand({ Bucket: 'partner' })));
    expect(head.$metadata.httpStatusCode).toBe(403);
    expect(bucketRegion(head)).toBe('us-east-1');
    const object = await failure(s3().send(new HeadObjectCommand({ Bucket: 'partner', Key: 'web.env' })));
    expect(object.$metadata.httpStatusCode).toBe(403);

    const shared = await s3().send(new HeadObjectCommand({ Bucket: 'partner-shared', Key: 'web.env' }));
    expect(shared.ContentLength).toBe(4);
    // Shared for reading only.
    const write = await failure(
      s3().send(new PutObjectCommand({ Bucket: 'partner-shared', Key: 'x', Body: 'y' })),
    );
    expect([write.name, write.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);

    const none = await failure(s3().send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })));
    expect([none.name, none.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
  });

  it('a seeded deny of s3:GetObject on a prefix refuses GetObject and HeadObject there (403)', async () => {
    const head = await failure(
      s3().send(new HeadObjectCommand({ Bucket: 'config', Key: 'private/web.env' })),
    );
    expect(head.$metadata.httpStatusCode).toBe(403);
    const get = await failure(s3().send(new GetObjectCommand({ Bucket: 'config', Key: 'private/web.env' })));
    expect([get.name, get.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(get.message).toBe(
      `User: arn:aws:sts::${OWN}:assumed-role/deploy/gha is not authorized to perform: s3:GetObject ` +
        'on resource: arn:aws:s3:::config/private/web.env because no identity-based policy allows the s3:GetObject action',
    );
    emu.requests.length = 0;
    await s3().send(new HeadBucketCommand({ Bucket: 'config' }));
    expect(mutatingCalls(emu.requests)).toEqual([]);
  });
});
