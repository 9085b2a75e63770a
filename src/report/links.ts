// Links to the AWS console, for the summary.

import { parseTaskDefinitionArn } from '../lib/arn.js';

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

/** A CodeDeploy deployment (`d-…`) in the CodeDeploy console. */
export function codeDeployConsoleUrl(region: string, deploymentId: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${r}`;
}
