// Stage "cleanup": with keep-revisions, the old ACTIVE revisions of every family the step
// registered into are deregistered (and, with delete-deregistered, deleted) after a successful
// deploy only; a dry run lists what it would do. It never fails the step: what goes wrong is a
// warning (src/cleanup/run.ts).

import { parseTaskDefinitionArn } from '../lib/arn.js';
import type { DeployRequest } from '../lib/request.js';
import type { CallOptions } from '../aws/ports.js';
import { findRevisionsInUse } from '../cleanup/in-use.js';
import { runCleanup } from '../cleanup/run.js';
import { SUCCESS_OUTCOMES } from './services-outcome.js';
import type { CleanupReport, RevisionUse } from '../cleanup/types.js';
import type {
  Cleanup,
  Fleet,
  Followed,
  Plan,
  Registration,
  Rendered,
  ServiceCheck,
  ServiceResult,
  ServiceUpdate,
  StepContext,
} from './context.js';

/** A cleanup is bounded by the step's wait-for-minutes, with at least this long and at most 5 minutes. */
export const CLEANUP_MIN_MS = 30_000;
export const CLEANUP_MAX_MS = 5 * 60_000;

export interface CleanupDone {
  request: DeployRequest;
  service: ServiceCheck;
  plan: Plan;
  rendered: Rendered;
  registration: Registration;
  update: ServiceUpdate;
  followed: Followed;
  /** Every service of the step, in the order given (the first is `service` above). */
  services?: ServiceResult[];
  /** The services after the first: a service rendered from its own base has its own family. */
  fleet?: Fleet;
}

export async function cleanupStage(ctx: StepContext, done: CleanupDone): Promise<Cleanup> {
  const { request, registration } = done;
  const keep = request.keepRevisions;
  if (keep === undefined) return { kind: 'skipped', why: 'not-requested' };
  const dryRun = registration.kind === 'skipped';
  const notSucceeded = dryRun ? undefined : whyNotSucceeded(done);
  if (notSucceeded) {
    ctx.runner.info(`Cleanup: not run, ${notSucceeded}.`);
    return { kind: 'skipped', why: 'not-succeeded', detail: notSucceeded };
  }
  const families = familiesOf(done);
  if (families.length === 0)
    return { kind: 'skipped', why: 'not-succeeded', detail: 'the family is not known' };
  const now = ctx.clock.now();
  const stepDeadline = ctx.startedAt + request.waitForMinutes * 60_000;
  // One deadline for every family: the later ones get what the earlier left.
  const deadline = Math.min(now + CLEANUP_MAX_MS, Math.max(stepDeadline, now + CLEANUP_MIN_MS));
  const clusters = clustersOf(done);
  // What the clusters run is the same for every family: listed once, by the first that asks.
  let listed: Promise<RevisionUse[]> | undefined;
  const inUse = (options: CallOptions) => (listed ??= findRevisionsInUse(ctx.aws.ecs, clusters, options));
  const reports: CleanupReport[] = [];
  for (const family of families) {
    reports.push(
      await runCleanup(
        { ecs: ctx.aws.ecs, clock: ctx.clock, signal: ctx.signal, log: logOf(ctx) },
        {
          ...family,
          ...{ clusters, inUse },
          keep,
          deleteDeregistered: request.deleteDeregistered,
          dryRun,
          previous: previousRevisions(done),
          deadline,
        },
      ),
    );
  }
  const [report, ...otherFamilies] = reports;
  return { kind: 'done', report, ...(otherFamilies.length ? { otherFamilies } : {}) };
}

/** A family the step registered into (or would): the revision it deployed there, if known. */
interface FamilyTarget {
  family: string;
  deployed?: string;
  /** A dry run that would register a new revision in it (counted among the newest `keep`). */
  wouldRegister: boolean;
}

/**
 * Every family the step registered into, the first service's first: a service rendered from its
 * own base registers into its own family (stages/fleet.ts, fleetRegisterStage), and each is
 * cleaned up by the same rules. In a dry run, each counts the one revision it would register.
 */
export function familiesOf(
  done: Pick<CleanupDone, 'registration' | 'plan' | 'rendered' | 'fleet'>,
): FamilyTarget[] {
  const all = [
    familyTarget(done.registration, done.plan, done.rendered),
    ...(done.fleet?.members ?? []).map((m) =>
      familyTarget(m.registration ?? done.registration, m.plan ?? done.plan, m.rendered ?? done.rendered),
    ),
  ];
  const seen = new Set<string>();
  return all.filter((t): t is FamilyTarget => {
    if (!t || seen.has(t.family)) return false;
    seen.add(t.family);
    return true;
  });
}

function familyTarget(registration: Registration, plan: Plan, rendered: Rendered): FamilyTarget | undefined {
  const deployed = registration.kind === 'done' ? registration.taskDefinitionArn : plan.reuseArn;
  const family = familyOf(deployed, rendered);
  if (!family) return undefined;
  return { family, deployed, wouldRegister: registration.kind === 'skipped' && !plan.reuseArn };
}

/**
 * Why the deploy does not count as a success, or undefined when it does: followed to `succeeded`,
 * or the service already steady on the revision (nothing to change, or settings only).
 */
export function whyNotSucceeded(
  done: Pick<CleanupDone, 'update' | 'followed' | 'services'>,
): string | undefined {
  const { update, followed } = done;
  // Every service's own outcome, when the step has them (a CodeDeploy verdict included).
  if (done.services?.length) {
    const failed = done.services.find((row) => !SUCCESS_OUTCOMES.has(row.outcome));
    if (!failed) return undefined;
    const which = done.services.length > 1 ? `service ${failed.service}` : 'the deployment';
    return `${which} did not succeed (${failed.outcome})`;
  }
  if (update.kind === 'unchanged' || update.kind === 'settings-only') return undefined;
  if (update.kind === 'skipped') return 'no service was updated';
  if (followed.kind !== 'done') return 'the deployment was not followed to a verdict';
  const outcome = followed.result.outcome;
  return outcome === 'succeeded' ? undefined : `the deployment did not succeed (${outcome})`;
}

/**
 * The revision each step service ran before this step (its rollback target), as a list: one
 * entry per service the step deploys.
 */
export function previousRevisions(
  done: Pick<CleanupDone, 'service' | 'request' | 'services'>,
): RevisionUse[] {
  const { service, request } = done;
  if (done.services && done.services.length > 1) {
    return done.services.flatMap((row) =>
      row.previousTaskDefinitionArn
        ? [{ service: row.service, taskDefinitionArn: row.previousTaskDefinitionArn }]
        : [],
    );
  }
  const arn = service.currentTaskDefinitionArn;
  const name = service.service?.serviceName ?? request.service;
  return arn && name ? [{ service: name, taskDefinitionArn: arn }] : [];
}

/** Every cluster of the step's services: what runs there is never deregistered. */
function clustersOf(done: Pick<CleanupDone, 'request' | 'services'>): string[] {
  const all = [done.request.cluster, ...(done.services ?? []).map((row) => row.cluster)];
  return [...new Set(all)];
}

/** The family registered into (in a dry run that would register: the rendered definition's). */
function familyOf(deployed: string | undefined, rendered: Rendered): string | undefined {
  if (deployed) return parseTaskDefinitionArn(deployed)?.family;
  const family = rendered.taskDefinition.family;
  return typeof family === 'string' && family !== '' ? family : undefined;
}

function logOf(ctx: StepContext) {
  return {
    info: (line: string) => ctx.runner.info(line),
    warning: (line: string) => ctx.runner.warning(line),
  };
}
