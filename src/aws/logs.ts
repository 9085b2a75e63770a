// The last lines of a container's awslogs stream, for the report of a failed deployment. The
// CloudWatch Logs SDK is imported here on first use only: it is needed only when diagnosing.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsCallError, awsCall } from './errors.js';

/**
 * Up to `lines` newest lines of the stream, oldest first. A stream that does not exist (the
 * container never started, so never logged) gives no lines rather than an error.
 */
export async function getLogTail(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
  lines = 20,
): Promise<string[]> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const out = await awsCall('GetLogEvents', () =>
      logs.send(
        // Without a start time and startFromHead false, GetLogEvents returns the newest events.
        new GetLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          limit: lines,
          startFromHead: false,
        }),
      ),
    );
    return (out.events ?? []).map((e) => (e.message ?? '').replace(/\r?\n$/, ''));
  } catch (err) {
    if (err instanceof AwsCallError && err.awsName === 'ResourceNotFoundException') return [];
    throw err;
  }
}
