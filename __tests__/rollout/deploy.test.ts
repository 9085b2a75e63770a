import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { createEcsPort } from '../../src/aws/ecs.js';
import {
  buildUpdateServiceInput,
  checkServiceDeployable,
  findServiceDeploymentArn,
  sameTaskDefinition,
  planServiceUpdate,
  settingChanges,
  startDeployment,
} from '../../src/rollout/deploy.js';
import {
  NEW,
  OLD,
  oldActive,
  ours,
  REVISION_PREFIX,
  SD_ARN,
  service,
  T0,
  TD_NEW,
  TD_OLD,
} from './ecs-fixtures.js';

const REQUEST = {
  cluster: 'prod',
  service: 'web',
  forceNewDeployment: false,
  desiredCount: undefined,
  enableEcsManagedTags: undefined,
  propagateTags: undefined,
  circuitBreaker: undefined,
};

const before = (): Service => service([oldActive({ status: 'PRIMARY' })]);

describe('checkServiceDeployable', () => {
  it('accepts an ACTIVE rolling service, with or without an explicit controller', () => {
    expect(checkServiceDeployable(before())).toEqual([]);
    expect(checkServiceDeployable({ ...before(), deploymentController: undefined })).toEqual([]);
  });
  // Issue 12: a CODE_DEPLOY service is deployed through CodeDeploy (src/codedeploy/), no longer refused.
  it('accepts CODE_DEPLOY (CodeDeploy deploys it) and refuses EXTERNAL, naming the controller and what this action does', () => {
    expect(checkServiceDeployable({ ...before(), deploymentController: { type: 'CODE_DEPLOY' } })).toEqual(
      [],
    );
    expect(() => checkServiceDeployable({ ...before(), deploymentController: { type: 'EXTERNAL' } })).toThrow(
      /uses the EXTERNAL deployment controller\. This action deploys services with the ECS or CODE_DEPLOY deployment controller; an EXTERNAL service is deployed through task sets/,
    );
  });
  it('refuses a service that is not ACTIVE', () => {
    expect(() => checkServiceDeployable({ ...before(), status: 'DRAINING' })).toThrow(
      "Service 'web' is DRAINING and cannot be deployed to.",
    );
  });
  it('refuses desired-count on a DAEMON service', () => {
    expect(() =>
      checkServiceDeployable({ ...before(), schedulingStrategy: 'DAEMON' }, { desiredCount: 3 }),
    ).toThrow(/DAEMON.*remove desired-count/);
    expect(
      checkServiceDeployable({ ...before(), schedulingStrategy: 'DAEMON' }, { desiredCount: undefined }),
    ).toEqual([]);
  });
  // Issue 11: no warning for a staged strategy (the follow stage says it once, as information,
  // naming the strategy the deployment runs with).
  it('does not warn about a non-rolling strategy', () => {
    const s = before();
    s.deploymentConfiguration = {
      ...s.deploymentConfiguration,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
    };
    expect(checkServiceDeployable(s)).toEqual([]);
  });
});

describe('buildUpdateServiceInput', () => {
  it('sends only what was asked for', () => {
    expect(buildUpdateServiceInput(REQUEST, before(), TD_NEW)).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD_NEW,
      forceNewDeployment: false,
    });
  });
  it('maps every deploy input', () => {
    const input = buildUpdateServiceInput(
      {
        ...REQUEST,
        forceNewDeployment: true,
        desiredCount: 0,
        enableEcsManagedTags: false,
        propagateTags: 'SERVICE',
      },
      before(),
      TD_NEW,
    );
    expect(input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD_NEW,
      forceNewDeployment: true,
      desiredCount: 0,
      enableECSManagedTags: false,
      propagateTags: 'SERVICE',
    });
  });
  it('merges the circuit breaker into the service own deployment configuration', () => {
    const s = before();
    s.deploymentConfiguration = {
      maximumPercent: 150,
      minimumHealthyPercent: 50,
      alarms: { alarmNames: ['a'], enable: true, rollback: false },
      deploymentCircuitBreaker: {
        enable: false,
        rollback: false,
        thresholdConfiguration: { type: 'COUNT', value: 4 },
      },
    };
    expect(
      buildUpdateServiceInput({ ...REQUEST, circuitBreaker: 'rollback' }, s, TD_NEW).deploymentConfiguration,
    ).toEqual({
      maximumPercent: 150,
      minimumHealthyPercent: 50,
      alarms: { alarmNames: ['a'], enable: true, rollback: false },
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        thresholdConfiguration: { type: 'COUNT', value: 4 },
      },
    });
    expect(
      buildUpdateServiceInput({ ...REQUEST, circuitBreaker: 'enable' }, s, TD_NEW).deploymentConfiguration
        ?.deploymentCircuitBreaker,
    ).toMatchObject({
      enable: true,
      rollback: false,
    });
    expect(
      buildUpdateServiceInput(
        { ...REQUEST, circuitBreaker: 'disable' },
        { ...s, deploymentConfiguration: undefined },
        TD_NEW,
      ).deploymentConfiguration,
    ).toEqual({ deploymentCircuitBreaker: { enable: false, rollback: false } });
  });
  it('falls back to the described service name', () => {
    expect(buildUpdateServiceInput({ ...REQUEST, service: undefined }, before(), TD_NEW).service).toBe('web');
  });
});

describe('sameTaskDefinition', () => {
  it('compares ARNs and family:revision', () => {
    expect(sameTaskDefinition(TD_NEW, 'web:9')).toBe(true);
    expect(sameTaskDefinition(TD_NEW, TD_OLD)).toBe(false);
    expect(sameTaskDefinition(undefined, TD_NEW)).toBe(false);
  });
});

describe('startDeployment', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => {
    ecs.reset();
  });
  const client = new ECSClient({ region: 'us-east-1' });

  it('finds our new PRIMARY deployment in the UpdateService response', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: service([ours(), oldActive()]) });
    const started = await startDeployment(createEcsPort(client), {
      request: REQUEST,
      before: before(),
      taskDefinitionArn: TD_NEW,
    });
    expect(started).toMatchObject({
      deploymentId: NEW,
      previousPrimaryId: OLD,
      created: true,
      follow: true,
      startedAt: T0,
      taskDefinitionArn: TD_NEW,
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD_NEW,
      forceNewDeployment: false,
    });
  });

  it('sees that no deployment was created when the PRIMARY is the one from before', async () => {
    const same = service([oldActive({ status: 'PRIMARY' })]);
    ecs.on(UpdateServiceCommand).resolves({ service: same });
    const now = new Date('2026-03-01T13:00:00Z');
    const started = await startDeployment(createEcsPort(client), {
      request: REQUEST,
      before: same,
      taskDefinitionArn: TD_OLD,
      now: () => now,
    });
    expect(started).toMatchObject({
      deploymentId: OLD,
      created: false,
      follow: false,
      previousPrimaryId: undefined,
      startedAt: now,
    });
  });

  it('follows an unchanged PRIMARY that is still rolling out (an earlier run)', async () => {
    const rolling = service([ours(), oldActive()]);
    ecs.on(UpdateServiceCommand).resolves({ service: rolling });
    const started = await startDeployment(createEcsPort(client), {
      request: REQUEST,
      before: rolling,
      taskDefinitionArn: TD_NEW,
    });
    expect(started).toMatchObject({ deploymentId: NEW, created: false, follow: true });
  });

  it('refuses to follow a PRIMARY that runs another task definition', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: service([ours({ taskDefinition: TD_OLD })]) });
    await expect(
      startDeployment(createEcsPort(client), {
        request: REQUEST,
        before: before(),
        taskDefinitionArn: TD_NEW,
      }),
    ).rejects.toThrow(/PRIMARY deployment ecs-svc\/8010098638150428715 of 'web' runs web:8, not web:9/);
  });

  it('names the IAM action when UpdateService is denied', async () => {
    ecs.on(UpdateServiceCommand).rejects(
      Object.assign(new Error('User: x is not authorized to perform: ecs:UpdateService'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(
      startDeployment(createEcsPort(client), {
        request: REQUEST,
        before: before(),
        taskDefinitionArn: TD_NEW,
      }),
    ).rejects.toMatchObject({
      iamAction: 'ecs:UpdateService',
      fatal: true,
      message: expect.stringContaining('needs the IAM permission ecs:UpdateService'),
    });
  });
});

describe('findServiceDeploymentArn', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => {
    ecs.reset();
  });
  const client = new ECSClient({ region: 'us-east-1' });

  it('picks the service deployment whose target revision ends with our deployment number', async () => {
    ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: 'arn:other',
          targetServiceRevisionArn: `${REVISION_PREFIX}${OLD.split('/')[1]}`,
        },
        { serviceDeploymentArn: SD_ARN, targetServiceRevisionArn: `${REVISION_PREFIX}${NEW.split('/')[1]}` },
      ],
    });
    expect(
      await findServiceDeploymentArn(createEcsPort(client), {
        cluster: 'prod',
        service: 'web',
        deploymentId: NEW,
        startedAt: T0,
      }),
    ).toBe(SD_ARN);
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      createdAt: { after: new Date(T0.getTime() - 60_000) },
      nextToken: undefined,
    });
  });

  it('falls back to the given ARN when none matches', async () => {
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    expect(
      await findServiceDeploymentArn(createEcsPort(client), {
        cluster: 'prod',
        service: 'web',
        deploymentId: NEW,
        startedAt: T0,
        fallback: 'arn:current',
      }),
    ).toBe('arn:current');
    expect(
      await findServiceDeploymentArn(createEcsPort(client), {
        cluster: 'prod',
        service: 'web',
        deploymentId: NEW,
      }),
    ).toBeUndefined();
  });
});

describe('planServiceUpdate', () => {
  // before(): PRIMARY runs TD_OLD (COMPLETED), desired 2, breaker on with rollback, no managed tags.
  it('is unchanged when the same revision is asked for, no setting changes and the service is steady', () => {
    expect(planServiceUpdate(REQUEST, before(), TD_OLD)).toEqual({ kind: 'unchanged', deploymentId: OLD });
    const same = {
      ...REQUEST,
      desiredCount: 2,
      circuitBreaker: 'rollback' as const,
      propagateTags: 'NONE' as const,
    };
    expect(planServiceUpdate(same, before(), TD_OLD).kind).toBe('unchanged');
    expect(planServiceUpdate({ ...REQUEST, enableEcsManagedTags: false }, before(), TD_OLD).kind).toBe(
      'unchanged',
    );
  });
  it('follows the rollout already under way when our revision is still rolling out', () => {
    const rolling = service([ours({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }), oldActive()]);
    expect(planServiceUpdate(REQUEST, rolling, TD_NEW)).toEqual({
      kind: 'follow-existing',
      deploymentId: NEW,
      createdAt: ours().createdAt,
    });
  });
  it('updates for another revision, a forced deployment, or any setting that differs, naming the settings', () => {
    expect(planServiceUpdate(REQUEST, before(), TD_NEW)).toEqual({ kind: 'update', settings: [] });
    expect(planServiceUpdate({ ...REQUEST, forceNewDeployment: true }, before(), TD_OLD)).toEqual({
      kind: 'update',
      settings: [],
    });
    expect(planServiceUpdate({ ...REQUEST, desiredCount: 3 }, before(), TD_OLD)).toEqual({
      kind: 'update',
      settings: ['desired count 2 → 3'],
    });
  });
});

describe('settingChanges', () => {
  it('names each setting that differs, and only those', () => {
    expect(settingChanges({ ...REQUEST, enableEcsManagedTags: true }, before())).toEqual([
      'ECS managed tags false → true',
    ]);
    expect(settingChanges({ ...REQUEST, propagateTags: 'SERVICE' }, before())).toEqual([
      'propagate tags NONE → SERVICE',
    ]);
    expect(settingChanges({ ...REQUEST, circuitBreaker: 'enable' }, before())).toEqual([
      'circuit breaker on with rollback → on without rollback',
    ]);
    expect(settingChanges({ ...REQUEST, circuitBreaker: 'disable' }, before())).toEqual([
      'circuit breaker on with rollback → off',
    ]);
    expect(settingChanges({ ...REQUEST, desiredCount: 2, circuitBreaker: 'rollback' }, before())).toEqual([]);
  });
});
