// The CodeDeploy port over the SDK (src/aws/codedeploy.ts): the requests it sends, "does not
// exist" as an answer, and every other failure as an AwsCallError naming the IAM action.
import { describe, expect, it } from '@jest/globals';
import {
  ApplicationDoesNotExistException,
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentNotStartedException,
  DeploymentTargetDoesNotExistException,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { createCodeDeployPort } from '../../src/aws/codedeploy.js';
import { AwsCallError } from '../../src/aws/errors.js';

function setup() {
  const client = new CodeDeployClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(client);
  return { mock, port: createCodeDeployPort(async () => client) };
}
const ref = { applicationName: 'AppECS-prod-web', deploymentGroupName: 'DgpECS-prod-web' };
const meta = { $metadata: {} };

describe('CodeDeploy port', () => {
  it('CreateDeployment sends the AppSpec as AppSpecContent, and description and config only when given', async () => {
    const { mock, port } = setup();
    mock.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-1' });
    const appSpec = { content: '{}', sha256: 'abc' };
    expect(await port.createDeployment({ ...ref, appSpec })).toBe('d-1');
    await port.createDeployment({
      ...ref,
      appSpec,
      description: 'why',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
    const inputs = mock.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      ...ref,
      revision: { revisionType: 'AppSpecContent', appSpecContent: appSpec },
    });
    expect(inputs[1]).toMatchObject({
      description: 'why',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
  });

  it('a missing application, group, configuration or target is an answer', async () => {
    const { mock, port } = setup();
    mock
      .on(GetDeploymentGroupCommand)
      .rejects(new ApplicationDoesNotExistException({ message: 'no app', ...meta }));
    expect(await port.getDeploymentGroup(ref)).toEqual({ missing: 'application' });
    mock
      .on(GetDeploymentGroupCommand)
      .rejects(new DeploymentGroupDoesNotExistException({ message: 'no group', ...meta }));
    expect(await port.getDeploymentGroup(ref)).toEqual({ missing: 'deployment-group' });
    mock
      .on(GetDeploymentConfigCommand)
      .rejects(new DeploymentConfigDoesNotExistException({ message: 'no', ...meta }));
    expect(await port.getDeploymentConfig('x')).toBeUndefined();
    mock
      .on(GetDeploymentTargetCommand)
      .rejects(new DeploymentTargetDoesNotExistException({ message: 'no', ...meta }));
    expect(await port.getEcsTarget({ deploymentId: 'd-1', targetId: 'prod:web' })).toBeUndefined();
  });

  it('a deployment not started yet (Created or Queued) has no target yet', async () => {
    const { mock, port } = setup();
    mock
      .on(GetDeploymentTargetCommand)
      .rejects(new DeploymentNotStartedException({ message: 'not started', ...meta }));
    expect(await port.getEcsTarget({ deploymentId: 'd-1', targetId: 'prod:web' })).toBeUndefined();
  });

  it("the group's active deployments: ListDeployments with the statuses of a deployment not ended", async () => {
    const { mock, port } = setup();
    mock.on(ListDeploymentsCommand).resolves({ deployments: ['d-ACTIVE001'] });
    expect(await port.listActiveDeployments(ref)).toEqual(['d-ACTIVE001']);
    expect(mock.commandCalls(ListDeploymentsCommand)[0].args[0].input).toEqual({
      ...ref,
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
    });
  });

  it('access denied names the codedeploy IAM action', async () => {
    const { mock, port } = setup();
    const denied = Object.assign(new Error('not allowed'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    mock.on(StopDeploymentCommand).rejects(denied);
    const err = await port
      .stopDeployment({ deploymentId: 'd-1', autoRollbackEnabled: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as AwsCallError).iamAction).toBe('codedeploy:StopDeployment');
    expect((err as AwsCallError).message).toContain('StopDeployment was denied');
  });
});
