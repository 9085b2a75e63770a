// Identifiers and ARNs. Every random part comes from the model's seeded source, so a run repeats.
import { createHash } from 'node:crypto';

const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
/** Service deployment ARN suffixes look like `NCWGC2ZR-taawPAYrIaU5` (base64url-ish, ~21 chars). */
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface Ids {
  /** 32 hex chars: task ids. */
  taskId(): string;
  /** RFC 4122 v4 shape: event ids, container ARNs. */
  uuid(): string;
  /** `ecs-svc/` + 19 digits (first digit non-zero, as in real ids). */
  deploymentId(): string;
  /** The random tail of a service deployment ARN. */
  serviceDeploymentSuffix(): string;
}

export function createIds(random: () => number): Ids {
  const pick = (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    return out;
  };
  return {
    taskId: () => pick(HEX, 32),
    uuid: () => {
      const h = pick(HEX, 32);
      const variant = HEX[8 + Math.floor(random() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
    },
    deploymentId: () => `ecs-svc/${pick('123456789', 1)}${pick(DIGITS, 18)}`,
    serviceDeploymentSuffix: () => pick(SUFFIX, 21),
  };
}

/** ARN builders for one region and account. */
export interface Arns {
  cluster(name: string): string;
  service(cluster: string, name: string): string;
  taskDefinition(family: string, revision: number): string;
  task(cluster: string, taskId: string): string;
  container(cluster: string, taskId: string, uuid: string): string;
  serviceDeployment(cluster: string, service: string, suffix: string): string;
  /** Ends with the number of the deployment id, which tools rely on to match the two. */
  serviceRevision(cluster: string, service: string, deploymentId: string): string;
  prefix: string;
}

export function createArns(region: string, accountId: string): Arns {
  const prefix = `arn:aws:ecs:${region}:${accountId}:`;
  return {
    prefix,
    cluster: (name) => `${prefix}cluster/${name}`,
    service: (cluster, name) => `${prefix}service/${cluster}/${name}`,
    taskDefinition: (family, revision) => `${prefix}task-definition/${family}:${revision}`,
    task: (cluster, taskId) => `${prefix}task/${cluster}/${taskId}`,
    container: (cluster, taskId, uuid) => `${prefix}container/${cluster}/${taskId}/${uuid}`,
    serviceDeployment: (cluster, service, suffix) =>
      `${prefix}service-deployment/${cluster}/${service}/${suffix}`,
    serviceRevision: (cluster, service, deploymentId) =>
      `${prefix}service-revision/${cluster}/${service}/${deploymentId.split('/')[1]}`,
  };
}

/** The last path segment of an ARN, or the input itself when it is a bare name/id. */
export function lastSegment(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

/** The digest an image reference resolves to: its own for `@sha256:` refs, else stable per reference. */
export function imageDigestOf(image: string): string {
  const at = image.indexOf('@');
  return at !== -1 ? image.slice(at + 1) : `sha256:${createHash('sha256').update(image).digest('hex')}`;
}
