// Secrets Manager: secrets a task definition references, with AWS's ARN form (name + `-` + six
// random characters), their versions and staging labels, and AWS's error texts. Secrets live in
// an account and a region; an ARN of another account is refused (AccessDeniedException) unless the
// secret is seeded `sharedWith` the caller, as a resource policy would allow.
import {
  crossAccountDenied,
  parseArn,
  placeKey,
  placeOf,
  readableBy,
  type Place,
  type Placement,
} from './access.js';
import { AwsError, type EcsModelOptions, type RequestContext, type ServiceHandlers } from './core.js';
import { randomChars, randomUuid } from './random.js';

export interface SecretVersionSeed {
  /** Default: a generated UUID. */
  id?: string;
  /** Staging labels, e.g. `[AWSPREVIOUS]`; AWSCURRENT belongs to the seeded `value`. */
  stages?: string[];
  value?: string;
}

export interface SecretSeed extends Placement {
  name: string;
  /** The AWSCURRENT value. */
  value: string;
  /** The AWSCURRENT version's id; default a generated UUID. */
  versionId?: string;
  /** Further versions (older or staged ones). */
  versions?: SecretVersionSeed[];
}

interface Version {
  id: string;
  stages: string[];
  value: string;
  created: Date;
}

interface Secret {
  arn: string;
  name: string;
  place: Place;
  sharedWith: string[];
  /** The AWSCURRENT version first. */
  versions: Version[];
  created: Date;
  changed: Date;
  description?: string;
}

export interface SecretsModel {
  handlers: ServiceHandlers;
  seed(secrets: SecretSeed[]): void;
  /** A secret's full ARN by name, in the emulator's account and region (for tests that build `valueFrom`). */
  arnOf(name: string): string | undefined;
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";

export function createSecretsModel(opts: Omit<EcsModelOptions, 'logSink'>): SecretsModel {
  const { clock, region, accountId } = opts;
  const home: Place = { accountId, region };
  const random = opts.random ?? Math.random;
  /** By placeKey(place, name). */
  const byName = new Map<string, Secret>();

  const create = (
    name: string,
    value: string,
    extra: { description?: string; place?: Place; sharedWith?: string[]; versionId?: string } = {},
  ): Secret => {
    const place = extra.place ?? home;
    if (byName.has(placeKey(place, name))) {
      throw new AwsError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const now = new Date(clock.now());
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${place.region}:${place.accountId}:secret:${name}-${randomChars(random, 6)}`,
      name,
      place,
      sharedWith: extra.sharedWith ?? [],
      versions: [{ id: extra.versionId ?? randomUuid(random), stages: ['AWSCURRENT'], value, created: now }],
      created: now,
      changed: now,
      description: extra.description,
    };
    byName.set(placeKey(place, name), secret);
    return secret;
  };

  /**
   * SecretId may be the name, the full ARN, or a partial ARN (without the random suffix). ECS
   * `valueFrom` may also append `:json-key:version-stage:version-id`, which the caller strips.
   * A name is looked up in the caller's account and the request's region.
   */
  const find = (id: unknown, ctx: RequestContext): Secret => {
    if (typeof id !== 'string') throw new AwsError('ResourceNotFoundException', NOT_FOUND);
    const arn = parseArn(id);
    if (!arn) {
      const direct = byName.get(placeKey({ accountId: ctx.accountId, region: ctx.region }, id));
      if (direct) return direct;
      throw new AwsError('ResourceNotFoundException', NOT_FOUND);
    }
    const found = [...byName.values()].find((s) => s.arn === id || s.arn.slice(0, -7) === id);
    if (
      arn.accountId !== ctx.accountId &&
      !(found && readableBy(ctx.accountId, arn.accountId, found.sharedWith))
    ) {
      throw crossAccountDenied(`secretsmanager:${ctx.operation}`, id, ctx.accountId);
    }
    // A secret lives in one region; its ARN sent to another region's endpoint finds nothing.
    if (!found || found.place.region !== ctx.region)
      throw new AwsError('ResourceNotFoundException', NOT_FOUND);
    return found;
  };

  const versionOf = (s: Secret, input: { VersionId?: string; VersionStage?: string }): Version => {
    if (input.VersionId) {
      const v = s.versions.find((x) => x.id === input.VersionId);
      if (v && (!input.VersionStage || v.stages.includes(input.VersionStage))) return v;
      throw new AwsError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`,
      );
    }
    const stage = input.VersionStage ?? 'AWSCURRENT';
    const v = s.versions.find((x) => x.stages.includes(stage));
    if (v) return v;
    throw new AwsError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    );
  };

  const handlers: ServiceHandlers = {
    CreateSecret(input: { Name?: string; SecretString?: string; Description?: string }, ctx: RequestContext) {
      if (!input.Name)
        throw new AwsError('InvalidParameterException', 'You must provide a value for the Name parameter.');
      const s = create(input.Name, input.SecretString ?? '', {
        description: input.Description,
        place: { accountId: ctx.accountId, region: ctx.region },
      });
      return { ARN: s.arn, Name: s.name, VersionId: s.versions[0]!.id };
    },

    DescribeSecret(input: { SecretId?: string }, ctx: RequestContext) {
      const s = find(input.SecretId, ctx);
      // Versions without a staging label are deprecated and not listed, as in AWS.
      const staged = s.versions.filter((v) => v.stages.length > 0);
      return {
        ARN: s.arn,
        Name: s.name,
        ...(s.description ? { Description: s.description } : {}),
        LastChangedDate: s.changed,
        CreatedDate: s.created,
        VersionIdsToStages: Object.fromEntries(staged.map((v) => [v.id, [...v.stages]])),
      };
    },

    GetSecretValue(
      input: { SecretId?: string; VersionId?: string; VersionStage?: string },
      ctx: RequestContext,
    ) {
      const s = find(input.SecretId, ctx);
      const v = versionOf(s, input);
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: v.id,
        SecretString: v.value,
        VersionStages: [...v.stages],
        CreatedDate: v.created,
      };
    },
  };

  return {
    handlers,
    seed(secrets) {
      for (const seed of secrets) {
        // Checked before anything is created, so a bad seed leaves no half-made secret.
        if (seed.versions?.some((v) => v.stages?.includes('AWSCURRENT'))) {
          throw new Error(
            `seed secret ${seed.name}: AWSCURRENT is the seeded value; give other versions other stages`,
          );
        }
        const s = create(seed.name, seed.value, {
          place: placeOf(seed, home, `secret ${seed.name}`),
          sharedWith: (seed.sharedWith ?? []).map(String),
          versionId: seed.versionId,
        });
        for (const v of seed.versions ?? []) {
          const id = v.id ?? randomUuid(random);
          if (s.versions.some((x) => x.id === id))
            throw new Error(`seed secret ${seed.name}: version ${id} twice`);
          s.versions.push({ id, stages: [...(v.stages ?? [])], value: v.value ?? '', created: s.created });
        }
      }
    },
    arnOf(name) {
      return byName.get(placeKey(home, name))?.arn;
    },
  };
}
