// Tasks in the ECS model: how each image-tag behaviour ends (stop codes, reasons, exit codes,
// container logs), RunTask/StopTask, ListTasks filters and the retention of stopped tasks (docs/ecs-behaviour.md, "Stopped tasks").
import { describe, expect, it } from '@jest/globals';

import { harness, NETWORK, webTaskDefinition } from './ecs-harness.js';

describe('a crashing essential container', () => {
  it('stops the task EssentialContainerExited, exit code 1, and writes why to its awslogs stream', () => {
    const h = harness({ desiredCount: 1 });
    const newId = h.deploy('crash').deployments![0]!.id!;
    h.until(() => h.tasksOf(newId).some((t) => t.lastStatus === 'STOPPED'));
    const [t] = h.tasksOf(newId).filter((x) => x.lastStatus === 'STOPPED');
    expect(t).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      desiredStatus: 'STOPPED',
      startedBy: newId,
      group: 'service:web',
    });
    expect(t!.startedAt).toBeInstanceOf(Date);
    expect(t!.executionStoppedAt).toBeInstanceOf(Date);
    expect(t!.containers![0]).toMatchObject({ name: 'web', lastStatus: 'STOPPED', exitCode: 1 });
    const taskId = t!.taskArn!.split('/').at(-1);
    const lines = h.logs.filter((l) => l.stream === `ecs/web/${taskId}`);
    expect(lines.map((l) => [l.group, l.message])).toEqual([
      ['/ecs/web', 'Error: connect ECONNREFUSED 127.0.0.1:5432'],
      ['/ecs/web', 'Process exited with code 1'],
    ]);
  });

  it('counts toward the breaker unless crashCountsAsFailure is off', () => {
    const counted = harness({ desiredCount: 1 });
    const a = counted.deploy('crash').deployments![0]!.id!;
    counted.until(() =>
      counted.service().deployments!.some((d) => d.id === a && d.rolloutState === 'FAILED'),
    );

    const ignored = harness({ desiredCount: 1, crashCountsAsFailure: false });
    const b = ignored.deploy('crash').deployments![0]!.id!;
    ignored.advance(30 * 60_000);
    const d = ignored.service().deployments!.find((x) => x.id === b)!;
    expect(d).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 0 });
    expect(ignored.tasksOf(b).length).toBeGreaterThan(3);
  });
});

describe('other failure behaviours', () => {
  it(':oom exits 137 with the OutOfMemoryError reason', () => {
    const h = harness({ desiredCount: 1 });
    const id = h.deploy('oom').deployments![0]!.id!;
    h.until(() => h.tasksOf(id).length > 0);
    expect(h.tasksOf(id)[0]).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(h.tasksOf(id)[0]!.containers![0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
  });

  it(':unhealthy runs, fails its health checks, and is replaced as a failure (stage 2)', () => {
    const h = harness({ desiredCount: 1 });
    const hc = {
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
      interval: 10,
      retries: 3,
      startPeriod: 0,
    };
    const td = webTaskDefinition('unhealthy');
    const defs = td.containerDefinitions as Record<string, unknown>[];
    const id = h.deploy('unhealthy', {}, { containerDefinitions: [{ ...defs[0], healthCheck: hc }] })
      .deployments![0]!.id!;
    h.until(() => h.tasksOf(id, 'RUNNING').some((t) => t.lastStatus === 'RUNNING'));
    const took = h.until(() => h.tasksOf(id).length > 0);
    expect(took).toBeGreaterThanOrEqual(25_000); // 3 failed checks, 10 s apart
    const [t] = h.tasksOf(id);
    expect(t).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      healthStatus: 'UNHEALTHY',
    });
    expect(t!.containers![0]!.healthStatus).toBe('UNHEALTHY');
    expect(h.service().deployments!.find((d) => d.id === id)!.failedTasks).toBe(1);
  });

  it(':slow takes minutes to start, then completes', () => {
    const h = harness({ desiredCount: 1 });
    const id = h.deploy('slow').deployments![0]!.id!;
    h.advance(120_000);
    expect(h.service().deployments![0]).toMatchObject({ id, pendingCount: 1, runningCount: 0 });
    h.until(() => h.service().deployments!.length === 1);
    expect(h.service().deployments![0]).toMatchObject({ id, rolloutState: 'COMPLETED' });
  });

  it('reports HEALTHY for tasks with a passing container health check', () => {
    const h = harness({ desiredCount: 1 });
    const td = webTaskDefinition('v2');
    const defs = td.containerDefinitions as Record<string, unknown>[];
    const hc = { command: ['CMD', 'true'], interval: 5 };
    const id = h.deploy('v2', {}, { containerDefinitions: [{ ...defs[0], healthCheck: hc }] })
      .deployments![0]!.id!;
    h.until(() => h.tasksOf(id, 'RUNNING').some((t) => t.healthStatus === 'HEALTHY'));
    h.until(() => h.service().deployments!.length === 1);
  });
});

describe('RunTask, StopTask, ListTasks, DescribeTasks', () => {
  it('runs standalone tasks that follow their image behaviour', () => {
    const h = harness({ desiredCount: null });
    h.call('RegisterTaskDefinition', webTaskDefinition('crash'));
    const run = h.call('RunTask', {
      cluster: 'main',
      taskDefinition: 'web:2',
      count: 2,
      startedBy: 'ci-job',
      networkConfiguration: NETWORK,
    });
    expect(run.failures).toEqual([]);
    expect(run.tasks).toHaveLength(2);
    expect(run.tasks[0]).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: 'family:web',
      startedBy: 'ci-job',
      launchType: 'FARGATE',
    });
    expect(run.tasks[0].taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/main\/[0-9a-f]{32}$/);
    h.advance(60_000);
    const listed = h.call('ListTasks', {
      cluster: 'main',
      startedBy: 'ci-job',
      desiredStatus: 'STOPPED',
    }).taskArns;
    expect(listed).toHaveLength(2);
    // Not restarted: no service owns them.
    expect(h.call('ListTasks', { cluster: 'main', startedBy: 'ci-job' }).taskArns).toEqual([]);
  });

  it('stops a service task as UserInitiated and the scheduler replaces it', () => {
    const h = harness({ desiredCount: 1 });
    const [arn] = h.call('ListTasks', { cluster: 'main', serviceName: 'web' }).taskArns;
    const stopped = h.call('StopTask', {
      cluster: 'main',
      task: arn.split('/').at(-1),
      reason: 'debugging',
    }).task;
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'debugging',
    });
    h.advance(60_000);
    const running = h.call('ListTasks', { cluster: 'main', serviceName: 'web' }).taskArns;
    expect(running).toHaveLength(1);
    expect(running[0]).not.toBe(arn);
    expect(h.service().deployments![0]!.failedTasks).toBe(0);
    const e = h.error('StopTask', { cluster: 'main', task: 'f'.repeat(32) });
    expect([e.type, e.message]).toEqual(['InvalidParameterException', 'The referenced task was not found.']);
  });

  it('filters ListTasks and reports unknown tasks as MISSING', () => {
    const h = harness({ desiredCount: 2 });
    const id = h.primaryId();
    expect(h.call('ListTasks', { cluster: 'main', startedBy: id }).taskArns).toHaveLength(2);
    expect(h.call('ListTasks', { cluster: 'main', family: 'web' }).taskArns).toHaveLength(2);
    expect(h.call('ListTasks', { cluster: 'main', desiredStatus: 'PENDING' }).taskArns).toEqual([]);
    expect(h.call('ListTasks', { cluster: 'main', maxResults: 1 }).nextToken).toEqual(expect.any(String));
    expect(h.error('ListTasks', { cluster: 'main', serviceName: 'ghost' }).type).toBe(
      'ServiceNotFoundException',
    );
    expect(h.error('ListTasks', { cluster: 'main', serviceName: 'web', startedBy: id }).type).toBe(
      'InvalidParameterException',
    );
    const out = h.call('DescribeTasks', { cluster: 'main', tasks: ['0'.repeat(32)] });
    expect(out.failures).toEqual([
      { arn: `arn:aws:ecs:us-east-1:123456789012:task/main/${'0'.repeat(32)}`, reason: 'MISSING' },
    ]);
    expect(h.error('DescribeTasks', { cluster: 'nope', tasks: ['x'] }).type).toBe('ClusterNotFoundException');
  });

  it('keeps stopped tasks listable for at least an hour', () => {
    const h = harness({ desiredCount: 1 });
    const oldId = h.primaryId();
    h.deploy('v2');
    h.until(() => h.tasksOf(oldId).some((t) => t.lastStatus === 'STOPPED'));
    h.advance(59 * 60_000);
    expect(h.tasksOf(oldId)).toHaveLength(1);
    h.advance(3 * 60_000);
    expect(h.tasksOf(oldId)).toHaveLength(0);
  });
});
