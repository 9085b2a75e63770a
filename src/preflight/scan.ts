// The ECR scan gate (`fail-on-scan-findings`): which severities count, and the counts that stop a
// deployment. INFORMATIONAL and UNDEFINED rank below LOW and never stop one.
import type { EcrScan } from '../aws/ports.js';
import { SCAN_THRESHOLDS, type ScanThreshold } from '../lib/request.js';

/** Most severe first; the two below LOW never count. */
const RANK = [...SCAN_THRESHOLDS, 'INFORMATIONAL', 'UNDEFINED'];

/** A scan ECR has not finished yet (waited for). */
export function scanRunning(scan: EcrScan): boolean {
  return scan.status === 'IN_PROGRESS' || scan.status === 'PENDING';
}

/** `CRITICAL 1, HIGH 4`: the counts of a scan, most severe first. */
export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rankOf(a) - rankOf(b));
  return entries.length ? entries.map(([s, n]) => `${s} ${n}`).join(', ') : 'no findings';
}

function rankOf(severity: string): number {
  const i = RANK.indexOf(severity);
  return i < 0 ? RANK.length : i;
}

/** The counts at or above `threshold`; empty when the image passes. */
export function countsOverThreshold(
  counts: Record<string, number>,
  threshold: ScanThreshold,
): Record<string, number> {
  const limit = rankOf(threshold);
  return Object.fromEntries(Object.entries(counts).filter(([s, n]) => n > 0 && rankOf(s) <= limit));
}
