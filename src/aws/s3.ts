// S3Port (src/aws/ports.ts) over S3, for preflight: does an environment file exist. HeadObject
// only, never GetObject: an environment file can hold secrets, and preflight reads no value.
import type { S3Client } from '@aws-sdk/client-s3';
import type { RegionalClient } from './clients.js';
import { toAwsCallError } from './errors.js';
import type { S3ObjectHead, S3Port } from './ports.js';

interface HeadError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * A HEAD answer has no body, so the SDK cannot name the error: 404 and 403 and 301 are told
 * apart by status (docs/ecs-behaviour.md, "Preflight").
 */
export function classifyHeadError(err: unknown): S3ObjectHead | undefined {
  const e = (typeof err === 'object' && err !== null ? err : {}) as HeadError;
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchKey') return { kind: 'missing' };
  if (status === 403 && e.name !== 'ExpiredToken' && e.name !== 'InvalidAccessKeyId')
    return { kind: 'denied' };
  if (status === 301 || e.name === 'PermanentRedirect') {
    const bucketRegion = e.$response?.headers?.['x-amz-bucket-region'];
    return { kind: 'other-region', ...(bucketRegion ? { bucketRegion } : {}) };
  }
  return undefined;
}

export function createS3Port(client: RegionalClient<S3Client>): S3Port {
  return {
    async headObject(query, options = {}) {
      const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
      const s3 = await client(query.region);
      try {
        await s3.send(
          new HeadObjectCommand({ Bucket: query.bucket, Key: query.key }),
          options.signal ? { abortSignal: options.signal } : {},
        );
        return { kind: 'found' };
      } catch (err) {
        const head = classifyHeadError(err);
        if (head) return head;
        throw toAwsCallError(err, 'HeadObject');
      }
    },
  };
}
