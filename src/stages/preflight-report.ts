// What the report says about preflight, read off its result (pure; used by outcome.ts and
// failure.ts).
import type { Problem } from '../lib/problems.js';
import type { PreflightSummary } from '../report/preflight.js';
import type { Preflight } from './context.js';

export function preflightSummary(preflight: Preflight | undefined): PreflightSummary | undefined {
  if (!preflight) return undefined;
  if (preflight.kind === 'skipped') {
    const why =
      preflight.why === 'disabled'
        ? 'preflight is false'
        : 'the task definition did not render (unresolved placeholders, or inputs that could not be applied)';
    return { kind: 'skipped', why };
  }
  const { checks, pins, durationMs, executionRole } = preflight;
  return { kind: 'done', checks, pins, durationMs, executionRole };
}

export function preflightWarnings(preflight: Preflight | undefined): Problem[] {
  return preflight?.kind === 'done' ? preflight.problems.filter((p) => p.severity === 'warning') : [];
}
