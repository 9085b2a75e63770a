// An environment file: the S3 object exists, by HeadObject (never GetObject: the file can hold
// secrets), and its bucket is in the task's region. A 403 cannot say whether the object exists
// (S3 hides a missing key from a caller without s3:ListBucket), so it is a warning, never an error.
import { guarded, notChecked, once, problem, type CheckContext } from './check-context.js';
import type { CheckResult, Reference } from './types.js';

/** `arn:<partition>:s3:::<bucket>/<key>` → bucket and key. */
export function s3Object(arn: string): { bucket: string; key: string } | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)\/(.+)$/.exec(arn);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

export async function checkEnvFile(ctx: CheckContext, ref: Reference): Promise<CheckResult> {
  const object = s3Object(ref.value);
  // Validation reports a malformed ARN or one without .env; nothing to ask S3 then.
  if (!object || !object.key.endsWith('.env'))
    return notChecked(ref, 'not checked: not an S3 object ARN ending in .env');
  return guarded(ref, async () => {
    const query = { region: ctx.region, ...object };
    const head = await once(ctx, `s3 ${ref.value}`, () =>
      ctx.aws.s3.headObject(query, { signal: ctx.signal }),
    );
    switch (head.kind) {
      case 'found':
        return { reference: ref, status: 'found', problems: [] };
      case 'missing':
        return {
          reference: ref,
          status: 'missing',
          problems: [
            problem(
              ref,
              'error',
              `does not exist: bucket ${object.bucket} has no object ${object.key}. Upload it, or fix the ARN.`,
            ),
          ],
        };
      case 'denied':
        return notChecked(
          ref,
          'not checked: HeadObject was refused (403)',
          `was not checked: S3 answered 403 to HeadObject, which it also does for a missing object when the caller may not list the bucket. Grant the role this workflow uses s3:GetObject on the object and s3:ListBucket on bucket ${object.bucket} to check it. The deployment goes on.`,
        );
      case 'other-region': {
        const where = head.bucketRegion ? `in ${head.bucketRegion}` : 'in another region';
        return {
          reference: ref,
          status: 'failed',
          note: `bucket ${where}`,
          problems: [
            problem(
              ref,
              'error',
              `is in bucket ${object.bucket}, which is ${where}, but the task runs in ${ctx.region}: ECS reads environment files only from a bucket in the task's region. Copy the file to a bucket in ${ctx.region}.`,
            ),
          ],
        };
      }
    }
  });
}
