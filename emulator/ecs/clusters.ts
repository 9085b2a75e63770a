// CreateCluster, DescribeClusters, ListClusters. Clusters here are name spaces with counts; there
// are no container instances (tasks run "on Fargate").
import type { Cluster } from '@aws-sdk/client-ecs';

import type { Ctx } from './context.js';
import { isPending, isRunning } from './deployments.js';
import { asInput, invalidParameter, optString, optStringList, paginate } from './input.js';
import { clusterNameOf } from './refs.js';
import type { ClusterRec } from './state.js';

export function createCluster(ctx: Ctx, raw: unknown): ClusterRec {
  const input = asInput(raw);
  const name = optString(input, 'clusterName') ?? 'default';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw invalidParameter(
      'Cluster name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  // CreateCluster is idempotent for an existing name.
  const existing = ctx.clusters.get(name);
  if (existing) return existing;
  const rec: ClusterRec = {
    name,
    arn: ctx.arns.cluster(name),
    createdAt: ctx.now(),
    tags: Array.isArray(input.tags) ? (input.tags as ClusterRec['tags']) : [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
  };
  ctx.clusters.set(name, rec);
  return rec;
}

export function clusterOutput(ctx: Ctx, c: ClusterRec, includeTags = false): Cluster {
  const tasks = [...ctx.tasks.values()].filter((t) => t.cluster === c.name);
  const services = [...ctx.services.values()].filter((s) => s.cluster === c.name && s.status === 'ACTIVE');
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter(isRunning).length,
    pendingTasksCount: tasks.filter(isPending).length,
    activeServicesCount: services.length,
    statistics: [],
    ...(includeTags ? { tags: c.tags } : {}),
    settings: c.settings as Cluster['settings'],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}

export function describeClusters(
  ctx: Ctx,
  raw: unknown,
): { clusters: Cluster[]; failures: { arn: string; reason: string }[] } {
  const input = asInput(raw);
  const refs = optStringList(input, 'clusters') ?? ['default'];
  const includeTags = (optStringList(input, 'include') ?? []).includes('TAGS');
  const clusters: Cluster[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const ref of refs) {
    const name = clusterNameOf(ctx, ref);
    const c = ctx.clusters.get(name);
    if (c) clusters.push(clusterOutput(ctx, c, includeTags));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : ctx.arns.cluster(ref), reason: 'MISSING' });
  }
  return { clusters, failures };
}

export function listClusters(ctx: Ctx, raw: unknown): { clusterArns: string[]; nextToken?: string } {
  const input = asInput(raw);
  const { page, nextToken } = paginate(
    [...ctx.clusters.values()].map((c) => c.arn),
    input,
    100,
    100,
  );
  return nextToken ? { clusterArns: page, nextToken } : { clusterArns: page };
}
