// ECR basic image scans: a seeded image may carry a scan (status and counts per severity), which
// DescribeImages summarises and DescribeImageScanFindings lists. A scan seeded IN_PROGRESS
// completes SCAN_DURATION_MS of simulated time after it was seeded, the way a scan on push
// finishes a little after the push.
import { AwsError } from './core.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

// The ScanStatus values of the ECR API (the SDK's ScanStatus enum).
const STATUSES = new Set([
  'ACTIVE',
  'COMPLETE',
  'FAILED',
  'FINDINGS_UNAVAILABLE',
  'IMAGE_ARCHIVED',
  'IN_PROGRESS',
  'LIMIT_EXCEEDED',
  'PENDING',
  'SCAN_ELIGIBILITY_EXPIRED',
  'UNSUPPORTED_IMAGE',
]);

/** One simulated minute: how long a seeded IN_PROGRESS scan takes to complete. */
export const SCAN_DURATION_MS = 60_000;

export interface ScanSeed {
  /** Default COMPLETE when `scanFindings` is given; without both the image has no scan. */
  scanStatus?: string;
  /** Finding counts by severity; absent severities count 0. */
  scanFindings?: Partial<Record<Severity, number>>;
}

export interface Scan {
  status: string;
  /** Simulated ms when the scan was seeded. */
  startedAt: number;
  counts: Partial<Record<Severity, number>>;
}

export function scanFromSeed(seed: ScanSeed, now: number, what: string): Scan | undefined {
  if (seed.scanStatus === undefined && seed.scanFindings === undefined) return undefined;
  const status = seed.scanStatus ?? 'COMPLETE';
  if (!STATUSES.has(status)) {
    throw new Error(
      `seed image ${what}: scanStatus must be one of ${[...STATUSES].join(', ')}, got ${status}`,
    );
  }
  const counts: Partial<Record<Severity, number>> = {};
  for (const [severity, n] of Object.entries(seed.scanFindings ?? {})) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new Error(
        `seed image ${what}: scanFindings key ${severity} is not one of ${SEVERITIES.join(', ')}`,
      );
    }
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`seed image ${what}: scanFindings.${severity} must be a count, got ${String(n)}`);
    }
    if (n > 0) counts[severity as Severity] = n;
  }
  return { status, startedAt: now, counts };
}

/** The scan's status now: IN_PROGRESS turns COMPLETE once SCAN_DURATION_MS has passed. */
function statusAt(scan: Scan, now: number): { status: string; completedAt?: Date } {
  if (scan.status === 'IN_PROGRESS') {
    const done = scan.startedAt + SCAN_DURATION_MS;
    return now >= done ? { status: 'COMPLETE', completedAt: new Date(done) } : { status: 'IN_PROGRESS' };
  }
  return scan.status === 'COMPLETE' ? { status: 'COMPLETE', completedAt: new Date(scan.startedAt) } : scan;
}

const DESCRIPTIONS: Record<string, string> = {
  COMPLETE: 'The scan was completed successfully.',
  IN_PROGRESS: 'The scan is in progress.',
  FAILED: 'The scan failed.',
  UNSUPPORTED_IMAGE: 'The operating system and/or package manager are not supported.',
};

const scanStatusOut = (status: string) => ({
  status,
  ...(DESCRIPTIONS[status] ? { description: DESCRIPTIONS[status] } : {}),
});

/** The DescribeImages fields for an image's scan (nothing when it has none). */
export function scanSummary(scan: Scan | undefined, now: number): Record<string, unknown> {
  if (!scan) return {};
  const { status, completedAt } = statusAt(scan, now);
  return {
    imageScanStatus: scanStatusOut(status),
    ...(completedAt
      ? {
          imageScanFindingsSummary: {
            imageScanCompletedAt: completedAt,
            vulnerabilitySourceUpdatedAt: completedAt,
            findingSeverityCounts: { ...scan.counts },
          },
        }
      : {}),
  };
}

/**
 * DescribeImageScanFindings' status and findings, paged by `maxResults` (1..1000, default 100).
 * The findings are made up from the counts: `CVE-2025-<n>`, most severe first.
 */
export function scanFindingsPage(
  scan: Scan,
  now: number,
  page: { maxResults?: number; nextToken?: string },
): Record<string, unknown> {
  const { status, completedAt } = statusAt(scan, now);
  if (!completedAt) return { imageScanStatus: scanStatusOut(status) };
  const max = page.maxResults ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: ` +
        'Member must have value less than or equal to 1000',
    );
  }
  const start = page.nextToken === undefined ? 0 : Number(page.nextToken);
  if (!Number.isInteger(start) || start < 0)
    throw new AwsError('InvalidParameterException', 'Invalid nextToken.');
  const severities = SEVERITIES.flatMap((s) => Array.from({ length: scan.counts[s] ?? 0 }, () => s));
  const findings = severities.slice(start, start + max).map((severity, i) => finding(severity, start + i));
  return {
    imageScanStatus: scanStatusOut(status),
    imageScanFindings: {
      imageScanCompletedAt: completedAt,
      vulnerabilitySourceUpdatedAt: completedAt,
      findingSeverityCounts: { ...scan.counts },
      findings,
    },
    ...(start + max < severities.length ? { nextToken: String(start + max) } : {}),
  };
}

function finding(severity: Severity, n: number): Record<string, unknown> {
  const name = `CVE-2025-${String(10001 + n)}`;
  return {
    name,
    description: `Example ${severity.toLowerCase()} vulnerability ${n + 1} (emulated finding).`,
    uri: `https://security-tracker.debian.org/tracker/${name}`,
    severity,
    attributes: [
      { key: 'package_name', value: `libexample${n % 7}` },
      { key: 'package_version', value: `1.${n % 10}.0` },
      { key: 'CVSS2_SCORE', value: severity === 'CRITICAL' ? '10' : severity === 'HIGH' ? '7.5' : '4.3' },
    ],
  };
}
