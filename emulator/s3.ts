// S3: buckets and objects in memory (environment files, artifacts). Inputs and outputs use the
// SDK's field names (Bucket, Key, Body...); protocol.ts maps them to and from REST. A bucket has a
// region and an owner: a request signed for another region gets 301 PermanentRedirect, one for a
// bucket of another owner 403 (unless shared for reading), both naming the bucket's region in
// `x-amz-bucket-region` as S3 does.
import { createHash } from 'node:crypto';

import { placeOf, readableBy, type Placement } from './access.js';
import { AwsError, type EcsModelOptions, type RequestContext, type ServiceHandlers } from './core.js';
import { xmlEscape } from './protocol.js';

/** A bucket with its place; a plain string in the seed is a bucket of the emulator's account and region. */
export interface BucketSeed extends Placement {
  name: string;
  /**
   * Whether the caller may list the bucket (s3:ListBucket). Default true. Without it S3 answers a
   * missing key with 403, not 404, so as not to reveal which keys exist.
   */
  listable?: boolean;
}

interface Bucket {
  created: Date;
  objects: Map<string, StoredObject>;
  region: string;
  owner: string;
  sharedWith: string[];
  listable: boolean;
}

const ACCESS_DENIED = 'Access Denied';
const REDIRECT =
  'The bucket you are attempting to access must be addressed using the specified endpoint. ' +
  'Please send all future requests to this endpoint.';

export interface ObjectSeed {
  bucket: string;
  key: string;
  body: string;
  contentType?: string;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

export interface S3Model {
  handlers: ServiceHandlers;
  seed(objects: ObjectSeed[], buckets?: (string | BucketSeed)[]): void;
  /** An object's body as text, if it exists (for tests). */
  read(bucket: string, key: string): string | undefined;
}

export function createS3Model(opts: Omit<EcsModelOptions, 'logSink'>): S3Model {
  const { clock, region, accountId } = opts;
  // Bucket names are global, as in S3.
  const buckets = new Map<string, Bucket>();

  const refusal = (type: string, message: string, status: number, b: Bucket): AwsError => {
    const err = new AwsError(type, message, status);
    err.headers = { 'x-amz-bucket-region': b.region };
    return err;
  };
  /**
   * The bucket, if this request may use it: missing 404, wrong region 301, another owner's 403
   * (reads of a bucket shared with the caller pass; writes need the owner).
   */
  const bucketOf = (name: unknown, ctx: RequestContext, write = false): Bucket => {
    const b = typeof name === 'string' ? buckets.get(name) : undefined;
    if (!b) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist.', 404);
    if (b.region !== ctx.region) throw refusal('PermanentRedirect', REDIRECT, 301, b);
    const mayRead = readableBy(ctx.accountId, b.owner, b.sharedWith);
    if (!mayRead || (write && b.owner !== ctx.accountId))
      throw refusal('AccessDenied', ACCESS_DENIED, 403, b);
    return b;
  };
  const objectOf = (input: { Bucket?: string; Key?: string }, ctx: RequestContext): StoredObject => {
    const b = bucketOf(input.Bucket, ctx);
    const obj = b.objects.get(input.Key ?? '');
    if (obj) return obj;
    // Without s3:ListBucket S3 does not say whether a key exists.
    if (!b.listable) throw refusal('AccessDenied', ACCESS_DENIED, 403, b);
    throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
  };
  const ensureBucket = (name: string, seed: Omit<BucketSeed, 'name'> = {}): Bucket => {
    let b = buckets.get(name);
    if (!b) {
      const place = placeOf(seed, { accountId, region }, `bucket ${name}`);
      b = {
        created: new Date(clock.now()),
        objects: new Map(),
        region: place.region,
        owner: place.accountId,
        sharedWith: (seed.sharedWith ?? []).map(String),
        listable: seed.listable ?? true,
      };
      buckets.set(name, b);
    }
    return b;
  };
  const put = (
    bucket: string,
    key: string,
    body: Buffer,
    contentType?: string,
    metadata = {},
  ): StoredObject => {
    const obj: StoredObject = {
      body,
      contentType: contentType ?? 'application/octet-stream',
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(clock.now()),
      metadata,
    };
    ensureBucket(bucket).objects.set(key, obj);
    return obj;
  };
  const head = (obj: StoredObject) => ({
    ETag: obj.etag,
    ContentType: obj.contentType,
    ContentLength: obj.body.length,
    LastModified: obj.lastModified,
    Metadata: obj.metadata,
  });

  const handlers: ServiceHandlers = {
    ListBuckets(_input: unknown, ctx: RequestContext) {
      const items = [...buckets.entries()]
        .filter(([, b]) => b.owner === ctx.accountId)
        .map(
          ([name, b]) =>
            `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${b.created.toISOString()}</CreationDate></Bucket>`,
        )
        .join('');
      return { Xml: `<ListAllMyBucketsResult><Buckets>${items}</Buckets></ListAllMyBucketsResult>` };
    },
    CreateBucket(input: { Bucket: string }, ctx: RequestContext) {
      const existing = buckets.get(input.Bucket);
      if (existing && existing.owner !== ctx.accountId) {
        throw new AwsError(
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. ' +
            'Please select a different name and try again.',
          409,
        );
      }
      if (existing) {
        throw new AwsError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
        );
      }
      ensureBucket(input.Bucket, { region: ctx.region, accountId: ctx.accountId });
      return { Location: `/${input.Bucket}` };
    },
    HeadBucket(input: { Bucket: string }, ctx: RequestContext) {
      return { BucketRegion: bucketOf(input.Bucket, ctx).region };
    },
    PutObject(
      input: {
        Bucket: string;
        Key: string;
        Body?: Buffer;
        ContentType?: string;
        Metadata?: Record<string, string>;
      },
      ctx: RequestContext,
    ) {
      bucketOf(input.Bucket, ctx, true);
      const obj = put(
        input.Bucket,
        input.Key,
        input.Body ?? Buffer.alloc(0),
        input.ContentType,
        input.Metadata,
      );
      return { ETag: obj.etag };
    },
    GetObject(input: { Bucket: string; Key: string }, ctx: RequestContext) {
      const obj = objectOf(input, ctx);
      return { ...head(obj), Body: obj.body };
    },
    HeadObject(input: { Bucket: string; Key: string }, ctx: RequestContext) {
      return head(objectOf(input, ctx));
    },
    DeleteObject(input: { Bucket: string; Key: string }, ctx: RequestContext) {
      bucketOf(input.Bucket, ctx, true).objects.delete(input.Key);
      return {};
    },
    ListObjectsV2(input: { Bucket: string; Prefix?: string; MaxKeys?: number }, ctx: RequestContext) {
      const b = bucketOf(input.Bucket, ctx);
      if (!b.listable) throw refusal('AccessDenied', ACCESS_DENIED, 403, b);
      const prefix = input.Prefix ?? '';
      const max = input.MaxKeys ?? 1000;
      const keys = [...b.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const shown = keys.slice(0, max);
      const contents = shown
        .map((k) => {
          const o = b.objects.get(k)!;
          return (
            `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
            `<ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
          );
        })
        .join('');
      return {
        Xml:
          `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(input.Bucket)}</Name>` +
          `<Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${shown.length}</KeyCount><MaxKeys>${max}</MaxKeys>` +
          `<IsTruncated>${keys.length > shown.length}</IsTruncated>${contents}</ListBucketResult>`,
      };
    },
  };

  return {
    handlers,
    seed(objects, extraBuckets = []) {
      for (const b of extraBuckets) {
        if (typeof b === 'string') ensureBucket(b);
        else if (typeof b?.name === 'string') ensureBucket(b.name, b);
        else
          throw new Error(
            `seed buckets: expected a name or { name, region?, accountId?, ... }, got ${JSON.stringify(b)}`,
          );
      }
      for (const o of objects) put(o.bucket, o.key, Buffer.from(o.body), o.contentType ?? 'text/plain');
    },
    read(bucket, key) {
      return buckets.get(bucket)?.objects.get(key)?.body.toString('utf8');
    },
  };
}
