// The one place the report meets the runner: annotations, outputs, the job summary and the final
// log line. Everything it prints was formatted by the pure modules beside it.
import { secretValuesIn } from '../lib/mask.js';
import type { Problem } from '../lib/problems.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
import type { Runner } from '../runner/runner.js';
import { renderFailureSummary, type FailureSummaryInput } from './failure.js';
import { formatLogTails, formatStoppedTasks, outcomeLine, problemAnnotation } from './log.js';
import { actionOutputs, type OutputsInput } from './outputs.js';
import { renderSummary, type SummaryInput } from './summary.js';

/**
 * A secret found in a problem's message shorter than this is not registered with the runner: a
 * short match in prose is more likely a false positive, and a registered value is masked
 * everywhere in the log. The message itself is masked either way (formatProblem).
 */
const MIN_REGISTERED_FROM_MESSAGE = 6;

/**
 * Problems as annotations. A secret a message quotes (credentials in a rejected image
 * reference) is registered with the runner first, so it is masked in every later log line too:
 * inputs that fail to parse never reach the registration of input values.
 */
export function annotate(runner: Runner, problems: Problem[]): void {
  for (const problem of problems) {
    for (const value of secretValuesIn(problem.message)) {
      if (value.length >= MIN_REGISTERED_FROM_MESSAGE) runner.setSecret(value);
    }
  }
  for (const problem of problems) {
    const { message, properties } = problemAnnotation(problem);
    if (problem.severity === 'error') runner.error(message, properties);
    else runner.warning(message, properties);
  }
}

export type RunReport = SummaryInput & OutputsInput;

/** Outputs, the why of a failure in the log, the job summary, and the step's result. */
export async function publish(runner: Runner, report: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(actionOutputs(report))) runner.setOutput(name, value);

  const deployment = report.deployment;
  if (deployment && (deployment.stoppedTasks.length || deployment.logTails.length)) {
    runner.startGroup('Why the deployment failed: stopped tasks and their last log lines');
    for (const line of [
      ...formatStoppedTasks(deployment.stoppedTasks),
      ...formatLogTails(deployment.logTails),
    ]) {
      runner.info(line);
    }
    runner.endGroup();
  }

  await runner.writeSummary(renderSummary(report));

  const line = outcomeLine(report.outcome, report.reason);
  if (FAILING_OUTCOMES.has(report.outcome)) runner.setFailed(line);
  else runner.info(line);
}

export interface FailureReport {
  message: string;
  problems: Problem[];
  summary: FailureSummaryInput;
  /** The outputs known when the step ended; `outcome` stays unset (no verdict). */
  outputs: Omit<OutputsInput, 'outcome'>;
  stack?: string;
}

/** A step that ended before a verdict: its problems as annotations, what is known, and the why. */
export async function publishFailure(runner: Runner, failure: FailureReport): Promise<void> {
  annotate(runner, failure.problems);
  const { outcome: _none, ...known } = actionOutputs({ outcome: 'failed', ...failure.outputs });
  for (const [name, value] of Object.entries(known)) runner.setOutput(name, value);
  await runner.writeSummary(renderFailureSummary(failure.summary));
  if (failure.stack) runner.debug(failure.stack);
  runner.setFailed(failure.message);
}
