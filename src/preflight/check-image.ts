// An image: it exists in its ECR registry (DescribeImages, which pulls no layer), what digest its
// tag points at (for pin-image-digest), and, with fail-on-scan-findings, what its scan found.
import type { EcrImageQuery, EcrScan } from '../aws/ports.js';
import { guarded, notChecked, once, problem, type CheckContext } from './check-context.js';
import { imageRegistry, type EcrImage } from './ecr-images.js';
import { countsOverThreshold, formatCounts, scanRunning } from './scan.js';
import type { CheckResult, Reference } from './types.js';

/** How often a running scan is asked about again. */
const SCAN_POLL_MS = 5_000;

export async function checkImage(ctx: CheckContext, ref: Reference): Promise<CheckResult> {
  const registry = imageRegistry(ref.value);
  if ('notChecked' in registry) return notChecked(ref, registry.notChecked);
  const image = registry.ecr;
  const query: EcrImageQuery = {
    region: image.region,
    registryId: image.registryId,
    repository: image.repository,
    ...(image.digest ? { digest: image.digest } : { tag: image.tag ?? 'latest' }),
  };
  const key = `ecr ${image.region} ${image.registryId} ${image.repository} ${query.digest ?? query.tag}`;
  const result = await guarded(ref, async (): Promise<CheckResult> => {
    const found = await once(ctx, key, () => ctx.aws.ecr.describeImage(query, { signal: ctx.signal }));
    if ('missing' in found) {
      return { reference: ref, status: 'missing', problems: [missingImage(ref, image, found.missing)] };
    }
    const digest = found.image.digest;
    return { reference: ref, status: 'found', note: digest, digest, problems: [] };
  });
  if (result.status !== 'found' || !ctx.failOnScanFindings || !result.digest) return result;
  // A scan that could not be read leaves the image found, with the warning.
  const scanned = await guarded(ref, () => checkScan(ctx, ref, { ...query, digest: result.digest! }, result));
  if (scanned.status !== 'not-checked') return scanned;
  return { ...result, note: `${result.note}; scan ${scanned.note}`, problems: scanned.problems };
}

function missingImage(ref: Reference, image: EcrImage, what: 'repository' | 'image') {
  const where = `registry ${image.registryId} in ${image.region}`;
  const message =
    what === 'repository'
      ? `does not exist: there is no repository ${image.repository} in ${where}. Push the image, or fix the reference.`
      : `does not exist: repository ${image.repository} in ${where} has no image ${image.digest ? `with digest ${image.digest}` : `tagged ${image.tag ?? 'latest'}`}. Push it first, or fix the tag.`;
  return problem(ref, 'error', message);
}

/** The scan of a found image against `fail-on-scan-findings`; a scan still running is waited for. */
async function checkScan(
  ctx: CheckContext,
  ref: Reference,
  query: EcrImageQuery & { digest: string },
  result: CheckResult,
): Promise<CheckResult> {
  const threshold = ctx.failOnScanFindings!;
  const scan = await once(
    ctx,
    `scan ${query.region} ${query.registryId} ${query.repository} ${query.digest}`,
    () => waitForScan(ctx, query),
  );
  if (!scan) {
    const warning = `has no ECR scan, so fail-on-scan-findings (${threshold}) could not be applied. Turn on scan on push (or an enhanced scanning rule) for repository ${query.repository}.`;
    return { ...result, note: `${result.note}; no scan`, problems: [problem(ref, 'warning', warning)] };
  }
  // Basic scans end COMPLETE; enhanced (Inspector) scanning reports ACTIVE, with findings.
  if (scan.status !== 'COMPLETE' && scan.status !== 'ACTIVE') {
    const why = scanRunning(scan)
      ? `was still ${scan.status} after ${Math.round(ctx.scanWaitMs / 1000)} s`
      : `ended ${scan.status}${scan.description ? ` (${scan.description})` : ''}`;
    const warning = `has a scan that ${why}, so fail-on-scan-findings (${threshold}) could not be applied.`;
    return {
      ...result,
      note: `${result.note}; scan ${scan.status}`,
      problems: [problem(ref, 'warning', warning)],
    };
  }
  const over = countsOverThreshold(scan.counts, threshold);
  const counts = formatCounts(scan.counts);
  if (Object.keys(over).length === 0) return { ...result, note: `${result.note}; scan: ${counts}` };
  const message = `has ECR scan findings at or above ${threshold} (fail-on-scan-findings): ${formatCounts(over)} (all findings: ${counts}). Fix them and push a new image, or raise fail-on-scan-findings.`;
  return { ...result, status: 'failed', note: `scan: ${counts}`, problems: [problem(ref, 'error', message)] };
}

/** The scan, asked about every few seconds while it runs, for up to `scanWaitMs`. */
async function waitForScan(
  ctx: CheckContext,
  query: EcrImageQuery & { digest: string },
): Promise<EcrScan | undefined> {
  const deadline = ctx.clock.now() + ctx.scanWaitMs;
  for (;;) {
    const scan = await ctx.aws.ecr.describeScan(query, { signal: ctx.signal });
    if (!scan || !scanRunning(scan) || ctx.clock.now() >= deadline || ctx.signal.aborted) return scan;
    await ctx.clock.sleep(Math.min(SCAN_POLL_MS, deadline - ctx.clock.now()), ctx.signal);
  }
}
