// SSM Parameter Store: the parameters a task definition's `secrets` point at, with the shapes and
// error texts of PutParameter, GetParameter(s) and DescribeParameters. Parameters live in an
// account and a region. DescribeParameters lists only the caller's own, in the request's region;
// another account's parameter is reachable only by ARN and only when seeded `sharedWith` the caller.
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

export interface ParameterSeed extends Placement {
  name: string;
  value: string;
  type?: 'String' | 'StringList' | 'SecureString';
}

interface Parameter {
  name: string;
  place: Place;
  sharedWith: string[];
  type: string;
  value: string;
  version: number;
  lastModified: Date;
  description?: string;
}

export interface SsmModel {
  handlers: ServiceHandlers;
  seed(parameters: ParameterSeed[]): void;
}

const TYPES = new Set(['String', 'StringList', 'SecureString']);

export function createSsmModel(opts: Omit<EcsModelOptions, 'logSink'>): SsmModel {
  const { clock, region, accountId } = opts;
  const home: Place = { accountId, region };
  /** By placeKey(place, name). */
  const params = new Map<string, Parameter>();

  // Names starting with `/` are paths; the ARN does not double the slash.
  const arnOf = (p: { name: string; place: Place }): string =>
    `arn:aws:ssm:${p.place.region}:${p.place.accountId}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`;
  /**
   * Accept a name (the caller's account, the request's region) or an ARN, as the API does.
   * Another account's parameter that is not shared with the caller is AccessDeniedException.
   */
  const lookup = (ref: string, ctx: RequestContext): Parameter | undefined => {
    const arn = parseArn(ref);
    if (!arn || arn.service !== 'ssm' || !arn.resource.startsWith('parameter/')) {
      return params.get(placeKey({ accountId: ctx.accountId, region: ctx.region }, ref));
    }
    const place = { accountId: arn.accountId, region: arn.region };
    const path = arn.resource.slice('parameter'.length);
    // A path parameter keeps its leading slash; `parameter/name` is the plain name.
    const p = params.get(placeKey(place, path)) ?? params.get(placeKey(place, path.slice(1)));
    if (
      place.accountId !== ctx.accountId &&
      !(p && readableBy(ctx.accountId, place.accountId, p.sharedWith))
    ) {
      throw crossAccountDenied(`ssm:${ctx.operation}`, ref, ctx.accountId);
    }
    return p;
  };

  const put = (
    name: string,
    value: string,
    type: string,
    overwrite: boolean,
    extra: { description?: string; place?: Place; sharedWith?: string[] } = {},
  ): Parameter => {
    const place = extra.place ?? home;
    const existing = params.get(placeKey(place, name));
    if (existing && !overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const p: Parameter = {
      name,
      place,
      sharedWith: extra.sharedWith ?? existing?.sharedWith ?? [],
      type,
      value,
      version: (existing?.version ?? 0) + 1,
      lastModified: new Date(clock.now()),
      description: extra.description ?? existing?.description,
    };
    params.set(placeKey(place, name), p);
    return p;
  };

  const out = (p: Parameter, withDecryption: boolean) => ({
    Name: p.name,
    Type: p.type,
    // Without decryption AWS returns the KMS ciphertext; a base64 stand-in keeps that visible.
    Value:
      p.type === 'SecureString' && !withDecryption
        ? Buffer.from(`kms:${p.value}`).toString('base64')
        : p.value,
    Version: p.version,
    LastModifiedDate: p.lastModified,
    ARN: arnOf(p),
    DataType: 'text',
  });

  const meta = (p: Parameter) => ({
    Name: p.name,
    ARN: arnOf(p),
    Type: p.type,
    ...(p.type === 'SecureString' ? { KeyId: 'alias/aws/ssm' } : {}),
    LastModifiedDate: p.lastModified,
    LastModifiedUser: `arn:aws:sts::${p.place.accountId}:assumed-role/deploy/gha`,
    ...(p.description ? { Description: p.description } : {}),
    Version: p.version,
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
  });

  type Filter = { Key?: string; Option?: string; Values?: string[] };
  const matchesFilter = (p: Parameter, f: Filter): boolean => {
    const values = f.Values ?? [];
    switch (f.Key) {
      case 'Name': {
        const option = f.Option ?? 'Equals';
        if (!['Equals', 'BeginsWith', 'Contains'].includes(option)) {
          throw new AwsError(
            'InvalidFilterOption',
            `The filter option '${option}' is not valid. Valid options are Equals and BeginsWith. ` +
              'For Path filter, valid options are Recursive and OneLevel.',
          );
        }
        // Filter values match with or without the leading slash, as in SSM.
        const norm = (s: string) => (s.startsWith('/') ? s : `/${s}`);
        if (option === 'BeginsWith') return values.some((v) => norm(p.name).startsWith(norm(v)));
        if (option === 'Contains') return values.some((v) => p.name.includes(v));
        return values.some((v) => norm(v) === norm(p.name));
      }
      case 'Type':
        return values.includes(p.type);
      case 'Path': {
        const recursive = f.Option === 'Recursive';
        return values.some((v) => {
          const dir = v.endsWith('/') ? v : `${v}/`;
          if (!p.name.startsWith(dir)) return false;
          return recursive || !p.name.slice(dir.length).includes('/');
        });
      }
      default:
        throw new AwsError('InvalidFilterKey', `The following filter key is not valid: ${f.Key ?? 'null'}.`);
    }
  };

  const handlers: ServiceHandlers = {
    PutParameter(
      input: {
        Name?: string;
        Value?: string;
        Type?: string;
        Overwrite?: boolean;
        Description?: string;
      },
      ctx: RequestContext,
    ) {
      if (!input.Name || input.Value === undefined) {
        throw new AwsError('ValidationException', 'Parameter name and value must be specified.');
      }
      const place = { accountId: ctx.accountId, region: ctx.region };
      const type = input.Type ?? params.get(placeKey(place, input.Name))?.type ?? 'String';
      if (!TYPES.has(type)) {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: ` +
            'Member must satisfy enum value set: [SecureString, StringList, String]',
        );
      }
      const p = put(input.Name, input.Value, type, input.Overwrite ?? false, {
        description: input.Description,
        place,
      });
      return { Version: p.version, Tier: 'Standard' };
    },

    GetParameter(input: { Name?: string; WithDecryption?: boolean }, ctx: RequestContext) {
      const p = lookup(input.Name ?? '', ctx);
      if (!p) throw new AwsError('ParameterNotFound', '');
      return { Parameter: out(p, input.WithDecryption ?? false) };
    },

    GetParameters(input: { Names?: string[]; WithDecryption?: boolean }, ctx: RequestContext) {
      const found: unknown[] = [];
      const invalid: string[] = [];
      // Missing names are listed, not thrown: the caller decides whether that is an error.
      for (const ref of input.Names ?? []) {
        const p = lookup(ref, ctx);
        if (p) found.push(out(p, input.WithDecryption ?? false));
        else invalid.push(ref);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },

    DescribeParameters(
      input: {
        ParameterFilters?: Filter[];
        Filters?: { Key?: string; Values?: string[] }[];
        MaxResults?: number;
        NextToken?: string;
      },
      ctx: RequestContext,
    ) {
      // The legacy `Filters` (Key Name/Type/KeyId, values match by prefix) and `ParameterFilters`.
      const filters: Filter[] = [
        ...(input.ParameterFilters ?? []),
        ...(input.Filters ?? []).map((f) => ({
          Key: f.Key,
          Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals',
          Values: f.Values,
        })),
      ];
      // Never another account's parameters, shared or not, and only the request's region.
      const all = [...params.values()].filter(
        (p) =>
          p.place.accountId === ctx.accountId &&
          p.place.region === ctx.region &&
          filters.every((f) => matchesFilter(p, f)),
      );
      all.sort((a, b) => a.name.localeCompare(b.name));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      if (!Number.isInteger(start) || start < 0)
        throw new AwsError('InvalidNextToken', 'The specified token is not valid.');
      const max = input.MaxResults ?? 50;
      const page = all.slice(start, start + max);
      return {
        Parameters: page.map(meta),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    },
  };

  return {
    handlers,
    seed(parameters) {
      for (const p of parameters) {
        const place = placeOf(p, home, `parameter ${p.name}`);
        put(p.name, p.value, p.type ?? 'String', true, {
          place,
          sharedWith: (p.sharedWith ?? []).map(String),
        });
      }
    },
  };
}
