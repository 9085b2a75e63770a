// LogsPort (src/aws/ports.ts) over CloudWatch Logs. The Logs SDK is imported on first use only:
// a successful deployment never reads a log line, and each client adds start-up time. Preflight
// asks whether an awslogs group exists (DescribeLogGroups, which reads no log event).

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsCallError, awsCall } from './errors.js';
import type { CallOptions, LogPage, LogPageQuery, LogsPort, LogTailQuery } from './ports.js';

/** `client(region)` gives a CloudWatch Logs client for that region (default: the step's). */
export function createLogsPort(client: (region?: string) => Promise<CloudWatchLogsClient>): LogsPort {
  return {
    async getLogTail(query, options) {
      return getLogTail(await client(query.region), query, options);
    },
    async logGroupExists(query, options = {}) {
      const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const logs = await client(query.region);
      // The prefix is the whole name; the first page holds it if it exists (it sorts first).
      const out = await awsCall('DescribeLogGroups', () =>
        logs.send(
          new DescribeLogGroupsCommand({ logGroupNamePrefix: query.name, limit: 50 }),
          options.signal ? { abortSignal: options.signal } : {},
        ),
      );
      return (out.logGroups ?? []).some((g) => g.logGroupName === query.name);
    },
    async getLogPage(query, options) {
      return getLogPage(await client(query.region), query, options);
    },
  };
}

/**
 * Up to `lines` newest lines of the stream, oldest first. A stream that does not exist (the
 * container never started, so never logged) gives no lines rather than an error.
 */
export async function getLogTail(
  logs: CloudWatchLogsClient,
  query: LogTailQuery,
  options: CallOptions = {},
): Promise<string[]> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const out = await awsCall('GetLogEvents', () =>
      logs.send(
        // Without a start time and startFromHead false, GetLogEvents returns the newest events.
        new GetLogEventsCommand({
          logGroupName: query.group,
          logStreamName: query.stream,
          limit: query.lines,
          startFromHead: false,
        }),
        options.signal ? { abortSignal: options.signal } : {},
      ),
    );
    return (out.events ?? []).map((e) => (e.message ?? '').replace(/\r?\n$/, ''));
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'ResourceNotFoundException') return [];
    throw err;
  }
}

/**
 * One page of the stream, read forward. A forward token must be sent with startFromHead true
 * (GetLogEvents in the CloudWatch Logs API Reference); at the end of the stream the same token
 * comes back. A stream that does not exist yet gives an empty page rather than an error.
 */
export async function getLogPage(
  logs: CloudWatchLogsClient,
  query: LogPageQuery,
  options: CallOptions = {},
): Promise<LogPage> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const out = await awsCall('GetLogEvents', () =>
      logs.send(
        new GetLogEventsCommand({
          logGroupName: query.group,
          logStreamName: query.stream,
          startFromHead: true,
          ...(query.nextToken ? { nextToken: query.nextToken } : {}),
        }),
        options.signal ? { abortSignal: options.signal } : {},
      ),
    );
    return {
      lines: (out.events ?? []).map((e) => (e.message ?? '').replace(/\r?\n$/, '')),
      nextForwardToken: out.nextForwardToken,
      exists: true,
    };
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'ResourceNotFoundException') {
      return { lines: [], nextForwardToken: query.nextToken, exists: false };
    }
    throw err;
  }
}
