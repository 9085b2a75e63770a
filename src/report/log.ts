// Lines for the step log. Pure: the caller prints them (core.info for progress, core.error for
// a failure's evidence) so what is printed and how are decided in one place each.

import { formatProblem, type Problem } from '../lib/problems.js';
import type { LogTail, Outcome, StoppedTaskGroup } from '../rollout/types.js';
import { redactSecrets } from '../lib/mask.js';
import { presentOutcome } from './outcomes.js';

/**
 * The last line of the step: `❌ Failed: rolled back (outcome: rolled-back). <reason>`. The
 * outcome word is spelled out so a search of the log finds it, the title so a human does not
 * mistake a rollback for a success.
 */
export function outcomeLine(outcome: Outcome, reason: string): string {
  const p = presentOutcome(outcome);
  const head = `${p.emoji} ${p.title} (outcome: ${outcome})`;
  // A reason can quote an ECS message or a command line.
  const why = redactSecrets(reason.trim());
  return why ? `${head}. ${why}` : `${head}.`;
}

/**
 * Stopped tasks of our deployment, one block per group:
 *   3 tasks stopped · EssentialContainerExited · Essential container in task exited
 *     container app: exit code 1: <reason>
 *     tasks: 0a1b2c, 3d4e5f
 * Reasons can quote a command line or URL, so they pass through the secret redaction.
 */
export function formatStoppedTasks(groups: StoppedTaskGroup[]): string[] {
  if (groups.length === 0) return [];
  const total = groups.reduce((n, g) => n + g.count, 0);
  const lines = [
    `Stopped tasks of this deployment: ${total} in ${groups.length} group${groups.length === 1 ? '' : 's'}`,
  ];
  for (const g of groups) {
    const parts = [`${g.count} task${g.count === 1 ? '' : 's'} stopped`];
    if (g.stopCode) parts.push(g.stopCode);
    if (g.stoppedReason) parts.push(redactSecrets(g.stoppedReason));
    lines.push(`  ${parts.join(' · ')}`);
    for (const c of g.containers) {
      const exit = c.exitCode !== undefined ? `exit code ${c.exitCode}` : 'no exit code';
      lines.push(`    container ${c.name}: ${exit}${c.reason ? `: ${redactSecrets(c.reason)}` : ''}`);
    }
    if (g.taskIds.length > 0) lines.push(`    tasks: ${g.taskIds.join(', ')}`);
  }
  return lines;
}

/** The last log lines of each stopped container, indented under a heading naming the stream. */
export function formatLogTails(tails: LogTail[]): string[] {
  const lines: string[] = [];
  for (const t of tails) {
    const where = `${t.logGroup} ${t.logStream}`;
    if (t.lines.length === 0) {
      lines.push(`No log lines from container ${t.container} (${where}).`);
      continue;
    }
    lines.push(
      `Last ${t.lines.length} log line${t.lines.length === 1 ? '' : 's'} of container ${t.container} (${where}):`,
    );
    for (const line of t.lines) lines.push(`  | ${redactSecrets(line)}`);
  }
  return lines;
}

export interface AnnotationShape {
  message: string;
  /** `@actions/core` AnnotationProperties. */
  properties: { title?: string; file?: string; startLine?: number; startColumn?: number };
}

/**
 * A problem as a GitHub annotation. With a file (and line) the annotation sits on the template
 * line in the pull request; the message still names the input or JSON path, because the line
 * alone does not say which value in it is wrong.
 */
export function problemAnnotation(problem: Problem): AnnotationShape {
  const properties: AnnotationShape['properties'] = {};
  if (problem.input) properties.title = `Input '${problem.input}'`;
  else if (problem.path || problem.file) properties.title = 'Task definition';
  if (problem.file) {
    properties.file = problem.file;
    if (problem.line) {
      properties.startLine = problem.line;
      if (problem.column) properties.startColumn = problem.column;
    }
  }
  // The file and position are in `properties`. The input stays in the message as well as the
  // title, because the raw step log shows only the message.
  const message = formatProblem({ ...problem, file: undefined, line: undefined, column: undefined });
  return { message, properties };
}
