// DescribeServices / CreateService / UpdateService errors and shapes in the ECS model
// (docs/ecs-behaviour.md, "Service events", "What starts a deployment", "API limits").
import { describe, expect, it } from '@jest/globals';

import { harness, NETWORK } from './ecs-harness.js';

describe('DescribeServices', () => {
  it('reports unknown services as MISSING failures, not an exception', () => {
    const h = harness();
    const out = h.call('DescribeServices', { cluster: 'main', services: ['web', 'ghost'] });
    expect(out.services.map((s: { serviceName: string }) => s.serviceName)).toEqual(['web']);
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/main/ghost', reason: 'MISSING' },
    ]);
  });

  it('throws ClusterNotFoundException for an unknown cluster, and limits the batch to 10', () => {
    const h = harness();
    const e = h.error('DescribeServices', { cluster: 'nope', services: ['web'] });
    expect([e.type, e.message, e.status]).toEqual(['ClusterNotFoundException', 'Cluster not found.', 400]);
    expect(
      h.error('DescribeServices', {
        cluster: 'main',
        services: Array.from({ length: 11 }, (_, i) => `s${i}`),
      }).type,
    ).toBe('InvalidParameterException');
  });

  it('shows a seeded service steady, with the fields the SDK models', () => {
    const h = harness({ desiredCount: 3 });
    const s = h.call('DescribeServices', {
      cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/main',
      services: ['web'],
      include: ['TAGS'],
    }).services[0];
    expect(s).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/main/web',
      serviceName: 'web',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/main',
      status: 'ACTIVE',
      desiredCount: 3,
      runningCount: 3,
      pendingCount: 0,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      deploymentController: { type: 'ECS' },
      schedulingStrategy: 'REPLICA',
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      networkConfiguration: NETWORK,
      tags: [],
    });
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 3,
      platformVersion: '1.4.0',
    });
    expect(s.createdAt).toBeInstanceOf(Date);
    expect(s.events.map((e: { message: string }) => e.message)).toEqual([
      '(service web) has reached a steady state.',
    ]);
    expect(s.currentServiceRevisions).toEqual([
      expect.objectContaining({ requestedTaskCount: 3, runningTaskCount: 3 }),
    ]);
  });
});

describe('UpdateService', () => {
  it('fails for unknown services and clusters with ECS errors', () => {
    const h = harness();
    const svc = h.error('UpdateService', { cluster: 'main', service: 'ghost', desiredCount: 1 });
    expect([svc.type, svc.message]).toEqual(['ServiceNotFoundException', 'Service not found.']);
    expect(h.error('UpdateService', { cluster: 'nope', service: 'web' }).type).toBe(
      'ClusterNotFoundException',
    );
  });

  it('refuses task-definition changes and forced deployments on CODE_DEPLOY services', () => {
    const h = harness({ desiredCount: null });
    h.model.seed({
      services: [
        {
          cluster: 'main',
          serviceName: 'bg',
          taskDefinition: 'web:1',
          desiredCount: 1,
          networkConfiguration: NETWORK,
          deploymentController: { type: 'CODE_DEPLOY' },
        },
      ],
    });
    h.call('RegisterTaskDefinition', {
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'nginx:2', memory: 128 }],
    });
    const td = h.error('UpdateService', { cluster: 'main', service: 'bg', taskDefinition: 'web:2' });
    expect([td.type, td.message]).toEqual([
      'InvalidParameterException',
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Please use Code Deploy to trigger a new deployment.',
    ]);
    const force = h.error('UpdateService', { cluster: 'main', service: 'bg', forceNewDeployment: true });
    expect(force.message).toBe(
      'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Please use Code Deploy to trigger a new deployment.',
    );
    // Allowed: desired count.
    expect(
      h.call('UpdateService', { cluster: 'main', service: 'bg', desiredCount: 2 }).service.desiredCount,
    ).toBe(2);
    // No rolloutState outside the ECS controller.
    expect(h.service('bg').deployments![0]!.rolloutState).toBeUndefined();
  });

  it('applies deploymentConfiguration changes (breaker settings) without a deployment', () => {
    const h = harness();
    const s = h.call('UpdateService', {
      cluster: 'main',
      service: 'web',
      deploymentConfiguration: {
        deploymentCircuitBreaker: {
          enable: true,
          rollback: false,
          thresholdConfiguration: { type: 'COUNT', value: 5 },
        },
      },
      enableECSManagedTags: true,
      propagateTags: 'SERVICE',
    }).service;
    expect(s.deployments).toHaveLength(1);
    expect(s.deploymentConfiguration).toMatchObject({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: {
        enable: true,
        rollback: false,
        thresholdConfiguration: { type: 'COUNT', value: 5 },
      },
    });
    expect(s).toMatchObject({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
    const id = h.deploy('pull-error').deployments![0]!.id!;
    expect(h.serviceDeployment(id).deploymentCircuitBreaker!.threshold).toBe(5);
    const bad = h.error('UpdateService', {
      cluster: 'main',
      service: 'web',
      deploymentConfiguration: {
        deploymentCircuitBreaker: {
          enable: true,
          rollback: true,
          thresholdConfiguration: { type: 'BOUNDED_PERCENT', value: 0 },
        },
      },
    });
    expect(bad.type).toBe('InvalidParameterException');
  });
});

describe('CreateService', () => {
  it('starts the first deployment IN_PROGRESS and rejects duplicates and awsvpc without a network', () => {
    const h = harness();
    const e = h.error('CreateService', {
      cluster: 'main',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 1,
      networkConfiguration: NETWORK,
    });
    expect([e.type, e.message]).toEqual([
      'InvalidParameterException',
      'Creation of service was not idempotent.',
    ]);
    const net = h.error('CreateService', {
      cluster: 'main',
      serviceName: 'api',
      taskDefinition: 'web:1',
      desiredCount: 1,
    });
    expect(net.message).toBe(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    const s = h.call('CreateService', {
      cluster: 'main',
      serviceName: 'api',
      taskDefinition: 'web:1',
      desiredCount: 1,
      networkConfiguration: NETWORK,
    }).service;
    expect(s.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 0 }),
    ]);
    h.until(() => h.service('api').deployments![0]!.rolloutState === 'COMPLETED');
    expect(h.serviceDeployment(s.deployments[0].id, 'api')).toMatchObject({
      status: 'SUCCESSFUL',
      sourceServiceRevisions: [],
    });
  });
});

describe('ListServiceDeployments', () => {
  it('lists newest first and filters by status and createdAt', () => {
    const h = harness();
    h.advance(60_000);
    const t1 = h.now();
    const id = h.deploy('v2').deployments![0]!.id!;
    const all = h.call('ListServiceDeployments', { cluster: 'main', service: 'web' }).serviceDeployments;
    expect(all).toHaveLength(2);
    expect(all[0].targetServiceRevisionArn).toMatch(new RegExp(`/${id.split('/')[1]}$`));
    expect(all[0]).toMatchObject({
      status: 'IN_PROGRESS',
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/main/web',
    });
    const recent = h.call('ListServiceDeployments', {
      cluster: 'main',
      service: 'web',
      createdAt: { after: t1 / 1000 - 1 },
    });
    expect(recent.serviceDeployments).toHaveLength(1);
    const done = h.call('ListServiceDeployments', {
      cluster: 'main',
      service: 'web',
      status: ['SUCCESSFUL'],
    });
    expect(done.serviceDeployments).toHaveLength(1);
    expect(h.error('ListServiceDeployments', { cluster: 'main', service: 'ghost' }).type).toBe(
      'ServiceNotFoundException',
    );
    const described = h.call('DescribeServiceDeployments', {
      serviceDeploymentArns: [all[0].serviceDeploymentArn, 'arn:aws:ecs:x'],
    });
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:x', reason: 'MISSING' }]);
  });
});
