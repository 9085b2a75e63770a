// One step, as a line of stages (docs/architecture.md, "The flow of one step"). Each stage decides
// for itself whether it applies (a dry run registers nothing, a step without a service updates
// nothing); the outcome is decided from their results by outcome.ts. Nothing here branches.
import { cleanupStage } from './cleanup.js';
import { describeFailure } from './failure.js';
import type { CompleteRecord, StepContext, StepRecord } from './context.js';
import { diagnoseStage } from './follow.js';
import { readInputs } from './inputs.js';
import { decideOutcome } from './outcome.js';
import { planStage } from './plan.js';
import { preflightStage } from './preflight.js';
import { registerStage } from './register.js';
import { planTaskStage, runTaskStage } from './run-task.js';
import { checkService } from './service.js';
import { gateStage } from './gate.js';
import { officialInputsStage } from './official-inputs.js';
import { draftStage } from './task-definition.js';
import {
  checkServiceDefinitionStage,
  readServiceDefinition,
  servicePlanStage,
  withServiceDefinition,
} from './service-definition.js';
import { updateStage } from './update.js';
import { createGitHubDeploymentStage, finishGitHubDeployment, githubInProgressStage } from './github.js';
import {
  fleetCheckStage,
  fleetDiagnoseStage,
  fleetDraftStage,
  fleetRegisterStage,
  fleetUpdateStage,
} from './fleet.js';
import { followServicesStage } from './fleet-follow.js';
import { decideServicesOutcome, serviceResults } from './services-outcome.js';
import { publish, publishFailure, type RunReport } from '../report/publish.js';
import { isContinueStep, runContinueStages, strategyChecksStage } from './strategy.js';
import { checkCodeDeployStage } from './codedeploy.js';

/** Runs the step and publishes its report (or its failure); never throws for a failed step. */
export async function runStep(ctx: StepContext): Promise<void> {
  const record: StepRecord = {};
  let complete: CompleteRecord | RunReport;
  try {
    complete = await runStages(ctx, record);
  } catch (err) {
    const failure = describeFailure(err, record, { cancelled: ctx.signal.aborted });
    await finishGitHubDeployment(ctx, record.github, { reason: failure.message, token: githubToken(record) });
    await publishFailure(ctx.runner, failure);
    return;
  }
  const facts = { region: ctx.aws.region, durationMs: ctx.clock.now() - ctx.startedAt };
  // A continue step (continue-deployment) decides its own report: it deploys nothing.
  if ('outcome' in complete) {
    await publish(ctx.runner, complete);
    return;
  }
  const report = decideServicesOutcome(complete, decideOutcome(complete, facts), facts);
  await finishGitHubDeployment(ctx, record.github, { ...report, token: githubToken(record) });
  await publish(ctx.runner, report);
}

/** The token that writes the GitHub deployment record, when the step has one. */
const githubToken = (record: StepRecord): string | undefined => record.request?.githubToken;

/** Every stage in order; each result is recorded as soon as it exists, for a failure's report. */
async function runStages(ctx: StepContext, r: StepRecord): Promise<CompleteRecord | RunReport> {
  r.inputs = readInputs(ctx);
  if (isContinueStep(r)) return runContinueStages(ctx, r);
  const read = (r.serviceDefinition = await readServiceDefinition(ctx, r.inputs));
  // A service definition names the service (and its cluster) for the stages that follow.
  const inputs = (r.inputs = withServiceDefinition(r.inputs, read));
  const service = (r.service = await checkService(ctx, inputs, read));
  // Several services: the second and later lines of `service` (stages/fleet.ts).
  let fleet = (r.fleet = await fleetCheckStage(ctx, { inputs, read, service }));
  const draft = (r.draft = await draftStage(ctx, { inputs, service }));
  const preflight = (r.preflight = await preflightStage(ctx, { inputs, service, draft }));
  const serviceChecks = (r.serviceChecks = checkServiceDefinitionStage({ inputs, read, service, draft }));
  // One-off task (run-task): planned before the first write, run before the service update.
  const taskPlan = (r.taskPlan = planTaskStage(ctx, { inputs, service, draft }));
  // The official action's remaining inputs: the service's managed EBS volume checked, notes logged.
  const volumeChecks = (r.volumeChecks = officialInputsStage(ctx, { inputs, draft, read }));
  // deployment-strategy and its numbers against the service's load balancers and strategy.
  const strategyChecks = (r.strategyChecks = strategyChecksStage({ inputs, service }));
  // A CODE_DEPLOY service: its AppSpec and deployment group, checked before the first write.
  const codeDeploy = (r.codeDeploy = await checkCodeDeployStage(ctx, { inputs, service, draft }));
  fleet = r.fleet = await fleetDraftStage(ctx, { inputs, service, draft, fleet });
  // Nothing before this line writes to AWS; the gate stops the step with every problem so far.
  const { rendered, base } = await gateStage(ctx, {
    ...{ inputs, draft, preflight, taskPlan, serviceChecks },
    ...{ volumeChecks, strategyChecks, codeDeploy },
    fleetProblems: fleet.problems,
  });
  r.rendered = rendered;
  r.base = base;
  const request = (r.request = inputs.request);
  const plan = (r.plan = await planStage(ctx, { request, service, base, rendered }));
  const servicePlan = (r.servicePlan = servicePlanStage(ctx, { request, read, service }));
  // The GitHub deployment record (github-environment): after the gate, before the first write.
  r.github = await createGitHubDeploymentStage(ctx, { request, service, plan, rendered });
  const registration = (r.registration = await registerStage(ctx, { request, base, rendered, plan }));
  fleet = r.fleet = await fleetRegisterStage(ctx, { request, rendered, registration, fleet });
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
  fleet = r.fleet = await fleetUpdateStage(ctx, { task, fleet });
  const github = (r.github = await githubInProgressStage(ctx, { github: r.github, update, request, fleet }));
  // Every service followed together; one service alone exactly as followStage always did.
  const follows = await followServicesStage(ctx, {
    ...{ request, registration, update, service, codeDeploy },
    fleet,
  });
  const followed = (r.followed = follows.followed);
  fleet = r.fleet = follows.fleet ?? fleet;
  const diagnosis = (r.diagnosis = await diagnoseStage(ctx, { request, rendered, followed }));
  fleet = r.fleet = await fleetDiagnoseStage(ctx, { rendered, fleet });
  const complete: CompleteRecord = {
    ...{ inputs, service, draft, preflight, taskPlan, request, base, rendered },
    ...{ serviceDefinition: read, serviceChecks, servicePlan, strategyChecks },
    volumeChecks,
    ...{ plan, registration, task, update, followed, diagnosis, fleet },
    github,
    codeDeploy,
  };
  const services = (r.services = complete.services = serviceResults(complete));
  // After every service's deploy succeeded only (a dry run lists what it would do); never fails the step.
  r.cleanup = complete.cleanup = await cleanupStage(ctx, {
    ...{ request, service, plan, rendered },
    ...{ registration, update, followed, services, fleet },
  });
  return complete;
}
