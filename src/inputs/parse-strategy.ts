// Parsers for ECS-native blue/green, linear and canary deployments: the strategy and its numbers
// (sent in the same UpdateService as the new revision), where to stop following (a lifecycle
// stage, a pause), and the continue step (`continue-deployment`). The limits are ECS's
// (docs/ecs-behaviour.md, "Blue/green, linear and canary deployments"); the checks against what
// the service has are in src/strategy/checks.ts.

import { RENDER_INPUTS, SOURCE_INPUTS } from './groups.js';
import { DEPLOYMENT_STRATEGIES, type ContinueAction, type DeploymentStrategyName } from '../lib/request.js';
import type { DeployRequest } from '../lib/request.js';
import { parseBoolean, parseEnum, oneOf, type InputParser } from './context.js';
import type { InputName } from './table.js';

/**
 * ECS's lifecycle stages in the order a deployment passes them (AWS documentation, "How Amazon ECS
 * blue/green deployments work"). PRE_PRODUCTION_TRAFFIC_SHIFT is a stage the documentation names
 * and hooks run at, though the SDK's enum of reported stages leaves it out.
 */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

/** `bakeTimeInMinutes`, `canaryBakeTimeInMinutes`, `stepBakeTimeInMinutes`: 0 to 1440. */
export const MAX_BAKE_MINUTES = 1440;

/** Whole minutes from 0 to 1440. */
function bakeMinutes(value: string, fail: (message: string) => void): number | undefined {
  if (value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_BAKE_MINUTES) {
    fail(`"${value}" is not a whole number of minutes from 0 to ${MAX_BAKE_MINUTES}.`);
    return undefined;
  }
  return Number(value);
}

/**
 * A percentage within [min, 100], as the API's double: written with up to two decimals
 * (`10.50`), its value a multiple of 0.1 (the SDK's model: "multiples of 0.1"), so `10.55` is
 * refused here rather than by UpdateService after the registration.
 */
function percent(value: string, min: number, fail: (message: string) => void): number | undefined {
  if (value === '') return undefined;
  const n = /^\d+(\.\d{1,2})?$/.test(value) ? Number(value) : NaN;
  const tenths = Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;
  if (Number.isNaN(n) || n < min || n > 100 || !tenths) {
    fail(`"${value}" is not a percentage from ${min} to 100 in steps of 0.1.`);
    return undefined;
  }
  return Math.round(n * 10) / 10;
}

export const parseDeploymentStrategy: InputParser = (value, ctx) => ({
  deploymentStrategy: parseEnum<DeploymentStrategyName>(value, DEPLOYMENT_STRATEGIES, ctx),
});

export const parseBakeTime: InputParser = (value, ctx) => ({
  bakeTimeInMinutes: bakeMinutes(value, ctx.fail),
});

/** `canary-percent`: ECS takes 0.1 to 100 (default 5). */
export const parseCanaryPercent: InputParser = (value, ctx) => ({
  canaryPercent: percent(value, 0.1, ctx.fail),
});

export const parseCanaryBakeTime: InputParser = (value, ctx) => ({
  canaryBakeTimeInMinutes: bakeMinutes(value, ctx.fail),
});

/** `linear-step-percent`: ECS takes 3 to 100 (default 10). */
export const parseLinearStepPercent: InputParser = (value, ctx) => ({
  linearStepPercent: percent(value, 3, ctx.fail),
});

export const parseLinearStepBakeTime: InputParser = (value, ctx) => ({
  linearStepBakeTimeInMinutes: bakeMinutes(value, ctx.fail),
});

export const parseWaitUntilStage: InputParser = (value, ctx) => {
  if (value === '') return {};
  const stage = LIFECYCLE_STAGES.find((s) => s === value.toUpperCase());
  if (!stage) {
    ctx.fail(`"${value}" is not an ECS lifecycle stage; use ${oneOf(LIFECYCLE_STAGES)}.`);
    return {};
  }
  return { waitUntilStage: stage };
};

/** Set only when true, so a request without blue/green inputs has none of their fields. */
export const parseContinueOnPause: InputParser = (value, ctx) =>
  parseBoolean(value, ctx) ? { continueOnPause: true } : {};

/** `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`. */
const SERVICE_DEPLOYMENT_ARN =
  /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):service-deployment\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]+)$/;

export interface ServiceDeploymentArnParts {
  region: string;
  account: string;
  cluster: string;
  service: string;
}

export function parseServiceDeploymentArn(arn: string): ServiceDeploymentArnParts | undefined {
  const m = SERVICE_DEPLOYMENT_ARN.exec(arn);
  return m ? { region: m[1], account: m[2], cluster: m[3], service: m[4] } : undefined;
}

/**
 * `continue-deployment`: the ARN names its cluster and service, which this step then uses; a
 * `service` or `cluster` input given as well must name the same.
 */
export const parseContinueDeployment: InputParser = (value, ctx) => {
  if (value === '') return {};
  const parts = parseServiceDeploymentArn(value);
  if (!parts) {
    ctx.fail(
      `"${value}" is not a service deployment ARN (arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>), as the paused step's service-deployment-arn output gives it.`,
    );
    return {};
  }
  if (ctx.options.region && parts.region !== ctx.options.region) {
    ctx.fail(`"${value}" is in region ${parts.region}, but this step runs in ${ctx.options.region}.`);
  }
  const service = ctx.request.service;
  const serviceName = service?.slice(service.lastIndexOf('/') + 1);
  if (serviceName && serviceName !== parts.service) {
    ctx.failOn(
      'service',
      `service is "${service}", but continue-deployment is a deployment of "${parts.service}".`,
    );
  }
  // The runner passes `default` for an unset cluster: only another name given is a contradiction.
  const cluster = ctx.raw('cluster') === 'default' ? '' : ctx.raw('cluster');
  const clusterName = cluster.slice(cluster.lastIndexOf('/') + 1);
  if (clusterName && clusterName !== parts.cluster) {
    ctx.failOn(
      'cluster',
      `cluster is "${ctx.raw('cluster')}", but continue-deployment is in cluster "${parts.cluster}".`,
    );
  }
  return {
    continueDeployment: value,
    service: service ?? parts.service,
    cluster: cluster || parts.cluster,
  };
};

/** Inputs that shape a new deployment, which a continue step does not start. */
const DEPLOY_INPUTS: readonly InputName[] = [
  ...SOURCE_INPUTS,
  ...RENDER_INPUTS,
  'service-definition',
  'desired-count',
  'enable-ecs-managed-tags',
  'propagate-tags',
  'circuit-breaker',
  'deployment-strategy',
  'bake-time-in-minutes',
  'canary-percent',
  'canary-bake-time-in-minutes',
  'linear-step-percent',
  'linear-step-bake-time-in-minutes',
  'keep-revisions',
  'delete-deregistered',
  'service-managed-ebs-volume-name',
  'service-managed-ebs-volume',
  'codedeploy-appspec',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-description',
  'codedeploy-deployment-config',
  'run-task-container-overrides',
  'run-task-subnets',
  'run-task-security-groups',
  'run-task-assign-public-IP',
  'run-task-capacity-provider-strategy',
  'run-task-launch-type',
  'run-task-started-by',
  'run-task-tags',
  'run-task-managed-ebs-volume-name',
  'run-task-managed-ebs-volume',
  'run-task-command',
  'wait-for-task-stopped',
  'stop-task-on-timeout',
  'github-environment',
  'environment-url',
];

type Fail = (input: InputName, message: string) => void;

/**
 * Rules between the blue/green inputs and the others, once every input is parsed. `raw` gives an
 * input as written, '' when unset or equal to its default (the runner fills defaults in, so a
 * default cannot be told from an unset input: src/inputs/cross.ts).
 */
export function checkStrategyInputs(
  request: DeployRequest,
  raw: (name: InputName) => string,
  fail: Fail,
): void {
  if (request.continueDeployment) checkContinueStep(request, raw, fail);
  else if (raw('continue-action')) {
    fail(
      'continue-action',
      'continue-action needs continue-deployment: the service deployment ARN to continue.',
    );
  }
  const strategy = request.deploymentStrategy;
  const wrong = (input: InputName, needs: DeploymentStrategyName) => {
    if (raw(input) && strategy && strategy !== needs) {
      fail(input, `${input} applies to the ${needs} strategy, but deployment-strategy is ${strategy}.`);
    }
  };
  wrong('canary-percent', 'CANARY');
  wrong('canary-bake-time-in-minutes', 'CANARY');
  wrong('linear-step-percent', 'LINEAR');
  wrong('linear-step-bake-time-in-minutes', 'LINEAR');
  for (const input of ['bake-time-in-minutes', 'wait-until-stage'] as const) {
    if (raw(input) && strategy === 'ROLLING') {
      fail(
        input,
        `${input} applies to BLUE_GREEN, LINEAR and CANARY deployments, but deployment-strategy is ROLLING.`,
      );
    }
  }
  if (!request.waitForServiceStability) {
    for (const input of ['wait-until-stage', 'continue-on-pause'] as const) {
      if (raw(input) && !(input === 'continue-on-pause' && !request.continueOnPause)) {
        fail(input, `${input} has no effect when wait-for-service-stability is false.`);
      }
    }
  }
}

/** A continue step acts on a deployment already started: it registers and changes nothing else. */
function checkContinueStep(request: DeployRequest, raw: (name: InputName) => string, fail: Fail): void {
  if ((request.services?.length ?? 0) > 1) {
    fail(
      'service',
      'service names several services, but continue-deployment continues one service deployment: give that one service, or none (the ARN names it).',
    );
  }
  for (const input of DEPLOY_INPUTS) {
    if (raw(input)) {
      fail(
        input,
        `${input} shapes a new deployment, but continue-deployment continues one already started: remove ${input}, or continue-deployment.`,
      );
    }
  }
  const flags: [InputName, boolean][] = [
    ['run-task', request.runTask],
    ['force-new-deployment', request.forceNewDeployment],
    ['dry-run', request.dryRun],
    ['create-service', request.createService === true],
  ];
  for (const [input, on] of flags) {
    if (on)
      fail(
        input,
        `${input} cannot be used with continue-deployment, which continues a deployment already started.`,
      );
  }
}

export const parseContinueAction: InputParser = (value, ctx) => {
  const action = parseEnum<ContinueAction>(value, ['CONTINUE', 'ROLLBACK'], ctx);
  return action ? { continueAction: action } : {};
};
