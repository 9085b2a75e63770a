// Small helpers for handler inputs: whatever the wire carried arrives as `any`, so every field is
// checked before use, and errors read like ECS's.
import { AwsError } from '../core.js';

export const clientError = (message: string): AwsError => new AwsError('ClientException', message, 400);
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', message, 400);

export type Input = Record<string, unknown>;

export function asInput(input: unknown): Input {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Input) : {};
}

export function optString(input: Input, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${key} must be a string.`);
  return v;
}

export function reqString(input: Input, key: string): string {
  const v = optString(input, key);
  if (v === undefined || v === '') throw invalidParameter(`${key} should not be null or empty.`);
  return v;
}

export function optNumber(input: Input, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParameter(`${key} must be a number.`);
  return v;
}

export function optBoolean(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${key} must be a boolean.`);
  return v;
}

export function optStringList(input: Input, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalidParameter(`${key} must be a list of strings.`);
  return v as string[];
}

/** A timestamp as the wire or a test may give it: Date, epoch seconds (JSON protocol) or ISO text. */
export function toEpochMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export const toDate = (ms: number | undefined): Date | undefined =>
  ms === undefined ? undefined : new Date(ms);

/** Drop keys whose value is undefined, so outputs look like AWS's (absent rather than null). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Opaque pagination: the token is the offset, base64-wrapped so callers do not depend on it. */
export function paginate<T>(
  items: readonly T[],
  input: Input,
  defaultMax = 100,
  limit = 100,
): { page: T[]; nextToken?: string } {
  const max = optNumber(input, 'maxResults') ?? defaultMax;
  if (max < 1 || max > limit) throw invalidParameter(`maxResults must be between 1 and ${limit}.`);
  const token = optString(input, 'nextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!decoded) throw invalidParameter('Invalid nextToken.');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max < items.length ? Buffer.from(`o:${offset + max}`).toString('base64') : undefined;
  return next ? { page, nextToken: next } : { page };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The Describe* pattern of ECS: each requested id or ARN is either found and described, or
 * listed in `failures` with reason MISSING (no exception).
 */
export function describeEach<T, O>(
  refs: string[],
  find: (ref: string) => T | undefined,
  describe: (found: T) => O,
  arnOf: (ref: string) => string,
): { found: O[]; failures: { arn: string; reason: string }[] } {
  const found: O[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const ref of refs) {
    const item = find(ref);
    if (item) found.push(describe(item));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : arnOf(ref), reason: 'MISSING' });
  }
  return { found, failures };
}
