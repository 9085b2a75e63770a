// The service definition side of CreateService and UpdateService: load balancers checked against
// the task definition as ECS does it (any well-formed target group ARN is accepted: there is no
// load balancer model), Fargate's awsvpc rule, the fields stored as given and returned by
// DescribeServices, and TagResource / UntagResource / ListTagsForResource
// (docs/ecs-behaviour.md, "Service definitions").
import type { LoadBalancer, Tag } from '@aws-sdk/client-ecs';

import { AwsError } from '../core.js';
import type { Ctx } from './context.js';
import { asInput, invalidParameter, optString, reqString, type Input } from './input.js';
import type { ServiceRec, TaskDefRec } from './state.js';

const TARGET_GROUP_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
/** Target groups per service (docs/ecs-behaviour.md, "Service definitions"). */
export const MAX_TARGET_GROUPS = 5;

/** Fields stored as given and returned by DescribeServices as they were sent. */
export const STORED_FIELDS = [
  'capacityProviderStrategy',
  'placementConstraints',
  'placementStrategy',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
  'availabilityZoneRebalancing',
] as const;

/** The stored fields an input gives. */
export function storedFields(input: Input): Record<string, unknown> {
  return Object.fromEntries(STORED_FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]));
}

/** `loadBalancers` of CreateService or UpdateService, checked against the task definition. */
export function checkLoadBalancers(raw: unknown, taskDef: TaskDefRec): LoadBalancer[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidParameter('loadBalancers must be a list.');
  const lbs = raw as LoadBalancer[];
  if (lbs.filter((lb) => lb.targetGroupArn).length > MAX_TARGET_GROUPS) {
    throw invalidParameter(`A service can have at most ${MAX_TARGET_GROUPS} target groups.`);
  }
  for (const lb of lbs) {
    if (lb.targetGroupArn !== undefined && !TARGET_GROUP_ARN.test(lb.targetGroupArn)) {
      throw invalidParameter(`Invalid target group ARN: ${lb.targetGroupArn}.`);
    }
    if (!lb.targetGroupArn && !lb.loadBalancerName) {
      throw invalidParameter('A load balancer needs a targetGroupArn or a loadBalancerName.');
    }
    const container = taskDef.containers.find((c) => c.name === lb.containerName);
    if (!container) {
      throw invalidParameter(
        `The container ${lb.containerName ?? ''} does not exist in the task definition.`,
      );
    }
    const ports = (container.portMappings ?? []).map((m) => m.containerPort);
    if (!ports.includes(lb.containerPort)) {
      throw invalidParameter(
        `The container ${container.name ?? ''} did not have a container port ${String(lb.containerPort)} defined.`,
      );
    }
  }
  return lbs;
}

/**
 * `volumeConfigurations` of CreateService or UpdateService: each names a volume of the task
 * definition marked configuredAtLaunch and has a managed EBS volume with a role, as ECS requires
 * (docs/ecs-behaviour.md, "Service-managed EBS volumes"). Absent: the service keeps its own.
 */
export function checkVolumeConfigurations(raw: unknown, taskDef: TaskDefRec): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) throw invalidParameter('volumeConfigurations must be a list.');
  const atLaunch = new Set(
    (taskDef.body.volumes ?? []).filter((v) => v.configuredAtLaunch === true).map((v) => v.name),
  );
  for (const item of raw) {
    const v = asInput(item);
    const name = reqString(v, 'name');
    if (!atLaunch.has(name)) {
      throw invalidParameter(
        `The volume ${name} is not a volume of the task definition with configuredAtLaunch set to true.`,
      );
    }
    const ebs = asInput(v.managedEBSVolume);
    if (!optString(ebs, 'roleArn'))
      throw invalidParameter('managedEBSVolume.roleArn should not be null or empty.');
  }
}

/** Fargate runs only the awsvpc network mode. */
export function checkFargateNetwork(launchType: string | undefined, taskDef: TaskDefRec): void {
  if (launchType === 'FARGATE' && taskDef.body.networkMode !== 'awsvpc') {
    throw invalidParameter("Fargate only supports network mode 'awsvpc'.");
  }
}

// ---- Tags of services ----

const resourceNotFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', 'The specified resource could not be found.', 400);

function serviceByArn(ctx: Ctx, arn: string): ServiceRec {
  const svc = [...ctx.services.values()].find((s) => s.arn === arn && s.status !== 'INACTIVE');
  if (!svc) throw resourceNotFound();
  return svc;
}

function tagList(input: Input): Tag[] {
  const tags = input.tags;
  if (!Array.isArray(tags) || tags.length === 0) throw invalidParameter('tags should not be null or empty.');
  return tags.map((t: { key?: unknown; value?: unknown }) => ({
    key: String(t?.key ?? ''),
    value: String(t?.value ?? ''),
  }));
}

export function tagResource(ctx: Ctx, raw: unknown): Record<string, never> {
  const input = asInput(raw);
  const svc = serviceByArn(ctx, reqString(input, 'resourceArn'));
  const tags = tagList(input);
  if (tags.some((t) => t.key!.toLowerCase().startsWith('aws:'))) {
    throw invalidParameter('Tag keys beginning with aws: are reserved.');
  }
  const kept = svc.tags.filter((t) => !tags.some((n) => n.key === t.key));
  if (kept.length + tags.length > 50) throw invalidParameter('A resource can have at most 50 tags.');
  svc.tags = [...kept, ...tags];
  return {};
}

export function untagResource(ctx: Ctx, raw: unknown): Record<string, never> {
  const input = asInput(raw);
  const svc = serviceByArn(ctx, reqString(input, 'resourceArn'));
  const keys = Array.isArray(input.tagKeys) ? input.tagKeys.map(String) : [];
  if (keys.length === 0) throw invalidParameter('tagKeys should not be null or empty.');
  svc.tags = svc.tags.filter((t) => !keys.includes(t.key ?? ''));
  return {};
}

export function listTagsForResource(ctx: Ctx, raw: unknown): { tags: Tag[] } {
  const input = asInput(raw);
  const arn = optString(input, 'resourceArn') ?? '';
  return { tags: serviceByArn(ctx, arn).tags };
}
