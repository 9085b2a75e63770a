// S3: buckets and objects in memory (environment files, artifacts). Inputs and outputs use the
// SDK's field names (Bucket, Key, Body...); protocol.ts maps them to and from REST.
import { createHash } from 'node:crypto';

import { AwsError, type EcsModelOptions, type ServiceHandlers } from './core.js';
import { xmlEscape } from './protocol.js';

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
  seed(objects: ObjectSeed[], buckets?: string[]): void;
  /** An object's body as text, if it exists (for tests). */
  read(bucket: string, key: string): string | undefined;
}

export function createS3Model(opts: Omit<EcsModelOptions, 'logSink'>): S3Model {
  const { clock, region } = opts;
  const buckets = new Map<string, { created: Date; objects: Map<string, StoredObject> }>();

  const bucketOf = (name: unknown) => {
    const b = typeof name === 'string' ? buckets.get(name) : undefined;
    if (!b) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist.', 404);
    return b;
  };
  const objectOf = (input: { Bucket?: string; Key?: string }): StoredObject => {
    const obj = bucketOf(input.Bucket).objects.get(input.Key ?? '');
    if (!obj) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
    return obj;
  };
  const ensureBucket = (name: string) => {
    let b = buckets.get(name);
    if (!b) {
      b = { created: new Date(clock.now()), objects: new Map() };
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
    ListBuckets() {
      const items = [...buckets.entries()]
        .map(
          ([name, b]) =>
            `<Bucket><Name>${xmlEscape(name)}</Name><CreationDate>${b.created.toISOString()}</CreationDate></Bucket>`,
        )
        .join('');
      return { Xml: `<ListAllMyBucketsResult><Buckets>${items}</Buckets></ListAllMyBucketsResult>` };
    },
    CreateBucket(input: { Bucket: string }) {
      if (buckets.has(input.Bucket)) {
        throw new AwsError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
        );
      }
      ensureBucket(input.Bucket);
      return { Location: `/${input.Bucket}` };
    },
    HeadBucket(input: { Bucket: string }) {
      bucketOf(input.Bucket);
      return { BucketRegion: region };
    },
    PutObject(input: {
      Bucket: string;
      Key: string;
      Body?: Buffer;
      ContentType?: string;
      Metadata?: Record<string, string>;
    }) {
      bucketOf(input.Bucket);
      const obj = put(
        input.Bucket,
        input.Key,
        input.Body ?? Buffer.alloc(0),
        input.ContentType,
        input.Metadata,
      );
      return { ETag: obj.etag };
    },
    GetObject(input: { Bucket: string; Key: string }) {
      const obj = objectOf(input);
      return { ...head(obj), Body: obj.body };
    },
    HeadObject(input: { Bucket: string; Key: string }) {
      return head(objectOf(input));
    },
    DeleteObject(input: { Bucket: string; Key: string }) {
      bucketOf(input.Bucket).objects.delete(input.Key);
      return {};
    },
    ListObjectsV2(input: { Bucket: string; Prefix?: string; MaxKeys?: number }) {
      const b = bucketOf(input.Bucket);
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
      for (const name of extraBuckets) ensureBucket(name);
      for (const o of objects) put(o.bucket, o.key, Buffer.from(o.body), o.contentType ?? 'text/plain');
    },
    read(bucket, key) {
      return buckets.get(bucket)?.objects.get(key)?.body.toString('utf8');
    },
  };
}
