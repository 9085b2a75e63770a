// What DescribeServiceDeployments adds for a BLUE_GREEN, LINEAR or CANARY service deployment:
// lifecycleStage, lifecycleHookDetails, traffic weights on the revisions, alarms
// (docs/ecs-behaviour.md, "What stays visible after a rollback"). Pure.
import type { ServiceDeployment, ServiceDeploymentAlarms } from '@aws-sdk/client-ecs';

import { hookDetailOutput } from './hooks.js';
import type { RevisionCounts, ServiceDeploymentRec } from './state.js';

/**
 * Green's requested weights: what the lifecycle asked for; 100 once successful; 0 once traffic went
 * back to blue. The revision that served production when the deployment started has the rest.
 */
function weights(sd: ServiceDeploymentRec): { test: number; production: number } {
  const shift = sd.shift!;
  if (sd.rollback !== undefined || shift.rolledBack) return { test: 0, production: 0 };
  if (sd.status === 'SUCCESSFUL') return { test: 100, production: 100 };
  return { test: shift.testWeight, production: shift.productionWeight };
}

const withWeights = (r: RevisionCounts, test: number, production: number) => ({
  ...r,
  requestedTestTrafficWeight: test,
  requestedProductionTrafficWeight: production,
});

/** The fields a traffic-shifting service deployment adds to (or changes in) the output. */
export function shiftOutputFields(
  sd: ServiceDeploymentRec,
  revisions: { sources: RevisionCounts[]; target: RevisionCounts },
): Partial<ServiceDeployment> {
  const shift = sd.shift!;
  const w = weights(sd);
  const blueArn = sd.sources.find((s) => s.deploymentId === shift.blueDeploymentId)?.arn;
  const alarms: ServiceDeploymentAlarms = {
    status: shift.alarms.status,
    alarmNames: shift.alarms.enabled ? [...shift.alarms.names] : [],
    triggeredAlarmNames: [...shift.alarms.triggered],
  };
  return {
    lifecycleStage: shift.stage as ServiceDeployment['lifecycleStage'],
    lifecycleHookDetails: shift.hooks.map(hookDetailOutput),
    targetServiceRevision: withWeights(revisions.target, w.test, w.production),
    sourceServiceRevisions: revisions.sources.map((r) =>
      r.arn === blueArn ? withWeights(r, 100 - w.test, 100 - w.production) : withWeights(r, 0, 0),
    ),
    alarms,
  };
}
