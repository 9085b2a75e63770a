// Stages "base" and "render": where the task definition comes from, then the rendered and
// validated definition written to a file for the `task-definition` output. Nothing is written to
// AWS here; every problem of the render and the validation comes out in one list.
import { secretTaskDefinitionValues } from '../lib/mask-taskdef.js';
import type { DeployRequest } from '../lib/request.js';
import { annotate } from '../report/publish.js';
import { writeRenderedTaskDefinition } from '../report/outputs.js';
import { resolveBase, type Base } from '../taskdef/base.js';
import { placeholderEnvironment } from '../taskdef/placeholders.js';
import { prepareTaskDefinition } from '../taskdef/prepare.js';
import type { Rendered, ServiceCheck, StepContext } from './context.js';

export function resolveBaseStage(
  ctx: StepContext,
  done: { request: DeployRequest; service: ServiceCheck },
): Promise<Base> {
  return resolveBase(done.request, done.service.currentTaskDefinitionArn, {
    describeTaskDefinition: (ref) => ctx.aws.ecs.describeTaskDefinition(ref, { signal: ctx.signal }),
    env: placeholderEnvironment(ctx.runner.env),
  });
}

export async function renderStage(
  ctx: StepContext,
  done: { request: DeployRequest; base: Base },
): Promise<Rendered> {
  const { taskDefinition, warnings } = prepareTaskDefinition(done.base, done.request);
  // Secret-shaped values written in the template itself: masked in every later line.
  for (const value of secretTaskDefinitionValues(taskDefinition)) ctx.runner.setSecret(value);
  annotate(ctx.runner, warnings);
  const path = await writeRenderedTaskDefinition(
    taskDefinition,
    ctx.runner.env.RUNNER_TEMP,
    String(taskDefinition.family),
  );
  return { taskDefinition, warnings, path };
}
