// The fields of a service definition, from the SDK's CreateServiceRequest / UpdateServiceRequest
// (@aws-sdk/client-ecs): which a file may hold, which UpdateService can change, which are fixed
// once the service exists, and which DescribeServices adds that a file must not carry
// (docs/ecs-behaviour.md, "Service definitions").

/** Every field CreateService takes. */
export const CREATE_FIELDS: ReadonlySet<string> = new Set([
  'cluster',
  'serviceName',
  'taskDefinition',
  'availabilityZoneRebalancing',
  'loadBalancers',
  'serviceRegistries',
  'desiredCount',
  'clientToken',
  'launchType',
  'capacityProviderStrategy',
  'platformVersion',
  'role',
  'deploymentConfiguration',
  'placementConstraints',
  'placementStrategy',
  'networkConfiguration',
  'healthCheckGracePeriodSeconds',
  'schedulingStrategy',
  'deploymentController',
  'tags',
  'enableECSManagedTags',
  'propagateTags',
  'enableExecuteCommand',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
  'gatewayConnectors',
  'monitoring',
]);

/**
 * The fields UpdateService changes on an existing service, sent with the new revision when they
 * differ. `desiredCount` is not here: on an existing service it follows the `desired-count` input
 * only (auto scaling owns it otherwise); `tags` go through TagResource / UntagResource.
 */
export const UPDATE_FIELDS: readonly string[] = [
  'capacityProviderStrategy',
  'deploymentConfiguration',
  'availabilityZoneRebalancing',
  'networkConfiguration',
  'placementConstraints',
  'placementStrategy',
  'platformVersion',
  'healthCheckGracePeriodSeconds',
  'deploymentController',
  'enableExecuteCommand',
  'enableECSManagedTags',
  'loadBalancers',
  'propagateTags',
  'serviceRegistries',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
  'gatewayConnectors',
  'monitoring',
];

/**
 * Fields only CreateService takes: on an existing service a different value cannot be applied,
 * the service must be recreated. Compared with the service as DescribeServices shows it.
 */
export const IMMUTABLE_FIELDS: readonly string[] = ['launchType', 'schedulingStrategy', 'role'];

/**
 * What DescribeServices adds to a service that CreateService does not take: runtime state and
 * read-only fields, stripped from a file of `aws ecs describe-services` output.
 */
export const READ_ONLY_SERVICE_FIELDS: readonly string[] = [
  'serviceArn',
  'clusterArn',
  'status',
  'runningCount',
  'pendingCount',
  'platformFamily',
  'taskSets',
  'deployments',
  'roleArn',
  'events',
  'createdAt',
  'currentServiceDeployment',
  'currentServiceRevisions',
  'createdBy',
  'resourceManagementType',
];

/** Whole-number fields: a whole-value placeholder there becomes a number. */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'desiredCount',
  'healthCheckGracePeriodSeconds',
  'deploymentConfiguration.minimumHealthyPercent',
  'deploymentConfiguration.maximumPercent',
  'deploymentConfiguration.bakeTimeInMinutes',
  'loadBalancers[].containerPort',
  'serviceRegistries[].port',
  'serviceRegistries[].containerPort',
  'capacityProviderStrategy[].weight',
  'capacityProviderStrategy[].base',
]);

/** Boolean fields: a whole-value placeholder there becomes `true` or `false`. */
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set([
  'enableECSManagedTags',
  'enableExecuteCommand',
  'deploymentConfiguration.deploymentCircuitBreaker.enable',
  'deploymentConfiguration.deploymentCircuitBreaker.rollback',
  'deploymentConfiguration.alarms.enable',
  'deploymentConfiguration.alarms.rollback',
  'serviceConnectConfiguration.enabled',
]);

/** ECS's limits on a service definition (docs/ecs-behaviour.md, "Service definitions"). */
export const LIMITS = {
  /** Target groups per service. */
  targetGroups: 5,
  /** Subnets and security groups in an awsvpc configuration. */
  subnets: 16,
  securityGroups: 5,
  /** The tasks-per-service quota. */
  desiredCount: 5000,
  healthCheckGracePeriodSeconds: 2_147_483_647,
  /** Tags per resource. */
  tags: 50,
} as const;
