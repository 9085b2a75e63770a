// Secrets Manager: secrets a task definition references, with AWS's ARN form (name + `-` + six
// random characters) and its error texts.
import { AwsError, type EcsModelOptions, type ServiceHandlers } from './core.js';
import { randomChars, randomUuid } from './random.js';

export interface SecretSeed {
  name: string;
  value: string;
}

interface Secret {
  arn: string;
  name: string;
  value: string;
  versionId: string;
  created: Date;
  changed: Date;
  description?: string;
}

export interface SecretsModel {
  handlers: ServiceHandlers;
  seed(secrets: SecretSeed[]): void;
  /** A secret's full ARN by name (for tests that build `valueFrom`). */
  arnOf(name: string): string | undefined;
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";

export function createSecretsModel(opts: Omit<EcsModelOptions, 'logSink'>): SecretsModel {
  const { clock, region, accountId } = opts;
  const random = opts.random ?? Math.random;
  const byName = new Map<string, Secret>();

  const create = (name: string, value: string, description?: string): Secret => {
    if (byName.has(name)) {
      throw new AwsError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const now = new Date(clock.now());
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${randomChars(random, 6)}`,
      name,
      value,
      versionId: randomUuid(random),
      created: now,
      changed: now,
      description,
    };
    byName.set(name, secret);
    return secret;
  };

  /**
   * SecretId may be the name, the full ARN, or a partial ARN (without the random suffix). ECS
   * `valueFrom` may also append `:json-key:version-stage:version-id`, which the caller strips.
   */
  const find = (id: unknown): Secret => {
    if (typeof id === 'string') {
      const direct = byName.get(id);
      if (direct) return direct;
      for (const s of byName.values()) {
        if (s.arn === id || s.arn.slice(0, -7) === id) return s;
      }
    }
    throw new AwsError('ResourceNotFoundException', NOT_FOUND);
  };

  const handlers: ServiceHandlers = {
    CreateSecret(input: { Name?: string; SecretString?: string; Description?: string }) {
      if (!input.Name)
        throw new AwsError('InvalidParameterException', 'You must provide a value for the Name parameter.');
      const s = create(input.Name, input.SecretString ?? '', input.Description);
      return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
    },

    DescribeSecret(input: { SecretId?: string }) {
      const s = find(input.SecretId);
      return {
        ARN: s.arn,
        Name: s.name,
        ...(s.description ? { Description: s.description } : {}),
        LastChangedDate: s.changed,
        CreatedDate: s.created,
        VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] },
      };
    },

    GetSecretValue(input: { SecretId?: string }) {
      const s = find(input.SecretId);
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: s.versionId,
        SecretString: s.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: s.changed,
      };
    },
  };

  return {
    handlers,
    seed(secrets) {
      for (const s of secrets) create(s.name, s.value);
    },
    arnOf(name) {
      return byName.get(name)?.arn;
    },
  };
}
