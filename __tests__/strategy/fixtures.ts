// Blue/green service deployments as DescribeServiceDeployments answers them, for the strategy
// tests: one deployment of web (blue ecs-svc/OLD → green ecs-svc/NEW) at a stage, with hooks,
// weights and alarms as a test needs them.
import type {
  DeploymentLifecycleHookDetail,
  LoadBalancer,
  Service,
  ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { NEW, OLD, REVISION_PREFIX, SD_ARN, T0 } from '../rollout/ecs-fixtures.js';

export const GREEN = `${REVISION_PREFIX}${NEW.split('/')[1]}`;
export const BLUE = `${REVISION_PREFIX}${OLD.split('/')[1]}`;
export const HOOK_ID = 'ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR_ZpWq';

export function staged(
  stage: ServiceDeployment['lifecycleStage'],
  extra: Partial<ServiceDeployment> & { production?: number; test?: number } = {},
): ServiceDeployment {
  const { production, test, ...rest } = extra;
  return {
    serviceDeploymentArn: SD_ARN,
    status: 'IN_PROGRESS',
    lifecycleStage: stage,
    createdAt: T0,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
    targetServiceRevision: {
      arn: GREEN,
      ...(production !== undefined ? { requestedProductionTrafficWeight: production } : {}),
      ...(test !== undefined ? { requestedTestTrafficWeight: test } : {}),
    },
    sourceServiceRevisions: [
      {
        arn: BLUE,
        ...(production !== undefined ? { requestedProductionTrafficWeight: 100 - production } : {}),
        ...(test !== undefined ? { requestedTestTrafficWeight: 100 - test } : {}),
      },
    ],
    ...rest,
  };
}

export const pauseHook = (
  status: DeploymentLifecycleHookDetail['status'],
): DeploymentLifecycleHookDetail => ({
  hookId: HOOK_ID,
  targetType: 'PAUSE',
  status,
  timeoutAction: 'ROLLBACK',
});

export const lambdaHook = (
  name: string,
  status: DeploymentLifecycleHookDetail['status'],
): DeploymentLifecycleHookDetail => ({
  hookId: `ecs-lambda-${name}`,
  targetType: 'AWS_LAMBDA',
  targetArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  status,
});

export const BLUE_GREEN_LB: LoadBalancer = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1',
  containerName: 'app',
  containerPort: 80,
  advancedConfiguration: {
    alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2',
    productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/x/1/2/3',
    testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/x/1/2/4',
    roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
  },
};

export function withStrategy(
  service: Service,
  strategy: string,
  lbs: LoadBalancer[] = [BLUE_GREEN_LB],
): Service {
  return {
    ...service,
    loadBalancers: lbs,
    deploymentConfiguration: { ...service.deploymentConfiguration, strategy: strategy as 'BLUE_GREEN' },
  };
}
