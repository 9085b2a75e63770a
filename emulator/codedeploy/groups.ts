// Applications and deployment groups: created through the API (CreateApplication,
// CreateDeploymentGroup) or seeded, with the checks CodeDeploy makes for an ECS group (one
// CODE_DEPLOY service that exists, a target group pair, blue/green with traffic control).
import type {
  AlarmConfiguration,
  AutoRollbackConfiguration,
  BlueGreenDeploymentConfiguration,
  DeploymentGroupInfo,
  LoadBalancerInfo,
} from '@aws-sdk/client-codedeploy';

import type { TaskSetApi } from '../ecs/task-sets.js';
import { CD_ERRORS } from './errors.js';
import type { ApplicationRec, GroupRec } from './state.js';

type Loose = Record<string, unknown>;
const isMap = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const PLATFORMS = ['Server', 'Lambda', 'ECS'] as const;
export const DEFAULT_ECS_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

export function requireName(input: Loose, key: 'applicationName' | 'deploymentGroupName'): string {
  const v = str(input[key]);
  if (v !== undefined) return v;
  throw key === 'applicationName' ? CD_ERRORS.applicationNameRequired() : CD_ERRORS.groupNameRequired();
}

export function newApplication(input: Loose, id: string, now: number): ApplicationRec {
  const name = requireName(input, 'applicationName');
  const platform = str(input.computePlatform) ?? 'Server';
  if (!(PLATFORMS as readonly string[]).includes(platform)) throw CD_ERRORS.computePlatform(platform);
  return { id, name, computePlatform: platform as ApplicationRec['computePlatform'], createTime: now };
}

export interface GroupContext {
  app: ApplicationRec;
  id: string;
  ecs: TaskSetApi;
  /** Seeded groups get defaults for what CodeDeploy requires (role, target groups). */
  seeded: boolean;
  region: string;
  accountId: string;
  configExists(name: string): boolean;
}

/** A deployment group from CreateDeploymentGroup's input (or a seed entry). */
export function newGroup(input: Loose, g: GroupContext): GroupRec {
  const name = requireName(input, 'deploymentGroupName');
  const configName =
    str(input.deploymentConfigName) ??
    (g.app.computePlatform === 'ECS' ? DEFAULT_ECS_CONFIG : 'CodeDeployDefault.OneAtATime');
  if (!g.configExists(configName)) throw CD_ERRORS.configMissing(configName);
  const role =
    str(input.serviceRoleArn) ??
    (g.seeded ? `arn:aws:iam::${g.accountId}:role/ecsCodeDeployRole` : undefined);
  if (!role) throw CD_ERRORS.roleRequired();
  const group: GroupRec = {
    id: g.id,
    applicationName: g.app.name,
    name,
    serviceRoleArn: role,
    deploymentConfigName: configName,
    computePlatform: g.app.computePlatform,
    ecsServices: [],
    loadBalancerInfo: {},
    blueGreenDeploymentConfiguration: blueGreen(input.blueGreenDeploymentConfiguration),
    alarmConfiguration: alarms(input.alarmConfiguration),
    autoRollbackConfiguration: autoRollback(input.autoRollbackConfiguration),
    liveTargetGroup: 0,
  };
  if (g.app.computePlatform === 'ECS') checkEcsGroup(input, group, g);
  return group;
}

function checkEcsGroup(input: Loose, group: GroupRec, g: GroupContext): void {
  const style = isMap(input.deploymentStyle) ? input.deploymentStyle : undefined;
  if (style && (style.deploymentType !== 'BLUE_GREEN' || style.deploymentOption !== 'WITH_TRAFFIC_CONTROL')) {
    throw CD_ERRORS.deploymentStyle(
      'An ECS deployment group must use deploymentType BLUE_GREEN with deploymentOption WITH_TRAFFIC_CONTROL',
    );
  }
  const services = Array.isArray(input.ecsServices) ? input.ecsServices : [];
  if (services.length !== 1 || !isMap(services[0])) {
    throw CD_ERRORS.ecsService('An ECS deployment group needs exactly one entry in ecsServices');
  }
  const serviceName = str(services[0].serviceName);
  const clusterName = str(services[0].clusterName);
  if (!serviceName || !clusterName)
    throw CD_ERRORS.ecsService('ecsServices needs serviceName and clusterName');
  const svc = g.ecs.service(clusterName, serviceName);
  if (!svc)
    throw CD_ERRORS.ecsService(`The ECS service ${serviceName} does not exist in cluster ${clusterName}`);
  if (svc.deploymentController.type !== 'CODE_DEPLOY') {
    throw CD_ERRORS.ecsService(
      `The ECS service ${serviceName} must use the CODE_DEPLOY deployment controller, not ${svc.deploymentController.type ?? 'ECS'}`,
    );
  }
  group.ecsServices = [{ serviceName, clusterName }];
  group.loadBalancerInfo = loadBalancerInfo(input.loadBalancerInfo, serviceName, g);
}

function loadBalancerInfo(raw: unknown, service: string, g: GroupContext): LoadBalancerInfo {
  const pairs =
    isMap(raw) && Array.isArray(raw.targetGroupPairInfoList) ? raw.targetGroupPairInfoList : undefined;
  if (!pairs) {
    if (!g.seeded)
      throw CD_ERRORS.loadBalancerInfo(
        'An ECS deployment group needs loadBalancerInfo.targetGroupPairInfoList',
      );
    return {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: `${service}-blue` }, { name: `${service}-green` }],
          prodTrafficRoute: {
            listenerArns: [
              `arn:aws:elasticloadbalancing:${g.region}:${g.accountId}:listener/app/${service}/0123456789abcdef/0123456789abcdef`,
            ],
          },
        },
      ],
    };
  }
  const pair = pairs[0] as Loose | undefined;
  const groups = isMap(pair) && Array.isArray(pair.targetGroups) ? pair.targetGroups : [];
  if (pairs.length !== 1 || groups.length !== 2 || !groups.every((t) => isMap(t) && str(t.name))) {
    throw CD_ERRORS.loadBalancerInfo('targetGroupPairInfoList must hold one pair of two named target groups');
  }
  const prod = isMap(pair) && isMap(pair.prodTrafficRoute) ? pair.prodTrafficRoute : undefined;
  if (!prod || !Array.isArray(prod.listenerArns) || prod.listenerArns.length !== 1) {
    throw CD_ERRORS.loadBalancerInfo('The target group pair needs a prodTrafficRoute with one listener ARN');
  }
  return raw as LoadBalancerInfo;
}

function blueGreen(raw: unknown): BlueGreenDeploymentConfiguration {
  const bg = (isMap(raw) ? raw : {}) as BlueGreenDeploymentConfiguration;
  const ready = bg.deploymentReadyOption ?? {};
  const terminate = bg.terminateBlueInstancesOnDeploymentSuccess ?? {};
  const wait = ready.waitTimeInMinutes ?? 0;
  const termination = terminate.terminationWaitTimeInMinutes ?? 0;
  if (!Number.isInteger(wait) || wait < 0)
    throw CD_ERRORS.blueGreen('deploymentReadyOption.waitTimeInMinutes must be a whole number of minutes');
  if (!Number.isInteger(termination) || termination < 0 || termination > 2880) {
    throw CD_ERRORS.blueGreen('terminationWaitTimeInMinutes must be between 0 and 2880');
  }
  return {
    ...bg,
    deploymentReadyOption: {
      actionOnTimeout: ready.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT',
      waitTimeInMinutes: wait,
    },
    terminateBlueInstancesOnDeploymentSuccess: {
      action: terminate.action ?? 'TERMINATE',
      terminationWaitTimeInMinutes: termination,
    },
  };
}

function alarms(raw: unknown): AlarmConfiguration {
  if (!isMap(raw)) return { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
  const list = Array.isArray(raw.alarms) ? raw.alarms : [];
  if (list.length > 10) throw CD_ERRORS.alarms('A deployment group can have at most 10 alarms');
  return {
    enabled: raw.enabled === true,
    ignorePollAlarmFailure: raw.ignorePollAlarmFailure === true,
    alarms: list.map((a) => ({ name: String((a as Loose)?.name ?? '') })),
  };
}

const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];

export function autoRollback(raw: unknown): AutoRollbackConfiguration {
  if (!isMap(raw)) return { enabled: false, events: [] };
  const events = Array.isArray(raw.events) ? raw.events.map(String) : [];
  const bad = events.find((e) => !ROLLBACK_EVENTS.includes(e));
  if (bad)
    throw CD_ERRORS.rollback(
      `Invalid auto rollback event ${bad}; valid events are ${ROLLBACK_EVENTS.join(', ')}`,
    );
  return { enabled: raw.enabled === true, events: events as AutoRollbackConfiguration['events'] };
}

export function groupOutput(g: GroupRec): DeploymentGroupInfo {
  const ecs = g.computePlatform === 'ECS';
  return {
    applicationName: g.applicationName,
    deploymentGroupId: g.id,
    deploymentGroupName: g.name,
    deploymentConfigName: g.deploymentConfigName,
    serviceRoleArn: g.serviceRoleArn,
    alarmConfiguration: g.alarmConfiguration,
    autoRollbackConfiguration: g.autoRollbackConfiguration,
    deploymentStyle: ecs
      ? { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' }
      : { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
    ...(ecs ? { blueGreenDeploymentConfiguration: g.blueGreenDeploymentConfiguration } : {}),
    loadBalancerInfo: g.loadBalancerInfo,
    ecsServices: g.ecsServices,
    computePlatform: g.computePlatform,
    outdatedInstancesStrategy: 'UPDATE',
    terminationHookEnabled: false,
    ...(g.lastSuccessfulDeployment ? { lastSuccessfulDeployment: dated(g.lastSuccessfulDeployment) } : {}),
    ...(g.lastAttemptedDeployment ? { lastAttemptedDeployment: dated(g.lastAttemptedDeployment) } : {}),
  };
}

function dated(l: NonNullable<GroupRec['lastAttemptedDeployment']>) {
  return {
    deploymentId: l.id,
    status: l.status,
    createTime: new Date(l.createTime),
    ...(l.endTime !== undefined ? { endTime: new Date(l.endTime) } : {}),
  };
}
