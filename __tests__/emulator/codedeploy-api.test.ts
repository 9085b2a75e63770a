// Applications and deployment groups created through the emulator's CodeDeploy API (not seeded),
// with CodeDeploy's checks for an ECS group, then a deployment through them.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  type CreateDeploymentGroupCommandInput,
} from '@aws-sdk/client-codedeploy';

import { startEmulator, type Emulator } from '../../emulator/index.js';
import { appSpec } from './codedeploy-harness.js';
import { ACCOUNT, NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

const service = (name: string, type: string) => ({
  cluster: 'main',
  serviceName: name,
  taskDefinition: 'web:1',
  desiredCount: 1,
  launchType: 'FARGATE',
  networkConfiguration: NETWORK,
  deploymentController: { type },
});

async function start(): Promise<CodeDeployClient> {
  emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }],
      taskDefinitions: [webTaskDefinition('v1'), webTaskDefinition('v2')],
      services: [service('web', 'CODE_DEPLOY'), service('rolling', 'ECS')],
    },
  });
  return new CodeDeployClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

const group = (
  changes: Partial<CreateDeploymentGroupCommandInput> = {},
): CreateDeploymentGroupCommandInput => ({
  applicationName: 'shop',
  deploymentGroupName: 'shop-web',
  serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/codedeploy`,
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  ecsServices: [{ clusterName: 'main', serviceName: 'web' }],
  loadBalancerInfo: {
    targetGroupPairInfoList: [
      {
        targetGroups: [{ name: 'web-a' }, { name: 'web-b' }],
        prodTrafficRoute: {
          listenerArns: [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/shop/1/2`],
        },
      },
    ],
  },
  ...changes,
});

describe('CodeDeploy applications and groups through the API', () => {
  it('creates an ECS application, a group and a custom config, then deploys through them', async () => {
    const cd = await start();
    const { applicationId } = await cd.send(
      new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }),
    );
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await cd.send(new GetApplicationCommand({ applicationName: 'shop' }))).application).toMatchObject(
      {
        applicationName: 'shop',
        computePlatform: 'ECS',
      },
    );
    await cd.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'Canary25Percent2Minutes',
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 },
        },
      }),
    );
    await cd.send(
      new CreateDeploymentGroupCommand(group({ deploymentConfigName: 'Canary25Percent2Minutes' })),
    );
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: 'shop',
        deploymentGroupName: 'shop-web',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec() } },
      }),
    );
    expect((await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds).toEqual([
      'main:web',
    ]);
    emu!.advance(10 * 60_000);
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    expect(info).toMatchObject({ status: 'Succeeded', deploymentConfigName: 'Canary25Percent2Minutes' });
  });

  it.each([
    ['a missing application', { applicationName: 'nope' }, 'ApplicationDoesNotExistException'],
    ['no role', { serviceRoleArn: undefined }, 'RoleRequiredException'],
    [
      'an ECS-controller service',
      { ecsServices: [{ clusterName: 'main', serviceName: 'rolling' }] },
      'InvalidECSServiceException',
    ],
    [
      'a missing service',
      { ecsServices: [{ clusterName: 'main', serviceName: 'ghost' }] },
      'InvalidECSServiceException',
    ],
    ['no target groups', { loadBalancerInfo: {} }, 'InvalidLoadBalancerInfoException'],
    [
      'in-place style',
      { deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' } },
      'InvalidDeploymentStyleException',
    ],
    ['an unknown config', { deploymentConfigName: 'Nope' }, 'DeploymentConfigDoesNotExistException'],
  ] as const)('refuses a group with %s', async (_what, changes, name) => {
    const cd = await start();
    await cd.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }));
    await expect(
      cd.send(new CreateDeploymentGroupCommand(group(changes as Partial<CreateDeploymentGroupCommandInput>))),
    ).rejects.toMatchObject({ name });
  });

  it('refuses a second application or group of the same name', async () => {
    const cd = await start();
    await cd.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }));
    await expect(
      cd.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' })),
    ).rejects.toMatchObject({
      name: 'ApplicationAlreadyExistsException',
    });
    await cd.send(new CreateDeploymentGroupCommand(group()));
    await expect(cd.send(new CreateDeploymentGroupCommand(group()))).rejects.toMatchObject({
      name: 'DeploymentGroupAlreadyExistsException',
    });
  });
});
