// Everything a rendered task definition points at outside ECS, per container: its image, its
// environment files, its secrets (and log-driver secrets and registry credentials), and its
// awslogs group. Pure: preflight (run.ts) decides how to check each.
import { isObject, type JsonObject, type JsonValue } from '../lib/json.js';
import type { Reference } from './types.js';

const list = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function collectReferences(td: JsonObject): Reference[] {
  const refs: Reference[] = [];
  list(td.containerDefinitions).forEach((c, i) => {
    const container = str(c.name) ?? `#${i + 1}`;
    const at = `containerDefinitions[${i}]`;
    const image = str(c.image);
    if (image) refs.push({ kind: 'image', container, path: `${at}.image`, value: image });
    list(c.environmentFiles).forEach((f, j) => {
      const value = str(f.value);
      if (value)
        refs.push({ kind: 'env-file', container, path: `${at}.environmentFiles[${j}].value`, value });
    });
    refs.push(...secretRefs(list(c.secrets), container, `${at}.secrets`));
    const log = isObject(c.logConfiguration) ? c.logConfiguration : undefined;
    if (log)
      refs.push(...secretRefs(list(log.secretOptions), container, `${at}.logConfiguration.secretOptions`));
    const credentials = isObject(c.repositoryCredentials)
      ? str(c.repositoryCredentials.credentialsParameter)
      : undefined;
    if (credentials) {
      refs.push({
        kind: 'secret',
        container,
        path: `${at}.repositoryCredentials.credentialsParameter`,
        value: credentials,
        variable: 'repositoryCredentials',
      });
    }
    const group = log ? awslogsGroup(log) : undefined;
    if (group)
      refs.push({
        kind: 'log-group',
        container,
        path: `${at}.logConfiguration.options.awslogs-group`,
        ...group,
      });
  });
  return refs;
}

function secretRefs(secrets: JsonObject[], container: string, at: string): Reference[] {
  return secrets.flatMap((s, j) => {
    const value = str(s.valueFrom);
    return value
      ? [{ kind: 'secret' as const, container, path: `${at}[${j}].valueFrom`, value, variable: str(s.name) }]
      : [];
  });
}

/**
 * The group of the awslogs driver, unless ECS creates it (`awslogs-create-group: true`, which
 * needs logs:CreateLogGroup on the execution role): then there is nothing to check.
 */
function awslogsGroup(log: JsonObject): { value: string; region?: string } | undefined {
  if (log.logDriver !== 'awslogs' || !isObject(log.options)) return undefined;
  const options = log.options;
  const group = str(options['awslogs-group']);
  if (!group || str(options['awslogs-create-group'])?.toLowerCase() === 'true') return undefined;
  const region = str(options['awslogs-region']);
  return { value: group, ...(region ? { region } : {}) };
}

/** The account of the first IAM role or service ARN given: where the task runs. */
export function accountOf(...arns: (string | undefined)[]): string | undefined {
  for (const arn of arns) {
    const m = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn ?? '');
    if (m) return m[1];
  }
  return undefined;
}
