// Traffic shifting of the emulator's CodeDeploy ECS deployments on a manual clock: canary and
// linear configurations move the replacement's weight at their intervals, the ready wait holds the
// deployment in Ready, and the termination wait keeps the original task set until it ends.
import { afterEach, describe, expect, it } from '@jest/globals';
import { ContinueDeploymentCommand, GetDeploymentConfigCommand } from '@aws-sdk/client-codedeploy';

import { START_MS } from '../../emulator/codedeploy/timings.js';
import { startWorld, type World } from './codedeploy-harness.js';

let world: World | undefined;
afterEach(async () => {
  await world?.emu.stop();
  world = undefined;
});

/** The replacement's traffic weight each simulated minute, from AllowTraffic's start. */
async function weights(w: World, id: string, minutes: number): Promise<number[]> {
  // Past the Created phase (no target yet), then until AllowTraffic is under way.
  w.emu.advance(START_MS);
  for (let i = 0; i < 600; i++) {
    const ev = (await w.target(id)).lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!;
    if (ev.status === 'InProgress') break;
    w.emu.advance(1_000);
  }
  const seen: number[] = [];
  for (let m = 0; m <= minutes; m++) {
    const green = (await w.target(id)).taskSetsInfo!.find((s) => s.taskSetLabel === 'Green');
    seen.push(green?.trafficWeight ?? -1);
    w.emu.advance(60_000);
  }
  return seen;
}

describe('CodeDeploy traffic shifting', () => {
  it('describes the predefined ECS configurations', async () => {
    world = await startWorld();
    const info = (
      await world.cd.send(
        new GetDeploymentConfigCommand({
          deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        }),
      )
    ).deploymentConfigInfo!;
    expect(info).toMatchObject({
      computePlatform: 'ECS',
      trafficRoutingConfig: {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
      },
    });
  });

  it('canary 10 % for 5 minutes, then all', async () => {
    world = await startWorld();
    const id = await world.deploy({ config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
    expect(await weights(world, id, 6)).toEqual([10, 10, 10, 10, 10, 100, 100]);
    expect((await world.deployment(id)).status).toBe('Succeeded');
  });

  it('linear 10 % every 3 minutes reaches 100 % after 27 minutes', async () => {
    world = await startWorld({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' });
    const id = await world.deploy();
    const seen = await weights(world, id, 28);
    expect(seen.filter((_, m) => m % 3 === 0)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(seen[26]).toBe(90);
    expect((await world.deployment(id)).status).toBe('Succeeded');
  });

  // waitTimeInMinutes applies only to STOP_DEPLOYMENT (the tests below): with CONTINUE_DEPLOYMENT
  // traffic is rerouted at once, so the deployment never waits in Ready.
  it('with CONTINUE_DEPLOYMENT it does not wait in Ready, and keeps the original task set for the termination wait', async () => {
    world = await startWorld({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 10 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 30 },
      },
    });
    const w = world;
    const id = await w.deploy();
    const seen = new Set<string>();
    let toTermination = 0;
    for (; toTermination <= 10 * 60_000; toTermination += 10_000) {
      const info = await w.deployment(id);
      seen.add(info.status!);
      if (info.instanceTerminationWaitTimeStarted) break;
      w.emu.advance(10_000);
    }
    expect(seen.has('Ready')).toBe(false);
    // All at once, no ready wait: the traffic moved within the lifecycle's own few minutes.
    expect(toTermination).toBeLessThan(10 * 60_000);
    // Traffic is all on the replacement, the original waits out the termination wait.
    expect(await w.deployment(id)).toMatchObject({
      status: 'InProgress',
      instanceTerminationWaitTimeStarted: true,
    });
    expect((await w.service()).taskSets).toHaveLength(2);
    const rest = await w.until(id, ['Succeeded'], 40 * 60_000, 10_000);
    expect(rest).toBeGreaterThanOrEqual(29 * 60_000);
    expect(rest).toBeLessThanOrEqual(30 * 60_000);
    expect((await w.service()).taskSets).toHaveLength(1);
  });

  it('with STOP_DEPLOYMENT it waits in Ready until ContinueDeployment, for at most the ready wait', async () => {
    world = await startWorld({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 10 },
      },
    });
    const w = world;
    const id = await w.deploy();
    await w.until(id, ['Ready'], 10 * 60_000);
    expect((await w.target(id)).status).toBe('Ready');
    w.emu.advance(9 * 60_000);
    expect((await w.deployment(id)).status).toBe('Ready');
    await w.cd.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
    // Rerouted at once; with no termination wait it may be over already.
    await w.until(id, ['Succeeded'], 10 * 60_000, 10_000);
  });

  it('ContinueDeployment ends the ready wait and the termination wait early', async () => {
    world = await startWorld({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 60 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
      },
    });
    const w = world;
    const id = await w.deploy();
    await w.until(id, ['Ready'], 10 * 60_000);
    await w.cd.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }));
    expect((await w.deployment(id)).status).toBe('InProgress');
    w.emu.advance(60_000);
    expect((await w.deployment(id)).instanceTerminationWaitTimeStarted).toBe(true);
    await w.cd.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }),
    );
    expect((await w.deployment(id)).status).toBe('Succeeded');
  });

  it('a STOP_DEPLOYMENT ready wait that runs out stops the deployment', async () => {
    world = await startWorld({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 5 },
      },
    });
    const id = await world.deploy();
    await world.until(id, ['Stopped'], 20 * 60_000, 10_000);
    expect((await world.deployment(id)).errorInformation).toMatchObject({ code: 'TIMEOUT' });
  });
});
