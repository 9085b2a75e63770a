// The continue step (`continue-deployment`): the paused hook of a service deployment is found
// (DescribeServiceDeployments, lifecycleHookDetails with status AWAITING_ACTION) and
// ContinueServiceDeployment is called for it with CONTINUE or ROLLBACK (docs/ecs-behaviour.md,
// "Blue/green, linear and canary deployments"). The deployment is then followed on to its verdict
// (follow.ts). Nothing is paused: a clear error, and nothing written.

import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { CallOptions, EcsPort } from '../aws/ports.js';
import { ProblemsError } from '../lib/problems.js';
import type { ContinueAction } from '../lib/request.js';
import { pausedHook } from './judge.js';
import { configuredStage } from './timeline.js';

export interface Continued {
  serviceDeployment: ServiceDeployment;
  hookId: string;
  action: ContinueAction;
  /** The stage the hook is configured at (timeline.ts, configuredStage), for the log. */
  stage?: string;
}

const NOT_PAUSED_HEADING = 'Nothing to continue, so nothing was written to AWS';

/** Why a service deployment cannot be continued; undefined when one of its hooks awaits action. */
export function notPausedReason(arn: string, sd: ServiceDeployment | undefined): string | undefined {
  if (!sd) return `ECS has no service deployment ${arn}.`;
  if (pausedHook(sd)) return undefined;
  const where = sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : '';
  return `Service deployment ${arn} is ${sd.status ?? 'in an unknown state'}${where} and no PAUSE hook awaits action (no lifecycleHookDetails with status AWAITING_ACTION): there is nothing to continue.`;
}

/** Finds the paused hook and asks ECS to continue it (or roll back); throws when nothing is paused. */
export async function continueDeployment(
  ecs: EcsPort,
  request: { arn: string; action: ContinueAction },
  options: CallOptions = {},
): Promise<Continued> {
  const { arn, action } = request;
  const described = await ecs.describeServiceDeployments([arn], options);
  const sd = described.serviceDeployments[0];
  const why = notPausedReason(arn, sd);
  const hook = sd && pausedHook(sd);
  if (why || !sd || !hook?.hookId) {
    throw new ProblemsError(
      [{ severity: 'error', input: 'continue-deployment', message: why ?? 'No hook awaits action.' }],
      NOT_PAUSED_HEADING,
    );
  }
  await ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId: hook.hookId, action }, options);
  const stage = configuredStage(sd, hook, sd.lifecycleStage);
  return { serviceDeployment: sd, hookId: hook.hookId, action, ...(stage ? { stage } : {}) };
}
