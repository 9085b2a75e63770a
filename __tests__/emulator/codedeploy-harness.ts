// A CodeDeploy world for the emulator's CodeDeploy tests: an emulator on a manual clock with a
// CODE_DEPLOY service `web` in cluster `main` on web:1, its application and deployment group by the
// official defaults, and the SDK's CodeDeployClient and ECSClient pointed at it.
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';

import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ACCOUNT, NETWORK, T0, webTaskDefinition } from './ecs-harness.js';

export const APP = 'AppECS-main-web';
export const GROUP = 'DgpECS-main-web';
export const TD2 = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:2`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface World {
  emu: Emulator;
  cd: CodeDeployClient;
  ecs: ECSClient;
  deployment(id: string): Promise<DeploymentInfo>;
  target(id: string): Promise<ECSTarget>;
  service(): Promise<Service>;
  deploy(extra?: {
    appspec?: string;
    hooks?: Record<string, string>;
    config?: string;
    description?: string;
  }): Promise<string>;
  /** Advance in `stepMs` steps until the deployment's status is one of `statuses`; returns the time taken. */
  until(id: string, statuses: string[], maxMs?: number, stepMs?: number): Promise<number>;
}

export function appSpec(
  opts: { taskDefinition?: string; container?: string; port?: number; hooks?: Record<string, string> } = {},
): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: opts.taskDefinition ?? TD2,
            LoadBalancerInfo: { ContainerName: opts.container ?? 'web', ContainerPort: opts.port ?? 8080 },
          },
        },
      },
    ],
    ...(opts.hooks ? { Hooks: Object.entries(opts.hooks).map(([k, v]) => ({ [k]: v })) } : {}),
  });
}

export async function startWorld(group: Record<string, unknown> = {}, tag2 = 'v2'): Promise<World> {
  const emu = await startEmulator({
    manualClock: true,
    startTime: T0,
    seed: {
      clusters: [{ name: 'main' }],
      taskDefinitions: [webTaskDefinition('v1'), webTaskDefinition(tag2)],
      services: [
        {
          cluster: 'main',
          serviceName: 'web',
          taskDefinition: 'web:1',
          desiredCount: 2,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
          deploymentController: { type: 'CODE_DEPLOY' },
        },
      ],
      deploymentGroups: [
        {
          applicationName: APP,
          deploymentGroupName: GROUP,
          ecsServices: [{ clusterName: 'main', serviceName: 'web' }],
          ...group,
        },
      ],
    },
  });
  const config = { endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const cd = new CodeDeployClient(config);
  const ecs = new ECSClient(config);
  const world: World = {
    emu,
    cd,
    ecs,
    deployment: async (id) => (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!,
    target: async (id) =>
      (await cd.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'main:web' })))
        .deploymentTarget!.ecsTarget!,
    service: async () =>
      (await ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))).services![0]!,
    deploy: async (extra = {}) =>
      (
        await cd.send(
          new CreateDeploymentCommand({
            applicationName: APP,
            deploymentGroupName: GROUP,
            revision: {
              revisionType: 'AppSpecContent',
              appSpecContent: { content: extra.appspec ?? appSpec({ hooks: extra.hooks }) },
            },
            ...(extra.config ? { deploymentConfigName: extra.config } : {}),
            ...(extra.description ? { description: extra.description } : {}),
          }),
        )
      ).deploymentId!,
    until: async (id, statuses, maxMs = 3 * 60 * 60_000, stepMs = 1_000) => {
      for (let t = 0; t <= maxMs; t += stepMs) {
        if (statuses.includes((await world.deployment(id)).status!)) return t;
        emu.advance(stepMs);
      }
      throw new Error(`deployment ${id} never reached ${statuses.join('/')}`);
    },
  };
  return world;
}
