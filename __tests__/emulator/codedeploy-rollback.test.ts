// Failures of the emulator's CodeDeploy ECS deployments: a hook whose function name contains
// `fail`, a `firing` alarm, StopDeployment with rollback, and the refusals of CreateDeployment
// (missing application, group or configuration, a bad appspec) that write nothing.
import { afterEach, describe, expect, it } from '@jest/globals';
import { CreateDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';

import { START_MS } from '../../emulator/codedeploy/timings.js';
import { mutatingCalls } from '../../emulator/index.js';
import { APP, appSpec, GROUP, startWorld, TD2, type World } from './codedeploy-harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.emu.stop();
  world = undefined;
});

const ROLLBACK_ON_ALL = {
  autoRollbackConfiguration: {
    enabled: true,
    events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
  },
};
const TD1 = /task-definition\/web:1$/;

async function expectRolledBack(w: World, id: string): Promise<string> {
  const failed = await w.deployment(id);
  const rollbackId = failed.rollbackInfo!.rollbackDeploymentId!;
  expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
  const rb = await w.deployment(rollbackId);
  expect(rb).toMatchObject({
    creator: 'codeDeployRollback',
    rollbackInfo: { rollbackTriggeringDeploymentId: id },
  });
  await w.until(rollbackId, ['Succeeded'], 5 * 60_000);
  const svc = await w.service();
  expect(svc.taskDefinition).toMatch(TD1);
  expect(svc.taskSets!.map((s) => [s.status, s.taskDefinition])).toEqual([
    ['PRIMARY', expect.stringMatching(TD1)],
  ]);
  return rollbackId;
}

describe('CodeDeploy failures and rollback', () => {
  it('a hook whose function contains "fail" fails its event and the deployment, which rolls back', async () => {
    world = await startWorld(ROLLBACK_ON_ALL);
    const w = world;
    const id = await w.deploy({
      hooks: { AfterAllowTestTraffic: 'smoke-test-fail', BeforeInstall: 'prepare' },
    });
    await w.until(id, ['Failed'], 10 * 60_000);
    const info = await w.deployment(id);
    expect(info.errorInformation).toEqual({
      code: 'HOOK_EXECUTION_FAILURE',
      message: expect.stringContaining('AfterAllowTestTraffic lifecycle event hook smoke-test-fail'),
    });
    const events = (await w.target(id)).lifecycleEvents!;
    expect(events.find((e) => e.lifecycleEventName === 'BeforeInstall')!.status).toBe('Succeeded');
    const failed = events.find((e) => e.lifecycleEventName === 'AfterAllowTestTraffic')!;
    expect(failed).toMatchObject({ status: 'Failed', diagnostics: { scriptName: 'smoke-test-fail' } });
    expect(events.find((e) => e.lifecycleEventName === 'AllowTraffic')!.status).toBe('Skipped');
    await expectRolledBack(w, id);
  });

  it('a "slow" hook takes five minutes; a failing hook without rollback leaves no rollback', async () => {
    world = await startWorld();
    const w = world;
    const id = await w.deploy({
      hooks: {
        BeforeInstall: 'arn:aws:lambda:us-east-1:123456789012:function:warm-slow',
        AfterInstall: 'check-fail',
      },
    });
    w.emu.advance(START_MS + 1_000); // past the Created phase
    const ev = (await w.target(id)).lifecycleEvents![0]!;
    expect(ev).toMatchObject({ lifecycleEventName: 'BeforeInstall', status: 'InProgress' });
    w.emu.advance(5 * 60_000 - 1_000);
    expect((await w.target(id)).lifecycleEvents![0]!.status).toBe('Succeeded');
    await w.until(id, ['Failed'], 10 * 60_000);
    expect((await w.deployment(id)).rollbackInfo).toBeUndefined();
  });

  it('an alarm named "firing" stops the deployment a minute in and rolls it back', async () => {
    world = await startWorld({
      ...ROLLBACK_ON_ALL,
      deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      alarmConfiguration: { enabled: true, alarms: [{ name: 'web-5xx-firing' }, { name: 'web-latency' }] },
    });
    const w = world;
    const id = await w.deploy();
    const took = await w.until(id, ['Stopped'], 10 * 60_000);
    expect(took).toBeGreaterThanOrEqual(60_000);
    expect(took).toBeLessThanOrEqual(61_000);
    const info = await w.deployment(id);
    expect(info.errorInformation!.code).toBe('ALARM_ACTIVE');
    expect(info.errorInformation!.message).toContain('web-5xx-firing');
    expect(info.errorInformation!.message).not.toContain('web-latency');
    await expectRolledBack(w, id);
  });

  it("an alarm is ignored while the group's alarm configuration is disabled", async () => {
    world = await startWorld({ alarmConfiguration: { enabled: false, alarms: [{ name: 'web-firing' }] } });
    const id = await world.deploy();
    await world.until(id, ['Succeeded', 'Stopped'], 10 * 60_000);
    expect((await world.deployment(id)).status).toBe('Succeeded');
  });

  it('StopDeployment with autoRollbackEnabled stops and rolls back, even after the traffic moved', async () => {
    world = await startWorld({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 30 },
      },
    });
    const w = world;
    const id = await w.deploy();
    w.emu.advance(5 * 60_000);
    expect((await w.service()).taskDefinition).toBe(TD2);
    const stop = await w.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    expect(stop.status).toBe('Succeeded');
    const info = await w.deployment(id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    await expectRolledBack(w, id);
    await expect(w.cd.send(new StopDeploymentCommand({ deploymentId: id }))).rejects.toMatchObject({
      name: 'DeploymentAlreadyCompletedException',
    });
  });

  it('StopDeployment without rollback leaves ECS as it is', async () => {
    world = await startWorld();
    const id = await world.deploy();
    world.emu.advance(10_000);
    await world.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    expect((await world.deployment(id)).rollbackInfo).toBeUndefined();
    expect((await world.service()).taskSets).toHaveLength(2);
  });

  it('a replacement whose image fails to start fails Install with ECS_UPDATE_ERROR after the timeout', async () => {
    world = await startWorld(ROLLBACK_ON_ALL, 'pull-error');
    const id = await world.deploy();
    const took = await world.until(id, ['Failed'], 2 * 60 * 60_000, 60_000);
    expect(took).toBeGreaterThanOrEqual(60 * 60_000);
    expect((await world.deployment(id)).errorInformation!.code).toBe('ECS_UPDATE_ERROR');
    await expectRolledBack(world, id);
  });

  it("a container name or port not in the task definition fails Install with ECS's message", async () => {
    world = await startWorld();
    const id = await world.deploy({ appspec: appSpec({ port: 80 }) });
    await world.until(id, ['Failed'], 60_000);
    expect((await world.deployment(id)).errorInformation).toEqual({
      code: 'ECS_UPDATE_ERROR',
      message: expect.stringContaining('The container web did not have a container port 80 defined.'),
    });
  });
});

describe('CreateDeployment refusals', () => {
  const send = (w: World, input: Record<string, unknown>) =>
    w.cd.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec() } },
        ...input,
      }),
    );

  it.each([
    [
      { applicationName: 'AppECS-main-nope' },
      'ApplicationDoesNotExistException',
      'No application found for name: AppECS-main-nope',
    ],
    [
      { deploymentGroupName: 'DgpECS-main-nope' },
      'DeploymentGroupDoesNotExistException',
      'No Deployment Group found for name: DgpECS-main-nope',
    ],
    [
      { deploymentConfigName: 'CodeDeployDefault.Nope' },
      'DeploymentConfigDoesNotExistException',
      'No deployment configuration found for name: CodeDeployDefault.Nope',
    ],
    [
      { revision: { revisionType: 'AppSpecContent', appSpecContent: { content: 'Resources: [' } } },
      'InvalidRevisionException',
      'The AppSpec file cannot be parsed',
    ],
    [
      {
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: appSpec({ taskDefinition: 'web:2' }) },
        },
      },
      'InvalidRevisionException',
      'TaskDefinition must be a task definition ARN',
    ],
    [
      {
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: {
            content: JSON.stringify({
              Resources: [{ T: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: TD2 } } }],
            }),
          },
        },
      },
      'InvalidRevisionException',
      'LoadBalancerInfo is required',
    ],
    [
      {
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: appSpec({ hooks: { AfterInstall: 'not a function!' } }) },
        },
      },
      'InvalidRevisionException',
      'must be a Lambda function name or ARN',
    ],
    [
      {
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: appSpec({ hooks: { Install: 'fn' } }) },
        },
      },
      'InvalidRevisionException',
      'Install is not a lifecycle event',
    ],
    [
      { revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(), sha256: '00' } } },
      'InvalidRevisionException',
      'sha256',
    ],
  ])('%j is refused with %s and nothing is written', async (input, name, message) => {
    world = await startWorld();
    await expect(send(world, input)).rejects.toMatchObject({
      name,
      message: expect.stringContaining(message),
    });
    expect(mutatingCalls(world.emu.requests).filter((r) => r.error === undefined)).toEqual([]);
    expect((await world.service()).taskSets).toHaveLength(1);
  });

  it('accepts the same appspec as YAML, and a second deployment while one runs is refused', async () => {
    world = await startWorld();
    const yaml = [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      `        TaskDefinition: "${TD2}"`,
      '        LoadBalancerInfo:',
      '          ContainerName: "web"',
      '          ContainerPort: 8080',
    ].join('\n');
    const id = await world.deploy({ appspec: yaml });
    await expect(send(world, {})).rejects.toMatchObject({
      name: 'DeploymentLimitExceededException',
      message: `The Deployment Group '${GROUP}' already has an active Deployment '${id}'`,
    });
  });
});
