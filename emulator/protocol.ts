// Wire codecs. Every JSON service in the installed SDK (ECS, ECR, SSM, Secrets Manager, CloudWatch
// Logs) speaks AWS JSON 1.1: POST /, `X-Amz-Target: <prefix>.<Operation>`, content type
// `application/x-amz-json-1.1`, none of them query-compatible. S3 is REST + XML.
import { AwsError } from './core.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** X-Amz-Target prefix -> the service name used in contexts, the request log and fault rules. */
export const JSON_TARGET_PREFIXES: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
  Logs_20140328: 'logs',
  CodeDeploy_20141006: 'codedeploy',
};

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** `AmazonSSM.GetParameters` -> { service: 'ssm', operation: 'GetParameters' }. */
export function parseTarget(target: string): { service?: string; prefix: string; operation: string } {
  const dot = target.lastIndexOf('.');
  const prefix = dot < 0 ? target : target.slice(0, dot);
  const operation = dot < 0 ? '' : target.slice(dot + 1);
  return { service: JSON_TARGET_PREFIXES[prefix], prefix, operation };
}

/** The service named in a SigV4 credential scope (`AKID/20250101/us-east-1/ecs/aws4_request`). */
export function credentialScopeService(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m?.[1];
}

/** Parse a JSON 1.1 request body; an empty body is `{}` as the SDK sends for unit inputs. */
export function decodeJsonInput(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  // Every operation's input is a structure; anything else is what AWS calls a serialization error.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  return parsed as Record<string, unknown>;
}

/**
 * JSON 1.1 timestamps are epoch SECONDS (fractional allowed). Handlers return Date objects; the
 * replacer reads the raw value (`this[key]`) because JSON.stringify calls Date#toJSON first.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function jsonReply(output: unknown, requestId: string): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: encodeJson(output),
  };
}

/**
 * The SDK reads the error name from `x-amzn-errortype` first, then `__type` in the body (either may
 * carry a `namespace#` prefix or a `:uri` suffix, which it strips); send both, plain.
 */
export function jsonErrorReply(err: AwsError, requestId: string): HttpReply {
  return {
    status: err.status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': err.type,
    },
    body: JSON.stringify({ __type: err.type, message: err.message }),
  };
}

// ---------------------------------------------------------------------------------------------
// S3 REST

export interface S3Request {
  operation: string;
  bucket?: string;
  key?: string;
  input: Record<string, unknown>;
}

/**
 * Map an S3 REST request to an operation. The bucket is in the Host (virtual-hosted style:
 * `bucket.localhost:port`, `bucket.127.0.0.1:port`) or the first path segment (path style, which
 * the SDK uses when the endpoint is an IP address like our 127.0.0.1).
 */
export function parseS3Request(
  method: string,
  rawUrl: string,
  host: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): S3Request {
  const url = new URL(rawUrl, 'http://placeholder');
  const hostBucket = bucketFromHost(host);
  const segments = url.pathname.split('/').slice(1);
  let bucket: string | undefined;
  let key: string | undefined;
  if (hostBucket !== undefined) {
    bucket = hostBucket;
    key = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  } else {
    bucket = segments[0] ? decodeURIComponent(segments[0]) : undefined;
    key =
      segments.length > 1 && segments.slice(1).join('/') !== ''
        ? decodeURIComponent(segments.slice(1).join('/'))
        : undefined;
  }
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
  }
  // Sub-resources (?tagging, ?acl, ?uploads, ...) are operations we do not model.
  const subresource = [...url.searchParams.keys()].find((k) => !S3_PLAIN_QUERY.has(k));
  const m = method.toUpperCase();
  const q = url.searchParams;
  const op = (operation: string, input: Record<string, unknown> = {}): S3Request => ({
    operation: subresource ? `${operation}?${subresource}` : operation,
    bucket,
    key,
    input: { Bucket: bucket, Key: key, ...input },
  });

  if (bucket === undefined) return m === 'GET' ? op('ListBuckets') : op(`${m} /`);
  if (key === undefined) {
    if (m === 'PUT') return op('CreateBucket');
    if (m === 'HEAD') return op('HeadBucket');
    if (m === 'DELETE') return op('DeleteBucket');
    if (m === 'GET' && q.get('list-type') === '2') {
      return op('ListObjectsV2', {
        Prefix: q.get('prefix') ?? undefined,
        MaxKeys: q.has('max-keys') ? Number(q.get('max-keys')) : undefined,
        ContinuationToken: q.get('continuation-token') ?? undefined,
      });
    }
    return op(m === 'GET' ? 'ListObjects' : `${m} bucket`);
  }
  if (m === 'PUT') {
    if (header('x-amz-copy-source')) return op('CopyObject');
    return op('PutObject', {
      Body: decodeBody(body, headers),
      ContentType: header('content-type'),
      Metadata: metadata,
    });
  }
  if (m === 'GET') return op('GetObject');
  if (m === 'HEAD') return op('HeadObject');
  if (m === 'DELETE') return op('DeleteObject');
  return op(`${m} object`);
}

// Query parameters that are arguments, not sub-resources naming another operation.
const S3_PLAIN_QUERY = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'x-id',
  'versionId',
  // presigned URLs
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
  'x-amz-checksum-mode',
]);

function bucketFromHost(host: string): string | undefined {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  let m = /^(.+)\.localhost$/.exec(hostname);
  if (m) return m[1];
  m = /^(.+)\.(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(hostname);
  if (m) return m[1];
  m = /^(.+)\.s3[.-]/.exec(hostname);
  return m?.[1];
}

/**
 * Streaming uploads arrive `aws-chunked` (`<hex size>[;chunk-signature=..]\r\n<data>\r\n ... 0\r\n`
 * then trailers such as `x-amz-checksum-crc32`). Strip the framing; other bodies pass through.
 */
export function decodeBody(body: Buffer, headers: Record<string, string | string[] | undefined>): Buffer {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const encoding = String(headers['content-encoding'] ?? '');
  if (!sha.startsWith('STREAMING-') && !encoding.includes('aws-chunked')) return body;
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < body.length) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!(size > 0)) break; // the 0-size chunk ends the data; trailers follow
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function xmlEscape(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** S3's error document; HEAD responses carry no body, so the SDK names those by status alone. */
export function s3ErrorReply(
  err: AwsError,
  method: string,
  requestId: string,
  extra: Record<string, string | undefined> = {},
): HttpReply {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
  if (method.toUpperCase() === 'HEAD') return { status: err.status, headers };
  const fields = Object.entries(extra)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
    .join('');
  return {
    status: err.status,
    headers: { ...headers, 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${xmlEscape(err.type)}</Code><Message>${xmlEscape(err.message)}</Message>${fields}` +
      `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
  };
}

/** Shape an S3 handler's output (SDK-style field names) into headers and body. */
export function s3Reply(operation: string, output: Record<string, unknown>, requestId: string): HttpReply {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
  const set = (name: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    headers[name] = v instanceof Date ? v.toUTCString() : String(v);
  };
  set('etag', output.ETag);
  set('content-type', output.ContentType);
  set('last-modified', output.LastModified);
  set('location', output.Location);
  set('x-amz-bucket-region', output.BucketRegion);
  for (const [k, v] of Object.entries((output.Metadata as Record<string, string> | undefined) ?? {})) {
    set(`x-amz-meta-${k}`, v);
  }
  if (typeof output.Xml === 'string') {
    headers['content-type'] = 'application/xml';
    return { status: 200, headers, body: '<?xml version="1.0" encoding="UTF-8"?>\n' + output.Xml };
  }
  const body = output.Body instanceof Buffer ? output.Body : undefined;
  if (operation === 'HeadObject') {
    set('content-length', output.ContentLength);
    return { status: 200, headers };
  }
  if (operation === 'DeleteObject') return { status: 204, headers };
  return { status: 200, headers, body: body ?? '' };
}
