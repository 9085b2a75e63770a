// `service` with several lines (`name`, `cluster/name` or a service ARN, one a line; CR, LF and
// CRLF alike) and `on-service-failure`. One line behaves exactly as `service` always has: the
// request's `service` and `cluster` name the first service, and `services` lists every one in the
// order given, each with the cluster it is in (docs/architecture.md, "Several services").
import type { OnServiceFailure, ServiceTarget } from '../lib/request.js';
import { ecsRegionProblem } from './arns.js';
import { parseEnum, type InputParser, type ParseContext } from './context.js';
import { meaningfulLines } from './lines.js';
import { clusterProblem, serviceProblem } from './shapes.js';

/** A line of `service` as written: its cluster is the `cluster` input's when it names none. */
export interface ServiceLine {
  line: number;
  service: string;
  cluster?: string;
}

/** The lines of `service`; each bad line is reported with its number (one line: as before, without). */
export function parseServiceLines(value: string, ctx: ParseContext): ServiceLine[] {
  const lines = meaningfulLines(value);
  const many = lines.length > 1;
  const out: ServiceLine[] = [];
  for (const { line, text } of lines) {
    const where = many ? `line ${line}: ` : '';
    const slash = text.startsWith('arn:') ? -1 : text.indexOf('/');
    const cluster = slash >= 0 ? text.slice(0, slash) : undefined;
    const service = slash >= 0 ? text.slice(slash + 1) : text;
    const reason =
      (cluster === undefined ? undefined : clusterProblem(cluster)) ??
      serviceProblem(service) ??
      ecsRegionProblem(service, ctx.options.region);
    if (reason) {
      ctx.fail(`${where}${reason}${slash >= 0 ? ' A line is a service name or cluster/name.' : ''}`);
      continue;
    }
    // A service ARN's cluster is checked against the `cluster` input by cross.ts, as always.
    out.push({ line, service, cluster });
  }
  return out;
}

/**
 * Every service with its cluster (a line's own, else the `cluster` input), and a problem for a
 * service listed twice: UpdateService would be called twice on it.
 */
export function resolveServiceTargets(
  lines: ServiceLine[],
  clusterInput: string,
  ctx: ParseContext,
): ServiceTarget[] {
  const seen = new Map<string, number>();
  const out: ServiceTarget[] = [];
  for (const { line, service, cluster = clusterInput } of lines) {
    // A cluster ARN and its name, a service ARN and its name, are the same service.
    const clusterName = clusterOf(service) ?? clusterNameOf(cluster);
    const key = `${clusterName}/${nameOf(service)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.failOn(
        'service',
        `line ${line}: service ${nameOf(service)} of cluster ${clusterName} is already listed on line ${first}; list each service once.`,
      );
      continue;
    }
    seen.set(key, line);
    out.push({ cluster, service });
  }
  return out;
}

/** The name of a service given by name or ARN (`…:service/<cluster>/<name>` or `…:service/<name>`). */
export function nameOf(service: string): string {
  return service.startsWith('arn:') ? (service.split('/').at(-1) ?? service) : service;
}

/** The name of a cluster given by name or ARN (`arn:…:cluster/<name>`). */
export function clusterNameOf(cluster: string): string {
  return cluster.startsWith('arn:') ? (cluster.split('/').at(-1) ?? cluster) : cluster;
}

/** The cluster a service ARN of the long form names (`…:service/<cluster>/<name>`); undefined otherwise. */
export function clusterOf(service: string): string | undefined {
  if (!service.startsWith('arn:')) return undefined;
  const parts = service.slice(service.indexOf(':service/') + ':service/'.length).split('/');
  return parts.length === 2 ? parts[0] : undefined;
}

export const parseOnServiceFailure: InputParser = (value, ctx) => ({
  onServiceFailure: parseEnum<OnServiceFailure>(value, ['continue', 'rollback'], ctx) ?? 'continue',
});
