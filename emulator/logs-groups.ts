// CloudWatch Logs DescribeLogGroups: which groups a caller sees, filtered the ways the API allows
// (name prefix, name pattern, exact identifiers) and paged. Kept apart from logs.ts, which stores
// the groups and their events.
import { parseArn, readableBy, type Place } from './access.js';
import { AwsError, type RequestContext } from './core.js';

export interface LogGroupInfo {
  name: string;
  place: Place;
  /** Monitoring accounts this group's account is linked to (they may read it). */
  sharedWith: string[];
  created: number;
  retentionInDays?: number;
}

export interface DescribeLogGroupsInput {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  logGroupIdentifiers?: string[];
  includeLinkedAccounts?: boolean;
  accountIdentifiers?: string[];
  limit?: number;
  nextToken?: string;
}

const invalid = (message: string): AwsError => new AwsError('InvalidParameterException', message);

function checkInput(input: DescribeLogGroupsInput): number {
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw invalid('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.');
  }
  if (
    input.logGroupIdentifiers?.length &&
    (input.logGroupNamePrefix ?? input.logGroupNamePattern) !== undefined
  ) {
    throw invalid('LogGroupIdentifiers cannot be combined with LogGroupNamePrefix or LogGroupNamePattern.');
  }
  if (input.accountIdentifiers?.length && !input.includeLinkedAccounts) {
    throw invalid('AccountIdentifiers can only be used when IncludeLinkedAccounts is true.');
  }
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw invalid(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: ` +
        'Member must have value less than or equal to 50',
    );
  }
  return limit;
}

/** Does an identifier (a name, or an ARN with or without `:*`) name this group? */
function identifies(id: string, g: LogGroupInfo, ctx: RequestContext): boolean {
  const arn = parseArn(id);
  if (!arn) return g.name === id && g.place.accountId === ctx.accountId;
  const name = /^log-group:(.+?)(?::\*)?$/.exec(arn.resource)?.[1];
  return name === g.name && arn.accountId === g.place.accountId && arn.region === g.place.region;
}

export function describeLogGroups(
  all: readonly LogGroupInfo[],
  input: DescribeLogGroupsInput,
  ctx: RequestContext,
): Record<string, unknown> {
  const limit = checkInput(input);
  const ids = input.logGroupIdentifiers ?? [];
  const pattern = input.logGroupNamePattern?.toLowerCase();
  const visible = all
    .filter(
      (g) => g.place.region === ctx.region && readableBy(ctx.accountId, g.place.accountId, g.sharedWith),
    )
    .filter((g) => {
      if (ids.length) return ids.some((id) => identifies(id, g, ctx));
      // Without identifiers, other accounts' groups show only when linked accounts are asked for.
      if (g.place.accountId !== ctx.accountId) {
        if (!input.includeLinkedAccounts) return false;
        if (input.accountIdentifiers?.length && !input.accountIdentifiers.includes(g.place.accountId))
          return false;
      }
      if (input.logGroupNamePrefix !== undefined) return g.name.startsWith(input.logGroupNamePrefix);
      // The pattern matches anywhere in the name, case-insensitively, as the API documents.
      if (pattern !== undefined) return g.name.toLowerCase().includes(pattern);
      return true;
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.place.accountId.localeCompare(b.place.accountId));
  const start = input.nextToken === undefined ? 0 : Number(input.nextToken);
  if (!Number.isInteger(start) || start < 0) throw invalid('The specified nextToken is invalid.');
  const page = visible.slice(start, start + limit);
  return {
    logGroups: page.map((g) => {
      const arn = `arn:aws:logs:${g.place.region}:${g.place.accountId}:log-group:${g.name}`;
      return {
        logGroupName: g.name,
        creationTime: g.created,
        ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
      };
    }),
    ...(start + limit < visible.length ? { nextToken: String(start + limit) } : {}),
  };
}
