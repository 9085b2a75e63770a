// The emulator's CodeDeploy API driven by the SDK's CodeDeployClient and ECSClient on a manual
// clock: an all-at-once ECS blue/green deployment from Created to Succeeded, its ECS target and
// the service's task sets as they change.
import { afterEach, describe, expect, it } from '@jest/globals';
import { DescribeTaskSetsCommand } from '@aws-sdk/client-ecs';

import { START_MS } from '../../emulator/codedeploy/timings.js';
import { startWorld, TD2, type World } from './codedeploy-harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.emu.stop();
  world = undefined;
});

describe('CodeDeploy blue/green for ECS, all at once', () => {
  it('runs the lifecycle in order, shifts traffic, removes the original task set, and succeeds', async () => {
    world = await startWorld();
    const w = world;
    const before = await w.service();
    expect(before.taskSets).toHaveLength(1);
    expect(before.taskSets![0]).toMatchObject({
      status: 'PRIMARY',
      runningCount: 2,
      computedDesiredCount: 2,
    });
    const originalId = before.taskSets![0]!.id!;

    const id = await w.deploy();
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    expect((await w.deployment(id)).status).toBe('Created');
    w.emu.advance(START_MS + 1_000); // past the Created phase
    const running = await w.deployment(id);
    expect(running).toMatchObject({ status: 'InProgress', creator: 'user', computePlatform: 'ECS' });
    const installing = await w.target(id);
    expect(installing.lifecycleEvents!.map((e) => [e.lifecycleEventName, e.status])).toEqual([
      ['BeforeInstall', 'Skipped'],
      ['Install', 'InProgress'],
      ['AfterInstall', 'Pending'],
      ['AllowTestTraffic', 'Pending'],
      ['AfterAllowTestTraffic', 'Pending'],
      ['BeforeAllowTraffic', 'Pending'],
      ['AllowTraffic', 'Pending'],
      ['AfterAllowTraffic', 'Pending'],
    ]);
    expect(installing.taskSetsInfo).toEqual([
      expect.objectContaining({
        identifer: originalId,
        taskSetLabel: 'Blue',
        trafficWeight: 100,
        status: 'PRIMARY',
      }),
      expect.objectContaining({
        taskSetLabel: 'Green',
        trafficWeight: 0,
        status: 'ACTIVE',
        pendingCount: 2,
        runningCount: 0,
      }),
    ]);
    const sets = (await w.ecs.send(new DescribeTaskSetsCommand({ cluster: 'main', service: 'web' })))
      .taskSets!;
    expect(sets.map((s) => [s.status, s.taskDefinition])).toEqual([
      ['PRIMARY', expect.stringMatching(/web:1$/)],
      ['ACTIVE', TD2],
    ]);
    expect(sets[1]!.externalId).toBe(id);

    await w.until(id, ['Succeeded'], 10 * 60_000);
    const done = await w.deployment(id);
    expect(done.completeTime!.getTime()).toBeGreaterThan(done.startTime!.getTime());
    expect(done.deploymentOverview).toMatchObject({ Succeeded: 1, InProgress: 0 });
    const target = await w.target(id);
    expect(target.status).toBe('Succeeded');
    expect(target.lifecycleEvents!.map((e) => e.status)).toEqual([
      'Skipped',
      'Succeeded',
      'Skipped',
      'Succeeded',
      'Skipped',
      'Skipped',
      'Succeeded',
      'Skipped',
    ]);
    const after = await w.service();
    expect(after.taskDefinition).toBe(TD2);
    expect(after.taskSets).toHaveLength(1);
    expect(after.taskSets![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: TD2, runningCount: 2 });
  });
});

describe('the end-to-end seed for a CODE_DEPLOY service', () => {
  it('codeDeploySeed gives the service, its application and group by the official defaults', async () => {
    const { codeDeploySeed } = await import('../e2e/scenarios.js');
    const { startEmulator } = await import('../../emulator/index.js');
    const { CodeDeployClient, GetDeploymentGroupCommand } = await import('@aws-sdk/client-codedeploy');
    const emu = await startEmulator({
      manualClock: true,
      seed: codeDeploySeed({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' }),
    });
    try {
      const cd = new CodeDeployClient({
        endpoint: emu.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      const group = (
        await cd.send(
          new GetDeploymentGroupCommand({
            applicationName: 'AppECS-prod-web',
            deploymentGroupName: 'DgpECS-prod-web',
          }),
        )
      ).deploymentGroupInfo!;
      expect(group).toMatchObject({
        computePlatform: 'ECS',
        deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { waitTimeInMinutes: 0 },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
        },
      });
    } finally {
      await emu.stop();
    }
  });
});
