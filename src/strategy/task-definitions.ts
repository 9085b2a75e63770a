// Blue and green named by their task definitions in the summary (`web:1` → `web:2`), from what
// the step already knows rather than another call. Pure.
import type { Service } from '@aws-sdk/client-ecs';

/**
 * The task definition of each of the service's deployments by deployment id, plus `extra` (the
 * one just registered): ECS names a deployment's service revision after its id (`ecs-svc/<n>` ↔
 * `…/<n>`), so blue and green can be named by their task definitions without another call.
 */
export function taskDefinitionsOf(
  service: Service | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  const known: Record<string, string> = {};
  for (const d of service?.deployments ?? []) if (d.id && d.taskDefinition) known[d.id] = d.taskDefinition;
  return { ...known, ...extra };
}
