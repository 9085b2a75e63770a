// An awslogs group: it exists in its region (`awslogs-region`, else the task's), unless ECS is told
// to create it (`awslogs-create-group: true`, left out by references.ts). Without it ECS stops
// every task with "ResourceInitializationError: ... The specified log group does not exist".
import { guarded, once, problem, type CheckContext } from './check-context.js';
import type { CheckResult, Reference } from './types.js';

export async function checkLogGroup(ctx: CheckContext, ref: Reference): Promise<CheckResult> {
  const region = ref.region ?? ctx.region;
  return guarded(ref, async () => {
    const exists = await once(ctx, `logs ${region} ${ref.value}`, () =>
      ctx.aws.logs.logGroupExists({ region, name: ref.value }, { signal: ctx.signal }),
    );
    if (exists) return { reference: ref, status: 'found', note: `in ${region}`, problems: [] };
    const message = `does not exist in ${region}: ECS would stop every task when its log driver starts. Create the log group, or set awslogs-create-group: true (the execution role then needs logs:CreateLogGroup).`;
    return { reference: ref, status: 'missing', problems: [problem(ref, 'error', message)] };
  });
}
