// What every check is given, and the one rule for an AWS call a check could not make: a refusal
// (AccessDenied) or a call that failed after the SDK's retries leaves the reference unchecked,
// with a warning naming the IAM action, and the step goes on; bad credentials stop the step.
import { AwsCallError } from '../aws/errors.js';
import type { AwsPorts } from '../aws/ports.js';
import type { Clock } from '../lib/clock.js';
import type { Problem } from '../lib/problems.js';
import type { ScanThreshold } from '../lib/request.js';
import type { CheckResult, Reference } from './types.js';

export interface CheckContext {
  aws: Pick<AwsPorts, 'ecr' | 's3' | 'ssm' | 'secrets' | 'logs'>;
  /** The step's region: where the task runs. */
  region: string;
  /** The task's account (from the service or role ARNs), when known. */
  account?: string;
  signal: AbortSignal;
  clock: Clock;
  failOnScanFindings?: ScanThreshold;
  /** How long a scan still running is waited for. */
  scanWaitMs: number;
  /** Calls shared by references to the same thing (ten containers, one image). */
  memo: Map<string, Promise<unknown>>;
}

/** One call per key, shared by every check that needs it. */
export function once<T>(ctx: CheckContext, key: string, call: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = call();
    ctx.memo.set(key, p);
  }
  return p;
}

/** `Container 'web': secret DB_URL (arn:…)`: the start of every message about `ref`. */
export function subject(ref: Reference): string {
  const what =
    ref.kind === 'image'
      ? 'image'
      : ref.kind === 'env-file'
        ? 'environment file'
        : ref.kind === 'log-group'
          ? 'awslogs group'
          : ref.variable
            ? `secret ${ref.variable}`
            : 'secret';
  return `Container '${ref.container}': ${what} ${ref.value}`;
}

export function problem(ref: Reference, severity: Problem['severity'], message: string): Problem {
  return { severity, path: ref.path, message: `${subject(ref)} ${message}` };
}

export function notChecked(ref: Reference, note: string, warning?: string): CheckResult {
  return {
    reference: ref,
    status: 'not-checked',
    note,
    problems: warning ? [problem(ref, 'warning', warning)] : [],
  };
}

/** Runs a check; an AWS call it could not make leaves the reference not checked, with a warning. */
export async function guarded(ref: Reference, check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (err) {
    if (!(err instanceof AwsCallError) || !canGoOn(err)) throw err;
    if (err.kind === 'access-denied') {
      return notChecked(
        ref,
        `not checked: ${err.operation} was denied (needs ${err.iamAction})`,
        `was not checked: ${err.operation} was denied. Grant the role this workflow uses ${err.iamAction} on it to check it (for another account, its resource policy must allow it too). The deployment goes on.`,
      );
    }
    return notChecked(
      ref,
      `not checked: ${err.operation} failed`,
      `was not checked: ${err.message} The deployment goes on.`,
    );
  }
}

/** Credential problems stop the step (every later call would fail too); the rest do not. */
function canGoOn(err: AwsCallError): boolean {
  return err.kind === 'access-denied' || err.kind === 'retryable' || err.kind === 'other';
}
