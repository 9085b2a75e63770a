// Updating the service and finding our deployment in the answer. The checks and the request are
// pure; startDeployment is the one mutating call.

import type { Deployment, Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { CallOptions, EcsPort } from '../aws/ports.js';
import type { DeployRequest } from '../lib/request.js';
import { shortTaskDefinition } from '../lib/arn.js';
import { primaryOf, revisionIsDeployment } from './deployment-facts.js';

/**
 * Whether this action can roll out to the service; throws an Error that says why not. Runs before
 * anything is registered. Returns warnings for what works but deserves a word.
 */
export function checkServiceDeployable(
  service: Service,
  request?: Pick<DeployRequest, 'desiredCount'>,
): string[] {
  const name = service.serviceName ?? 'the service';
  if (service.status !== 'ACTIVE') {
    throw new Error(`Service '${name}' is ${service.status ?? 'not ACTIVE'} and cannot be deployed to.`);
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  // CODE_DEPLOY: CodeDeploy deploys the service (src/codedeploy/, stages/codedeploy.ts).
  if (controller !== 'ECS' && controller !== 'CODE_DEPLOY') {
    throw new Error(
      `Service '${name}' uses the ${controller} deployment controller. This action deploys services with the ECS or CODE_DEPLOY deployment controller; an EXTERNAL service is deployed through task sets by its own tooling.`,
    );
  }
  if (request?.desiredCount !== undefined && service.schedulingStrategy === 'DAEMON') {
    throw new Error(
      `Service '${name}' uses the DAEMON scheduling strategy, which has no desired count: remove desired-count.`,
    );
  }
  // A BLUE_GREEN, LINEAR or CANARY service is no warning: the follow stage says once, as
  // information, which strategy the deployment runs with (the one deployment-strategy sets).
  const warnings: string[] = [];
  return warnings;
}

const BREAKER: Record<
  NonNullable<DeployRequest['circuitBreaker']>,
  { enable: boolean; rollback: boolean }
> = {
  rollback: { enable: true, rollback: true },
  enable: { enable: true, rollback: false },
  disable: { enable: false, rollback: false },
};

/** The UpdateService request. Inputs left empty leave the service's setting as it is. */
export function buildUpdateServiceInput(
  request: Pick<
    DeployRequest,
    | 'cluster'
    | 'service'
    | 'forceNewDeployment'
    | 'desiredCount'
    | 'enableEcsManagedTags'
    | 'propagateTags'
    | 'circuitBreaker'
  >,
  service: Service,
  taskDefinitionArn: string,
): UpdateServiceCommandInput {
  const input: UpdateServiceCommandInput = {
    cluster: request.cluster,
    service: request.service ?? service.serviceName,
    taskDefinition: taskDefinitionArn,
    forceNewDeployment: request.forceNewDeployment,
  };
  if (request.desiredCount !== undefined) input.desiredCount = request.desiredCount;
  if (request.enableEcsManagedTags !== undefined) input.enableECSManagedTags = request.enableEcsManagedTags;
  if (request.propagateTags !== undefined) input.propagateTags = request.propagateTags;
  if (request.circuitBreaker) {
    // UpdateService replaces deploymentConfiguration as a whole: send the service's own back with
    // only the breaker's two switches changed, so min/max percent, alarms, strategy and the
    // breaker's threshold settings stay what they are.
    const current = service.deploymentConfiguration ?? {};
    input.deploymentConfiguration = {
      ...current,
      deploymentCircuitBreaker: { ...current.deploymentCircuitBreaker, ...BREAKER[request.circuitBreaker] },
    };
  }
  return input;
}

/** Same task definition, whether written as an ARN or as `family:revision`. */
export function sameTaskDefinition(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && (a === b || shortTaskDefinition(a) === shortTaskDefinition(b));
}

/**
 * The service settings an input asks to change, said for a person (`desired count 2 → 3`).
 * Inputs left empty, or equal to the service's own value, change nothing.
 */
export function settingChanges(
  request: Pick<DeployRequest, 'desiredCount' | 'enableEcsManagedTags' | 'propagateTags' | 'circuitBreaker'>,
  service: Service,
): string[] {
  const changes: string[] = [];
  const change = (what: string, from: unknown, to: unknown): void => {
    if (to !== undefined && to !== from) changes.push(`${what} ${String(from)} → ${String(to)}`);
  };
  change('desired count', service.desiredCount, request.desiredCount);
  change('ECS managed tags', service.enableECSManagedTags ?? false, request.enableEcsManagedTags);
  change('propagate tags', service.propagateTags ?? 'NONE', request.propagateTags);
  if (request.circuitBreaker) {
    const have = service.deploymentConfiguration?.deploymentCircuitBreaker;
    const want = BREAKER[request.circuitBreaker];
    const name = (b: { enable?: boolean; rollback?: boolean } | undefined): string =>
      !b?.enable ? 'off' : b.rollback ? 'on with rollback' : 'on without rollback';
    if (want.enable !== (have?.enable ?? false) || want.rollback !== (have?.rollback ?? false)) {
      changes.push(`circuit breaker ${name(have)} → ${name(want)}`);
    }
  }
  return changes;
}

/**
 * What to do with the service, decided before any write:
 * - `update`: another task definition, a forced deployment, or settings to change;
 * - `follow-existing`: nothing to change, but our revision is still rolling out from an earlier
 *   run: follow that deployment, without an UpdateService;
 * - `unchanged`: nothing to change and the service is steady: no write at all (and no
 *   ecs:UpdateService permission needed).
 */
export type ServicePlan =
  | { kind: 'update'; settings: string[] }
  | { kind: 'follow-existing'; deploymentId: string; createdAt?: Date }
  | { kind: 'unchanged'; deploymentId?: string };

export function planServiceUpdate(
  request: Parameters<typeof buildUpdateServiceInput>[0],
  service: Service,
  taskDefinitionArn: string,
): ServicePlan {
  const settings = settingChanges(request, service);
  if (
    request.forceNewDeployment ||
    settings.length ||
    !sameTaskDefinition(service.taskDefinition, taskDefinitionArn)
  ) {
    return { kind: 'update', settings };
  }
  const primary = primaryOf(service);
  if (primary?.id && !settled(service, primary)) {
    return { kind: 'follow-existing', deploymentId: primary.id, createdAt: primary.createdAt };
  }
  return { kind: 'unchanged', deploymentId: primary?.id };
}

export interface StartedDeployment {
  /** The service as UpdateService returned it. */
  service: Service;
  /** `ecs-svc/<n>`: ours, or (when none was created) the PRIMARY that already runs our task definition. */
  deploymentId: string;
  previousPrimaryId?: string;
  taskDefinitionArn: string;
  /** False when ECS started no deployment (same task definition, not forced). */
  created: boolean;
  /**
   * Whether there is a rollout to follow: a new deployment, or the PRIMARY of our task definition
   * still rolling out (an earlier run's). False means the outcome is `unchanged`.
   */
  follow: boolean;
  /** When ECS created our deployment (AWS clock), for telling our service events from older ones. */
  startedAt: Date;
  /** When ECS created our deployment (AWS clock), for ordering it against others. */
  createdAt?: Date;
}

function settled(service: Service, primary: Deployment): boolean {
  if (primary.rolloutState) return primary.rolloutState === 'COMPLETED';
  return (service.deployments?.length ?? 0) === 1 && primary.runningCount === primary.desiredCount;
}

export interface DeploymentStart {
  request: Parameters<typeof buildUpdateServiceInput>[0];
  /** The service described before the update. */
  before: Service;
  taskDefinitionArn: string;
  /** Further fields to change in the same call (a service definition's, src/servicedef/). */
  fields?: Partial<UpdateServiceCommandInput>;
  now?: () => Date;
  /** A cancel abandons the UpdateService in flight. */
  signal?: AbortSignal;
}

/**
 * Calls UpdateService and finds our deployment: the PRIMARY of the response, which must run our
 * task definition.
 */
export async function startDeployment(ecs: EcsPort, start: DeploymentStart): Promise<StartedDeployment> {
  const { request, before, taskDefinitionArn, now = () => new Date() } = start;
  const previousPrimaryId = primaryOf(before)?.id;
  const calledAt = now();
  const fields = start.fields ?? {};
  // The circuit-breaker input applies on top of a deployment configuration the fields replace.
  // UpdateService replaces deploymentConfiguration as a whole: what the file leaves out keeps the
  // service's own value (alarms, strategy, bake time), as the rest of the file's comparison does.
  const merged = fields.deploymentConfiguration
    ? { ...before.deploymentConfiguration, ...fields.deploymentConfiguration }
    : undefined;
  const current = merged ? { ...before, deploymentConfiguration: merged } : before;
  const input = {
    ...fields,
    ...(merged ? { deploymentConfiguration: merged } : {}),
    ...buildUpdateServiceInput(request, current, taskDefinitionArn),
  };
  const service = await ecs.updateService(input, { signal: start.signal });
  const primary = primaryOf(service);
  if (!primary?.id) {
    throw new Error(`UpdateService returned no PRIMARY deployment for service '${service.serviceName}'.`);
  }
  if (!sameTaskDefinition(primary.taskDefinition, taskDefinitionArn)) {
    throw new Error(
      `After UpdateService the PRIMARY deployment ${primary.id} of '${service.serviceName}' runs ${shortTaskDefinition(primary.taskDefinition)}, not ${shortTaskDefinition(taskDefinitionArn)}: another update of the service may have happened at the same time.`,
    );
  }
  const created = primary.id !== previousPrimaryId;
  return {
    service,
    deploymentId: primary.id,
    previousPrimaryId: created ? previousPrimaryId : undefined,
    taskDefinitionArn,
    created,
    follow: created || !settled(service, primary),
    // Events are stamped by AWS, so ECS's own creation time is the better mark; for an earlier
    // run's deployment only what happens from now on is news.
    startedAt: (created ? primary.createdAt : undefined) ?? calledAt,
    createdAt: primary.createdAt,
  };
}

/** How far before our start a ServiceDeployment may be listed as created (clock skew, creation order). */
const LIST_SKEW_MS = 60_000;

export interface ServiceDeploymentQuery {
  cluster: string;
  service: string;
  deploymentId: string;
  startedAt?: Date;
  /** The service's `currentServiceDeployment`, used when none is listed for our deployment. */
  fallback?: string;
}

/**
 * The ServiceDeployment ARN of our deployment: the one whose target revision ends with our
 * deployment's number (docs/ecs-behaviour.md, "Service deployments"), or `fallback`, which the
 * caller must check before acting on it, as its target revision is not known here.
 */
export async function findServiceDeploymentArn(
  ecs: EcsPort,
  query: ServiceDeploymentQuery,
  options: CallOptions = {},
): Promise<string | undefined> {
  const { cluster, service, deploymentId, startedAt, fallback } = query;
  const briefs = await ecs.listServiceDeployments(
    { cluster, service, createdAfter: startedAt ? new Date(startedAt.getTime() - LIST_SKEW_MS) : undefined },
    options,
  );
  const ours = briefs.find((b) => revisionIsDeployment(b.targetServiceRevisionArn, deploymentId));
  return ours?.serviceDeploymentArn ?? fallback;
}
