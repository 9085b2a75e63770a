// The job summary's line for the GitHub deployment record (`github-environment`): its id,
// environment and the last state the step set, or why there is no record. Rendered when the
// summary is written, after the step's last GitHub call, so `states` holds the final one.
import { code, text } from './markdown.js';

/** What the summary needs of the record (src/stages/context.ts, GitHubDeployment, fits it). */
export type GitHubRecordSummary =
  | { kind: 'skipped'; why: 'not-asked' | 'dry-run' }
  | { kind: 'unrecorded'; warning: string }
  | {
      kind: 'created';
      id: number;
      environment: string;
      /** The statuses GitHub accepted, in order. */
      states: readonly string[];
      /** GitHub refused a status: the later ones were not sent. */
      stopped?: boolean;
    };

/** One line; empty without `github-environment`. */
export function githubSection(record: GitHubRecordSummary | undefined): string {
  if (!record || (record.kind === 'skipped' && record.why === 'not-asked')) return '';
  const lead = '**GitHub deployment:**';
  if (record.kind === 'skipped') return `${lead} none created (dry run).`;
  if (record.kind === 'unrecorded') return `${lead} not recorded. ${text(record.warning)}`;
  const where = `${code(String(record.id))} in environment ${code(record.environment)}`;
  const last = record.states.at(-1);
  const state = last ? `final state ${code(last)}` : 'no status set';
  const stopped = record.stopped ? ' (GitHub refused a status; no later one was sent)' : '';
  return `${lead} ${where}, ${state}${stopped}.`;
}
