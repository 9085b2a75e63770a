// The outcome of a step with several services, pure like outcome.ts (which decides each service's
// own). A service left as it was (`unchanged`) counts as a success, as a succeeded one does: when
// every service is one of these, the step is `succeeded` (`unchanged` when none changed);
// otherwise its outcome is that of the first service, in the order given, that is neither, and
// the step fails exactly when that outcome is a failing one. The single-service outputs
// (deployment-id, previous-task-definition-arn, …) stay the first service's.
import type { RunReport } from '../report/publish.js';
import type { Outcome } from '../rollout/types.js';
import { labelOf, type ServiceRow } from '../report/services.js';
import { serviceLabels } from '../fleet/members.js';
import type { CompleteRecord, FleetMember, ServiceResult } from './context.js';
import { decideOutcome, type StepFacts } from './outcome.js';

/** One result per service, in the order given; the first from the record as it always was. */
export function serviceResults(
  record: CompleteRecord,
  facts: StepFacts = { region: '', durationMs: 0 },
): ServiceResult[] {
  const { request, service } = record;
  if (!request.service) return [];
  const first = decideOutcome(record, facts);
  const rows: ServiceResult[] = [
    {
      service: service.service?.serviceName ?? request.service,
      cluster: request.cluster,
      outcome: first.outcome,
      reason: first.reason,
      deploymentId: first.deploymentId,
      previousTaskDefinitionArn: service.currentTaskDefinitionArn,
      taskDefinitionArn: first.taskDefinitionArn,
    },
  ];
  for (const m of record.fleet?.members ?? []) rows.push(memberResult(record, m, facts));
  const labels = serviceLabels(rows);
  const because = record.fleet?.rolledBackFor ?? {};
  const refused = (k: number) => k > 0 && record.fleet?.members[k - 1]?.updateError !== undefined;
  return rows.map((row, i) => {
    const labelled = { ...row, label: labels[i] };
    if (!because[i] || row.outcome !== 'rolled-back') return labelled;
    const k = labels.indexOf(because[i]);
    const cause =
      k < 0
        ? `service ${because[i]} failed`
        : refused(k)
          ? `the UpdateService of service ${because[i]} failed`
          : `service ${because[i]} ${endedAs(rows[k].outcome)}`;
    const why = `Rolled back because ${cause} (on-service-failure: rollback).`;
    return { ...labelled, reason: `${why} ${ownPart(row.reason)}` };
  });
}

/** How another service ended, said of it: "was superseded", "timed out", … */
function endedAs(outcome: Outcome): string {
  const said: Partial<Record<Outcome, string>> = {
    failed: 'failed',
    superseded: 'was superseded',
    'rolled-back': 'was rolled back',
    'timed-out': 'timed out',
    cancelled: 'was cancelled',
    'task-failed': 'had its one-off task fail',
  };
  return said[outcome] ?? `ended ${outcome}`;
}

/**
 * A service rolled back by StopServiceDeployment is judged by its follower as ECS shows it (the
 * deployment FAILED, rolled back): its own deployment did not fail, so that claim is left out.
 */
function ownPart(reason: string): string {
  return reason.replace(
    /^The deployment (\S+) failed(?:: ([^;]*))?; ECS rolled back/,
    (_m, id: string, why?: string) => `ECS rolled ${id} back${why ? ` (${why})` : ''}`,
  );
}

/** A service after the first, decided by the same function over its own results. */
function memberResult(record: CompleteRecord, m: FleetMember, facts: StepFacts): ServiceResult {
  const name = m.check.service?.serviceName ?? m.target.service;
  if (m.updateError !== undefined) {
    // Its UpdateService failed after the services before it were updated: the others went on.
    return {
      service: name,
      cluster: m.target.cluster,
      outcome: 'failed',
      reason: `UpdateService of service ${name} failed: ${m.updateError}`,
      previousTaskDefinitionArn: m.check.currentTaskDefinitionArn,
      taskDefinitionArn: m.registration?.kind === 'done' ? m.registration.taskDefinitionArn : undefined,
    };
  }
  const own: CompleteRecord = {
    ...record,
    request: m.request,
    service: m.check,
    rendered: m.rendered ?? record.rendered,
    plan: m.plan ?? record.plan,
    registration: m.registration ?? record.registration,
    servicePlan: { kind: 'none' },
    update: m.update ?? { kind: 'skipped' },
    followed: m.followed ?? { kind: 'skipped' },
    diagnosis: m.diagnosis ?? { stoppedTasks: [], logTails: [] },
  };
  const report = decideOutcome(own, facts);
  return {
    service: name,
    cluster: m.target.cluster,
    outcome: report.outcome,
    reason: report.reason,
    deploymentId: report.deploymentId,
    previousTaskDefinitionArn: m.check.currentTaskDefinitionArn,
    taskDefinitionArn: report.taskDefinitionArn,
  };
}

/** A service left as it was is a success here, as a succeeded one is (and for the cleanup). */
export const SUCCESS_OUTCOMES: ReadonlySet<Outcome> = new Set(['succeeded', 'unchanged']);

/** The step's report: the first service's, with every service's row and, for several, the step's verdict. */
export function decideServicesOutcome(
  record: CompleteRecord,
  report: RunReport,
  facts: StepFacts,
): RunReport {
  const rows: ServiceRow[] = record.services ?? serviceResults(record, facts);
  if (rows.length < 2) return rows.length ? { ...report, services: rows } : report;
  return { ...report, services: rows, ...stepVerdict(rows) };
}

/** The step's outcome and reason from its services' rows (several), by the rule above. Pure. */
export function stepVerdict(rows: ServiceRow[]): Pick<RunReport, 'outcome' | 'reason'> {
  const first = rows.find((row) => !SUCCESS_OUTCOMES.has(row.outcome));
  if (first) {
    return { outcome: first.outcome, reason: `Service ${labelOf(first)}: ${first.reason} (${tally(rows)}.)` };
  }
  const names = (outcome: Outcome) => rows.filter((r) => r.outcome === outcome).map(labelOf);
  const succeeded = names('succeeded');
  const unchanged = names('unchanged');
  if (unchanged.length === 0) {
    return {
      outcome: 'succeeded',
      reason: `All ${rows.length} services succeeded: ${succeeded.join(', ')}.`,
    };
  }
  if (succeeded.length === 0) {
    return {
      outcome: 'unchanged',
      reason: `All ${rows.length} services already ran the revision; none was changed: ${unchanged.join(', ')}.`,
    };
  }
  return {
    outcome: 'succeeded',
    reason: `All ${rows.length} services succeeded or were left as they were: ${succeeded.join(', ')} succeeded; ${unchanged.join(', ')} unchanged.`,
  };
}

/** `2 of 3 services succeeded or unchanged; 1 failed`: how the services ended, in few words. */
function tally(rows: ServiceRow[]): string {
  const ok = rows.filter((row) => SUCCESS_OUTCOMES.has(row.outcome)).length;
  const others = new Map<Outcome, number>();
  for (const row of rows) {
    if (!SUCCESS_OUTCOMES.has(row.outcome)) others.set(row.outcome, (others.get(row.outcome) ?? 0) + 1);
  }
  const rest = [...others].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  return `${ok} of ${rows.length} services succeeded or unchanged; ${rest}`;
}
