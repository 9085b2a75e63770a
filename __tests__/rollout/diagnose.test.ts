import { beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcsPort } from '../../src/aws/ecs.js';
import {
  diagnose,
  essentialContainers,
  groupStoppedTasks,
  logTailTargets,
  type DiagnoseDeps,
} from '../../src/rollout/diagnose.js';
import type { JsonObject } from '../../src/lib/json.js';
import type { EcsPort, LogsPort } from '../../src/aws/ports.js';
import { fakeEcs, fakeLogs } from '../fakes/aws.js';
import { at, NEW, OLD } from './ecs-fixtures.js';

const TASK_PREFIX = 'arn:aws:ecs:us-east-1:123456789012:task/prod/';

function task(id: string, stoppedSecond: number, extra: Partial<Task>): Task {
  return {
    taskArn: `${TASK_PREFIX}${id}`,
    startedBy: NEW,
    lastStatus: 'STOPPED',
    stoppedAt: at(stoppedSecond),
    ...extra,
  };
}

const crashed = (id: string, s: number) =>
  task(id, s, {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [
      { name: 'app', exitCode: 1, lastStatus: 'STOPPED' },
      { name: 'log-router', exitCode: 0, lastStatus: 'STOPPED' },
    ],
  });
const oom = (id: string, s: number) =>
  task(id, s, {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [
      { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    ],
  });
const pullFailed = (id: string, s: number) =>
  task(id, s, {
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found',
    containers: [{ name: 'app' }, { name: 'log-router' }],
  });
const scaledIn = (id: string, s: number) =>
  task(id, s, {
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: `Scaling activity initiated by (deployment ${NEW})`,
    containers: [{ name: 'app', exitCode: 143 }],
  });
const elbUnhealthy = (id: string, s: number) =>
  task(id, s, {
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason:
      'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)',
    containers: [{ name: 'app', exitCode: 143 }],
  });

const TD: JsonObject = {
  family: 'web',
  containerDefinitions: [
    {
      name: 'app',
      image: 'app:1',
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-stream-prefix': 'ecs',
          'awslogs-region': 'eu-west-1',
        },
      },
    },
    {
      name: 'log-router',
      image: 'fluent-bit',
      essential: false,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/router', 'awslogs-stream-prefix': 'r' },
      },
    },
    {
      name: 'sidecar',
      image: 'envoy',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/envoy' } },
    },
  ],
};

describe('groupStoppedTasks', () => {
  it('groups by stop code, reason and essential container exits, most frequent first, without scale-in', () => {
    const groups = groupStoppedTasks(
      [
        crashed('c1', 10),
        oom('o1', 15),
        crashed('c2', 20),
        scaledIn('s1', 25),
        crashed('c3', 30),
        crashed('c4', 40),
        oom('o2', 50),
      ],
      { essentialContainers: essentialContainers(TD) },
    );
    expect(groups).toEqual([
      {
        count: 4,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'app', exitCode: 1 }],
        taskIds: ['c4', 'c3', 'c2'],
      },
      {
        count: 2,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
        ],
        taskIds: ['o2', 'o1'],
      },
    ]);
  });

  it('keeps health-check failures although their stop code is ServiceSchedulerInitiated', () => {
    const groups = groupStoppedTasks([elbUnhealthy('e1', 1), scaledIn('s1', 2)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 1, stopCode: 'ServiceSchedulerInitiated', taskIds: ['e1'] });
  });

  it('breaks ties by recency and lists containers that never started without exit codes', () => {
    const groups = groupStoppedTasks([oom('o1', 10), pullFailed('p1', 20)]);
    expect(groups.map((g) => g.taskIds[0])).toEqual(['p1', 'o1']);
    expect(groups[0].containers).toEqual([]);
  });

  it('without a task definition, counts every container that exited', () => {
    expect(groupStoppedTasks([crashed('c1', 1)])[0].containers).toEqual([
      { name: 'app', exitCode: 1 },
      { name: 'log-router', exitCode: 0 },
    ]);
  });
});

describe('logTailTargets', () => {
  it('reads the awslogs stream of the containers that stopped each group, in another region if configured', () => {
    const groups = groupStoppedTasks([crashed('c1', 1), pullFailed('p1', 2), pullFailed('p2', 3)], {
      essentialContainers: essentialContainers(TD),
    });
    expect(logTailTargets(groups, TD)).toEqual([
      // pull failures: no container detail, so the essential containers with a stream prefix
      { container: 'app', logGroup: '/ecs/web', logStream: 'ecs/app/p2', region: 'eu-west-1' },
      { container: 'app', logGroup: '/ecs/web', logStream: 'ecs/app/c1', region: 'eu-west-1' },
    ]);
  });
  it('stops at the maximum', () => {
    const groups = groupStoppedTasks([crashed('c1', 1), oom('o1', 2)]);
    expect(logTailTargets(groups, TD, 1)).toHaveLength(1);
  });
});

describe('diagnose', () => {
  const warnings: string[] = [];
  const deps = (
    over: { listStoppedTasks?: EcsPort['listStoppedTasks']; getLogTail?: LogsPort['getLogTail'] } = {},
  ): DiagnoseDeps => ({
    ecs: fakeEcs({
      // Only our deployment's tasks: leaving out the others is listStoppedTasks's job (see below).
      listStoppedTasks: over.listStoppedTasks ?? (async () => [crashed('c1', 1), crashed('c2', 2)]),
    }),
    logs: fakeLogs({
      getLogTail:
        over.getLogTail ??
        (async ({ region, group, stream, lines }) => [
          `${region} ${group} ${stream} ${lines}`,
          'Error: boom',
        ]),
    }),
    log: { warning: (l) => warnings.push(l) },
  });

  it('returns our stopped tasks grouped and the log tails', async () => {
    warnings.length = 0;
    const result = await diagnose(deps({}), { deploymentId: NEW, taskDefinition: TD });
    expect(result.stoppedTasks).toEqual([expect.objectContaining({ count: 2, taskIds: ['c2', 'c1'] })]);
    expect(result.logTails).toEqual([
      {
        container: 'app',
        logGroup: '/ecs/web',
        logStream: 'ecs/app/c2',
        lines: ['eu-west-1 /ecs/web ecs/app/c2 20', 'Error: boom'],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('degrades to a warning when the logs cannot be read, keeping the stopped tasks', async () => {
    warnings.length = 0;
    const denied = Object.assign(new Error('not authorized to perform: logs:GetLogEvents'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const result = await diagnose(deps({ getLogTail: async () => Promise.reject(denied) }), {
      deploymentId: NEW,
      taskDefinition: TD,
    });
    expect(result.stoppedTasks).toHaveLength(1);
    expect(result.logTails).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('needs the IAM permission logs:GetLogEvents')]);
  });

  it('degrades to a warning when the stopped tasks cannot be listed', async () => {
    warnings.length = 0;
    const result = await diagnose(
      deps({ listStoppedTasks: async () => Promise.reject(new Error('socket hang up')) }),
      { deploymentId: NEW },
    );
    expect(result).toEqual({ stoppedTasks: [], logTails: [] });
    expect(warnings).toEqual([
      `Could not list the stopped tasks of ${NEW}: ListTasks failed: socket hang up`,
    ]);
  });

  it('leaves out empty streams (a container that never logged)', async () => {
    const result = await diagnose(deps({ getLogTail: async () => [] }), {
      deploymentId: NEW,
      taskDefinition: TD,
    });
    expect(result.logTails).toEqual([]);
  });
});

describe('diagnose over the SDK port', () => {
  const ecsMock = mockClient(ECSClient);
  beforeEach(() => {
    ecsMock.reset();
  });

  it("diagnoses only the tasks our deployment started, not an earlier deployment's", async () => {
    const tasks = [crashed('c1', 1), crashed('c2', 2), { ...crashed('x', 3), startedBy: OLD }];
    ecsMock.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn!) });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks });
    const warnings: string[] = [];
    const deps = {
      ecs: createEcsPort(new ECSClient({ region: 'eu-west-1' })),
      log: { warning: (l: string) => warnings.push(l) },
    };
    const result = await diagnose(deps, {
      cluster: 'prod',
      service: 'web',
      deploymentId: NEW,
      taskDefinition: TD,
    });
    expect(result.stoppedTasks).toEqual([expect.objectContaining({ count: 2, taskIds: ['c2', 'c1'] })]);
    expect(warnings).toEqual([]);
  });
});
