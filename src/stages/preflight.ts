// Stage "preflight": after the definition is rendered and validated, before the plan and the first
// write, prove that what it points at exists (images, environment files, secrets, log groups).
// Its problems are returned, not thrown, so that they can join the other stages' in one list;
// `stopOnPreflightErrors` stops the step on them. It throws only for AWS failures that stop the
// step (bad credentials) and for a cancel.
import { writeFile } from 'node:fs/promises';
import { ProblemsError, errorsOf, type Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import { accountOf } from '../preflight/references.js';
import { runPreflight } from '../preflight/run.js';
import { annotate } from '../report/publish.js';
import type { Preflight, Rendered, ServiceCheck, StepContext } from './context.js';

/** How long a scan still running is waited for (the two minutes). */
export const SCAN_WAIT_MS = 120_000;

export async function preflightStage(
  ctx: StepContext,
  done: { request: DeployRequest; service: ServiceCheck; rendered: Rendered },
): Promise<Preflight> {
  if (!done.request.preflight) return { kind: 'skipped', why: 'disabled' };
  const td = done.rendered.taskDefinition;
  const started = ctx.clock.now();
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const report = await runPreflight(
    {
      aws: ctx.aws,
      region: ctx.aws.region,
      account: accountOf(done.service.service?.serviceArn, str(td.executionRoleArn), str(td.taskRoleArn)),
      signal: ctx.signal,
      clock: ctx.clock,
      failOnScanFindings: done.request.failOnScanFindings,
      scanWaitMs: SCAN_WAIT_MS,
      memo: new Map(),
    },
    td,
    { pinImageDigest: done.request.pinImageDigest },
  );
  const durationMs = ctx.clock.now() - started;
  logPreflight(ctx, report.checks.length, durationMs);
  // Errors are annotated with the failure; warnings now, since the step goes on.
  annotate(
    ctx.runner,
    report.problems.filter((p) => p.severity === 'warning'),
  );
  if (report.pins.length > 0) {
    for (const pin of report.pins) ctx.runner.info(`Pinned ${pin.container}: ${pin.from} → ${pin.to}`);
    // The `task-definition` output shows what is registered.
    await writeFile(done.rendered.path, `${JSON.stringify(report.taskDefinition, null, 2)}\n`, 'utf8');
  }
  return { kind: 'done', ...report, durationMs };
}

function logPreflight(ctx: StepContext, count: number, durationMs: number): void {
  ctx.runner.info(
    `Preflight: ${count} reference${count === 1 ? '' : 's'} checked in ${(durationMs / 1000).toFixed(2)} s.`,
  );
}

/**
 * Preflight when no definition rendered (placeholders left unresolved): skipped, and the problem
 * list says so, so that one run still tells the user what was not checked.
 */
export function preflightSkipped(): { preflight: Preflight; problem: Problem } {
  return {
    preflight: { kind: 'skipped', why: 'unrendered' },
    problem: {
      severity: 'warning',
      message:
        'Preflight was skipped: the template has unresolved placeholders, so there is no task definition to check. Fix them and run again to check its images, env files, secrets and log groups.',
    },
  };
}

/** The rendered definition as preflight leaves it: images pinned to their digest when asked. */
export function afterPreflight(rendered: Rendered, preflight: Preflight): Rendered {
  return preflight.kind === 'done' && preflight.pins.length > 0
    ? { ...rendered, taskDefinition: preflight.taskDefinition }
    : rendered;
}

/**
 * Stops the step, with nothing written, when preflight found something missing. (Until the gate
 * stage collects every stage's problems before the first write, this is that gate for preflight.)
 */
export function stopOnPreflightErrors(preflight: Preflight): void {
  if (preflight.kind !== 'done' || errorsOf(preflight.problems).length === 0) return;
  throw new ProblemsError(
    preflight.problems,
    'Preflight found that the task definition points at something missing; nothing was written to AWS',
  );
}
