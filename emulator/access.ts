// Where a seeded resource lives (account and region), who else may read it, and the operations a
// seed denies. The caller is always the emulator's own account; a request is "in" the region its
// SigV4 credential scope names, so a client built for eu-west-1 sees eu-west-1's resources.
import { AwsError } from './core.js';
import { DENIED_PRINCIPAL, faultError } from './faults.js';

/** Seed fields every non-ECS resource accepts. */
export interface Placement {
  /** Owner account (ECR: the registry id). Default: the emulator's account. */
  accountId?: string;
  /** Default: the emulator's region. */
  region?: string;
  /**
   * Accounts a resource policy lets read it (`'*'`: any). Only matters when `accountId` is
   * another account; a resource of another account without it is refused.
   */
  sharedWith?: string[];
}

export interface Place {
  accountId: string;
  region: string;
}

/** A seeded resource's place, defaults filled in and checked (a typo must not pass silently). */
export function placeOf(seed: Placement, defaults: Place, what: string): Place {
  const accountId = seed.accountId === undefined ? defaults.accountId : String(seed.accountId);
  if (!/^\d{12}$/.test(accountId))
    throw new Error(`seed ${what}: accountId must be 12 digits, got ${accountId}`);
  const region = seed.region ?? defaults.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new Error(`seed ${what}: region '${region}' is not a region`);
  return { accountId, region };
}

/** May `caller` read a resource owned by `owner` that is shared with `sharedWith`? */
export function readableBy(caller: string, owner: string, sharedWith: readonly string[] = []): boolean {
  return caller === owner || sharedWith.includes(caller) || sharedWith.includes('*');
}

/** Map key for a resource by place and name. */
export const placeKey = (place: Place, name: string): string => `${place.accountId}|${place.region}|${name}`;

/**
 * The refusal AWS gives for a resource of another account whose resource policy does not grant
 * the caller (e.g. the repository policy of a cross-account ECR repository).
 */
export function crossAccountDenied(action: string, resourceArn: string, callerAccount: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${callerAccount}:${DENIED_PRINCIPAL} is not authorized to perform: ${action} ` +
      `on resource: ${resourceArn} because no resource-based policy allows the ${action} action`,
  );
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, accountId: m[4]!, resource: m[5]! };
}

/** The region of a SigV4 credential scope, from the Authorization header or a presigned URL. */
export function signingRegion(authorization: string | undefined, rawUrl: string): string | undefined {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/;
  const fromHeader = scope.exec(authorization ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const query = new URL(rawUrl, 'http://placeholder').searchParams.get('X-Amz-Credential') ?? '';
  return /^[^/]+\/\d{8}\/([^/]+)\//.exec(query)?.[1];
}

/**
 * A seeded denial: `ecr:DescribeImageScanFindings`, `secretsmanager:*`, or with a resource ARN
 * pattern (`*` matches anything) to deny one resource only.
 */
export type DenyRule = string | { action: string; resource?: string };

export interface DenyList {
  add(rules: DenyRule[]): void;
  /** The AccessDeniedException (S3: 403 AccessDenied) for a denied request, if it is denied. */
  check(request: {
    service: string;
    operation: string;
    resourceArn: string;
    accountId: string;
  }): AwsError | undefined;
}

// S3 operations are authorized under other IAM action names; both forms may be denied.
const S3_ACTIONS: Record<string, string> = {
  HeadObject: 's3:GetObject',
  GetObject: 's3:GetObject',
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  PutObject: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
  ListBuckets: 's3:ListAllMyBuckets',
};

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

export function createDenyList(): DenyList {
  const rules: { action: RegExp; resource: RegExp }[] = [];
  return {
    add(more) {
      for (const r of more) {
        const { action, resource } = typeof r === 'string' ? { action: r, resource: '*' } : r;
        if (typeof action !== 'string' || !/^[a-z0-9-]+:[A-Za-z*]+$/.test(action)) {
          throw new Error(
            `seed deny: expected 'service:Operation' (e.g. ecr:DescribeImages), got ${JSON.stringify(r)}`,
          );
        }
        rules.push({ action: glob(action), resource: glob(resource ?? '*') });
      }
    },
    check({ service, operation, resourceArn, accountId }) {
      const actions = [`${service}:${operation}`, S3_ACTIONS[operation] ?? ''];
      const hit = rules.some((r) => actions.some((a) => r.action.test(a)) && r.resource.test(resourceArn));
      if (!hit) return undefined;
      const iamAction =
        service === 's3' ? (S3_ACTIONS[operation] ?? `s3:${operation}`) : `${service}:${operation}`;
      const err = faultError('access-denied', service, operation, resourceArn, accountId);
      // faultError names the operation; IAM names S3's action (HeadObject is s3:GetObject).
      return new AwsError(err.type, err.message.replaceAll(`${service}:${operation}`, iamAction), err.status);
    },
  };
}
