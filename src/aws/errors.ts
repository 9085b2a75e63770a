// Turning an AWS SDK error into one sentence a person deploying to ECS can act on, and deciding
// whether the step can go on. The SDK has already retried throttling and 5xx by the time an error
// reaches us (standard retry mode, see clients.ts), so what is left is either still transient (the
// poll loop keeps going) or something only the user can fix (access, credentials, bad input).

export type AwsErrorKind =
  | 'access-denied'
  | 'credentials-expired'
  | 'credentials-invalid'
  | 'credentials-missing'
  | 'retryable'
  | 'other';

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const INVALID = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);
const MISSING = new Set(['CredentialsProviderError']);
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const TRANSIENT = new Set([
  'ServerException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
/** Raised by the SDK's HTTP handler when a connection or a request outlives its timeout (clients.ts). */
const CLIENT_TIMEOUTS = new Set(['TimeoutError']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** IAM service prefix of operations outside ECS; everything else is `ecs:`. */
const SERVICE_OF: Record<string, string> = {
  DescribeImages: 'ecr',
  BatchGetImage: 'ecr',
  DescribeRepositories: 'ecr',
  DescribeImageScanFindings: 'ecr',
  GetLogEvents: 'logs',
  DescribeLogGroups: 'logs',
  GetObject: 's3',
  HeadObject: 's3',
  GetParameter: 'ssm',
  GetParameters: 'ssm',
  DescribeParameters: 'ssm',
  DescribeSecret: 'secretsmanager',
  GetSecretValue: 'secretsmanager',
};

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function fields(err: unknown): SdkErrorLike {
  return typeof err === 'object' && err !== null ? (err as SdkErrorLike) : { message: String(err) };
}

/**
 * `ecs:UpdateService` for `UpdateService`. An operation may also be given as `service:Action`
 * already (for APIs not in the table).
 */
export function iamActionFor(operation: string): string {
  if (operation.includes(':')) return operation;
  return `${SERVICE_OF[operation] ?? 'ecs'}:${operation}`;
}

function operationName(operation: string): string {
  const colon = operation.indexOf(':');
  return colon >= 0 ? operation.slice(colon + 1) : operation;
}

export function classifyAwsError(err: unknown): AwsErrorKind {
  const e = fields(err);
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  // Credential problems first: some of them come back as HTTP 403 too.
  if (EXPIRED.has(name)) return 'credentials-expired';
  if (INVALID.has(name)) return 'credentials-invalid';
  if (MISSING.has(name)) return 'credentials-missing';
  if (ACCESS_DENIED.has(name) || status === 403) return 'access-denied';
  if (THROTTLING.has(name) || status === 429) return 'retryable';
  if (TRANSIENT.has(name) || e.$fault === 'server' || (status !== undefined && status >= 500))
    return 'retryable';
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return 'retryable';
  return 'other';
}

/** What kind of trouble a retryable error is: AWS saying slow down, AWS out of reach, or AWS failing. */
export type TransientCause = 'throttling' | 'network' | 'server';

/**
 * For an error that may clear by itself: throttling, the network (no connection, a connection
 * reset, a connection or request timeout) or an AWS server error; undefined for any other error.
 * An AwsCallError is judged by the SDK error it wraps.
 */
export function transientCause(err: unknown): TransientCause | undefined {
  const raw = err instanceof AwsCallError && err.cause !== undefined ? err.cause : err;
  if (classifyAwsError(raw) !== 'retryable') return undefined;
  const e = fields(raw);
  const name = e.name ?? '';
  if (THROTTLING.has(name) || e.$metadata?.httpStatusCode === 429) return 'throttling';
  if (CLIENT_TIMEOUTS.has(name) || (e.code !== undefined && NETWORK_CODES.has(e.code))) return 'network';
  return 'server';
}

/** Whether the step cannot go on: everything except what may clear by itself. */
export function isFatalKind(kind: AwsErrorKind): boolean {
  return kind !== 'retryable';
}

export interface DescribeOptions {
  /** `wait-for-minutes`, to tell the user when the wait outlives a one-hour role session. */
  waitForMinutes?: number;
}

/** The usual lifetime of a role session from aws-actions/configure-aws-credentials. */
const DEFAULT_SESSION_MINUTES = 60;

export function describeAwsError(err: unknown, operation: string, options: DescribeOptions = {}): string {
  const e = fields(err);
  const op = operationName(operation);
  const action = iamActionFor(operation);
  const name = e.name && e.name !== 'Error' ? e.name : undefined;
  const aws = [name, e.message].filter(Boolean).join(': ') || 'unknown error';
  switch (classifyAwsError(err)) {
    case 'access-denied':
      return `${op} was denied: the role this workflow uses needs the IAM permission ${action} (check its policy, permissions boundary and any SCP). AWS said: ${e.message ?? aws}`;
    case 'credentials-expired': {
      const wait = options.waitForMinutes;
      const hint =
        wait !== undefined && wait >= DEFAULT_SESSION_MINUTES
          ? ` wait-for-minutes is ${wait}, which outlives a one-hour role session: raise role-duration-seconds in aws-actions/configure-aws-credentials to cover the whole step, or lower wait-for-minutes.`
          : ' Role sessions from aws-actions/configure-aws-credentials last one hour unless role-duration-seconds says otherwise.';
      return `${op} failed: the AWS credentials have expired (${aws}).${hint}`;
    }
    case 'credentials-invalid':
      return `${op} failed: AWS rejected the credentials (${aws}). Check that the access key or role session is valid, belongs to this partition, and that the runner's clock is right.`;
    case 'credentials-missing':
      return `${op} failed: no AWS credentials were found (${aws}). Configure them before this step, e.g. with aws-actions/configure-aws-credentials.`;
    case 'retryable':
      return `${op} failed after retries: ${aws} (throttling, a network error or an AWS server error; it may clear by itself).`;
    default:
      return `${op} failed: ${aws}`;
  }
}

/** An AWS call that failed, described for a person; `fatal` says whether the step must stop. */
export class AwsCallError extends Error {
  readonly fatal: boolean;
  readonly kind: AwsErrorKind;
  readonly operation: string;
  /** Set for access denied: the IAM action to allow. */
  readonly iamAction?: string;
  /** The SDK's error name, e.g. `ClusterNotFoundException`, when there was one. */
  readonly awsName?: string;

  constructor(
    message: string,
    init: { kind: AwsErrorKind; operation: string; awsName?: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AwsCallError';
    this.kind = init.kind;
    this.fatal = isFatalKind(init.kind);
    this.operation = operationName(init.operation);
    this.awsName = init.awsName;
    if (init.kind === 'access-denied') this.iamAction = iamActionFor(init.operation);
  }
}

/** Wraps any error from an SDK call; an AwsCallError passes through unchanged. */
export function toAwsCallError(err: unknown, operation: string, options: DescribeOptions = {}): AwsCallError {
  if (err instanceof AwsCallError) return err;
  return new AwsCallError(describeAwsError(err, operation, options), {
    kind: classifyAwsError(err),
    operation,
    awsName: fields(err).name,
    cause: err,
  });
}

/**
 * Expired credentials get the hint about wait-for-minutes against the session lifetime; any other
 * error is returned as it is.
 */
export function withSessionHint(e: AwsCallError, waitForMinutes: number): AwsCallError {
  if (e.kind !== 'credentials-expired' || e.cause === undefined) return e;
  return new AwsCallError(describeAwsError(e.cause, e.operation, { waitForMinutes }), {
    kind: e.kind,
    operation: e.operation,
    awsName: e.awsName,
    cause: e.cause,
  });
}

/** Runs one SDK call and rethrows its failure as an AwsCallError named after `operation`. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toAwsCallError(err, operation);
  }
}
