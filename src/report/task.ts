// The one-off task (run-task) in the job summary: each task with its status and every
// container's exit code (essential ones marked), the ECS reasons for a task that never started,
// warnings about sidecars, and the last log lines of a container that failed.

import { redactSecrets } from '../lib/mask.js';
import type { TaskRunReport } from '../run-task/types.js';
import { code, codeBlock, table, text } from './markdown.js';

const VERDICT_TEXT: Record<TaskRunReport['verdict'], string> = {
  passed: 'passed: every essential container exited 0',
  failed: 'failed',
  'not-started': 'never started',
  'not-waiting': 'started, not followed',
  'timed-out': 'no verdict in time',
  cancelled: 'cancelled while waiting',
};

/** Log lines shown per failing container: the last ones, where a failure says why. */
export const MAX_TASK_LOG_LINES = 30;

export function renderTaskSection(report: TaskRunReport | undefined): string {
  if (!report) return '';
  const blocks = [`### One-off task: ${VERDICT_TEXT[report.verdict]}`, text(redactSecrets(report.reason))];
  const rows = report.tasks.flatMap((t) =>
    t.containers.map((c) => [
      code(t.taskId, true),
      code(t.lastStatus ?? '–', true),
      `${code(c.name, true)}${c.essential ? '' : ' (not essential)'}`,
      c.exitCode === undefined ? '–' : code(String(c.exitCode), true),
      text(redactSecrets(c.reason ?? (t.stoppedReason && c.essential ? t.stoppedReason : ''))),
    ]),
  );
  if (rows.length) blocks.push(table(['Task', 'Status', 'Container', 'Exit code', 'Reason'], rows));
  for (const f of report.failures) {
    blocks.push(
      `- ECS could not place a task: ${code(f.reason ?? 'no reason')}${f.detail ? ` ${text(f.detail)}` : ''}`,
    );
  }
  if (report.warnings.length)
    blocks.push(report.warnings.map((w) => `- ⚠️ ${text(redactSecrets(w))}`).join('\n'));
  for (const tail of report.logTails) {
    const shown = tail.lines.slice(-MAX_TASK_LOG_LINES).map(redactSecrets);
    const heading = `**${code(tail.container)}** of task ${code(tail.taskId)} · log group ${code(tail.logGroup)}, stream ${code(tail.logStream)}`;
    blocks.push(`${heading}\n\n${codeBlock(shown, 'text')}`);
  }
  return blocks.join('\n\n');
}
