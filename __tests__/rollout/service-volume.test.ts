// The service's managed EBS volume: sent only when given, checked against the task definition
// before any write (each problem naming the input and the field), and a change only when it
// differs from what the service's PRIMARY deployment uses.
import { describe, expect, test } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../src/lib/json.js';
import {
  serviceVolumeConfigurations,
  serviceVolumeProblems,
  volumeConfigurationChange,
} from '../../src/rollout/service-volume.js';

const ROLE = 'arn:aws:iam::123456789012:role/ebs-role';
const VOLUME = { sizeInGiB: 30, volumeType: 'gp3', encrypted: true, roleArn: ROLE };
const request = (volume: Record<string, unknown> = VOLUME, name = 'ebs1') => ({
  serviceEbsVolumeName: name,
  serviceEbsVolume: volume as never,
});
const TD: JsonObject = {
  family: 'web',
  volumes: [{ name: 'ebs1', configuredAtLaunch: true }, { name: 'scratch' }],
};

describe('serviceVolumeConfigurations', () => {
  test('the volume given, as UpdateService takes it', () => {
    expect(serviceVolumeConfigurations(request())).toEqual([{ name: 'ebs1', managedEBSVolume: VOLUME }]);
  });

  test('nothing (the field is not sent) without both inputs', () => {
    expect(serviceVolumeConfigurations({})).toBeUndefined();
    expect(serviceVolumeConfigurations({ serviceEbsVolumeName: 'ebs1' })).toBeUndefined();
  });
});

describe('serviceVolumeProblems', () => {
  test('none for a configuredAtLaunch volume and a sound configuration', () => {
    expect(serviceVolumeProblems({ request: request(), taskDefinition: TD })).toEqual([]);
    expect(serviceVolumeProblems({ request: {}, taskDefinition: TD })).toEqual([]);
  });

  test('a volume the task definition does not have, naming the ones it has', () => {
    expect(serviceVolumeProblems({ request: request(VOLUME, 'data'), taskDefinition: TD })).toEqual([
      {
        severity: 'error',
        input: 'service-managed-ebs-volume-name',
        message: '"data" is not a volume of the task definition; its volumes are ebs1, scratch.',
      },
    ]);
    expect(serviceVolumeProblems({ request: request(), taskDefinition: { family: 'web' } })).toEqual([
      expect.objectContaining({ message: '"ebs1" is not a volume of the task definition (it has none).' }),
    ]);
  });

  test('a volume that is not configuredAtLaunch', () => {
    expect(serviceVolumeProblems({ request: request(VOLUME, 'scratch'), taskDefinition: TD })).toEqual([
      expect.objectContaining({
        input: 'service-managed-ebs-volume-name',
        message: expect.stringMatching(
          /^volume "scratch" of the task definition is not configuredAtLaunch: true/,
        ),
      }),
    ]);
  });

  test('the configuration, field by field', () => {
    const problems = serviceVolumeProblems({
      request: request({
        roleArn: 'ebs-role',
        volumeType: 'gp4',
        filesystemType: 'btrfs',
        snapshotId: 'snapshot-1',
      }),
      taskDefinition: TD,
    });
    expect(problems.map((p) => [p.input, p.message.split(':')[0]])).toEqual([
      ['service-managed-ebs-volume', 'roleArn'],
      ['service-managed-ebs-volume', 'volumeType'],
      ['service-managed-ebs-volume', 'filesystemType'],
      ['service-managed-ebs-volume', 'snapshotId'],
    ]);
    expect(
      serviceVolumeProblems({
        request: request({ roleArn: ROLE, volumeType: 'gp2', throughput: 125, iops: 3000 }),
      }).map((p) => p.message),
    ).toEqual([
      'sizeInGiB: give sizeInGiB, or snapshotId to create the volume from a snapshot.',
      'throughput: is only for gp3 volumes, not gp2.',
      'iops: is only for gp3, io1 and io2 volumes, not gp2.',
    ]);
  });

  test('a service definition that sets volumeConfigurations too', () => {
    expect(
      serviceVolumeProblems({
        request: request(),
        taskDefinition: TD,
        serviceDefinition: { volumeConfigurations: [] },
      }),
    ).toEqual([
      expect.objectContaining({
        input: 'service-managed-ebs-volume',
        message: expect.stringMatching(/in one place/),
      }),
    ]);
  });
});

describe('volumeConfigurationChange', () => {
  const service = (volumeConfigurations?: unknown[]): Service =>
    ({ deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', volumeConfigurations }] }) as Service;
  const configs = serviceVolumeConfigurations(request())!;

  test('a change when the service has none or another', () => {
    expect(volumeConfigurationChange(service(), configs)).toBe('volume configuration ebs1 set');
    expect(
      volumeConfigurationChange(
        service([{ name: 'ebs1', managedEBSVolume: { ...VOLUME, sizeInGiB: 50 } }]),
        configs,
      ),
    ).toBe('volume configuration ebs1 set');
  });

  test('none when the PRIMARY deployment has the same configuration, in any key order, or none is given', () => {
    const reordered = [
      {
        managedEBSVolume: { roleArn: ROLE, encrypted: true, volumeType: 'gp3', sizeInGiB: 30 },
        name: 'ebs1',
      },
    ];
    expect(volumeConfigurationChange(service(reordered), configs)).toBeUndefined();
    expect(volumeConfigurationChange(service(), undefined)).toBeUndefined();
  });
});
