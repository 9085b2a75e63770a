// CodeDeployPort (src/aws/ports.ts) over the CodeDeploy SDK, imported on first use: only a service
// whose deployment controller is CODE_DEPLOY needs it, and each client adds start-up time. The
// operations are named `codedeploy:<Action>` so an access-denied error names the IAM action.

import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { AwsCallError, awsCall } from './errors.js';
import type { CallOptions, CodeDeployPort, DeploymentGroupRef } from './ports.js';

type Sdk = typeof import('@aws-sdk/client-codedeploy');

function sendOptions(options: CallOptions = {}) {
  return options.signal ? { abortSignal: options.signal } : {};
}

/** Whether an AwsCallError is CodeDeploy saying this named thing does not exist. */
function isMissing(err: unknown, awsName: string): boolean {
  return err instanceof AwsCallError && err.awsName === awsName;
}

/** `client()` gives the CodeDeploy client for the step's region, made on first use. */
export function createCodeDeployPort(client: () => Promise<CodeDeployClient>): CodeDeployPort {
  const sdk = (): Promise<Sdk> => import('@aws-sdk/client-codedeploy');
  return {
    getDeploymentGroup: (ref, options) => getDeploymentGroup(client, ref, options),
    getDeploymentConfig: (name, options) => getDeploymentConfig(client, name, options),
    async createDeployment(input, options) {
      const { CreateDeploymentCommand } = await sdk();
      const cd = await client();
      const out = await awsCall('codedeploy:CreateDeployment', () =>
        cd.send(
          new CreateDeploymentCommand({
            applicationName: input.applicationName,
            deploymentGroupName: input.deploymentGroupName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: input.appSpec },
            ...(input.description ? { description: input.description } : {}),
            ...(input.deploymentConfigName ? { deploymentConfigName: input.deploymentConfigName } : {}),
          }),
          sendOptions(options),
        ),
      );
      if (!out.deploymentId) throw new Error('CreateDeployment returned no deployment id.');
      return out.deploymentId;
    },
    async getDeployment(deploymentId, options) {
      const { GetDeploymentCommand } = await sdk();
      const cd = await client();
      const out = await awsCall('codedeploy:GetDeployment', () =>
        cd.send(new GetDeploymentCommand({ deploymentId }), sendOptions(options)),
      );
      return out.deploymentInfo ?? { deploymentId };
    },
    async getEcsTarget(query, options) {
      const { GetDeploymentTargetCommand } = await sdk();
      const cd = await client();
      try {
        const out = await awsCall('codedeploy:GetDeploymentTarget', () =>
          cd.send(new GetDeploymentTargetCommand(query), sendOptions(options)),
        );
        return out.deploymentTarget?.ecsTarget;
      } catch (err) {
        // A target appears once CodeDeploy has started on it; until then it is simply not there.
        // While the deployment is Created or Queued CodeDeploy says DeploymentNotStartedException
        // (docs/ecs-behaviour.md, "Statuses and lifecycle events"): not yet, as well.
        if (isMissing(err, 'DeploymentTargetDoesNotExistException')) return undefined;
        if (isMissing(err, 'DeploymentNotStartedException')) return undefined;
        throw err;
      }
    },
    listActiveDeployments: (ref, options) => listActiveDeployments(client, ref, options),
    async stopDeployment(query, options) {
      const { StopDeploymentCommand } = await sdk();
      const cd = await client();
      const out = await awsCall('codedeploy:StopDeployment', () =>
        cd.send(new StopDeploymentCommand(query), sendOptions(options)),
      );
      return { status: out.status, statusMessage: out.statusMessage };
    },
  };
}

type Client = () => Promise<CodeDeployClient>;

async function getDeploymentGroup(
  client: Client,
  ref: DeploymentGroupRef,
  options?: CallOptions,
): ReturnType<CodeDeployPort['getDeploymentGroup']> {
  const { GetDeploymentGroupCommand } = await import('@aws-sdk/client-codedeploy');
  const cd = await client();
  try {
    const out = await awsCall('codedeploy:GetDeploymentGroup', () =>
      cd.send(new GetDeploymentGroupCommand(ref), sendOptions(options)),
    );
    return { group: out.deploymentGroupInfo ?? {} };
  } catch (err) {
    if (isMissing(err, 'ApplicationDoesNotExistException')) return { missing: 'application' };
    if (isMissing(err, 'DeploymentGroupDoesNotExistException')) return { missing: 'deployment-group' };
    throw err;
  }
}

async function getDeploymentConfig(
  client: Client,
  name: string,
  options?: CallOptions,
): ReturnType<CodeDeployPort['getDeploymentConfig']> {
  const { GetDeploymentConfigCommand } = await import('@aws-sdk/client-codedeploy');
  const cd = await client();
  try {
    const out = await awsCall('codedeploy:GetDeploymentConfig', () =>
      cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }), sendOptions(options)),
    );
    return out.deploymentConfigInfo ?? {};
  } catch (err) {
    if (isMissing(err, 'DeploymentConfigDoesNotExistException')) return undefined;
    throw err;
  }
}

/** The statuses of a deployment that has not ended: CodeDeploy allows one such per group. */
export const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'] as const;

async function listActiveDeployments(
  client: Client,
  ref: DeploymentGroupRef,
  options?: CallOptions,
): Promise<string[]> {
  const { ListDeploymentsCommand } = await import('@aws-sdk/client-codedeploy');
  const cd = await client();
  // One page is enough: a group has at most one active deployment.
  const out = await awsCall('codedeploy:ListDeployments', () =>
    cd.send(
      new ListDeploymentsCommand({ ...ref, includeOnlyStatuses: [...ACTIVE_STATUSES] }),
      sendOptions(options),
    ),
  );
  return out.deployments ?? [];
}
