// Which CodeDeploy application and deployment group a step deploys through: the inputs, or the
// names the ECS console gives them when it creates a blue/green service (`AppECS-{cluster}-
// {service}`, `DgpECS-{cluster}-{service}`), the official action's defaults.

import type { DeploymentGroupRef } from '../aws/ports.js';
import type { DeployRequest } from '../lib/request.js';

/** A cluster or service name, from a name or an ARN (`…:service/<cluster>/<name>`). */
export function resourceName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

export function defaultApplicationName(cluster: string, service: string): string {
  return `AppECS-${resourceName(cluster)}-${resourceName(service)}`;
}

export function defaultDeploymentGroupName(cluster: string, service: string): string {
  return `DgpECS-${resourceName(cluster)}-${resourceName(service)}`;
}

/** The application and deployment group of the step's service. */
export function deploymentGroupOf(
  request: Pick<DeployRequest, 'cluster' | 'codeDeployApplication' | 'codeDeployDeploymentGroup'>,
  service: string,
): DeploymentGroupRef {
  return {
    applicationName: request.codeDeployApplication ?? defaultApplicationName(request.cluster, service),
    deploymentGroupName:
      request.codeDeployDeploymentGroup ?? defaultDeploymentGroupName(request.cluster, service),
  };
}

/** CodeDeploy's id of the ECS target of a deployment: `<cluster name>:<service name>`. */
export function ecsTargetId(cluster: string, service: string): string {
  return `${resourceName(cluster)}:${resourceName(service)}`;
}
