// Rules that tie inputs together and can only run once every input is parsed: the inputs that
// need a service, the ones that mean nothing without waiting, and ARNs of one account.

import type { DeployRequest } from '../lib/request.js';
import { accountProblems, clusterNameOf, clusterOfServiceArn } from './arns.js';
import { clusterProblem, serviceProblem } from './shapes.js';
import { INPUTS, type InputName } from './table.js';
import { DEFAULT_WAIT_MINUTES } from './numbers.js';
import { checkStrategyInputs } from './parse-strategy.js';

type Fail = (input: InputName, message: string) => void;

/**
 * Without a service, a deploy-only input set to anything but its default is an error. The
 * runner fills action.yml defaults in, so a value equal to its default cannot be told from an
 * unset input.
 */
function checkDeployOnly(raw: (name: InputName) => string, runTask: boolean, fail: Fail): void {
  for (const spec of INPUTS) {
    const value = raw(spec.name);
    if (!spec.deployOnly || value === '' || (runTask && spec.alsoForRunTask)) continue;
    if (!isDefault(spec, value))
      fail(spec.name, `${spec.name} applies to a service deployment, but service is not set.`);
  }
}

function isDefault(spec: (typeof INPUTS)[number], value: string): boolean {
  return spec.isDefault?.(value) ?? value.toLowerCase() === spec.default?.toLowerCase();
}

/** An input as given, or '' when it is unset or equals its default. */
function givenOtherThanDefault(raw: (name: InputName) => string): (name: InputName) => string {
  const specs = new Map(INPUTS.map((spec) => [spec.name, spec] as const));
  return (name) => {
    const value = raw(name);
    const spec = specs.get(name);
    return value !== '' && spec && isDefault(spec, value) ? '' : value;
  };
}

function checkWaiting(request: DeployRequest, fail: Fail): void {
  if (request.waitForServiceStability) return;
  // With run-task and wait-for-task-stopped, wait-for-minutes bounds the wait for the task.
  const waitsForTask = request.runTask && request.waitForTaskStopped;
  if (request.waitForMinutes !== DEFAULT_WAIT_MINUTES && !waitsForTask) {
    fail('wait-for-minutes', 'wait-for-minutes has no effect when wait-for-service-stability is false.');
  }
  if (request.onTimeout === 'rollback') {
    fail('on-timeout', 'on-timeout rollback has no effect when wait-for-service-stability is false.');
  }
}

/** The ECS resources of one step are in one account; the ARNs given are compared with each other. */
function checkAccounts(raw: (name: InputName) => string, fail: Fail): void {
  const names: InputName[] = ['cluster', 'service', 'task-definition-arn'];
  const given = names.map((input) => ({ input, value: raw(input) }));
  for (const { input, message } of accountProblems(given)) fail(input as InputName, message);
}

/** A long-form service ARN carries its cluster; ECS would not find the service in another one. */
function checkServiceCluster(request: DeployRequest, fail: Fail): void {
  const { service, cluster } = request;
  if (!service || serviceProblem(service) || clusterProblem(cluster)) return;
  const named = clusterOfServiceArn(service);
  if (named !== undefined && named !== clusterNameOf(cluster)) {
    fail(
      'service',
      `"${service}" is a service of cluster "${named}", but cluster is "${cluster}"; set cluster to ${named}, or give the service of that cluster.`,
    );
  }
}

/**
 * The network inputs replace the service's awsvpcConfiguration as a whole (they are not merged
 * field by field), so security groups or a public IP without subnets would run the task with
 * no subnets: an error, not a silent mix with the service's subnets.
 */
function checkRunTaskInputs(request: DeployRequest, fail: Fail): void {
  if (!request.runTaskSubnets && request.runTaskSecurityGroups) {
    fail(
      'run-task-subnets',
      "run-task-subnets is required with run-task-security-groups: the network inputs replace the network configuration (the service's too) as a whole.",
    );
  }
  if (request.stopTaskOnTimeout && !request.waitForTaskStopped) {
    fail('stop-task-on-timeout', 'stop-task-on-timeout has no effect unless wait-for-task-stopped is true.');
  }
}

export function checkAcrossInputs(
  request: DeployRequest,
  raw: (name: InputName) => string,
  fail: Fail,
): void {
  // A service definition names the service itself (its serviceName), so the deploy inputs apply.
  if (!request.service && !request.serviceDefinitionPath) checkDeployOnly(raw, request.runTask, fail);
  else checkWaiting(request, fail);
  if (request.runTask) checkRunTaskInputs(request, fail);
  checkServiceCluster(request, fail);
  checkAccounts(raw, fail);
  checkStrategyInputs(request, givenOtherThanDefault(raw), fail);
}
