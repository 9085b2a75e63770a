// The run-task methods of the ports over the SDK: RunTask, DescribeTasks (batched), StopTask, and
// GetLogEvents read forward for following a stream.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcsPort } from '../../src/aws/ecs.js';
import { getLogPage } from '../../src/aws/logs.js';

const ecsMock = mockClient(ECSClient);
const logsMock = mockClient(CloudWatchLogsClient);
const port = createEcsPort(new ECSClient({ region: 'us-east-1' }));
const logs = new CloudWatchLogsClient({ region: 'us-east-1' });

beforeEach(() => {
  ecsMock.reset();
  logsMock.reset();
});

describe('runTask / describeTasks / stopTask', () => {
  it('returns the placed tasks and the failures of one RunTask', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: 'a', reason: 'RESOURCE:CPU' }] });
    expect(await port.runTask({ cluster: 'prod', taskDefinition: 'web:2' })).toEqual({
      tasks: [],
      failures: [{ arn: 'a', reason: 'RESOURCE:CPU' }],
    });
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(1);
  });

  it('describes tasks 100 per call', async () => {
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((taskArn) => ({ taskArn })),
      failures: [],
    }));
    const arns = Array.from({ length: 150 }, (_, i) => `t${i}`);
    const out = await port.describeTasks('prod', arns);
    expect(out.tasks).toHaveLength(150);
    expect(ecsMock.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([
      100, 50,
    ]);
  });

  it('stops a task with a reason', async () => {
    ecsMock.on(StopTaskCommand).resolves({ task: { taskArn: 't1', desiredStatus: 'STOPPED' } });
    expect(await port.stopTask('prod', 't1', 'why')).toEqual({ taskArn: 't1', desiredStatus: 'STOPPED' });
    expect(ecsMock.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      task: 't1',
      reason: 'why',
    });
  });
});

describe('getLogPage', () => {
  it('reads forward from the head, then from the forward token (startFromHead true, as the API requires)', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [{ message: 'one\n' }], nextForwardToken: 'f/1' });
    expect(await getLogPage(logs, { group: '/ecs/web', stream: 'web/app/t1' })).toEqual({
      lines: ['one'],
      nextForwardToken: 'f/1',
      exists: true,
    });
    await getLogPage(logs, { group: '/ecs/web', stream: 'web/app/t1', nextToken: 'f/1' });
    expect(logsMock.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input)).toEqual([
      { logGroupName: '/ecs/web', logStreamName: 'web/app/t1', startFromHead: true },
      { logGroupName: '/ecs/web', logStreamName: 'web/app/t1', startFromHead: true, nextToken: 'f/1' },
    ]);
  });

  it('a stream that does not exist yet is an empty page, not an error', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }),
      );
    expect(await getLogPage(logs, { group: '/ecs/web', stream: 's', nextToken: 'f/2' })).toEqual({
      lines: [],
      nextForwardToken: 'f/2',
      exists: false,
    });
  });
});
