import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { getLogTail as tail } from '../../src/aws/logs.js';

const getLogTail = (client: CloudWatchLogsClient, group: string, stream: string, lines = 20) =>
  tail(client, { group, stream, lines });

const logsMock = mockClient(CloudWatchLogsClient);
const logs = new CloudWatchLogsClient({ region: 'us-east-1' });

beforeEach(() => {
  logsMock.reset();
});

describe('getLogTail', () => {
  it('asks for the newest lines and returns them oldest first, without trailing newlines', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .resolves({ events: [{ message: 'starting\n' }, { message: 'Error: no DATABASE_URL' }] });
    expect(await getLogTail(logs, '/ecs/web', 'ecs/app/abc', 20)).toEqual([
      'starting',
      'Error: no DATABASE_URL',
    ]);
    expect(logsMock.commandCalls(GetLogEventsCommand)[0].args[0].input).toEqual({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/app/abc',
      limit: 20,
      startFromHead: false,
    });
  });
  it('gives no lines for a stream that does not exist', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }),
      );
    expect(await getLogTail(logs, '/ecs/web', 'ecs/app/abc')).toEqual([]);
  });
  it('names logs:GetLogEvents when it is not allowed', async () => {
    logsMock.on(GetLogEventsCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(getLogTail(logs, '/ecs/web', 'ecs/app/abc')).rejects.toMatchObject({
      iamAction: 'logs:GetLogEvents',
    });
  });
});
