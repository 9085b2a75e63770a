// The deployment strategy fields of CreateService / UpdateService (BLUE_GREEN, LINEAR, CANARY,
// their bake times, lifecycle hooks and the load balancers' advancedConfiguration), checked as ECS
// checks them (docs/ecs-behaviour.md, "Blue/green, linear and canary deployments"). Pure functions.
import type { DeploymentConfiguration, DeploymentLifecycleHook, LoadBalancer } from '@aws-sdk/client-ecs';

import { invalidParameter } from './input.js';

export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** The strategies that shift traffic between two revisions through lifecycle stages. */
export type ShiftStrategy = Exclude<Strategy, 'ROLLING'>;

/** The stages a hook may name (the hook enum: PRE_PRODUCTION_TRAFFIC_SHIFT is only here). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
/** Traffic moves during these stages; ECS does not let a PAUSE hook stop in the middle of a shift. */
const NO_PAUSE_STAGES = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

/** The API's defaults (SDK model documentation). */
export const DEFAULTS = {
  canaryPercent: 5,
  canaryBakeTimeInMinutes: 10,
  linearStepPercent: 10,
  linearStepBakeTimeInMinutes: 6,
  hookTimeoutInMinutes: 1440,
  hookTimeoutAction: 'ROLLBACK',
} as const;

const MAX_BAKE_MINUTES = 1440;
const MAX_HOOK_TIMEOUT_MINUTES = 20160;

const TARGET_GROUP_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
/** A listener rule (ALB) or a listener (NLB): both are accepted as a "listener rule". */
const LISTENER_OR_RULE_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener(-rule)?\/(app|net)\/[A-Za-z0-9-]+\/[0-9a-f]{16}\/[0-9a-f]{16}(\/[0-9a-f]{16})?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

export function strategyOf(cfg: DeploymentConfiguration | undefined): Strategy {
  return (cfg?.strategy ?? 'ROLLING') as Strategy;
}

export const isShiftStrategy = (s: Strategy): s is ShiftStrategy => s !== 'ROLLING';

/** A multiple of 0.1 (the API's step), allowing for floating point. */
const tenths = (v: number): boolean => Math.abs(v * 10 - Math.round(v * 10)) < 1e-6;

function checkMinutes(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_BAKE_MINUTES) {
    throw invalidParameter(`${field} must be an integer between 0 and ${MAX_BAKE_MINUTES}.`);
  }
}

function checkPercent(value: unknown, field: string, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < min || value > 100 || !tenths(value)) {
    throw invalidParameter(`${field} must be a multiple of 0.1 between ${min.toFixed(1)} and 100.0.`);
  }
}

function checkHook(hook: DeploymentLifecycleHook, index: number): void {
  const at = `lifecycleHooks[${index}]`;
  const type = hook.targetType ?? 'AWS_LAMBDA';
  if (type !== 'AWS_LAMBDA' && type !== 'PAUSE') {
    throw invalidParameter(`${at}.targetType must be one of AWS_LAMBDA, PAUSE.`);
  }
  const stages = hook.lifecycleStages ?? [];
  if (stages.length === 0) throw invalidParameter(`${at}.lifecycleStages should not be null or empty.`);
  for (const stage of stages) {
    if (!(HOOK_STAGES as readonly string[]).includes(stage)) {
      throw invalidParameter(`${at}.lifecycleStages: ${stage} is not one of ${HOOK_STAGES.join(', ')}.`);
    }
    if (type === 'PAUSE' && NO_PAUSE_STAGES.includes(stage)) {
      throw invalidParameter(
        'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.',
      );
    }
  }
  if (type === 'AWS_LAMBDA') {
    if (!hook.hookTargetArn) {
      throw invalidParameter(`${at}.hookTargetArn must be provided for an AWS_LAMBDA lifecycle hook.`);
    }
    if (!LAMBDA_ARN.test(hook.hookTargetArn)) {
      throw invalidParameter(
        `${at}.hookTargetArn is not a valid Lambda function ARN: ${hook.hookTargetArn}.`,
      );
    }
    if (!hook.roleArn)
      throw invalidParameter(`${at}.roleArn must be provided for an AWS_LAMBDA lifecycle hook.`);
  }
  if (hook.roleArn !== undefined && !ROLE_ARN.test(hook.roleArn)) {
    throw invalidParameter(`${at}.roleArn is not a valid IAM role ARN: ${hook.roleArn}.`);
  }
  const timeout = hook.timeoutConfiguration;
  const minutes = timeout?.timeoutInMinutes;
  if (
    minutes !== undefined &&
    (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_HOOK_TIMEOUT_MINUTES)
  ) {
    throw invalidParameter(
      `${at}.timeoutConfiguration.timeoutInMinutes must be between 1 and ${MAX_HOOK_TIMEOUT_MINUTES}.`,
    );
  }
  if (timeout?.action !== undefined && timeout.action !== 'CONTINUE' && timeout.action !== 'ROLLBACK') {
    throw invalidParameter(`${at}.timeoutConfiguration.action must be one of CONTINUE, ROLLBACK.`);
  }
}

function checkAdvancedConfiguration(lb: LoadBalancer, index: number, strategy: ShiftStrategy): void {
  const at = `loadBalancers[${index}]`;
  const adv = lb.advancedConfiguration;
  if (!adv) {
    throw invalidParameter(
      `${at}.advancedConfiguration must be provided when the deployment strategy is ${strategy}: alternateTargetGroupArn, productionListenerRule and roleArn.`,
    );
  }
  if (!adv.alternateTargetGroupArn) {
    throw invalidParameter(`${at}.advancedConfiguration.alternateTargetGroupArn must be provided.`);
  }
  if (!TARGET_GROUP_ARN.test(adv.alternateTargetGroupArn)) {
    throw invalidParameter(`Invalid target group ARN: ${adv.alternateTargetGroupArn}.`);
  }
  if (adv.alternateTargetGroupArn === lb.targetGroupArn) {
    throw invalidParameter(
      `${at}.advancedConfiguration.alternateTargetGroupArn must differ from targetGroupArn.`,
    );
  }
  if (!adv.productionListenerRule) {
    throw invalidParameter(`${at}.advancedConfiguration.productionListenerRule must be provided.`);
  }
  for (const [field, arn] of [
    ['productionListenerRule', adv.productionListenerRule],
    ['testListenerRule', adv.testListenerRule],
  ] as const) {
    if (arn !== undefined && !LISTENER_OR_RULE_ARN.test(arn)) {
      throw invalidParameter(
        `${at}.advancedConfiguration.${field} is not a listener or listener rule ARN: ${arn}.`,
      );
    }
  }
  if (!adv.roleArn) throw invalidParameter(`${at}.advancedConfiguration.roleArn must be provided.`);
  if (!ROLE_ARN.test(adv.roleArn)) {
    throw invalidParameter(
      `${at}.advancedConfiguration.roleArn is not a valid IAM role ARN: ${adv.roleArn}.`,
    );
  }
}

export interface StrategyCheck {
  /** The configuration the service will have (after UpdateService's merge). */
  cfg: DeploymentConfiguration;
  /** Only what the request itself sent: the per-strategy blocks are checked against it. */
  sent?: DeploymentConfiguration;
  loadBalancers: readonly LoadBalancer[];
  serviceConnect: boolean;
  controller: string;
}

/** Throws InvalidParameterException, as ECS does, for a strategy the service cannot run. */
export function validateStrategy(check: StrategyCheck): void {
  const { cfg, loadBalancers } = check;
  const sent = check.sent ?? cfg;
  const strategy = cfg.strategy ?? 'ROLLING';
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw invalidParameter(`strategy must be one of ${STRATEGIES.join(', ')}.`);
  }
  checkMinutes(cfg.bakeTimeInMinutes, 'bakeTimeInMinutes');
  // The SDK's model: "You must provide this parameter when you use the BLUE_GREEN deployment strategy."
  if (strategy === 'BLUE_GREEN' && cfg.bakeTimeInMinutes === undefined) {
    throw invalidParameter('bakeTimeInMinutes must be provided when the deployment strategy is BLUE_GREEN.');
  }
  if (sent.linearConfiguration !== undefined && strategy !== 'LINEAR') {
    throw invalidParameter('linearConfiguration is only valid when the deployment strategy is LINEAR.');
  }
  if (sent.canaryConfiguration !== undefined && strategy !== 'CANARY') {
    throw invalidParameter('canaryConfiguration is only valid when the deployment strategy is CANARY.');
  }
  checkPercent(cfg.linearConfiguration?.stepPercent, 'linearConfiguration.stepPercent', 3);
  checkMinutes(cfg.linearConfiguration?.stepBakeTimeInMinutes, 'linearConfiguration.stepBakeTimeInMinutes');
  checkPercent(cfg.canaryConfiguration?.canaryPercent, 'canaryConfiguration.canaryPercent', 0.1);
  checkMinutes(
    cfg.canaryConfiguration?.canaryBakeTimeInMinutes,
    'canaryConfiguration.canaryBakeTimeInMinutes',
  );
  (cfg.lifecycleHooks ?? []).forEach(checkHook);
  const s = strategy as Strategy;
  if (!isShiftStrategy(s)) return;
  if (check.controller !== 'ECS') {
    throw invalidParameter(
      `The ${s} deployment strategy is only supported with the ECS deployment controller.`,
    );
  }
  if (loadBalancers.length === 0 && !check.serviceConnect) {
    throw invalidParameter(
      `The ${s} deployment strategy requires a load balancer with advancedConfiguration or Service Connect.`,
    );
  }
  loadBalancers.forEach((lb, i) => checkAdvancedConfiguration(lb, i, s));
}
