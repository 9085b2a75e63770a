// The checks of a CodeDeploy deployment that need the deployment group as CodeDeploy describes
// it, and the inputs that mean nothing for one: pure, each problem naming its input.
import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { DeploymentGroupRef } from '../aws/ports.js';
import { resourceName } from '../codedeploy/names.js';
import { DEFAULT_APPSPEC } from '../inputs/parse-codedeploy.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';

const APP = 'codedeploy-application';
const GROUP = 'codedeploy-deployment-group';

export function checkGroup(args: {
  request: DeployRequest;
  group: DeploymentGroupRef;
  found: { group: DeploymentGroupInfo } | { missing: 'application' | 'deployment-group' };
  cluster: string;
  service: string;
}): Problem[] {
  const { request, group, found } = args;
  const { applicationName: app, deploymentGroupName: dg } = group;
  if ('missing' in found) {
    if (found.missing === 'application') {
      const how = request.codeDeployApplication
        ? ''
        : ' (the default name, AppECS-{cluster}-{service}; set codedeploy-application to another)';
      return [{ severity: 'error', input: APP, message: `CodeDeploy has no application '${app}'${how}.` }];
    }
    const how = request.codeDeployDeploymentGroup
      ? ''
      : ' (the default name, DgpECS-{cluster}-{service}; set codedeploy-deployment-group to another)';
    return [
      {
        severity: 'error',
        input: GROUP,
        message: `CodeDeploy application '${app}' has no deployment group '${dg}'${how}.`,
      },
    ];
  }
  return groupProblems(found.group, { dg, cluster: args.cluster, service: args.service });
}

function groupProblems(
  info: DeploymentGroupInfo,
  where: { dg: string; cluster: string; service: string },
): Problem[] {
  const problems: Problem[] = [];
  const fail = (message: string) => problems.push({ severity: 'error', input: GROUP, message });
  if (info.computePlatform && info.computePlatform !== 'ECS') {
    fail(`Deployment group '${where.dg}' deploys to ${info.computePlatform}, not ECS.`);
  }
  if (info.deploymentStyle?.deploymentType && info.deploymentStyle.deploymentType !== 'BLUE_GREEN') {
    fail(
      `Deployment group '${where.dg}' makes ${info.deploymentStyle.deploymentType} deployments; an ECS service is deployed BLUE_GREEN.`,
    );
  }
  const services = info.ecsServices ?? [];
  const cluster = resourceName(where.cluster);
  const service = resourceName(where.service);
  if (services.length > 0 && !services.some((s) => s.clusterName === cluster && s.serviceName === service)) {
    const names = services.map((s) => `${s.clusterName}/${s.serviceName}`).join(', ');
    fail(`Deployment group '${where.dg}' deploys ${names}, not ${cluster}/${service}.`);
  }
  return problems;
}

/**
 * A deployment group deploys one deployment at a time: CreateDeployment refuses a second while
 * one is active (DeploymentLimitExceededException; docs/ecs-behaviour.md, "Statuses and
 * lifecycle events"). Found before the first write, so the revision is not registered in vain.
 */
export function activeDeploymentProblems(group: DeploymentGroupRef, active: string[]): Problem[] {
  if (active.length === 0) return [];
  const ids = active.join(', ');
  return [
    {
      severity: 'error',
      input: GROUP,
      message: `Deployment group '${group.deploymentGroupName}' of application '${group.applicationName}' already has an active deployment (${ids}); CodeDeploy runs one at a time. Wait for it to end, or stop it (aws deploy stop-deployment --deployment-id ${active[0]}), then run the step again.`,
    },
  ];
}

/** The service inputs UpdateService would apply; a CodeDeploy deployment applies none of them. */
export function ecsOnlyInputWarnings(request: DeployRequest): Problem[] {
  const given: [string, boolean][] = [
    ['desired-count', request.desiredCount !== undefined],
    ['force-new-deployment', request.forceNewDeployment],
    ['circuit-breaker', request.circuitBreaker !== undefined],
    ['propagate-tags', request.propagateTags !== undefined],
    ['enable-ecs-managed-tags', request.enableEcsManagedTags !== undefined],
    // UpdateService's volumeConfigurations: CodeDeploy's AppSpec has no place for them.
    ['service-managed-ebs-volume', request.serviceEbsVolume !== undefined],
    ['service-managed-ebs-volume-name', request.serviceEbsVolumeName !== undefined],
  ];
  return given
    .filter(([, set]) => set)
    .map(([input]) => ({
      severity: 'warning' as const,
      input,
      message: `${input} is not applied: the service uses the CODE_DEPLOY deployment controller, so CodeDeploy deploys it and UpdateService is not called.`,
    }));
}

/** The codedeploy-* inputs set for a service that CodeDeploy does not deploy. */
export function ignoredInputWarnings(request: DeployRequest): Problem[] {
  const given: [string, boolean][] = [
    ['codedeploy-appspec', (request.codeDeployAppSpec ?? DEFAULT_APPSPEC) !== DEFAULT_APPSPEC],
    ['codedeploy-application', request.codeDeployApplication !== undefined],
    ['codedeploy-deployment-group', request.codeDeployDeploymentGroup !== undefined],
    ['codedeploy-deployment-description', request.codeDeployDescription !== undefined],
    ['codedeploy-deployment-config', request.codeDeployConfig !== undefined],
  ];
  return given
    .filter(([, set]) => set)
    .map(([input]) => ({
      severity: 'warning' as const,
      input,
      message: `${input} has no effect: the service uses the ECS deployment controller, not CODE_DEPLOY.`,
    }));
}
