// What a request is about, read from its input: a short `target` for the request log, and the
// resource ARN that an access-denied message names. Best effort: inputs are unvalidated here.

type Input = Record<string, unknown> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const first = (v: unknown): string | undefined => (Array.isArray(v) ? str(v[0]) : undefined);
/** Last path segment of an ARN or `name` itself: `arn:...:cluster/prod` -> `prod`. */
const shortName = (v: string): string => (v.startsWith('arn:') ? (v.split('/').pop() ?? v) : v);

/** A short label for the request log: service name, family, repository, parameter, bucket/key... */
export function requestTarget(service: string, input: Input): string | undefined {
  if (!input) return undefined;
  if (service === 's3') {
    const bucket = str(input.Bucket);
    const key = str(input.Key);
    return bucket && key ? `${bucket}/${key}` : bucket;
  }
  const candidates = [
    input.service,
    input.serviceName,
    first(input.services),
    input.taskDefinition,
    input.family,
    input.familyPrefix,
    first(input.tasks),
    input.task,
    input.repositoryName,
    input.Name,
    first(input.Names),
    input.SecretId,
    input.logGroupName,
    input.cluster,
    first(input.clusters),
    input.deploymentId,
    input.deploymentGroupName,
    input.applicationName,
    input.deploymentConfigName,
  ];
  for (const c of candidates) {
    const s = str(c);
    if (s) return shortName(s);
  }
  return undefined;
}

/** The resource an IAM denial would name for this request (`*` when it has none). */
export function resourceArn(service: string, input: Input, region: string, accountId: string): string {
  const i = input ?? {};
  const arn = (svc: string, rest: string): string => `arn:aws:${svc}:${region}:${accountId}:${rest}`;
  switch (service) {
    case 'ecs': {
      const cluster = shortName(str(i.cluster) ?? 'default');
      const svc = str(i.service) ?? str(i.serviceName) ?? first(i.services);
      if (svc) return svc.startsWith('arn:') ? svc : arn('ecs', `service/${cluster}/${svc}`);
      const td = str(i.taskDefinition);
      if (td) return td.startsWith('arn:') ? td : arn('ecs', `task-definition/${td}`);
      const family = str(i.family);
      if (family) return arn('ecs', `task-definition/${family}:*`);
      if (str(i.cluster)) return arn('ecs', `cluster/${cluster}`);
      return '*';
    }
    case 'ecr': {
      const repo = str(i.repositoryName);
      return repo ? arn('ecr', `repository/${repo}`) : '*';
    }
    case 'ssm': {
      const name = str(i.Name) ?? first(i.Names);
      if (!name) return '*';
      return name.startsWith('arn:')
        ? name
        : arn('ssm', `parameter${name.startsWith('/') ? '' : '/'}${name}`);
    }
    case 'secretsmanager': {
      const id = str(i.SecretId) ?? str(i.Name);
      if (!id) return '*';
      return id.startsWith('arn:') ? id : arn('secretsmanager', `secret:${id}`);
    }
    case 'logs': {
      const group = str(i.logGroupName);
      return group ? arn('logs', `log-group:${group}:log-stream:${str(i.logStreamName) ?? ''}`) : '*';
    }
    case 's3': {
      const bucket = str(i.Bucket);
      const key = str(i.Key);
      return bucket ? `arn:aws:s3:::${bucket}${key ? `/${key}` : ''}` : '*';
    }
    default:
      return '*';
  }
}
