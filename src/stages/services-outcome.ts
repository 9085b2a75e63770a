// The outcome of a step with several services, pure like outcome.ts (which decides each service's
// own): `succeeded` when every service succeeded, else the outcome of the first service, in the
// order given, that did not (the first that failed, when one did); the reason says which. The single-service outputs
// (deployment-id, previous-task-definition-arn, …) stay the first service's.
import type { RunReport } from '../report/publish.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import type { ServiceRow } from '../report/services.js';
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
  const because = record.fleet?.rolledBackFor ?? {};
  return rows.map((row, i) =>
    because[i] && row.outcome === 'rolled-back'
      ? {
          ...row,
          reason: `Rolled back because service ${because[i]} failed (on-service-failure: rollback). ${row.reason}`,
        }
      : row,
  );
}

/** A service after the first, decided by the same function over its own results. */
function memberResult(record: CompleteRecord, m: FleetMember, facts: StepFacts): ServiceResult {
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
    service: m.check.service?.serviceName ?? m.target.service,
    cluster: m.target.cluster,
    outcome: report.outcome,
    reason: report.reason,
    deploymentId: report.deploymentId,
    previousTaskDefinitionArn: m.check.currentTaskDefinitionArn,
    taskDefinitionArn: report.taskDefinitionArn,
  };
}

/** The step's report: the first service's, with every service's row and, for several, the step's verdict. */
export function decideServicesOutcome(
  record: CompleteRecord,
  report: RunReport,
  facts: StepFacts,
): RunReport {
  const rows: ServiceRow[] = record.services ?? serviceResults(record, facts);
  if (rows.length < 2) return rows.length ? { ...report, services: rows } : report;
  // A failing service comes first, so that the step fails whenever one service does (a service
  // left `unchanged` before it would otherwise hide it); then any other that did not succeed.
  const failed =
    rows.find((row) => FAILING_OUTCOMES.has(row.outcome)) ?? rows.find((row) => row.outcome !== 'succeeded');
  if (!failed) {
    return {
      ...report,
      services: rows,
      outcome: 'succeeded',
      reason: `All ${rows.length} services succeeded: ${rows.map((r) => r.service).join(', ')}.`,
    };
  }
  const ok = rows.filter((row) => row.outcome === 'succeeded').length;
  return {
    ...report,
    services: rows,
    outcome: failed.outcome,
    reason: `Service ${failed.service}: ${failed.reason} (${ok} of ${rows.length} services succeeded.)`,
  };
}
