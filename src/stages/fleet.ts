// Several services in one step (docs/architecture.md, "Several services"): the stages for the
// second and later lines of `service`. The first service goes through the usual stages; these
// take each other one through the same stage functions with a request naming that service, so a
// feature that branches in a stage (a strategy, CodeDeploy) branches for every service alike.
// Before the gate they only read and return problems; the revision is registered once, and again
// only for a service rendered from its own base.
import { shortTaskDefinition } from '../lib/arn.js';
import { errorsOf, type Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import {
  otherTargets,
  ofService,
  requestFor,
  sameJson,
  serviceIn,
  serviceLabels,
  serviceLineProblem,
} from '../fleet/members.js';
import { usesCodeDeploy } from './codedeploy.js';
import { strategyChecksStage } from './strategy.js';
import { labelledRunner } from '../fleet/labelled-runner.js';
import { checkServiceDeployable } from '../rollout/deploy.js';
import { serviceVolumeProblems } from '../rollout/service-volume.js';
import { writeRenderedTaskDefinition } from '../report/outputs.js';
import type {
  Draft,
  Fleet,
  FleetMember,
  InputsRead,
  Registration,
  Rendered,
  ServiceCheck,
  StepContext,
  TaskRun,
} from './context.js';
import { diagnoseStage } from './follow.js';
import { anyProblemIn } from './inputs.js';
import { planStage } from './plan.js';
import { pinnedTaskDefinition, preflightStage } from './preflight.js';
import { registerStage } from './register.js';
import type { ServiceDefinitionRead } from './service-definition.js';
import { draftStage } from './task-definition.js';
import { updateStage } from './update.js';

export const FLEET_HEADING =
  'Some of the services cannot be deployed to as given, so nothing was written to AWS';

/** The other services, described together (ten a DescribeServices call); missing ones are problems. */
export async function fleetCheckStage(
  ctx: StepContext,
  done: { inputs: InputsRead; read: ServiceDefinitionRead; service: ServiceCheck },
): Promise<Fleet> {
  const { request, problems } = done.inputs;
  const targets = otherTargets(request);
  if (targets.length === 0) return { members: [], problems: [] };
  const labels = serviceLabels(request.services ?? []);
  const members: FleetMember[] = targets.map((target, i) => ({
    target,
    label: labels[i + 1],
    request: requestFor(request, target),
    check: {},
  }));
  if (done.read.kind !== 'none') {
    const message =
      'service-definition describes one service, but service lists several; deploy a service definition in a step of its own.';
    return { members, problems: [{ severity: 'error', input: 'service-definition', message }] };
  }
  // As for the first service: not looked up while any input has a problem.
  if (errorsOf(problems).length > 0) return { members, problems: [] };
  const found: Problem[] = [];
  for (const cluster of new Set(targets.map((t) => t.cluster))) {
    const mine = members.filter((m) => m.target.cluster === cluster);
    const names = mine.map((m) => m.target.service);
    const out = await ctx.aws.ecs.describeServices(cluster, names, { signal: ctx.signal });
    for (const m of mine) {
      const service = serviceIn(out, m.target.service);
      const problem = serviceLineProblem(m.target, service);
      if (problem || !service) {
        if (problem) found.push(problem);
        continue;
      }
      for (const warning of checkServiceDeployable(service, m.request)) ctx.runner.warning(warning);
      m.check = { service, currentTaskDefinitionArn: service.taskDefinition };
    }
  }
  return { members, problems: [...found, ...memberChecks(done.inputs, done.service, members)] };
}

/**
 * What the first service's own checks catch, for every other service too, said of that service:
 * its strategy inputs against it (stages/strategy.ts), and CodeDeploy, which several services in
 * one step do not support (the first service included): its deployment is CodeDeploy's, with its
 * own AppSpec and deployment group, and is neither batched nor rolled back with the others.
 */
function memberChecks(inputs: InputsRead, first: ServiceCheck, members: FleetMember[]): Problem[] {
  const problems: Problem[] = [];
  const all = [
    { label: serviceLabels(inputs.request.services ?? [])[0], check: first, request: inputs.request },
    ...members.map((m) => ({ label: labelOf(m), check: m.check, request: m.request })),
  ];
  for (const [i, { label, check, request }] of all.entries()) {
    if (!check.service) continue;
    if (usesCodeDeploy(check)) {
      problems.push({
        severity: 'error',
        input: 'service',
        message: `Service ${label} is deployed by CodeDeploy (deployment controller CODE_DEPLOY), and several services with CodeDeploy in one step are not supported: deploy it in a step of its own.`,
      });
    }
    if (i === 0) continue;
    const own = strategyChecksStage({ inputs: { ...inputs, request }, service: check });
    problems.push(...own.map((p) => ofService(label, p)));
  }
  return problems;
}

/** What a service after the first is called: `cluster/name` when bare names collide. */
const labelOf = (m: FleetMember): string => m.label ?? m.target.service;

/**
 * Without a template or a named revision, each service's base is what it runs. A service whose
 * current definition, rendered with the inputs, is not the first service's rendered definition
 * (it differs in more than the rendered containers) is rendered from its own base, checked and
 * preflighted like the first, and registered on its own; the others share the one revision.
 */
export async function fleetDraftStage(
  ctx: StepContext,
  done: { inputs: InputsRead; service: ServiceCheck; draft: Draft; fleet: Fleet },
): Promise<Fleet> {
  const { inputs, service, draft, fleet } = done;
  const { request } = inputs;
  if (request.templatePath || request.taskDefinitionRef || !draft.taskDefinition) return fleet;
  const problems = [...fleet.problems];
  const drafts = new Map<string, FleetMember['own'] | null>();
  for (const m of fleet.members) {
    const arn = m.check.currentTaskDefinitionArn;
    if (!arn || arn === service.currentTaskDefinitionArn) continue;
    if (!drafts.has(arn)) {
      const own = await draftStage(ctx, { inputs, service: m.check });
      const same = own.taskDefinition !== undefined && sameJson(own.taskDefinition, draft.taskDefinition);
      const preflight = same
        ? undefined
        : await preflightStage(ctx, { inputs, service: m.check, draft: own });
      drafts.set(arn, preflight ? { draft: own, preflight } : null);
      if (preflight) {
        const checks = [...own.baseProblems, ...own.renderProblems, ...own.validationProblems];
        if (preflight.kind === 'done') checks.push(...preflight.problems);
        // service-managed-ebs-volume against its own definition, as officialInputsStage does for the first.
        if (
          !anyProblemIn(inputs.problems, ['service-managed-ebs-volume-name', 'service-managed-ebs-volume'])
        ) {
          checks.push(...serviceVolumeProblems({ request, taskDefinition: own.taskDefinition }));
        }
        problems.push(...checks.map((p) => ofService(labelOf(m), p)));
      }
    }
    const own = drafts.get(arn) ?? undefined;
    if (own) {
      m.own = own;
      ctx.runner.info(
        `Service ${m.target.service} runs ${shortTaskDefinition(arn)}, which differs from ${shortTaskDefinition(service.currentTaskDefinitionArn) ?? 'the first service'}'s in more than the rendered containers: it is rendered from its own base and registered on its own (a second registration).`,
      );
    }
  }
  return { ...fleet, problems };
}

/** The one registration for every service, and one more per own base (none in a dry run). */
export async function fleetRegisterStage(
  ctx: StepContext,
  done: { request: DeployRequest; rendered: Rendered; registration: Registration; fleet: Fleet },
): Promise<Fleet> {
  const { fleet } = done;
  const registered = new Map<string, Pick<FleetMember, 'rendered' | 'plan' | 'registration'>>();
  for (const m of fleet.members) {
    const own = m.own;
    const arn = m.check.currentTaskDefinitionArn;
    if (!own?.draft.taskDefinition || !own.draft.base || !arn) {
      Object.assign(m, { rendered: done.rendered, registration: done.registration });
      continue;
    }
    let result = registered.get(arn);
    if (!result) {
      const taskDefinition = pinnedTaskDefinition(own.draft.taskDefinition, own.preflight);
      const family = String(taskDefinition.family);
      const path = await writeRenderedTaskDefinition(taskDefinition, ctx.runner.env.RUNNER_TEMP, family);
      const warnings = [...own.draft.renderProblems, ...own.draft.validationProblems];
      const rendered: Rendered = { taskDefinition, warnings, path };
      const base = own.draft.base;
      const plan = await planStage(ctx, { request: m.request, service: m.check, base, rendered });
      const registration = await registerStage(ctx, { request: m.request, base, rendered, plan });
      result = { rendered, plan, registration };
      registered.set(arn, result);
    }
    Object.assign(m, result);
  }
  return fleet;
}

/**
 * UpdateService for each other service, one after another, before any is followed. A refusal of
 * one (after the first service's was made) does not stop the step: that service's row says why,
 * the others are still updated (a refusal of one says nothing of the next) and every started one
 * is followed; with on-service-failure rollback, the started ones are rolled back
 * (stages/fleet-follow.ts). A cancel stops the step, and the failure lists what had started.
 */
export async function fleetUpdateStage(
  ctx: StepContext,
  done: { task: TaskRun; fleet: Fleet },
): Promise<Fleet> {
  for (const m of done.fleet.members) {
    if (!m.registration) continue;
    const name = m.target.service;
    const said =
      m.label && m.label !== name ? { ...ctx, runner: labelledRunner(ctx.runner, name, m.label) } : ctx;
    try {
      m.update = await updateStage(said, {
        request: m.request,
        service: m.check,
        registration: m.registration,
        task: done.task,
      });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      m.updateError = err instanceof Error ? err.message : String(err);
      ctx.runner.error(`Service ${labelOf(m)}: UpdateService failed: ${m.updateError}`);
    }
  }
  return done.fleet;
}

/** Each other service that failed, diagnosed as the first one is. */
export async function fleetDiagnoseStage(
  ctx: StepContext,
  done: { rendered: Rendered; fleet: Fleet },
): Promise<Fleet> {
  for (const m of done.fleet.members) {
    if (!m.followed) continue;
    m.diagnosis = await diagnoseStage(ctx, {
      request: m.request,
      rendered: m.rendered ?? done.rendered,
      followed: m.followed,
    });
  }
  return done.fleet;
}
