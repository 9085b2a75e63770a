// What preflight found: one result per reference a task definition makes (an image, an
// environment file, a secret, a log group), whether it was checked, and the problems it raised.
import type { Problem } from '../lib/problems.js';

export type ReferenceKind = 'image' | 'env-file' | 'secret' | 'log-group';

/** One thing a container points at, found in the rendered task definition. */
export interface Reference {
  kind: ReferenceKind;
  container: string;
  /** The JSON path of the value, e.g. `containerDefinitions[0].secrets[2].valueFrom`. */
  path: string;
  /** The reference as written: an image, an S3 ARN, a `valueFrom`, a log group name. */
  value: string;
  /** The variable (secret name), when there is one. */
  variable?: string;
  /** For a log group: `awslogs-region`, when given. */
  region?: string;
}

/**
 * - `found`: it exists;
 * - `missing`: it does not (an error);
 * - `failed`: it exists but fails a rule (a scan over the threshold, a bucket in another region);
 * - `not-checked`: it could not or need not be checked (`note` says why; a warning when the
 *   caller was refused).
 */
export type CheckStatus = 'found' | 'missing' | 'failed' | 'not-checked';

export interface CheckResult {
  reference: Reference;
  status: CheckStatus;
  /** What was found or why it was not checked, for the summary. */
  note?: string;
  problems: Problem[];
  /** For an ECR image: the digest its tag points at. */
  digest?: string;
}

/** An image registered by digest instead of its tag (`pin-image-digest`). */
export interface Pin {
  container: string;
  path: string;
  from: string;
  to: string;
}
