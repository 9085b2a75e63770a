// Task definition ARNs and links to the AWS console, for the summary and the outputs.

export interface TaskDefinitionRef {
  family: string;
  revision: number;
}

/**
 * `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` (or `<family>:<revision>`)
 * → its family and revision; undefined for anything else.
 */
export function parseTaskDefinitionArn(arn: string): TaskDefinitionRef | undefined {
  const m = /^(?:arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/)?([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(arn.trim());
  return m ? { family: m[1], revision: Number(m[2]) } : undefined;
}

/**
 * `family:revision`, the short name people use; the input as it is when it is not an ARN, and
 * undefined for undefined (a deployment or service without a task definition).
 */
export function shortTaskDefinition(arn: string): string;
export function shortTaskDefinition(arn: string | undefined): string | undefined;
export function shortTaskDefinition(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const ref = parseTaskDefinitionArn(arn);
  return ref ? `${ref.family}:${ref.revision}` : arn;
}

/** The name of a cluster or service given as a name or an ARN (`…:service/<cluster>/<name>`). */
function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

function consoleBase(region: string): string {
  return `https://${encodeURIComponent(region)}.console.aws.amazon.com/ecs/v2`;
}

/** The service's deployments tab in the ECS console. */
export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  const c = encodeURIComponent(nameOf(cluster));
  const s = encodeURIComponent(nameOf(service));
  return `${consoleBase(region)}/clusters/${c}/services/${s}/deployments?region=${encodeURIComponent(region)}`;
}

/** One task definition revision in the ECS console; undefined when the ARN cannot be read. */
export function taskDefinitionConsoleUrl(region: string, taskDefinitionArn: string): string | undefined {
  const ref = parseTaskDefinitionArn(taskDefinitionArn);
  if (!ref) return undefined;
  return `${consoleBase(region)}/task-definitions/${encodeURIComponent(ref.family)}/${ref.revision}?region=${encodeURIComponent(region)}`;
}
