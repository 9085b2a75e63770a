// The fields of `service-managed-ebs-volume` that are sent, as the official deploy action picks
// them: it copies a fixed list of fields and drops every other one without a word, and copies
// `throughput` only when `volumeType` is `gp3`. A migrated workflow must not stop here at a field
// the official action silently dropped, so such a field is dropped here too, and a warning says so.
// Pure.

import type { JsonObject } from '../lib/json.js';

/**
 * The fields the official action copies (its convertToManagedEbsVolumeObject), and
 * `volumeInitializationRate`, a field of ServiceManagedEBSVolumeConfiguration (Amazon ECS API
 * Reference) that it does not know yet: ECS takes it, so it is sent.
 */
const SENT_FIELDS = [
  'roleArn',
  'encrypted',
  'filesystemType',
  'iops',
  'kmsKeyId',
  'sizeInGiB',
  'snapshotId',
  'tagSpecifications',
  'throughput',
  'volumeType',
  'volumeInitializationRate',
];

export interface PickedVolume {
  /** The configuration as it is sent. */
  volume: JsonObject;
  /** One sentence per dropped field, naming it and why. */
  warnings: string[];
}

/** The volume configuration without the fields the official action drops, and what was dropped. */
export function pickVolumeFields(given: JsonObject): PickedVolume {
  const volume: JsonObject = {};
  const warnings: string[] = [];
  for (const [field, value] of Object.entries(given)) {
    if (!SENT_FIELDS.includes(field)) {
      warnings.push(
        `field ${field} is dropped: it is not a field of a service's managed EBS volume (use ${SENT_FIELDS.join(', ')}), and the official deploy action drops it too.`,
      );
    } else if (field === 'throughput' && given.volumeType !== 'gp3') {
      const type = typeof given.volumeType === 'string' ? `volumeType ${given.volumeType}` : 'no volumeType';
      warnings.push(
        `field throughput is dropped: it is sent only with volumeType gp3, and this configuration has ${type}, as the official deploy action drops it. Set "volumeType": "gp3" to send it.`,
      );
    } else {
      volume[field] = value;
    }
  }
  return { volume, warnings };
}
