// Stage "plan": the rendered definition against what the service runs, and any identical
// registered revision to reuse instead of registering a copy (src/taskdef/compare.ts decides).
import type { DeployRequest } from '../lib/request.js';
import type { Runner } from '../runner/runner.js';
import type { Base } from '../taskdef/base.js';
import { findComparison } from '../taskdef/compare.js';
import { diffTaskDefinitions, formatDiff } from '../taskdef/diff.js';
import { strategyChanges } from '../strategy/config.js';
import type { Plan, Rendered, ServiceCheck, StepContext } from './context.js';

export async function planStage(
  ctx: StepContext,
  done: { request: DeployRequest; service: ServiceCheck; base: Base; rendered: Rendered },
): Promise<Plan> {
  const { diffAgainst, reuse } = await findComparison({
    base: done.base,
    rendered: done.rendered.taskDefinition,
    currentTaskDefinitionArn: done.service.currentTaskDefinitionArn,
    describe: (ref) => ctx.aws.ecs.describeTaskDefinition(ref, { signal: ctx.signal }),
    warn: (message) => ctx.runner.warning(message),
  });
  const diff = formatDiff(diffTaskDefinitions(diffAgainst?.doc, done.rendered.taskDefinition));
  logPlan(ctx.runner, { diff, comparedWith: diffAgainst?.arn, dryRun: done.request.dryRun });
  // A dry run stops before the update stage, which otherwise says what the strategy inputs change.
  const service = done.service.service;
  const changes = done.request.dryRun && service ? strategyChanges(done.request, service) : [];
  if (changes.length) {
    ctx.runner.info(
      `Service ${service?.serviceName ?? done.request.service ?? ''} deployment configuration would change: ${changes.join('; ')}.`,
    );
  }
  return { diff, diffAgainstArn: diffAgainst?.arn, reuseArn: reuse?.arn };
}

function logPlan(runner: Runner, plan: { diff: string[]; comparedWith?: string; dryRun: boolean }): void {
  const { diff, comparedWith, dryRun } = plan;
  if (comparedWith && diff.length === 0) {
    runner.info(`Task definition: no changes from ${comparedWith}.`);
    return;
  }
  const title = comparedWith
    ? `Task definition: ${diff.length} change${diff.length === 1 ? '' : 's'} against ${comparedWith}`
    : 'Task definition: a new family (nothing registered to compare with)';
  // A dry run is about the plan, so it is shown open; otherwise it is folded.
  if (!dryRun) runner.startGroup(title);
  else runner.info(title);
  for (const line of diff) runner.info(`  ${line}`);
  if (!dryRun) runner.endGroup();
}
