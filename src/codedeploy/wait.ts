// How long a CodeDeploy deployment is followed. As the official action bounds it, so a migrated
// workflow times out no sooner than it did: wait-for-minutes plus the deployment group's ready
// wait and termination wait, at most six hours. An ECS blue/green deployment is Succeeded only
// after the original task set is removed, at the end of the termination wait (docs/ecs-behaviour.md,
// "Traffic shifting and waits"), so a bound without it would time out every deployment
// whose group keeps the original tasks for longer than wait-for-minutes.

import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';

/** Six hours: a job on a GitHub-hosted runner is stopped then (the official action's cap too). */
export const MAX_CODEDEPLOY_WAIT_MINUTES = 360;

export interface CodeDeployWait {
  /** The bound, in minutes. */
  minutes: number;
  readyMinutes: number;
  terminationMinutes: number;
  /** True when the sum was over six hours and cut to it. */
  capped: boolean;
}

export function codeDeployWait(
  waitForMinutes: number,
  group: DeploymentGroupInfo | undefined,
): CodeDeployWait {
  const config = group?.blueGreenDeploymentConfiguration;
  const readyMinutes = config?.deploymentReadyOption?.waitTimeInMinutes ?? 0;
  const terminationMinutes =
    config?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0;
  const total = waitForMinutes + readyMinutes + terminationMinutes;
  return {
    minutes: Math.min(total, MAX_CODEDEPLOY_WAIT_MINUTES),
    readyMinutes,
    terminationMinutes,
    capped: total > MAX_CODEDEPLOY_WAIT_MINUTES,
  };
}
