// Links to the AWS console, for the summary. Each partition has its own console: the commercial
// Regions' at `<region>.console.aws.amazon.com`, China's at console.amazonaws.cn and GovCloud's at
// console.amazonaws-us-gov.com (AWS documentation: "Amazon Web Services in China" and "AWS
// GovCloud (US) User Guide"). Outside the commercial partition the link goes to the partition's
// own host and names the Region in `?region=` only, which every console page reads.

import { parseTaskDefinitionArn } from '../lib/arn.js';

/** The name of a cluster or service given as a name or an ARN (`…:service/<cluster>/<name>`). */
function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

/** `https://<console host>` for the Region's partition. */
export function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${encodeURIComponent(region)}.console.aws.amazon.com`;
}

function consoleBase(region: string): string {
  return `${consoleOrigin(region)}/ecs/v2`;
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
  return `${consoleOrigin(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${r}`;
}
