// The names and ARNs callers pass for clusters, services, task definitions and tasks. A name is
// looked up in the emulator's own region and account; an ARN names its region and account itself,
// and ECS refuses one that points elsewhere instead of quietly using the local resource of the
// same name. Without this check a deploy configured for the wrong region would "work" here and
// fail against AWS.
import type { Ctx } from './context.js';
import { invalidParameter } from './input.js';

/** The parts of `arn:<partition>:ecs:<region>:<account>:<resource>`. */
export interface EcsArn {
  region: string;
  account: string;
  /** `cluster/main`, `service/main/web`, `task-definition/web:3`, `task/main/<id>`... */
  resource: string;
}

const ECS_ARN = /^arn:aws[a-z-]*:ecs:([^:]*):([^:]*):(.+)$/;

export const isArn = (ref: string): boolean => ref.startsWith('arn:');

/** The parts of an ECS ARN, or undefined when `ref` is a plain name or not an ECS ARN. */
export function parseEcsArn(ref: string): EcsArn | undefined {
  const m = ECS_ARN.exec(ref);
  return m ? { region: m[1]!, account: m[2]!, resource: m[3]! } : undefined;
}

// Observed: DescribeServices, RunTask and DescribeTaskDefinition with an ARN of another region all
// answer `InvalidParameterException: Invalid Region in ARN` (aws/aws-cli#3175, aws/amazon-ecs-cli#821).
export const INVALID_REGION = 'Invalid Region in ARN';

/** Ours, in the style of ECS's observed "Invalid identifier: Identifier is for cluster ..." text. */
export const otherAccount = (arnAccount: string, accountId: string): string =>
  `Invalid identifier: Identifier is for ${arnAccount}. Your accountId is ${accountId}`;

/** Observed (aws/aws-toolkit-vscode#2915): a service ARN of one cluster used with another. */
export const otherCluster = (arnCluster: string, cluster: string): string =>
  `Invalid identifier: Identifier is for cluster ${arnCluster}. Your cluster is ${cluster}`;

/**
 * Throws InvalidParameterException when `ref` is an ECS ARN of another region or account. Names,
 * and ARNs of this region and account, pass; the caller then looks them up as before.
 */
export function refuseForeignArn(ctx: Ctx, ref: string): void {
  const arn = parseEcsArn(ref);
  if (!arn) return;
  // Region first: that is the mistake a deploy makes (a region input that does not match the ARNs).
  if (arn.region !== ctx.region) throw invalidParameter(INVALID_REGION);
  if (arn.account !== ctx.accountId) throw invalidParameter(otherAccount(arn.account, ctx.accountId));
}

/**
 * A service name or ARN, checked against the cluster the call is about: an ARN of another region
 * or account, or of a service in another cluster (`service/<cluster>/<name>`), is refused.
 * Returns the service name.
 */
export function serviceNameOf(ctx: Ctx, cluster: string, ref: string): string {
  if (!isArn(ref)) return ref;
  refuseForeignArn(ctx, ref);
  const parts = (parseEcsArn(ref)?.resource ?? ref).split('/');
  // Old-format ARNs (`service/<name>`) carry no cluster; the new format does.
  if (parts.length === 3 && parts[0] === 'service' && parts[1] !== cluster) {
    throw invalidParameter(otherCluster(parts[1]!, cluster));
  }
  return parts.at(-1)!;
}

/** A cluster name from a name or ARN (an ARN of another region or account is refused). */
export function clusterNameOf(ctx: Ctx, ref: string): string {
  if (!isArn(ref)) return ref;
  refuseForeignArn(ctx, ref);
  return ref.slice(ref.indexOf(':cluster/') + ':cluster/'.length);
}
