// SSM Parameter Store: the parameters a task definition's `secrets` point at, with the shapes and
// error texts of PutParameter, GetParameter(s) and DescribeParameters.
import { AwsError, type EcsModelOptions, type ServiceHandlers } from './core.js';

export interface ParameterSeed {
  name: string;
  value: string;
  type?: 'String' | 'StringList' | 'SecureString';
}

interface Parameter {
  name: string;
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
  const params = new Map<string, Parameter>();

  // Names starting with `/` are paths; the ARN does not double the slash.
  const arnOf = (name: string): string =>
    `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  /** Accept a name or an ARN, as the API does. */
  const nameOf = (ref: string): string => {
    const m = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(ref);
    if (!m) return ref;
    const path = m[1]!;
    // A path parameter keeps its leading slash; `parameter/name` is the plain name.
    return params.has(path) ? path : path.slice(1);
  };

  const put = (
    name: string,
    value: string,
    type: string,
    overwrite: boolean,
    description?: string,
  ): Parameter => {
    const existing = params.get(name);
    if (existing && !overwrite) {
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const p: Parameter = {
      name,
      type,
      value,
      version: (existing?.version ?? 0) + 1,
      lastModified: new Date(clock.now()),
      description: description ?? existing?.description,
    };
    params.set(name, p);
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
    ARN: arnOf(p.name),
    DataType: 'text',
  });

  const meta = (p: Parameter) => ({
    Name: p.name,
    ARN: arnOf(p.name),
    Type: p.type,
    ...(p.type === 'SecureString' ? { KeyId: 'alias/aws/ssm' } : {}),
    LastModifiedDate: p.lastModified,
    LastModifiedUser: `arn:aws:sts::${accountId}:assumed-role/deploy/gha`,
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
    PutParameter(input: {
      Name?: string;
      Value?: string;
      Type?: string;
      Overwrite?: boolean;
      Description?: string;
    }) {
      if (!input.Name || input.Value === undefined) {
        throw new AwsError('ValidationException', 'Parameter name and value must be specified.');
      }
      const type = input.Type ?? params.get(input.Name)?.type ?? 'String';
      if (!TYPES.has(type)) {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: ` +
            'Member must satisfy enum value set: [SecureString, StringList, String]',
        );
      }
      const p = put(input.Name, input.Value, type, input.Overwrite ?? false, input.Description);
      return { Version: p.version, Tier: 'Standard' };
    },

    GetParameter(input: { Name?: string; WithDecryption?: boolean }) {
      const p = params.get(nameOf(input.Name ?? ''));
      if (!p) throw new AwsError('ParameterNotFound', '');
      return { Parameter: out(p, input.WithDecryption ?? false) };
    },

    GetParameters(input: { Names?: string[]; WithDecryption?: boolean }) {
      const found: unknown[] = [];
      const invalid: string[] = [];
      // Missing names are listed, not thrown: the caller decides whether that is an error.
      for (const ref of input.Names ?? []) {
        const p = params.get(nameOf(ref));
        if (p) found.push(out(p, input.WithDecryption ?? false));
        else invalid.push(ref);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },

    DescribeParameters(input: {
      ParameterFilters?: Filter[];
      Filters?: { Key?: string; Values?: string[] }[];
      MaxResults?: number;
      NextToken?: string;
    }) {
      // The legacy `Filters` (Key Name/Type/KeyId, values match by prefix) and `ParameterFilters`.
      const filters: Filter[] = [
        ...(input.ParameterFilters ?? []),
        ...(input.Filters ?? []).map((f) => ({
          Key: f.Key,
          Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals',
          Values: f.Values,
        })),
      ];
      const all = [...params.values()].filter((p) => filters.every((f) => matchesFilter(p, f)));
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
      for (const p of parameters) put(p.name, p.value, p.type ?? 'String', true);
    },
  };
}
