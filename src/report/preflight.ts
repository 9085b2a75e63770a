// The job summary's preflight section: what was checked, what was not and why, the images pinned
// to a digest, and what the execution role is needed for, said once.
import { redactSecrets } from '../lib/mask.js';
import type { CheckResult, Pin } from '../preflight/types.js';
import { code, table, text } from './markdown.js';

export type PreflightSummary =
  | { kind: 'skipped'; why: string }
  | {
      kind: 'done';
      checks: CheckResult[];
      pins: Pin[];
      durationMs: number;
      executionRole: { arn?: string; neededFor: string[] };
    };

const KIND_LABEL: Record<CheckResult['reference']['kind'], string> = {
  image: 'image',
  'env-file': 'env file',
  secret: 'secret',
  'log-group': 'log group',
};

const STATUS_LABEL: Record<CheckResult['status'], string> = {
  found: '✅ found',
  missing: '❌ missing',
  failed: '❌ failed',
  'not-checked': '➖ not checked',
};

export function preflightSection(p: PreflightSummary | undefined): string {
  if (!p) return '';
  if (p.kind === 'skipped') return `### Preflight\n\nSkipped: ${text(p.why)}.`;
  const count = (status: CheckResult['status']) => p.checks.filter((c) => c.status === status).length;
  const bad = count('missing') + count('failed');
  const lines = [
    '### Preflight',
    '',
    `${p.checks.length} reference${p.checks.length === 1 ? '' : 's'} checked in ${(p.durationMs / 1000).toFixed(2)} s: ${count('found')} found, ${bad} missing or failed, ${count('not-checked')} not checked. Nothing was read but metadata: no image layer, secret value or file content.`,
  ];
  if (p.checks.length > 0) {
    lines.push(
      '',
      table(
        ['Container', 'Kind', 'Reference', 'Result'],
        p.checks.map((c) => [
          code(c.reference.container, true),
          KIND_LABEL[c.reference.kind],
          code(redactSecrets(c.reference.value), true),
          `${STATUS_LABEL[c.status]}${c.note ? `: ${text(c.note.replace(/^not checked: /, ''))}` : ''}`,
        ]),
      ),
    );
  }
  for (const pin of p.pins) {
    lines.push('', `Pinned ${code(pin.container)}: ${code(pin.from)} → ${code(pin.to)}`);
  }
  const role = p.executionRole;
  if (role.neededFor.length > 0) {
    const arn = role.arn ? code(role.arn) : '(none)';
    lines.push('', `Execution role ${arn}: ECS needs it for ${role.neededFor.join(', ')}.`);
  }
  return lines.join('\n');
}
