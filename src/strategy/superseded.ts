// Whether a STOPPED service deployment was replaced by a newer one: another UpdateService while
// the step followed ours stops ours (docs/ecs-behaviour.md, "Blue/green, linear and canary
// deployments"), and the step then ends `superseded`, as a replaced rolling deployment does
// (src/rollout/verdict.ts), rather than `failed`.

import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { EcsPort } from '../aws/ports.js';
import { toAwsCallError } from '../aws/errors.js';
import { deploymentIdOfRevision } from '../rollout/deployment-facts.js';

export interface NewerQuery {
  cluster: string;
  service: string;
  /** Ours, seen STOPPED. */
  sd: ServiceDeployment;
  signal?: AbortSignal;
}

/** The service deployment created at or after ours, other than ours; undefined when there is none. */
export async function newerDeployment(
  deps: { ecs: EcsPort; log: { warning(line: string): void } },
  query: NewerQuery,
): Promise<{ deploymentId: string } | undefined> {
  const { sd } = query;
  const since = sd.createdAt;
  try {
    const briefs = await deps.ecs.listServiceDeployments(
      { cluster: query.cluster, service: query.service, ...(since ? { createdAfter: since } : {}) },
      { signal: query.signal },
    );
    const newer = briefs.find(
      (b) =>
        b.serviceDeploymentArn !== sd.serviceDeploymentArn &&
        (since === undefined || (b.createdAt?.getTime() ?? 0) >= since.getTime()),
    );
    if (!newer) return undefined;
    const id = deploymentIdOfRevision(newer.targetServiceRevisionArn);
    return { deploymentId: id ?? newer.serviceDeploymentArn ?? 'a newer deployment' };
  } catch (err) {
    // Without the list the verdict stays `failed`: that ours stopped is certain, why is not.
    deps.log.warning(
      `${toAwsCallError(err, 'ListServiceDeployments').message} Whether a newer deployment replaced ours is not known.`,
    );
    return undefined;
  }
}
