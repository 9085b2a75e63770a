// The ECS model's rolling deployments, circuit breaker and rollback, pinned to
// docs/ecs-behaviour.md ("Rolling deployments", "Deployment circuit breaker", "Rollback", "Supersede", "Service events"), driven through the handlers with a
// clock the test moves.
import { describe, expect, it } from '@jest/globals';

import { harness, type Harness } from './ecs-harness.js';

/** Step one second at a time until the deployment `id` is FAILED; returns the service then. */
function untilFailed(h: Harness, id: string) {
  h.until(
    () => h.service().deployments!.some((d) => d.id === id && d.rolloutState === 'FAILED'),
    60 * 60_000,
  );
  return h.service();
}

describe('a healthy rolling deployment', () => {
  it('starts new tasks, stops the old ones, completes and reports a steady state', () => {
    const h = harness({ desiredCount: 2 });
    const oldId = h.primaryId();
    const updated = h.deploy('v2');

    // The response carries the new PRIMARY first, IN_PROGRESS; the old one is ACTIVE.
    const [primary, active] = updated.deployments!;
    expect(primary!.status).toBe('PRIMARY');
    expect(primary!.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary!.rolloutState).toBe('IN_PROGRESS');
    expect(primary!.rolloutStateReason).toBe(`ECS deployment ${primary!.id} in progress.`);
    expect(primary!.taskDefinition).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(active).toMatchObject({ id: oldId, status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2 });
    expect(updated.currentServiceDeployment).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/main\/web\/[A-Za-z0-9_-]{21}$/,
    );
    const newId = primary!.id!;
    expect(h.serviceDeployment(newId).serviceDeploymentArn).toBe(updated.currentServiceDeployment);

    // Never below minimumHealthyPercent (100%: 2 running), never above maximumPercent (200%: 4).
    let maxTotal = 0;
    const took = h.until(() => {
      const s = h.service();
      maxTotal = Math.max(maxTotal, s.runningCount! + s.pendingCount!);
      expect(s.runningCount).toBeGreaterThanOrEqual(2);
      return s.deployments!.length === 1 && s.deployments![0]!.rolloutState === 'COMPLETED';
    });
    expect(maxTotal).toBe(4);
    expect(took).toBeGreaterThan(40_000); // the 40 s no-health-check grace
    expect(took).toBeLessThan(120_000);

    const s = h.service();
    expect(s.deployments).toEqual([
      expect.objectContaining({
        id: newId,
        status: 'PRIMARY',
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${newId} completed.`,
      }),
    ]);
    expect(s).toMatchObject({
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: primary!.taskDefinition,
    });

    const msgs = h.messages(s);
    const started = msgs.findIndex((m) =>
      /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m),
    );
    const stopped = msgs.findIndex((m) =>
      /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m),
    );
    expect(started).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(started);
    expect(msgs.slice(-2)).toEqual([
      `(service web) (deployment ${newId}) deployment completed.`,
      '(service web) has reached a steady state.',
    ]);
    for (const e of s.events!) {
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.createdAt).toBeInstanceOf(Date);
    }

    const sd = h.serviceDeployment(newId);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.finishedAt).toBeInstanceOf(Date);
    expect(sd.targetServiceRevision).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
    });
    expect(sd.targetServiceRevision!.arn).toBe(
      `arn:aws:ecs:us-east-1:123456789012:service-revision/main/web/${newId.split('/')[1]}`,
    );
    expect(sd.sourceServiceRevisions!.map((r) => r.arn)).toEqual([
      `arn:aws:ecs:us-east-1:123456789012:service-revision/main/web/${oldId.split('/')[1]}`,
    ]);
    expect(sd.deploymentCircuitBreaker).toEqual({
      status: 'MONITORING_COMPLETE',
      failureCount: 0,
      threshold: 3,
    });

    // The replaced tasks were stopped by the scheduler, not failed.
    const old = h.tasksOf(oldId);
    expect(old).toHaveLength(2);
    for (const t of old) {
      expect(t).toMatchObject({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: `Scaling activity initiated by (deployment ${newId})`,
        group: 'service:web',
      });
      expect(t.stoppingAt).toBeInstanceOf(Date);
      expect(t.stoppedAt).toBeInstanceOf(Date);
    }
    const running = h.tasksOf(newId, 'RUNNING');
    expect(running).toHaveLength(2);
    expect(running[0]).toMatchObject({
      lastStatus: 'RUNNING',
      startedBy: newId,
      taskDefinitionArn: primary!.taskDefinition,
    });
  });

  it('creates no deployment for the same task definition without forceNewDeployment', () => {
    const h = harness();
    const before = h.service();
    const same = h.call('UpdateService', { cluster: 'main', service: 'web', taskDefinition: 'web' }).service;
    expect(same.deployments.map((d: { id: string }) => d.id)).toEqual(before.deployments!.map((d) => d.id));

    const forced = h.call('UpdateService', {
      cluster: 'main',
      service: 'web',
      forceNewDeployment: true,
    }).service;
    expect(forced.deployments).toHaveLength(2);
    expect(forced.deployments[0].id).not.toBe(before.deployments![0]!.id);
    expect(forced.deployments[0].taskDefinition).toBe(before.taskDefinition);
  });

  it('scales on a desiredCount change without a new deployment', () => {
    const h = harness({ desiredCount: 2 });
    const id = h.primaryId();
    const s = h.call('UpdateService', { cluster: 'main', service: 'web', desiredCount: 3 }).service;
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments[0]).toMatchObject({ id, desiredCount: 3, rolloutState: 'COMPLETED' });
    h.until(() => h.service().runningCount === 3);
    expect(h.messages().at(-1)).toMatch(/^\(service web\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/);
    h.until(() => h.messages().at(-1) === '(service web) has reached a steady state.');
    h.call('UpdateService', { cluster: 'main', service: 'web', desiredCount: 1 });
    h.until(() => h.service().runningCount === 1);
    expect(h.messages().some((m) => /has stopped 2 running tasks/.test(m))).toBe(true);
  });

  it('emits the blocked-configuration event when min 100% / max 100% allows no move', () => {
    const h = harness({
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 },
    });
    h.deploy('v2');
    h.advance(10_000);
    expect(h.messages()).toContain(
      '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
    );
    expect(h.service().deployments![0]!.runningCount).toBe(0);
  });
});

describe('the circuit breaker with rollback', () => {
  it('fails a desiredCount 1 deployment after exactly 3 failed tasks and re-promotes the same old id', () => {
    const h = harness({ desiredCount: 1 });
    const oldId = h.primaryId();
    const oldTd = h.service().taskDefinition;
    const newId = h.deploy('pull-error').deployments![0]!.id!;

    // Before the trip the count climbs 1, 2 while the deployment stays IN_PROGRESS.
    h.until(() => h.service().deployments![0]!.failedTasks === 2);
    expect(h.service().deployments![0]).toMatchObject({ id: newId, rolloutState: 'IN_PROGRESS' });
    expect(h.serviceDeployment(newId).deploymentCircuitBreaker).toEqual({
      status: 'MONITORING',
      failureCount: 2,
      threshold: 3,
    });

    const tripped = untilFailed(h, newId);
    // The same old deployment, not a new id, is PRIMARY again and rolling back.
    expect(tripped.deployments).toEqual([
      expect.objectContaining({
        id: oldId,
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${oldId}.`,
      }),
      expect.objectContaining({
        id: newId,
        status: 'ACTIVE',
        desiredCount: 0,
        failedTasks: 3,
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    ]);
    expect(tripped.taskDefinition).toBe(oldTd);
    expect(h.serviceDeployment(newId)).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS' });

    h.until(
      () =>
        h.service().deployments!.length === 1 && h.service().deployments![0]!.rolloutState === 'COMPLETED',
    );
    const done = h.service();
    expect(done.deployments![0]).toMatchObject({
      id: oldId,
      rolloutStateReason: `ECS deployment ${oldId} completed.`,
    });
    expect(h.messages(done).slice(-4)).toEqual([
      `(service web) (deployment ${newId}) deployment failed: tasks failed to start.`,
      `(service web) rolling back to deployment ${oldId}.`,
      `(service web) (deployment ${oldId}) deployment completed.`,
      '(service web) has reached a steady state.',
    ]);

    const sd = h.serviceDeployment(newId);
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 });
    expect(sd.rollback!.serviceRevisionArn).toBe(
      `arn:aws:ecs:us-east-1:123456789012:service-revision/main/web/${oldId.split('/')[1]}`,
    );
    expect(sd.rollback!.startedAt).toBeInstanceOf(Date);
    expect(sd.finishedAt).toBeInstanceOf(Date);

    // Exactly three tasks were tried, each failing to pull.
    const failed = h.tasksOf(newId);
    expect(failed).toHaveLength(3);
    for (const t of failed) {
      expect(t).toMatchObject({
        lastStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
        stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:pull-error: not found`,
        startedBy: newId,
        group: 'service:web',
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      });
      expect(t.startedAt).toBeUndefined();
      expect(t.containers![0]!.lastStatus).toBe('STOPPED');
    }
  });

  it('uses a threshold of 13 for desiredCount 25', () => {
    const h = harness({ desiredCount: 25 });
    const newId = h.deploy('pull-error').deployments![0]!.id!;
    expect(h.serviceDeployment(newId).deploymentCircuitBreaker!.threshold).toBe(13);
    const s = untilFailed(h, newId);
    expect(s.deployments!.find((d) => d.id === newId)!.failedTasks).toBe(13);
    const sd = h.serviceDeployment(newId);
    expect(sd.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 13, threshold: 13 });
  });

  it('stalls a first deployment that has nothing COMPLETED to roll back to', () => {
    const h = harness({ desiredCount: null });
    h.call('RegisterTaskDefinition', { ...webTaskDefinitionFor('pull-error') });
    const created = h.call('CreateService', {
      cluster: 'main',
      serviceName: 'api',
      taskDefinition: 'web:2',
      desiredCount: 1,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }).service;
    const id = created.deployments[0].id;
    h.until(() => h.service('api').deployments![0]!.rolloutState === 'FAILED');
    const launched = countTasks(h, 'api');
    h.advance(30 * 60_000);
    const s = h.service('api');
    expect(s.deployments).toEqual([
      expect.objectContaining({ id, status: 'PRIMARY', rolloutState: 'FAILED', failedTasks: 3 }),
    ]);
    expect(countTasks(h, 'api')).toBe(launched); // no new tasks
    expect(h.messages(s).some((m) => /rolling back/.test(m))).toBe(false);
    expect(h.serviceDeployment(id, 'api').status).toBe('ROLLBACK_FAILED');
  });
});

describe('the circuit breaker without rollback', () => {
  it('leaves the FAILED deployment PRIMARY, the old one ACTIVE, and the service deployment STOPPED', () => {
    const h = harness({
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    const oldId = h.primaryId();
    const newId = h.deploy('crash').deployments![0]!.id!;
    untilFailed(h, newId);
    expect(['STOP_REQUESTED', 'STOPPED']).toContain(h.serviceDeployment(newId).status);
    const launched = h.tasksOf(newId).length + h.tasksOf(newId, 'RUNNING').length;
    h.advance(20 * 60_000);
    const s = h.service();
    expect(s.deployments).toEqual([
      expect.objectContaining({ id: newId, status: 'PRIMARY', rolloutState: 'FAILED', desiredCount: 2 }),
      expect.objectContaining({ id: oldId, status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
    expect(h.tasksOf(newId).length + h.tasksOf(newId, 'RUNNING').length).toBe(launched);
    expect(h.messages(s).some((m) => /rolling back/.test(m))).toBe(false);
    const sd = h.serviceDeployment(newId);
    expect(sd.status).toBe('STOPPED');
    expect(sd.stoppedAt).toBeInstanceOf(Date);
    expect(sd.deploymentCircuitBreaker!.status).toBe('TRIGGERED');
  });
});

describe('a disabled circuit breaker', () => {
  it('keeps retrying a failing deployment, never completes, and says it cannot start tasks', () => {
    const h = harness({ desiredCount: 1, deploymentConfiguration: {} });
    const newId = h.deploy('pull-error').deployments![0]!.id!;
    h.advance(3 * 60 * 60_000); // one jump of 3 hours
    const s = h.service();
    const d = s.deployments!.find((x) => x.id === newId)!;
    expect(d).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(d.failedTasks).toBeGreaterThan(10);
    const unable =
      '(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
    expect(h.messages(s).filter((m) => m === unable).length).toBeGreaterThan(1);
    expect(s.deployments).toHaveLength(2);
    expect(h.serviceDeployment(newId).deploymentCircuitBreaker!.status).toBe('DISABLED');
    // Stopped tasks stay listable for an hour, not forever.
    const stopped = h.tasksOf(newId);
    expect(stopped.length).toBeGreaterThan(3);
    for (const t of stopped) expect(h.now() - t.stoppedAt!.getTime()).toBeLessThanOrEqual(61 * 60_000);
  });
});

describe('resetOnHealthyTask', () => {
  // A resolver that fails the first two tasks of web:2 and lets the third start healthy.
  function flaky() {
    let n = 0;
    return (image: string): string | undefined =>
      image.endsWith(':flaky') ? (++n <= 2 ? 'pull-error' : 'healthy') : undefined;
  }

  it('resets the failure count when a task becomes healthy (default)', () => {
    const h = harness({ desiredCount: 1, resolveImageTag: flaky() });
    const newId = h.deploy('flaky').deployments![0]!.id!;
    h.until(() => h.service().deployments!.length === 1);
    expect(h.service().deployments![0]).toMatchObject({
      id: newId,
      rolloutState: 'COMPLETED',
      failedTasks: 0,
    });
  });

  it('keeps counting with resetOnHealthyTask false', () => {
    const h = harness({
      desiredCount: 1,
      resolveImageTag: flaky(),
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: false },
      },
    });
    const newId = h.deploy('flaky').deployments![0]!.id!;
    h.until(() => h.service().deployments!.length === 1);
    expect(h.service().deployments![0]).toMatchObject({
      id: newId,
      rolloutState: 'COMPLETED',
      failedTasks: 2,
    });
  });
});

describe('a superseded deployment', () => {
  it('becomes ACTIVE and drains; its service deployment goes STOP_REQUESTED then STOPPED', () => {
    const h = harness({ desiredCount: 2 });
    const firstId = h.deploy('slow').deployments![0]!.id!;
    h.advance(20_000);
    const second = h.deploy('v3');
    const secondId = second.deployments![0]!.id!;
    expect(second.deployments!.map((d) => [d.id, d.status])).toEqual([
      [secondId, 'PRIMARY'],
      [firstId, 'ACTIVE'],
      [expect.any(String), 'ACTIVE'],
    ]);
    const sd = h.serviceDeployment(firstId);
    expect(sd.status).toBe('STOP_REQUESTED');
    expect(sd.statusReason).toContain(secondId);
    h.until(
      () =>
        h.service().deployments!.length === 1 && h.service().deployments![0]!.rolloutState === 'COMPLETED',
    );
    expect(h.primaryId()).toBe(secondId);
    const stopped = h.serviceDeployment(firstId);
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    expect(h.serviceDeployment(secondId).status).toBe('SUCCESSFUL');
    // The slow tasks were stopped by the scheduler on behalf of the new deployment.
    for (const t of h.tasksOf(firstId))
      expect(t.stoppedReason).toBe(`Scaling activity initiated by (deployment ${secondId})`);
  });
});

describe('StopServiceDeployment', () => {
  it('rolls back an in-progress deployment to the previous one (ROLLBACK_REQUESTED -> ROLLBACK_SUCCESSFUL)', () => {
    const h = harness({ desiredCount: 1 });
    const oldId = h.primaryId();
    const updated = h.deploy('slow');
    const newId = updated.deployments![0]!.id!;
    h.advance(5_000);
    const arn = updated.currentServiceDeployment!;
    expect(h.call('StopServiceDeployment', { serviceDeploymentArn: arn, stopType: 'ROLLBACK' })).toEqual({
      serviceDeploymentArn: arn,
    });
    expect(h.serviceDeployment(newId).status).toBe('ROLLBACK_REQUESTED');
    h.until(() => h.serviceDeployment(newId).status === 'ROLLBACK_SUCCESSFUL');
    const s = h.service();
    expect(s.deployments).toEqual([
      expect.objectContaining({ id: oldId, status: 'PRIMARY', rolloutState: 'COMPLETED' }),
    ]);
    expect(h.messages(s)).toContain(`(service web) rolling back to deployment ${oldId}.`);

    const conflict = h.error('StopServiceDeployment', { serviceDeploymentArn: arn });
    expect(conflict.type).toBe('ConflictException');
    const missing = h.error('StopServiceDeployment', { serviceDeploymentArn: `${arn.slice(0, -3)}zzz` });
    expect(missing.type).toBe('ServiceDeploymentNotFoundException');
  });
});

describe('large clock jumps', () => {
  it('give the same history as small steps', () => {
    const run = (step: number) => {
      const h = harness({ desiredCount: 3 });
      h.deploy('pull-error');
      for (let t = 0; t < 10 * 60_000; t += step) h.advance(step);
      return JSON.stringify(h.service());
    };
    expect(run(10 * 60_000)).toBe(run(1_000));
  });
});

function webTaskDefinitionFor(tag: string): Record<string, unknown> {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'web', image: `nginx:${tag}` }],
  };
}

function countTasks(h: Harness, service: string): number {
  const running = h.call('ListTasks', { cluster: 'main', serviceName: service }).taskArns.length;
  const stopped = h.call('ListTasks', { cluster: 'main', serviceName: service, desiredStatus: 'STOPPED' })
    .taskArns.length;
  return running + stopped;
}
