// One step, as a line of stages (docs/architecture.md, "The flow of one step"). Each stage decides
// for itself whether it applies (a dry run registers nothing, a step without a service updates
// nothing); the outcome is decided from their results by outcome.ts. Nothing here branches.
import { describeFailure } from './failure.js';
import type { CompleteRecord, StepContext, StepRecord } from './context.js';
import { followStage, diagnoseStage } from './follow.js';
import { readInputs } from './inputs.js';
import { decideOutcome } from './outcome.js';
import { planStage } from './plan.js';
import { preflightStage } from './preflight.js';
import { registerStage } from './register.js';
import { planTaskStage, runTaskStage } from './run-task.js';
import { checkService } from './service.js';
import { gateStage } from './gate.js';
import { draftStage } from './task-definition.js';
import {
  checkServiceDefinitionStage,
  readServiceDefinition,
  servicePlanStage,
  withServiceDefinition,
} from './service-definition.js';
import { updateStage } from './update.js';
import { checkCodeDeployStage } from './codedeploy.js';
import { publish, publishFailure } from '../report/publish.js';

/** Runs the step and publishes its report (or its failure); never throws for a failed step. */
export async function runStep(ctx: StepContext): Promise<void> {
  const record: StepRecord = {};
  let complete: CompleteRecord;
  try {
    complete = await runStages(ctx, record);
  } catch (err) {
    await publishFailure(ctx.runner, describeFailure(err, record, { cancelled: ctx.signal.aborted }));
    return;
  }
  const facts = { region: ctx.aws.region, durationMs: ctx.clock.now() - ctx.startedAt };
  await publish(ctx.runner, decideOutcome(complete, facts));
}

/** Every stage in order; each result is recorded as soon as it exists, for a failure's report. */
async function runStages(ctx: StepContext, r: StepRecord): Promise<CompleteRecord> {
  r.inputs = readInputs(ctx);
  const read = (r.serviceDefinition = await readServiceDefinition(ctx, r.inputs));
  // A service definition names the service (and its cluster) for the stages that follow.
  const inputs = (r.inputs = withServiceDefinition(r.inputs, read));
  const service = (r.service = await checkService(ctx, inputs, read));
  const draft = (r.draft = await draftStage(ctx, { inputs, service }));
  const preflight = (r.preflight = await preflightStage(ctx, { inputs, service, draft }));
  const serviceChecks = (r.serviceChecks = checkServiceDefinitionStage({ inputs, read, service, draft }));
  // One-off task (run-task): planned before the first write, run before the service update.
  const taskPlan = (r.taskPlan = planTaskStage(ctx, { inputs, service, draft }));
  // A CODE_DEPLOY service: its AppSpec and deployment group, checked before the first write.
  const codeDeploy = (r.codeDeploy = await checkCodeDeployStage(ctx, { inputs, service, draft }));
  // Nothing before this line writes to AWS; the gate stops the step with every problem so far.
  const { rendered, base } = await gateStage(ctx, {
    ...{ inputs, draft, preflight, taskPlan, serviceChecks },
    codeDeploy,
  });
  r.rendered = rendered;
  r.base = base;
  const request = (r.request = inputs.request);
  const plan = (r.plan = await planStage(ctx, { request, service, base, rendered }));
  const servicePlan = (r.servicePlan = servicePlanStage(ctx, { request, read, service }));
  const registration = (r.registration = await registerStage(ctx, { request, base, rendered, plan }));
  const task = (r.task = await runTaskStage(ctx, { request, rendered, registration, taskPlan }));
  const update = (r.update = await updateStage(ctx, {
    request,
    service,
    registration,
    task,
    servicePlan,
    read,
    codeDeploy,
    plan,
  }));
  const followed = (r.followed = await followStage(ctx, { request, registration, update, codeDeploy }));
  const diagnosis = (r.diagnosis = await diagnoseStage(ctx, { request, rendered, followed }));
  return {
    ...{ inputs, service, draft, preflight, taskPlan, request, base, rendered },
    ...{ serviceDefinition: read, serviceChecks, servicePlan },
    ...{ plan, registration, task, update, followed, diagnosis },
    codeDeploy,
  };
}
