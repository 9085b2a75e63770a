// The emulator's CodeDeploy answers that the deploy action's follower and checks rely on: no
// target before a deployment starts (DeploymentNotStartedException), the error for a description
// that is too long, ListDeployments filtered by status (and refused for a group without its
// application), and a failed deployment's target showing
// the traffic as its rollback left it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';

import { START_MS } from '../../emulator/codedeploy/timings.js';
import { APP, GROUP, startWorld, type World } from './codedeploy-harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.emu.stop();
  world = undefined;
});

const ACTIVE = ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'] as const;

describe('CodeDeploy deployment states in the emulator', () => {
  it('GetDeploymentTarget says DeploymentNotStartedException while the deployment is Created', async () => {
    world = await startWorld();
    const w = world;
    const id = await w.deploy();
    expect((await w.deployment(id)).status).toBe('Created');
    await expect(w.target(id)).rejects.toMatchObject({ name: 'DeploymentNotStartedException' });
    w.emu.advance(START_MS);
    expect((await w.deployment(id)).status).toBe('InProgress');
    expect((await w.target(id)).targetId).toBe('main:web');
  });

  it('a description over 512 characters is DescriptionTooLongException, and nothing is created', async () => {
    world = await startWorld();
    await expect(world.deploy({ description: 'x'.repeat(513) })).rejects.toMatchObject({
      name: 'DescriptionTooLongException',
    });
    const all = await world.cd.send(
      new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP }),
    );
    expect(all.deployments).toEqual([]);
    expect(await world.deploy({ description: 'x'.repeat(512) })).toMatch(/^d-/);
  });

  it('ListDeployments with includeOnlyStatuses lists the active deployment until it ends', async () => {
    world = await startWorld();
    const w = world;
    const active = () =>
      w.cd.send(
        new ListDeploymentsCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          includeOnlyStatuses: [...ACTIVE],
        }),
      );
    const id = await w.deploy();
    expect((await active()).deployments).toEqual([id]);
    await w.until(id, ['Succeeded'], 60 * 60_000, 10_000);
    expect((await active()).deployments).toEqual([]);
    const all = await w.cd.send(
      new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP }),
    );
    expect(all.deployments).toEqual([id]);
  });

  it('ListDeployments takes a group only with its application, and an application only with a group, as CodeDeploy does', async () => {
    world = await startWorld();
    const w = world;
    await expect(w.cd.send(new ListDeploymentsCommand({ deploymentGroupName: GROUP }))).rejects.toMatchObject(
      {
        name: 'ApplicationNameRequiredException',
      },
    );
    await expect(w.cd.send(new ListDeploymentsCommand({ applicationName: APP }))).rejects.toMatchObject({
      name: 'DeploymentGroupNameRequiredException',
    });
    const id = await w.deploy();
    expect((await w.cd.send(new ListDeploymentsCommand({}))).deployments).toEqual([id]);
  });

  it("a failed deployment's target shows the traffic as the rollback left it", async () => {
    world = await startWorld({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' });
    const w = world;
    const id = await w.deploy();
    let green = 0;
    for (let t = 0; t < 30 * 60_000 && green < 20; t += 10_000) {
      w.emu.advance(10_000);
      const sets = (await w.target(id)).taskSetsInfo ?? [];
      green = sets.find((s) => s.taskSetLabel === 'Green')?.trafficWeight ?? 0;
    }
    expect(green).toBeGreaterThanOrEqual(20);
    await w.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    const rollbackId = (await w.deployment(id)).rollbackInfo!.rollbackDeploymentId!;
    await w.until(rollbackId, ['Succeeded'], 5 * 60_000);
    const sets = (await w.target(id)).taskSetsInfo!;
    expect(sets.map((s) => [s.taskSetLabel, s.trafficWeight])).toEqual([['Blue', 100]]);
  });
});
