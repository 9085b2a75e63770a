// Two runs of the same commit deploying one service at once: run B's UpdateService replaces run
// A's deployment with one whose task definition has the same content under another revision
// number. For run A that is not "someone else changed the service": the deployment that replaced
// ours deploys what we meant to, so A follows it on and reports its verdict. A replacement with
// different content stays `superseded`.

import { shortTaskDefinition } from '../lib/arn.js';
import { isIdentical } from '../taskdef/diff.js';
import { ABORTED, unlessAborted } from './clock.js';
import { sameTaskDefinition } from './deploy.js';
import type { DeploymentRef } from './deployment-facts.js';
import type { FollowSession, FollowTarget } from './session.js';

/** How often to try for a budget slot before the DescribeTaskDefinition calls. */
const SLOT_RETRY_MS = 1000;

/**
 * Whether `by` deploys a task definition identical in content to the followed one's (family and
 * revision aside, as taskdef/diff.ts compares). Compares by DescribeTaskDefinition of both; a
 * failed or abandoned look counts as "not identical" (warned), which keeps the verdict superseded.
 */
export async function isIdenticalSuccessor(s: FollowSession, by: DeploymentRef): Promise<boolean> {
  const ours = s.target.taskDefinitionArn;
  const theirs = by.taskDefinitionArn;
  if (!theirs) return false;
  if (sameTaskDefinition(ours, theirs)) return true;
  try {
    const a = await describe(s, ours);
    if (a === ABORTED) return false;
    const b = await describe(s, theirs);
    return b !== ABORTED && isIdentical(a, b);
  } catch (err) {
    s.log.warning(
      `Could not compare ${shortTaskDefinition(theirs)} with ${shortTaskDefinition(ours)}: ${(err as Error).message}`,
    );
    return false;
  }
}

async function describe(s: FollowSession, arn: string) {
  // Within the request budget, like every call beside DescribeServices; this one cannot be skipped.
  while (!s.budget.takeOptionalSlot(s.clock.now())) {
    if (s.callSignal?.aborted) return ABORTED;
    await s.clock.sleep(SLOT_RETRY_MS, s.callSignal);
  }
  const described = await unlessAborted(
    s.ecs.describeTaskDefinition(arn, { signal: s.callSignal }),
    s.callSignal,
  );
  return described === ABORTED ? ABORTED : described.taskDefinition;
}

/** The target to follow instead of `from`: the deployment `by`, as the last DescribeServices shows it. */
export function successorTarget(s: FollowSession, by: DeploymentRef): FollowTarget {
  const from = s.target;
  const d = s.lastService?.deployments?.find((x) => x.id === by.deploymentId);
  return {
    cluster: from.cluster,
    serviceName: from.serviceName,
    deploymentId: by.deploymentId,
    taskDefinitionArn: by.taskDefinitionArn ?? from.taskDefinitionArn,
    previousPrimaryId: from.deploymentId,
    startedAt: from.startedAt,
    createdAt: d?.createdAt,
  };
}

/** `deployment ecs-svc/… of web:13, identical to ours (web:12), started by another run` */
export function successorText(ours: FollowTarget, by: FollowTarget): string {
  return `deployment ${by.deploymentId} of ${shortTaskDefinition(by.taskDefinitionArn)}, identical to ours (${shortTaskDefinition(ours.taskDefinitionArn)}), started by another run`;
}
