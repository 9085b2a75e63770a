// The one place the report meets @actions/core: annotations, outputs, the job summary and the
// final log line. Everything it prints was formatted by the pure modules beside it.
import * as core from '@actions/core';
import { secretValuesIn } from '../lib/mask.js';
import type { Problem } from '../lib/problems.js';
import { FAILING_OUTCOMES } from '../rollout/types.js';
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
export function annotate(problems: Problem[]): void {
  for (const problem of problems) {
    for (const value of secretValuesIn(problem.message)) {
      if (value.length >= MIN_REGISTERED_FROM_MESSAGE) core.setSecret(value);
    }
  }
  for (const problem of problems) {
    const { message, properties } = problemAnnotation(problem);
    if (problem.severity === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
}

export type RunReport = SummaryInput & OutputsInput;

/** Outputs, the why of a failure in the log, the job summary, and the step's result. */
export async function publish(report: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(actionOutputs(report))) core.setOutput(name, value);

  const deployment = report.deployment;
  if (deployment && (deployment.stoppedTasks.length || deployment.logTails.length)) {
    core.startGroup('Why the deployment failed: stopped tasks and their last log lines');
    for (const line of [
      ...formatStoppedTasks(deployment.stoppedTasks),
      ...formatLogTails(deployment.logTails),
    ]) {
      core.info(line);
    }
    core.endGroup();
  }

  try {
    await core.summary.addRaw(renderSummary(report), true).write();
  } catch (err) {
    // No GITHUB_STEP_SUMMARY (run outside a runner): the log has it all.
    core.debug(`No job summary written: ${(err as Error).message}`);
  }

  const line = outcomeLine(report.outcome, report.reason);
  if (FAILING_OUTCOMES.has(report.outcome)) core.setFailed(line);
  else core.info(line);
}
