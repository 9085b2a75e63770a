// Pure helpers for several services in one step (docs/architecture.md, "Several services"): the
// request for one of them, the services' problems before the gate, and whether two rendered task
// definitions are the same (then one registration serves both).
import type { Service } from '@aws-sdk/client-ecs';
import type { DescribedServices } from '../aws/ports.js';
import type { JsonValue } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest, ServiceTarget } from '../lib/request.js';
import { clusterNameOf, nameOf } from '../inputs/parse-services.js';

/** The step's request, naming one service and its cluster: what the per-service stages take. */
export function requestFor(request: DeployRequest, target: ServiceTarget): DeployRequest {
  return { ...request, service: target.service, cluster: target.cluster };
}

/** The services after the first, each with its cluster. */
export function otherTargets(request: DeployRequest): ServiceTarget[] {
  return (request.services ?? []).slice(1);
}

/** Same JSON whatever the key order: the two would register the same revision. */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: JsonValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The service a batched DescribeServices found for `service` (a name or ARN), if any. */
export function serviceIn(out: DescribedServices, service: string): Service | undefined {
  return out.services.find(
    (s) => s.serviceName === service || s.serviceArn === service || s.serviceArn?.endsWith(`/${service}`),
  );
}

/** Why a service of the list cannot be deployed to, as a problem for the gate (undefined: it can). */
export function serviceLineProblem(target: ServiceTarget, found: Service | undefined): Problem | undefined {
  const { service, cluster } = target;
  if (!found) {
    return {
      severity: 'error',
      input: 'service',
      message: `Service '${service}' was not found in cluster '${cluster}'. Check the service lines and the cluster (and the region).`,
    };
  }
  if (found.status !== 'ACTIVE') {
    return {
      severity: 'error',
      input: 'service',
      message: `Service '${service}' in cluster '${cluster}' is ${found.status ?? 'not ACTIVE'}: it is being deleted or was deleted, and cannot be deployed to.`,
    };
  }
  return undefined;
}

/** A problem of one service's own base, said of that service. */
export function ofService(service: string, problem: Problem): Problem {
  return { ...problem, message: `Service ${service}: ${problem.message}` };
}

/**
 * What each service is called in the `services` output, the summary, the log and the step's
 * reason: its bare name, or `cluster/name` when another service of the step has the same name
 * (`prod/web` and `staging/web`), so that no key hides another.
 */
export function serviceLabels(targets: { service: string; cluster: string }[]): string[] {
  const names = targets.map((t) => nameOf(t.service));
  return targets.map((t, i) =>
    names.filter((n) => n === names[i]).length > 1 ? `${clusterNameOf(t.cluster)}/${names[i]}` : names[i],
  );
}
