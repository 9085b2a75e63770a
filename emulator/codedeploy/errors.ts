// CodeDeploy's refusals, by the error names the SDK models (@aws-sdk/client-codedeploy). Messages
// marked "observed" are CodeDeploy's own words; the others are ours, in its style
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS").
import { AwsError } from '../core.js';

const err = (type: string, message: string): AwsError => new AwsError(type, message, 400);

export const CD_ERRORS = {
  /** Observed. */
  applicationMissing: (name: string) =>
    err('ApplicationDoesNotExistException', `No application found for name: ${name}`),
  /** Observed. */
  groupMissing: (name: string) =>
    err('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`),
  /** Observed. */
  configMissing: (name: string) =>
    err('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`),
  /** Observed. */
  groupBusy: (group: string, id: string) =>
    err(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group}' already has an active Deployment '${id}'`,
    ),
  deploymentMissing: (id: string) =>
    err('DeploymentDoesNotExistException', `Deployment ${id} does not exist`),
  badDeploymentId: (id: string) =>
    err('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`),
  deploymentIdRequired: () => err('DeploymentIdRequiredException', 'Deployment Id is required'),
  applicationNameRequired: () => err('ApplicationNameRequiredException', 'Application name is required'),
  groupNameRequired: () => err('DeploymentGroupNameRequiredException', 'Deployment Group name is required'),
  configNameRequired: () =>
    err('DeploymentConfigNameRequiredException', 'Deployment config name is required'),
  applicationExists: (name: string) =>
    err('ApplicationAlreadyExistsException', `An application with the name ${name} already exists`),
  groupExists: (name: string) =>
    err('DeploymentGroupAlreadyExistsException', `A deployment group with the name ${name} already exists`),
  configExists: (name: string) =>
    err(
      'DeploymentConfigAlreadyExistsException',
      `A deployment configuration with the name ${name} already exists`,
    ),
  completed: (id: string) =>
    err('DeploymentAlreadyCompletedException', `Deployment ${id} has already completed`),
  notWaiting: (id: string) =>
    err(
      'DeploymentIsNotInReadyStateException',
      `Deployment ${id} is not waiting for traffic to be rerouted or for the original task set to be terminated`,
    ),
  badWaitType: (v: string) =>
    err(
      'InvalidDeploymentWaitTypeException',
      `Invalid deployment wait type: ${v}; valid types are READY_WAIT and TERMINATION_WAIT`,
    ),
  /** GetDeploymentTarget (and the other target calls) while the deployment is Created or Queued. */
  notStarted: (id: string) =>
    err('DeploymentNotStartedException', `The deployment ${id} has not started yet`),
  descriptionTooLong: () =>
    err('DescriptionTooLongException', 'The description is too long: at most 512 characters'),
  targetIdRequired: () => err('DeploymentTargetIdRequiredException', 'A deployment target ID is required'),
  targetMissing: (id: string) =>
    err('DeploymentTargetDoesNotExistException', `The deployment target ${id} does not exist`),
  revisionRequired: () => err('RevisionRequiredException', 'A revision is required'),
  revision: (message: string) => err('InvalidRevisionException', message),
  configForPlatform: (name: string, platform: string) =>
    err(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${name} cannot be used with the ${platform} compute platform`,
    ),
  computePlatform: (v: string) =>
    err(
      'InvalidComputePlatformException',
      `Invalid compute platform: ${v}; valid platforms are Server, Lambda and ECS`,
    ),
  roleRequired: () =>
    err('RoleRequiredException', 'A service role ARN is required for an ECS deployment group'),
  ecsService: (message: string) => err('InvalidECSServiceException', message),
  loadBalancerInfo: (message: string) => err('InvalidLoadBalancerInfoException', message),
  deploymentStyle: (message: string) => err('InvalidDeploymentStyleException', message),
  blueGreen: (message: string) => err('InvalidBlueGreenDeploymentConfigurationException', message),
  trafficRouting: (message: string) => err('InvalidTrafficRoutingConfigurationException', message),
  rollback: (message: string) => err('InvalidAutoRollbackConfigException', message),
  alarms: (message: string) => err('InvalidAlarmConfigException', message),
  input: (message: string) => err('InvalidInputException', message),
};

/** The `errorInformation` texts of a deployment that did not succeed (ours, in CodeDeploy's style). */
export const CD_FAILURES = {
  hook: (event: string, fn: string) =>
    `The deployment failed because the ${event} lifecycle event hook ${fn} reported Failed.`,
  /** CodeDeploy's own words for an alarm stop (observed), with the alarm named. */
  alarm: (alarms: string[]) =>
    `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ${alarms.join(', ')}`,
  manual: 'The deployment was stopped by the user.',
  readyTimeout: (minutes: number) =>
    `The deployment was stopped because traffic was not rerouted within ${minutes} minutes of the replacement task set becoming ready.`,
  ecsUpdate: (message: string) => `The ECS service cannot be updated due to an error: ${message}`,
  installTimeout: (minutes: number) =>
    `The deployment timed out while waiting for the replacement task set to become stable: its tasks did not become healthy within ${minutes} minutes.`,
  rolledBackBy: (id: string) => `Rollback deployment ${id} was created to restore the original task set.`,
  rollbackOf: (id: string) => `This deployment rolls back deployment ${id}.`,
};
