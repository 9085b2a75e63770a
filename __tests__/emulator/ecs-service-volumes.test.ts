// UpdateService's volumeConfigurations in the ECS model (docs/ecs-behaviour.md, "Service-managed
// EBS volumes"): checked against the task definition, a change starts a deployment, an absent
// list keeps the service's, and each deployment shows the configuration it was created with.
import { describe, expect, it } from '@jest/globals';

import { harness, webTaskDefinition } from './ecs-harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/ebs-role';
const EBS = { volumes: [{ name: 'ebs1', configuredAtLaunch: true }, { name: 'scratch' }] };
const volume = (sizeInGiB: number, name = 'ebs1') => [
  { name, managedEBSVolume: { sizeInGiB, roleArn: ROLE } },
];

describe('UpdateService volumeConfigurations', () => {
  it('is shown on the deployment it started, and kept by a later update that does not send it', () => {
    const h = harness();
    const first = h.deploy('v2', { volumeConfigurations: volume(30) }, EBS);
    expect(first.deployments![0]).toMatchObject({ status: 'PRIMARY', volumeConfigurations: volume(30) });
    const second = h.deploy('v3', {}, EBS);
    expect(second.deployments![0]).toMatchObject({ status: 'PRIMARY', volumeConfigurations: volume(30) });
  });

  it('a changed configuration alone starts a deployment; the same one does not', () => {
    const h = harness();
    const first = h.deploy('v2', { volumeConfigurations: volume(30) }, EBS);
    const arn = first.taskDefinition;
    const same = h.call('UpdateService', {
      cluster: 'main',
      service: 'web',
      taskDefinition: arn,
      volumeConfigurations: volume(30),
    }).service;
    expect(same.deployments[0].id).toBe(first.deployments![0].id);
    const changed = h.call('UpdateService', {
      cluster: 'main',
      service: 'web',
      taskDefinition: arn,
      volumeConfigurations: volume(50),
    }).service;
    expect(changed.deployments[0].id).not.toBe(first.deployments![0].id);
    expect(changed.deployments[0].volumeConfigurations).toEqual(volume(50));
  });

  it('refuses a volume that is not configured at launch, and one without a role, before changing anything', () => {
    const h = harness();
    const td = h.call('RegisterTaskDefinition', webTaskDefinition('v2', EBS)).taskDefinition;
    const update = (volumeConfigurations: unknown) =>
      h.error('UpdateService', {
        cluster: 'main',
        service: 'web',
        taskDefinition: td.taskDefinitionArn,
        volumeConfigurations,
      });
    const notAtLaunch = update(volume(30, 'scratch'));
    expect([notAtLaunch.type, notAtLaunch.message]).toEqual([
      'InvalidParameterException',
      'The volume scratch is not a volume of the task definition with configuredAtLaunch set to true.',
    ]);
    expect(update([{ name: 'ebs1', managedEBSVolume: { sizeInGiB: 30 } }]).message).toBe(
      'managedEBSVolume.roleArn should not be null or empty.',
    );
    expect(h.service().taskDefinition).toMatch(/web:1$/);
  });
});
