// The outcome of a step, as a pure function of its stage results: the one word (succeeded,
// rolled-back, ..., planned, registered, started) and the sentence that says why. Every sentence a
// reader sees at the end of a step is composed here, not in the stages.
import { shortTaskDefinition } from '../lib/arn.js';
import type { RunReport } from '../report/publish.js';
import type { Outcome } from '../rollout/types.js';
import { containerImages, planReason } from '../taskdef/plan.js';
import { preflightSummary, preflightWarnings } from './preflight-report.js';
import { taskAllowsUpdate, exitCodesOf, type TaskRunReport } from '../run-task/types.js';
import type { Cleanup, CompleteRecord, TaskRun } from './context.js';
import { codeDeployReport, codeDeployVerdict } from './codedeploy-outcome.js';

/** Facts about the step itself, not about a stage. */
export interface StepFacts {
  region: string;
  durationMs: number;
}

type Verdict = Pick<RunReport, 'outcome' | 'reason' | 'deploymentId' | 'deployment'>;

export function decideOutcome(record: CompleteRecord, facts: StepFacts): RunReport {
  const { request, service, rendered, plan, registration } = record;
  return {
    region: facts.region,
    cluster: request.cluster,
    service: service.service?.serviceName ?? request.service,
    previousTaskDefinitionArn: service.currentTaskDefinitionArn,
    images: containerImages(rendered.taskDefinition),
    warnings: [...rendered.warnings, ...preflightWarnings(record.preflight)],
    preflight: preflightSummary(record.preflight),
    dryRun: request.dryRun,
    renderedTaskDefinitionPath: rendered.path,
    diff: plan.diff,
    ...(record.servicePlan.kind !== 'none' ? { serviceDiff: record.servicePlan.diff } : {}),
    durationMs: facts.durationMs,
    taskDefinitionArn: registration.kind === 'done' ? registration.taskDefinitionArn : plan.reuseArn,
    ...taskOutputs(record.task),
    ...(record.github.kind === 'created' ? { githubDeploymentId: String(record.github.id) } : {}),
    github: record.github,
    ...cleanupOutputs(record.cleanup),
    ...codeDeployReport(record),
    ...(taskVerdict(record) ?? verdict(record)),
    ...stagedOutputs(record),
  };
}

/** The service deployment ARN and, at a pause, the hook (outputs of a followed deployment). */
function stagedOutputs(record: CompleteRecord): Pick<RunReport, 'serviceDeploymentArn' | 'pausedHookId'> {
  if (record.followed.kind !== 'done') return {};
  const { serviceDeploymentArn, staged } = record.followed.result;
  return {
    ...(serviceDeploymentArn ? { serviceDeploymentArn } : {}),
    ...(staged?.pausedHookId ? { pausedHookId: staged.pausedHookId } : {}),
  };
}

// ---- old revisions cleaned up (keep-revisions) ----------------------------------------------

function cleanupOutputs(
  cleanup: Cleanup | undefined,
): Pick<RunReport, 'cleanup' | 'deregisteredTaskDefinitions'> {
  if (!cleanup) return {};
  if (cleanup.kind === 'skipped') {
    return cleanup.why === 'not-requested' ? {} : { cleanup: { kind: 'skipped', why: cleanup.detail } };
  }
  const { report, otherFamilies = [] } = cleanup;
  const deregistered = [report, ...otherFamilies].flatMap((r) => r.deregistered);
  return {
    cleanup: { kind: 'done', report, ...(otherFamilies.length ? { otherFamilies } : {}) },
    ...(report.dryRun ? {} : { deregisteredTaskDefinitions: deregistered }),
  };
}

// ---- one-off task (run-task) ----------------------------------------------------------------

function taskOutputs(task: TaskRun): Pick<RunReport, 'task' | 'runTaskArns' | 'runTaskExitCodes'> {
  if (task.kind !== 'done') return {};
  const { report } = task;
  // Followed to its end: the exit codes, `{}` when ECS placed no task (it never started).
  const followed = report.verdict !== 'not-waiting';
  return {
    task: report,
    runTaskArns: report.taskArns,
    ...(followed ? { runTaskExitCodes: report.tasks.length > 0 ? exitCodesOf(report.tasks) : {} } : {}),
  };
}

const TASK_OUTCOMES: Partial<Record<TaskRunReport['verdict'], Outcome>> = {
  failed: 'task-failed',
  'not-started': 'task-failed',
  'timed-out': 'timed-out',
  cancelled: 'cancelled',
};

/**
 * The task decides when it stopped the step (the gate: the service was not updated), and when
 * there is no service: a standalone (batch) task ends `succeeded`, or `started` when not followed.
 */
function taskVerdict(record: CompleteRecord): Verdict | undefined {
  const { task, request } = record;
  if (task.kind !== 'done') return undefined;
  const { report } = task;
  if (!taskAllowsUpdate(report)) {
    const kept = request.service ? ` Service ${request.service} was not updated.` : '';
    return { outcome: TASK_OUTCOMES[report.verdict] ?? 'task-failed', reason: `${report.reason}${kept}` };
  }
  if (request.service) return undefined;
  return { outcome: report.verdict === 'passed' ? 'succeeded' : 'started', reason: report.reason };
}

function verdict(record: CompleteRecord): Verdict {
  const { request, service, plan, registration, update, followed, diagnosis } = record;
  if (registration.kind === 'skipped') {
    const reason = planReason({
      changes: plan.diff.length,
      diffAgainstArn: plan.diffAgainstArn,
      reuseArn: plan.reuseArn,
      currentArn: service.currentTaskDefinitionArn,
      forceNewDeployment: request.forceNewDeployment,
    });
    if (record.servicePlan.kind === 'create') {
      return {
        outcome: 'planned',
        reason: `${reason} Service ${request.service ?? ''} does not exist and would be created.`,
      };
    }
    return { outcome: 'planned', reason };
  }
  const arn = registration.taskDefinitionArn;
  const name = service.service?.serviceName ?? request.service ?? '';
  // A CODE_DEPLOY service: CodeDeploy's verdict (stages/codedeploy-outcome.ts).
  const codeDeploy = codeDeployVerdict(record);
  if (codeDeploy) return codeDeploy;
  switch (update.kind) {
    case 'skipped':
      return registration.registered
        ? { outcome: 'registered', reason: `Registered ${arn}.` }
        : { outcome: 'unchanged', reason: `${arn} already has this definition; nothing was registered.` };
    case 'unchanged':
      return {
        outcome: 'unchanged',
        reason: `Service ${name} already runs ${arn} and is steady${update.deploymentId ? ` (deployment ${update.deploymentId})` : ''}; nothing was changed. Use force-new-deployment to restart its tasks.`,
        deploymentId: update.deploymentId,
      };
    case 'settings-only':
      return {
        outcome: 'unchanged',
        reason: `Service ${name} updated (${update.settings.join('; ')}); it already runs ${shortTaskDefinition(arn)}, so ECS started no new deployment.`,
        deploymentId: update.deploymentId,
      };
  }
  const fromEarlierRun = update.kind === 'follow-existing';
  if (followed.kind !== 'done') {
    const outcome: Outcome = fromEarlierRun ? 'unchanged' : 'started';
    const what = fromEarlierRun ? 'is rolling out from an earlier run' : 'started';
    return {
      outcome,
      reason: `Deployment ${update.deploymentId} ${what}; not followed because wait-for-service-stability is false.`,
      deploymentId: update.deploymentId,
    };
  }
  const deployment = { ...followed.result, ...diagnosis };
  return {
    outcome: deployment.outcome,
    reason: deployment.reason,
    deploymentId: update.deploymentId,
    deployment,
  };
}
