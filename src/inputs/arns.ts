// Where the ARNs of one step point: Region, account, partition and, for a long-form service ARN,
// cluster. ECS finds a cluster, service or task definition only in the Region it is called in,
// and the step calls one Region with one set of credentials, so an ARN elsewhere fails after the
// template was rendered and checked; here it stops the step before any call. The step's account
// is not known before a call, so accounts are compared with each other, not with the caller's.
// Secrets and env files are references ECS resolves itself (Amazon ECS Developer Guide, "Pass
// Systems Manager parameters as environment variables", "Pass Secrets Manager secrets as
// environment variables" and "Pass environment variables to a container"): an SSM parameter in
// another Region must be given by ARN (a bare name is looked up in the task's Region), a Secrets
// Manager secret may be in another account, and S3 object ARNs have no Region or account. So they
// are not compared with the step's Region or account; only the partition has to match, because
// no AWS call crosses partitions.

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon. */
  resource: string;
}

export function splitArn(value: string): ArnParts | undefined {
  const parts = value.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(':') };
}

// Region name prefixes of the partitions other than `aws` (AWS General Reference, "AWS Regions"
// and the partition list of the AWS SDKs' endpoint rules).
const PARTITION_BY_PREFIX: [string, string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['eusc-', 'aws-eusc'],
];

export function partitionOfRegion(region: string): string {
  return PARTITION_BY_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/**
 * Why an ECS resource ARN (cluster, service, task definition) cannot be used from a step in
 * `region`; undefined when it can, when `value` is a name, or when the Region is unknown.
 */
export function ecsRegionProblem(value: string, region: string | undefined): string | undefined {
  const arn = splitArn(value);
  if (!arn || !region) return undefined;
  // The same Region name cannot be in two partitions: a partition that does not match is the
  // mistake to name (arn:aws-cn:ecs:us-east-1:… can exist nowhere).
  if (arn.region === region) return partitionProblem(value, region);
  return `"${value}" is in Region ${arn.region}, but the step runs in ${region}, and ECS looks for it only there; use the ARN in ${region}, or run the step in ${arn.region}.`;
}

/** Why a referenced ARN (role, secret, env file) cannot be reached from `region`'s partition. */
export function partitionProblem(value: string, region: string | undefined): string | undefined {
  const arn = splitArn(value);
  if (!arn || !region) return undefined;
  const expected = partitionOfRegion(region);
  if (arn.partition === expected) return undefined;
  return `"${value}" is in partition ${arn.partition}, but the step's Region ${region} is in partition ${expected}; ECS cannot reach across partitions, so use arn:${expected}:….`;
}

/** The cluster name a `cluster` input (a name or an ARN) stands for. */
export function clusterNameOf(cluster: string): string {
  const arn = splitArn(cluster);
  return arn ? arn.resource.slice('cluster/'.length) : cluster;
}

/** The cluster a long-form service ARN (`service/<cluster>/<name>`) names; undefined otherwise. */
export function clusterOfServiceArn(service: string): string | undefined {
  const arn = splitArn(service);
  const parts = arn?.resource.split('/') ?? [];
  return parts.length === 3 ? parts[1] : undefined;
}

export interface GivenArn {
  input: string;
  value: string;
}

/**
 * One problem for each ARN whose account differs from the first ARN given, naming both inputs.
 * Names (no account) are skipped.
 */
export function accountProblems(given: GivenArn[]): { input: string; message: string }[] {
  const withAccount = given.flatMap((g) => {
    const arn = splitArn(g.value);
    return arn ? [{ ...g, account: arn.account }] : [];
  });
  const [first, ...rest] = withAccount;
  return rest
    .filter((g) => g.account !== first.account)
    .map((g) => ({
      input: g.input,
      message: `"${g.value}" is in account ${g.account}, but ${first.input} is in account ${first.account}; one step deploys within one account, so give both in the same account.`,
    }));
}
