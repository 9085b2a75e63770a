// Stage "preflight": after the definition is rendered and validated, before the plan and the first
// write, prove that what it points at exists (images, environment files, secrets, log groups).
// Its problems are returned, not thrown: the gate lists them with the other stages' in one list. It
// throws only for AWS failures that stop the step (bad credentials) and for a cancel.
import type { JsonObject } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import { accountOf } from '../preflight/references.js';
import { runPreflight } from '../preflight/run.js';
import type { Draft, InputsRead, Preflight, ServiceCheck, StepContext } from './context.js';
import { anyProblemIn } from './inputs.js';

/** How long a scan still running is waited for (the two minutes). */
export const SCAN_WAIT_MS = 120_000;

export async function preflightStage(
  ctx: StepContext,
  done: { inputs: InputsRead; service: ServiceCheck; draft: Draft },
): Promise<Preflight> {
  const { request } = done.inputs;
  const { draft } = done;
  if (!request.preflight) return { kind: 'skipped', why: 'disabled' };
  // Preflight checks what would be registered: not a definition with placeholders left in it, nor
  // one the inputs could not be applied to (the gate lists why; the skip is said there too).
  if (!draft.taskDefinition || draft.unresolved || !draft.checkable)
    return { kind: 'skipped', why: 'unrendered' };
  const td = draft.taskDefinition;
  const started = ctx.clock.now();
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const report = await runPreflight(
    {
      aws: ctx.aws,
      region: ctx.aws.region,
      account: accountOf(done.service.service?.serviceArn, str(td.executionRoleArn), str(td.taskRoleArn)),
      signal: ctx.signal,
      clock: ctx.clock,
      failOnScanFindings: request.failOnScanFindings,
      scanWaitMs: SCAN_WAIT_MS,
      memo: new Map(),
    },
    td,
    {
      pinImageDigest: request.pinImageDigest,
      ...(anyProblemIn(done.inputs.problems, ['image', 'images'])
        ? { skipImages: 'the image or images input has a problem' }
        : {}),
    },
  );
  const durationMs = ctx.clock.now() - started;
  logPreflight(ctx, report.checks.length, durationMs);
  for (const pin of report.pins) ctx.runner.info(`Pinned ${pin.container}: ${pin.from} → ${pin.to}`);
  return { kind: 'done', ...report, durationMs };
}

function logPreflight(ctx: StepContext, count: number, durationMs: number): void {
  ctx.runner.info(
    `Preflight: ${count} reference${count === 1 ? '' : 's'} checked in ${(durationMs / 1000).toFixed(2)} s.`,
  );
}

/**
 * What the problem list says when preflight was skipped because no definition rendered (placeholders
 * left unresolved, or inputs that could not be applied), so one run still tells what was not checked.
 */
export function preflightSkippedProblem(preflight: Preflight): Problem | undefined {
  if (preflight.kind !== 'skipped' || preflight.why !== 'unrendered') return undefined;
  return {
    severity: 'warning',
    message:
      'Preflight was skipped: the task definition did not render (unresolved placeholders, or inputs that could not be applied), so there is nothing to check yet. Fix the problems above and run again to check its images, env files, secrets and log groups.',
  };
}

/** The definition to register: with images pinned to their digest when preflight pinned them. */
export function pinnedTaskDefinition(td: JsonObject, preflight: Preflight): JsonObject {
  return preflight.kind === 'done' && preflight.pins.length > 0 ? preflight.taskDefinition : td;
}
