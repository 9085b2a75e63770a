// A cleanup of old revisions, run after a successful deploy (or listed by a dry run): list the
// family's ACTIVE revisions and what the cluster's services use, plan (plan.ts), then deregister
// the rest one by one and, with delete-deregistered, delete them 10 per call. Nothing here fails
// the step: each failure is a warning naming the IAM action, and listing failures mean nothing is
// deregistered (what runs cannot be known). Bounded by the step's cancel and a deadline.

import { AwsCallError, iamActionFor, toAwsCallError } from '../aws/errors.js';
import type { CallOptions, EcsPort } from '../aws/ports.js';
import { shortTaskDefinition } from '../lib/arn.js';
import { anySignal, timeoutSignal, type Clock } from '../lib/clock.js';
import { findRevisionsInUse } from './in-use.js';
import { DELETE_PACE, DEREGISTER_PACE, Pacer } from './pace.js';
import { planCleanup } from './plan.js';
import type { CleanupFailure, CleanupReport, RevisionUse } from './types.js';

export interface CleanupDeps {
  ecs: EcsPort;
  clock: Clock;
  log: { info(line: string): void; warning(line: string): void };
  /** The workflow cancel. */
  signal: AbortSignal;
}

export interface CleanupTarget {
  family: string;
  /** The clusters whose services are looked at (the step services' clusters). */
  clusters: string[];
  keep: number;
  deleteDeregistered: boolean;
  dryRun: boolean;
  /** The revision the step deployed (or, in a dry run, the identical one it would reuse). */
  deployed?: string;
  /** A dry run that would register a new revision (counted among the newest `keep`). */
  wouldRegister: boolean;
  /** Each step service's revision before the step: its rollback target. */
  previous: RevisionUse[];
  /** Clock time after which no call is started and any call in flight is abandoned. */
  deadline: number;
  /**
   * What the clusters' services run, when the caller looks it up once for several families;
   * unset: looked up here (ListServices, DescribeServices).
   */
  inUse?: (options: CallOptions) => Promise<RevisionUse[]>;
}

/** Mutable while the cleanup runs; returned as the report. */
type Progress = CleanupReport;

export async function runCleanup(deps: CleanupDeps, target: CleanupTarget): Promise<CleanupReport> {
  const report: Progress = {
    ...{ family: target.family, keep: target.keep, dryRun: target.dryRun },
    ...{ deleteDeregistered: target.deleteDeregistered, wouldRegister: target.wouldRegister },
    ...{ planned: false, kept: [], deregistered: [], deleted: [], failures: [], notDone: [] },
  };
  const timer = deps.clock.timeout
    ? deps.clock.timeout(target.deadline - deps.clock.now())
    : timeoutSignal(target.deadline - deps.clock.now());
  const signal = anySignal([deps.signal, timer]);
  const listed = await listAndPlan(deps, target, signal, report);
  if (!listed) return report;
  if (target.dryRun) {
    if (target.deleteDeregistered) report.deleted = [...report.deregistered];
    return report;
  }
  const toDeregister = report.deregistered;
  report.deregistered = [];
  await deregisterAll({ deps, signal, report, target }, toDeregister);
  if (target.deleteDeregistered && report.deregistered.length > 0) {
    await deleteAll({ deps, signal, report, target }, [...report.deregistered]);
  }
  return report;
}

async function listAndPlan(
  deps: CleanupDeps,
  target: CleanupTarget,
  signal: AbortSignal,
  report: Progress,
): Promise<boolean> {
  const call = { signal };
  let active: string[];
  let running: RevisionUse[];
  try {
    active = await deps.ecs.listTaskDefinitions(
      { family: target.family, status: 'ACTIVE', sort: 'DESC' },
      call,
    );
    running = await (target.inUse ?? ((o) => findRevisionsInUse(deps.ecs, target.clusters, o)))(call);
  } catch (err) {
    if (stopped(deps, signal, report)) return false;
    const e = toAwsCallError(err, 'ListTaskDefinitions');
    fail(deps, report, {
      iamAction: iamActionFor(e.operation),
      message: `Cleanup skipped: could not list what to keep (${e.message}); nothing was deregistered.`,
    });
    return false;
  }
  const plan = planCleanup({ active, running, previous: target.previous, ...pick(target) });
  report.planned = true;
  report.kept = plan.kept;
  report.deregistered = plan.deregister;
  const kept = plan.kept.map((k) => shortTaskDefinition(k.arn)).join(', ') || 'none';
  const verb = target.dryRun ? 'would deregister' : 'deregistering';
  deps.log.info(
    `Cleanup of ${target.family} (keep-revisions ${target.keep}): keeping ${kept}; ${verb} ${plan.deregister.length}.`,
  );
  return true;
}

function pick(t: CleanupTarget) {
  return { keep: t.keep, deployed: t.deployed, wouldRegister: t.wouldRegister };
}

interface Running {
  deps: CleanupDeps;
  signal: AbortSignal;
  report: Progress;
  target: CleanupTarget;
}

/** One call per revision, oldest first; access denied stops the rest (they would fail the same way). */
async function deregisterAll(r: Running, arns: string[]): Promise<void> {
  const { deps, signal, report } = r;
  const pacer = new Pacer(DEREGISTER_PACE, deps.clock);
  for (const [i, arn] of arns.entries()) {
    await pacer.turn(signal);
    if (stopped(deps, signal, report)) {
      report.notDone.push(...arns.slice(i));
      return;
    }
    try {
      await deps.ecs.deregisterTaskDefinition(arn, { signal });
      report.deregistered.push(arn);
      deps.log.info(`Cleanup: deregistered ${shortTaskDefinition(arn)}.`);
    } catch (err) {
      if (stopped(deps, signal, report)) {
        // Abandoned in flight: ECS may or may not have deregistered it.
        report.notDone.push(...arns.slice(i));
        return;
      }
      const e = toAwsCallError(err, 'DeregisterTaskDefinition');
      fail(deps, report, failureOf(arn, e));
      if (e.kind === 'access-denied' || e.kind.startsWith('credentials')) {
        report.notDone.push(...arns.slice(i + 1));
        return;
      }
    }
  }
}

/** DeleteTaskDefinitions, 10 revisions per call; ECS's refusals are reported per revision. */
async function deleteAll(r: Running, arns: string[]): Promise<void> {
  const { deps, signal, report } = r;
  const pacer = new Pacer(DELETE_PACE, deps.clock);
  for (let i = 0; i < arns.length; i += 10) {
    const batch = arns.slice(i, i + 10);
    await pacer.turn(signal);
    if (stopped(deps, signal, report)) {
      report.notDone.push(...arns.slice(i));
      return;
    }
    try {
      const { deleted, failures } = await deps.ecs.deleteTaskDefinitions(batch, { signal });
      report.deleted.push(...deleted);
      for (const arn of deleted) deps.log.info(`Cleanup: deleted ${shortTaskDefinition(arn)}.`);
      for (const f of failures) {
        const message = `${f.reason ?? 'refused'}${f.detail ? ` (${f.detail})` : ''}`;
        fail(deps, report, {
          arn: f.arn,
          iamAction: 'ecs:DeleteTaskDefinitions',
          message: `DeleteTaskDefinitions did not delete ${shortTaskDefinition(f.arn ?? '?')}: ${message}`,
        });
      }
    } catch (err) {
      if (stopped(deps, signal, report)) {
        report.notDone.push(...arns.slice(i));
        return;
      }
      const e = toAwsCallError(err, 'DeleteTaskDefinitions');
      for (const arn of batch) fail(deps, report, failureOf(arn, e));
      if (e.kind === 'access-denied' || e.kind.startsWith('credentials')) return;
    }
  }
}

function failureOf(arn: string, e: AwsCallError): CleanupFailure {
  // An access-denied message already names the IAM action and what to do about it.
  return {
    arn,
    iamAction: e.iamAction ?? iamActionFor(e.operation),
    message: `${shortTaskDefinition(arn)}: ${e.message}`,
  };
}

function fail(deps: CleanupDeps, report: Progress, failure: CleanupFailure): void {
  report.failures.push(failure);
  deps.log.warning(`Cleanup (${failure.iamAction}): ${failure.message}`);
}

/** Whether the cleanup must stop now: the step was cancelled or the deadline passed. */
function stopped(deps: CleanupDeps, signal: AbortSignal, report: Progress): boolean {
  if (!signal.aborted) return false;
  if (!report.stopped) {
    report.stopped = deps.signal.aborted ? 'cancelled' : 'deadline';
    deps.log.warning(
      report.stopped === 'cancelled'
        ? 'Cleanup stopped: the step was cancelled. The revisions not yet cleaned up stay ACTIVE.'
        : 'Cleanup stopped at its deadline. The revisions not yet cleaned up stay ACTIVE; the next run cleans them up.',
    );
  }
  return true;
}
