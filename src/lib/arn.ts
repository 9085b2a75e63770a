// ARN parsing shared by every layer: task definition ARNs and their short `family:revision` form.
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
