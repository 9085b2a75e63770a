// The revisions the services of a cluster use: every service's task definition and every one of
// its deployments' (a rolling deployment still running old tasks, a task set of an external or
// CodeDeploy controller). Whoever runs a revision must find it ACTIVE to scale or roll back to it.

import type { Service } from '@aws-sdk/client-ecs';
import type { CallOptions, EcsPort } from '../aws/ports.js';
import type { RevisionUse } from './types.js';

/** ListServices, then DescribeServices 10 at a time (the port batches), for each cluster. */
export async function findRevisionsInUse(
  ecs: EcsPort,
  clusters: string[],
  options: CallOptions,
): Promise<RevisionUse[]> {
  const uses: RevisionUse[] = [];
  for (const cluster of clusters) {
    const arns = await ecs.listServices(cluster, options);
    if (arns.length === 0) continue;
    const { services } = await ecs.describeServices(cluster, arns, options);
    uses.push(...revisionsInUse(services));
  }
  return uses;
}

/** Pure: what each service uses, by service name. */
export function revisionsInUse(services: Service[]): RevisionUse[] {
  const uses: RevisionUse[] = [];
  for (const s of services) {
    const service = s.serviceName ?? s.serviceArn ?? '';
    const arns = [
      s.taskDefinition,
      ...(s.deployments ?? []).map((d) => d.taskDefinition),
      ...(s.taskSets ?? []).map((t) => t.taskDefinition),
    ];
    for (const taskDefinitionArn of new Set(arns)) {
      if (taskDefinitionArn) uses.push({ service, taskDefinitionArn });
    }
  }
  return uses;
}
