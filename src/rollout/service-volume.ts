// The service's managed EBS volume (inputs service-managed-ebs-volume-name and
// service-managed-ebs-volume): UpdateService's `volumeConfigurations`, checked against the task
// definition before anything is written, and compared with what the service's deployment uses so
// that an unchanged configuration does not count as a change. Pure.
//
// Unlike the official action, which sends `volumeConfigurations: []` on every UpdateService, the
// field is sent only when the inputs give a volume: a configuration set elsewhere (the console, a
// service definition, infrastructure code) is never cleared by a deploy
// (docs/ecs-behaviour.md, "Service-managed EBS volumes").

import type { Service, ServiceVolumeConfiguration } from '@aws-sdk/client-ecs';
import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import { primaryOf } from './deployment-facts.js';

type VolumeRequest = Pick<DeployRequest, 'serviceEbsVolumeName' | 'serviceEbsVolume'>;

const NAME_INPUT = 'service-managed-ebs-volume-name';
const VOLUME_INPUT = 'service-managed-ebs-volume';

/** The EBS volume types and file systems ECS takes (ServiceManagedEBSVolumeConfiguration, Amazon ECS API Reference). */
const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1', 'standard'];
const FILESYSTEM_TYPES = ['ext3', 'ext4', 'xfs', 'ntfs'];
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** UpdateService's `volumeConfigurations`, or undefined when the inputs give no volume (the field is then not sent). */
export function serviceVolumeConfigurations(
  request: VolumeRequest,
): ServiceVolumeConfiguration[] | undefined {
  const { serviceEbsVolumeName: name, serviceEbsVolume: volume } = request;
  if (!name || !volume) return undefined;
  return [
    {
      name,
      managedEBSVolume: structuredClone(volume) as unknown as ServiceVolumeConfiguration['managedEBSVolume'],
    },
  ];
}

/**
 * What ECS would refuse, found before any write: the volume must be one of the task definition's
 * with `configuredAtLaunch: true` (docs/ecs-behaviour.md, "Service-managed EBS volumes"), and the
 * configuration must make sense on its own (a size or a snapshot, a role ARN, the volume type's
 * options). `serviceDefinition` is the service-definition file's content, when there is one.
 */
export function serviceVolumeProblems(check: {
  request: VolumeRequest;
  taskDefinition?: JsonObject;
  serviceDefinition?: JsonObject;
}): Problem[] {
  const { request, taskDefinition, serviceDefinition } = check;
  const volume = request.serviceEbsVolume;
  if (!request.serviceEbsVolumeName || !volume) return [];
  const problems = configurationProblems(volume);
  if (serviceDefinition && serviceDefinition.volumeConfigurations !== undefined) {
    problems.push(
      error(
        VOLUME_INPUT,
        'the service-definition file sets volumeConfigurations too; give the volume in one place.',
      ),
    );
  }
  if (taskDefinition) problems.push(...volumeOfTaskDefinition(request.serviceEbsVolumeName, taskDefinition));
  return problems;
}

function error(input: string, message: string): Problem {
  return { severity: 'error', input, message };
}

function configurationProblems(volume: JsonObject): Problem[] {
  const problems: Problem[] = [];
  const field = (name: string, message: string): void => {
    problems.push(error(VOLUME_INPUT, `${name}: ${message}`));
  };
  const type = typeof volume.volumeType === 'string' ? volume.volumeType : 'gp3';
  if (typeof volume.roleArn === 'string' && !ROLE_ARN.test(volume.roleArn)) {
    field(
      'roleArn',
      'must be the ARN of an IAM role (arn:aws:iam::<account>:role/<name>) that ECS assumes to manage the volume.',
    );
  }
  if (volume.sizeInGiB === undefined && volume.snapshotId === undefined) {
    field('sizeInGiB', 'give sizeInGiB, or snapshotId to create the volume from a snapshot.');
  }
  if (volume.volumeType !== undefined && !VOLUME_TYPES.includes(type)) {
    field(
      'volumeType',
      `"${String(volume.volumeType)}" is not an EBS volume type; use ${VOLUME_TYPES.join(', ')}.`,
    );
  }
  const fs = volume.filesystemType;
  if (typeof fs === 'string' && !FILESYSTEM_TYPES.includes(fs)) {
    field('filesystemType', `"${fs}" is not valid; use ${FILESYSTEM_TYPES.join(', ')}.`);
  }
  if (volume.throughput !== undefined && type !== 'gp3') {
    field('throughput', `is only for gp3 volumes, not ${type}.`);
  }
  if (volume.iops !== undefined && !['gp3', 'io1', 'io2'].includes(type)) {
    field('iops', `is only for gp3, io1 and io2 volumes, not ${type}.`);
  }
  if (typeof volume.snapshotId === 'string' && !/^snap-[0-9a-f]{8,17}$/.test(volume.snapshotId)) {
    field('snapshotId', `"${volume.snapshotId}" is not a snapshot id (snap-<hex>).`);
  }
  return problems;
}

function volumeOfTaskDefinition(name: string, taskDefinition: JsonObject): Problem[] {
  const volumes = Array.isArray(taskDefinition.volumes) ? taskDefinition.volumes.filter(isObject) : [];
  const volume = volumes.find((v) => v.name === name);
  if (!volume) {
    const names = volumes.map((v) => String(v.name));
    return [
      error(
        NAME_INPUT,
        `"${name}" is not a volume of the task definition${names.length ? `; its volumes are ${names.join(', ')}` : ' (it has none)'}.`,
      ),
    ];
  }
  if (volume.configuredAtLaunch !== true) {
    return [
      error(
        NAME_INPUT,
        `volume "${name}" of the task definition is not configuredAtLaunch: true, so UpdateService cannot configure it; set "configuredAtLaunch": true on it.`,
      ),
    ];
  }
  return [];
}

/** Key order does not matter to ECS, so it does not matter here. */
function canonical(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The setting change the volume makes, said for a person, or undefined when the service's
 * PRIMARY deployment already uses the same configuration (ECS starts a deployment only when it
 * differs: docs/ecs-behaviour.md, "Service-managed EBS volumes").
 */
export function volumeConfigurationChange(
  service: Service,
  configurations: ServiceVolumeConfiguration[] | undefined,
): string | undefined {
  if (!configurations) return undefined;
  const current = primaryOf(service)?.volumeConfigurations;
  if (
    current &&
    canonical(current as unknown as JsonValue) === canonical(configurations as unknown as JsonValue)
  ) {
    return undefined;
  }
  return `volume configuration ${configurations.map((c) => c.name).join(', ')} set`;
}
