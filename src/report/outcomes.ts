// How each outcome is presented, in one place so the log line and the summary agree.

import { FAILING_OUTCOMES, type Outcome } from '../rollout/types.js';

export interface OutcomePresentation {
  emoji: string;
  /** Short, and for a failing outcome it says "failed": a rollback must never read as a success. */
  title: string;
  /** The step fails (README.md, "Outcomes"). */
  failing: boolean;
}

const PRESENTATION: Record<Outcome, { emoji: string; title: string }> = {
  succeeded: { emoji: '✅', title: 'Succeeded' },
  'rolled-back': { emoji: '❌', title: 'Failed: rolled back' },
  failed: { emoji: '❌', title: 'Failed' },
  superseded: { emoji: '⚠️', title: 'Failed: superseded by another deployment' },
  'timed-out': { emoji: '⏱️', title: 'Failed: timed out' },
  unchanged: { emoji: '➖', title: 'Unchanged' },
  planned: { emoji: '📝', title: 'Planned (dry run)' },
  registered: { emoji: '📦', title: 'Registered' },
  started: { emoji: '🚀', title: 'Started, not followed' },
  cancelled: { emoji: '🛑', title: 'Failed: cancelled before a verdict' },
  'task-failed': { emoji: '❌', title: 'Failed: the one-off task failed' },
  paused: { emoji: '⏸️', title: 'Paused at a PAUSE hook, handed to the workflow' },
  'stage-reached': { emoji: '🚩', title: 'Stage reached, not followed further' },
};

export function presentOutcome(outcome: Outcome): OutcomePresentation {
  return { ...PRESENTATION[outcome], failing: FAILING_OUTCOMES.has(outcome) };
}
