// The job summary's Cleanup section (keep-revisions): what was deregistered and deleted, what was
// kept and why (the newest N, running in a service, a step service's previous revision), what
// failed with the IAM action it needs, and, when the deploy did not succeed, that nothing was done.

import { shortTaskDefinition } from '../lib/arn.js';
import type { CleanupReport, KeepReason } from '../cleanup/types.js';
import { code, table, text } from './markdown.js';

/** `report` is the first family's; `otherFamilies`, each other family the step registered into. */
export type CleanupSummary =
  { kind: 'skipped'; why: string } | { kind: 'done'; report: CleanupReport; otherFamilies?: CleanupReport[] };

export function cleanupSection(c: CleanupSummary | undefined): string {
  if (!c) return '';
  if (c.kind === 'skipped') return `### Cleanup\n\nNot run: ${text(c.why)}. No revision was deregistered.`;
  // Several families (services rendered from their own bases): one part each, headed by its family.
  return ['### Cleanup', ...[c.report, ...(c.otherFamilies ?? [])].map(familyPart)].join('\n\n');
}

function familyPart(r: CleanupReport): string {
  const lines = [headline(r)];
  const done = new Set([...r.deregistered, ...r.notDone]);
  const refused = [...new Set(r.failures.flatMap((f) => (f.arn && !done.has(f.arn) ? [f.arn] : [])))];
  const rows = [
    ...r.deregistered.map((arn) => [code(shortTaskDefinition(arn), true), doneCell(r, arn)]),
    ...refused.map((arn) => [code(shortTaskDefinition(arn), true), 'refused (see below), still ACTIVE']),
    ...r.notDone.map((arn) => [
      code(shortTaskDefinition(arn), true),
      'not tried (cleanup stopped), still ACTIVE',
    ]),
    ...r.kept.map((k) => [
      code(shortTaskDefinition(k.arn), true),
      `kept: ${k.reasons.map(reasonText).join('; ')}`,
    ]),
  ];
  if (r.wouldRegister) rows.unshift(['the revision this step would register', 'kept: newest 1 (counted)']);
  if (rows.length > 0) lines.push('', table(['Revision', 'What happened'], rows));
  if (r.failures.length > 0) {
    lines.push('', ...r.failures.map((f) => `- ⚠️ ${code(f.iamAction)}: ${text(f.message)}`));
  }
  return lines.join('\n');
}

function headline(r: CleanupReport): string {
  const family = code(r.family);
  if (!r.planned) return `Nothing was deregistered from ${family}: what to keep could not be listed.`;
  const n = r.deregistered.length;
  const what = r.deleteDeregistered ? 'deregistered and deleted' : 'deregistered';
  const revisions = `${n} revision${n === 1 ? '' : 's'}`;
  const kept = `${r.kept.length + (r.wouldRegister ? 1 : 0)} kept (keep-revisions: ${r.keep})`;
  if (r.dryRun) return `Dry run: ${revisions} of ${family} would be ${what}; ${kept}. Nothing was changed.`;
  const why =
    r.stopped === 'cancelled' ? 'the step was cancelled' : r.stopped === 'deadline' ? 'deadline' : 'refused';
  const stopped = r.notDone.length > 0 ? ` Stopped (${why}): ${r.notDone.length} left ACTIVE.` : '';
  const failed = r.failures.length > 0 ? ` ${r.failures.length} refused (below).` : '';
  return `${revisions} of ${family} ${what}; ${kept}.${stopped}${failed}`;
}

function doneCell(r: CleanupReport, arn: string): string {
  if (r.dryRun) return r.deleteDeregistered ? 'would be deregistered and deleted' : 'would be deregistered';
  if (!r.deleteDeregistered) return 'deregistered (INACTIVE)';
  return r.deleted.includes(arn) ? 'deregistered and deleted' : 'deregistered, not deleted';
}

export function reasonText(reason: KeepReason): string {
  switch (reason.kind) {
    case 'newest':
      return `newest ${reason.rank}`;
    case 'deployed':
      return 'deployed by this step';
    case 'running':
      return `running in service ${reason.services.map(text).join(', ')}`;
    case 'previous':
      return `previous revision of ${reason.services.map(text).join(', ')} (rollback target)`;
  }
}
