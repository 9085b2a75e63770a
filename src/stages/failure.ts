// A step that ended before a verdict: what the user gave, what AWS refused, or a bug. Pure: the
// message, the problems and what had already happened (a registered revision, a started
// deployment) follow from the error and the stage results; `outcome` is left unset, since no
// verdict was reached.
import { AwsCallError } from '../aws/errors.js';
import { ProblemsError, type Problem } from '../lib/problems.js';
import type { FailureSummaryInput } from '../report/failure.js';
import type { OutputsInput } from '../report/outputs.js';
import type { StepRecord } from './context.js';
import { AbandonedWriteError } from './register.js';
import { preflightSummary } from './preflight-report.js';

export interface StepFailure {
  message: string;
  problems: Problem[];
  /** What the summary says had happened. */
  summary: FailureSummaryInput;
  /** The outputs known so far (no outcome). */
  outputs: Omit<OutputsInput, 'outcome'>;
  /** A stack worth a debug line: an unexpected error, not a problem of the inputs or of AWS. */
  stack?: string;
}

export function describeFailure(
  err: unknown,
  record: StepRecord,
  options: { cancelled?: boolean } = {},
): StepFailure {
  const problems = err instanceof ProblemsError ? err.problems : [];
  let message =
    err instanceof ProblemsError
      ? `${err.message.split('\n')[0].replace(/:$/, '')}, each listed above.`
      : err instanceof Error
        ? err.message
        : String(err);
  // A cancel abandons the call in flight; its error ("Request aborted") is not the cause.
  if (options.cancelled && !(err instanceof ProblemsError) && !message.startsWith('The step was cancelled')) {
    message = `The step was cancelled before a verdict (${message.replace(/\.$/, '')}).`;
  }
  const progress = {
    ...progressOf(record),
    ...(err instanceof AbandonedWriteError ? { inFlight: err.operation } : {}),
  };
  const unexpected =
    err instanceof Error && !(err instanceof ProblemsError) && !(err instanceof AwsCallError);
  return {
    message,
    problems,
    summary: {
      ...{ message, problems, ...progress, preflight: preflightSummary(record.preflight) },
      github: record.github,
    },
    outputs: {
      renderedTaskDefinitionPath: record.rendered?.path,
      taskDefinitionArn: progress.taskDefinitionArn,
      previousTaskDefinitionArn: progress.previousTaskDefinitionArn,
      // deployment-id is an ECS deployment's id only; a CodeDeploy one has its own output.
      ...(record.update?.kind === 'codedeploy'
        ? { codeDeployDeploymentId: record.update.deploymentId }
        : { deploymentId: progress.deploymentId }),
      // Tasks started before the step failed still run: their ARNs are worth having.
      ...(record.task?.kind === 'done' ? { runTaskArns: record.task.report.taskArns } : {}),
      ...(record.github?.kind === 'created' ? { githubDeploymentId: String(record.github.id) } : {}),
    },
    ...(unexpected && err.stack ? { stack: err.stack } : {}),
  };
}

/** What the stages had done when the step ended, read off their results. */
function progressOf(record: StepRecord): Omit<FailureSummaryInput, 'message' | 'problems'> {
  const { service, registration, update } = record;
  const request = record.request ?? record.inputs?.request;
  const done = registration?.kind === 'done' ? registration : undefined;
  // Several services: the later ones' deployments already started go on too; the reader needs their ids.
  const otherDeployments = (record.fleet?.members ?? []).flatMap((m) =>
    m.update?.kind === 'started' && m.update.created
      ? [
          {
            service: m.label ?? m.target.service,
            cluster: m.target.cluster,
            deploymentId: m.update.deploymentId,
          },
        ]
      : [],
  );
  return {
    ...(otherDeployments.length ? { otherDeployments } : {}),
    service: request?.service,
    cluster: request?.cluster,
    previousTaskDefinitionArn: service?.currentTaskDefinitionArn,
    taskDefinitionArn: done?.taskDefinitionArn,
    registered: done?.registered ?? false,
    serviceUpdated:
      update?.kind === 'started' || update?.kind === 'settings-only' || update?.kind === 'codedeploy',
    deploymentId:
      (update?.kind === 'started' && update.created) || update?.kind === 'codedeploy'
        ? update.deploymentId
        : undefined,
  };
}
