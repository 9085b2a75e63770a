// Following a task's awslogs streams: forward tokens, no repeats, a tail kept, a missing stream
// quiet, access denied warned once.
import { describe, expect, test } from '@jest/globals';
import { AwsCallError } from '../../src/aws/errors.js';
import type { LogPageQuery } from '../../src/aws/ports.js';
import { awslogsSources, MAX_CALLS_PER_POLL, TaskLogFollower } from '../../src/run-task/log-follow.js';
import type { JsonObject } from '../../src/lib/json.js';
import { fakeLogs } from '../fakes/aws.js';

const TD: JsonObject = {
  containerDefinitions: [
    {
      name: 'app',
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-stream-prefix': 'web',
          'awslogs-region': 'eu-west-1',
        },
      },
    },
    {
      name: 'no-prefix',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
    },
    { name: 'firelens', logConfiguration: { logDriver: 'awsfirelens' } },
  ],
};

describe('TaskLogFollower', () => {
  test('only awslogs containers with a stream prefix have a stream to follow', () => {
    expect(awslogsSources(TD)).toEqual([
      { container: 'app', group: '/ecs/web', prefix: 'web', region: 'eu-west-1' },
    ]);
  });

  test('reads forward from the last token, never repeating a line', async () => {
    const stream: string[] = [];
    const queries: LogPageQuery[] = [];
    const logs = fakeLogs({
      getLogPage: async (q) => {
        queries.push(q);
        if (stream.length === 0) return { lines: [], nextForwardToken: q.nextToken, exists: false };
        const from = Number(q.nextToken ?? 0);
        return { lines: stream.slice(from), nextForwardToken: String(stream.length), exists: true };
      },
    });
    const follower = new TaskLogFollower(logs, awslogsSources(TD), ['t1'], () => {});
    expect(await follower.poll(['t1'])).toEqual([]);
    stream.push('one', 'two');
    expect(await follower.poll(['t1'])).toEqual([
      {
        taskId: 't1',
        lines: [
          { container: 'app', line: 'one' },
          { container: 'app', line: 'two' },
        ],
      },
    ]);
    stream.push('three');
    expect(await follower.poll(['t1'])).toEqual([
      { taskId: 't1', lines: [{ container: 'app', line: 'three' }] },
    ]);
    expect(queries.at(-1)).toMatchObject({ region: 'eu-west-1', group: '/ecs/web', stream: 'web/app/t1' });
    expect(follower.tails('t1', ['app'])).toEqual([
      {
        taskId: 't1',
        container: 'app',
        logGroup: '/ecs/web',
        logStream: 'web/app/t1',
        lines: ['one', 'two', 'three'],
      },
    ]);
  });

  test('at most MAX_CALLS_PER_POLL calls in one poll, whatever the number of tasks', async () => {
    let calls = 0;
    const logs = fakeLogs({
      getLogPage: async (q) => {
        calls++;
        return { lines: ['x'], nextForwardToken: `${q.nextToken ?? ''}+`, exists: true };
      },
    });
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    await new TaskLogFollower(logs, awslogsSources(TD), ids, () => {}).poll(ids);
    expect(calls).toBe(MAX_CALLS_PER_POLL);
  });

  test('access denied is warned about once, and the logs are left out from then on', async () => {
    const warnings: string[] = [];
    const logs = fakeLogs({
      getLogPage: async () => {
        throw new AwsCallError('GetLogEvents was denied: needs logs:GetLogEvents.', {
          kind: 'access-denied',
          operation: 'GetLogEvents',
        });
      },
    });
    const follower = new TaskLogFollower(logs, awslogsSources(TD), ['t1'], (w) => warnings.push(w));
    await follower.poll(['t1']);
    await follower.poll(['t1']);
    expect(warnings).toHaveLength(1);
    expect(logs.calls).toHaveLength(1);
  });
});
