// The emulator's initial state, from an object or a JSON/YAML file: ECS parts go to the ECS model
// (EcsSeed), images/buckets/objects/parameters/secrets/log groups to the other models, `deny` to
// the list of refused operations the HTTP layer checks.
import { readFile } from 'node:fs/promises';

import { parse as parseYaml } from 'yaml';

import type { DenyList, DenyRule } from './access.js';
import type { CodeDeployModel } from './codedeploy/model.js';
import type { EcsModel, EcsSeed } from './core.js';
import type { EcrModel, ImageSeed } from './ecr.js';
import type { LogGroupSeed, LogsModel } from './logs.js';
import type { BucketSeed, ObjectSeed, S3Model } from './s3.js';
import type { SecretSeed, SecretsModel } from './secrets.js';
import type { ParameterSeed, SsmModel } from './ssm.js';

export interface EmulatorSeed extends EcsSeed {
  images?: ImageSeed[];
  /**
   * Buckets to create: a name, or `{ name, region, accountId, sharedWith, listable }` (buckets of
   * `objects` are created anyway, in the emulator's account and region).
   */
  buckets?: (string | BucketSeed)[];
  objects?: ObjectSeed[];
  parameters?: ParameterSeed[];
  secrets?: SecretSeed[];
  logGroups?: LogGroupSeed[];
  /** Operations refused with AccessDeniedException: `ecr:DescribeImageScanFindings`, or `{ action, resource }`. */
  deny?: DenyRule[];
  /** CodeDeploy applications: CreateApplication inputs (`computePlatform` default ECS). */
  applications?: Record<string, unknown>[];
  /**
   * CodeDeploy deployment groups: CreateDeploymentGroup inputs, after the ECS services they name;
   * a missing application is created, and a role and a target group pair are made up when absent.
   */
  deploymentGroups?: Record<string, unknown>[];
}

export interface SeedTargets {
  ecs: EcsModel;
  codedeploy: CodeDeployModel;
  ecr: EcrModel;
  s3: S3Model;
  ssm: SsmModel;
  secretsmanager: SecretsModel;
  logs: LogsModel;
  deny: DenyList;
}

const KNOWN_KEYS = new Set([
  'clusters',
  'taskDefinitions',
  'services',
  'images',
  'buckets',
  'objects',
  'parameters',
  'secrets',
  'logGroups',
  'deny',
  'applications',
  'deploymentGroups',
]);

/** Read a seed: an object passes through; a string is a file path (YAML, which includes JSON). */
export async function loadSeed(seed: EmulatorSeed | string): Promise<EmulatorSeed> {
  if (typeof seed !== 'string') return seed;
  const text = await readFile(seed, 'utf8');
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new Error(`seed file ${seed}: ${(e as Error).message}`, { cause: e });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`seed file ${seed}: expected a mapping with clusters, services, images, ...`);
  }
  return parsed as EmulatorSeed;
}

export function applySeed(seed: EmulatorSeed, models: SeedTargets): void {
  // A typo such as `service:` would otherwise be silently ignored and the test would puzzle over it.
  const unknown = Object.keys(seed).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) {
    throw new Error(`seed: unknown key(s) ${unknown.join(', ')}; expected ${[...KNOWN_KEYS].join(', ')}`);
  }
  const { clusters, taskDefinitions, services } = seed;
  // Images first: a seeded service may reference them.
  if (seed.images) models.ecr.seed(seed.images);
  // Buckets before objects, so a seeded bucket's region and owner hold for its objects.
  if (seed.objects || seed.buckets) models.s3.seed(seed.objects ?? [], seed.buckets);
  if (seed.parameters) models.ssm.seed(seed.parameters);
  if (seed.secrets) models.secretsmanager.seed(seed.secrets);
  if (seed.logGroups) models.logs.seed(seed.logGroups);
  if (seed.deny) models.deny.add(seed.deny);
  if (clusters || taskDefinitions || services) {
    models.ecs.seed({
      ...(clusters ? { clusters } : {}),
      ...(taskDefinitions ? { taskDefinitions } : {}),
      ...(services ? { services } : {}),
    });
  }
  // After ECS: a deployment group names a service that must exist.
  if (seed.applications || seed.deploymentGroups) {
    models.codedeploy.seed({
      ...(seed.applications ? { applications: seed.applications } : {}),
      ...(seed.deploymentGroups ? { deploymentGroups: seed.deploymentGroups } : {}),
    });
  }
}
