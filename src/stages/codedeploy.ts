// The stages of a CodeDeploy blue/green deployment, for a service whose deployment controller is
// CODE_DEPLOY (docs/architecture.md, "CodeDeploy blue/green"): before the gate, the AppSpec and
// the deployment group are checked (their problems go in the gate's one list); the update stage
// then creates the CodeDeploy deployment instead of calling UpdateService, and the follow stage
// follows it. A service with the ECS controller never reaches these, beyond a warning when a
// codedeploy-* input is set for it.
import type { DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import type { DeploymentGroupRef } from '../aws/ports.js';
import { hooksOf, loadAppSpec, type AppSpecFile } from '../codedeploy/appspec.js';
import { checkAppSpecAgainst, checkAppSpecShape } from '../codedeploy/appspec-checks.js';
import { appSpecContent, type AppSpecContent } from '../codedeploy/content.js';
import { followCodeDeploy } from '../codedeploy/follow.js';
import { deploymentGroupOf, ecsTargetId } from '../codedeploy/names.js';
import { codeDeployWait } from '../codedeploy/wait.js';
import { DEFAULT_APPSPEC } from '../inputs/parse-codedeploy.js';
import { shortTaskDefinition } from '../lib/arn.js';
import type { Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import { codeDeployConsoleUrl } from '../report/links.js';
import { taskAllowsUpdate } from '../run-task/types.js';
import {
  activeDeploymentProblems,
  checkGroup,
  ecsOnlyInputWarnings,
  ignoredInputWarnings,
} from './codedeploy-checks.js';
import type {
  Draft,
  Followed,
  InputsRead,
  Plan,
  Registration,
  ServiceCheck,
  ServiceUpdate,
  StepContext,
  TaskRun,
} from './context.js';
import { writeUnlessCancelled } from './register.js';

export const CODEDEPLOY_HEADING =
  'The service uses the CODE_DEPLOY deployment controller, and its CodeDeploy deployment cannot be made as given (AppSpec, application or deployment group), so nothing was written to AWS';

/** The AppSpec and deployment group of a CODE_DEPLOY service, checked before the first write. */
export type CodeDeployCheck =
  | { kind: 'skipped'; problems: Problem[] }
  | {
      kind: 'checked';
      group: DeploymentGroupRef;
      /** Undefined when the application or group does not exist (a problem says so). */
      groupInfo?: DeploymentGroupInfo;
      /** Undefined when the file could not be read or parsed. */
      appSpec?: AppSpecFile;
      /** Lifecycle event → the Lambda function of its hook. */
      hooks: Record<string, string>;
      problems: Problem[];
    };

/** Whether the service is deployed by CodeDeploy. */
export function usesCodeDeploy(service: ServiceCheck): boolean {
  return service.service?.deploymentController?.type === 'CODE_DEPLOY';
}

export async function checkCodeDeployStage(
  ctx: StepContext,
  done: { inputs: InputsRead; service: ServiceCheck; draft: Draft },
): Promise<CodeDeployCheck> {
  const { request } = done.inputs;
  const service = done.service.service;
  if (!service || !usesCodeDeploy(done.service)) {
    return { kind: 'skipped', problems: service ? ignoredInputWarnings(request) : [] };
  }
  const name = service.serviceName ?? request.service ?? '';
  const group = deploymentGroupOf(request, name);
  const loaded = await loadAppSpec(
    request.codeDeployAppSpec ?? DEFAULT_APPSPEC,
    ctx.runner.env.GITHUB_WORKSPACE,
  );
  const problems = [...loaded.problems, ...ecsOnlyInputWarnings(request)];
  if (loaded.appSpec) {
    problems.push(...checkAppSpecShape(loaded.appSpec));
    if (done.draft.taskDefinition)
      problems.push(...checkAppSpecAgainst(loaded.appSpec, done.draft.taskDefinition));
  }
  const found = await ctx.aws.codedeploy.getDeploymentGroup(group, { signal: ctx.signal });
  const groupInfo = 'group' in found ? found.group : undefined;
  problems.push(...checkGroup({ request, group, found, cluster: request.cluster, service: name }));
  if (groupInfo) {
    const active = await ctx.aws.codedeploy.listActiveDeployments(group, { signal: ctx.signal });
    problems.push(...activeDeploymentProblems(group, active));
  }
  if (request.codeDeployConfig) {
    const config = await ctx.aws.codedeploy.getDeploymentConfig(request.codeDeployConfig, {
      signal: ctx.signal,
    });
    problems.push(...checkConfig(request.codeDeployConfig, config?.computePlatform, !!config));
  }
  return {
    kind: 'checked',
    group,
    groupInfo,
    appSpec: loaded.appSpec,
    hooks: loaded.appSpec ? hooksOf(loaded.appSpec.doc) : {},
    problems,
  };
}

function checkConfig(name: string, platform: string | undefined, exists: boolean): Problem[] {
  const input = 'codedeploy-deployment-config';
  if (!exists) {
    return [
      {
        severity: 'error',
        input,
        message: `CodeDeploy has no deployment configuration '${name}' in this account and Region (ECS ones are CodeDeployDefault.ECSAllAtOnce, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes, ECSCanary10Percent5Minutes, ECSCanary10Percent15Minutes, or your own).`,
      },
    ];
  }
  if (platform && platform !== 'ECS') {
    return [
      {
        severity: 'error',
        input,
        message: `'${name}' is a deployment configuration for ${platform}, not ECS; use one of CodeDeployDefault.ECS* or your own ECS configuration.`,
      },
    ];
  }
  return [];
}

/** The AppSpec as it is (or would be) sent: with the revision's ARN, or a stand-in in a dry run. */
export function plannedAppSpec(
  codeDeploy: CodeDeployCheck | undefined,
  arns: { registration?: Registration; plan?: Plan },
): AppSpecContent | undefined {
  if (codeDeploy?.kind !== 'checked' || !codeDeploy.appSpec) return undefined;
  const arn =
    arns.registration?.kind === 'done'
      ? arns.registration.taskDefinitionArn
      : (arns.plan?.reuseArn ?? '<the revision this step registers>');
  return appSpecContent(codeDeploy.appSpec.doc, arn);
}

interface CodeDeployUpdateDone {
  request: DeployRequest;
  registration: Registration;
  task?: TaskRun;
  codeDeploy: Extract<CodeDeployCheck, { kind: 'checked' }>;
  plan?: Plan;
}

/** The update stage for a CODE_DEPLOY service: CreateDeployment with the AppSpec, no UpdateService. */
export async function createCodeDeployDeploymentStage(
  ctx: StepContext,
  done: CodeDeployUpdateDone,
): Promise<ServiceUpdate> {
  const { request, registration, codeDeploy } = done;
  if (done.task?.kind === 'done' && !taskAllowsUpdate(done.task.report)) return { kind: 'skipped' };
  const planned = plannedAppSpec(codeDeploy, { registration, plan: done.plan });
  if (!planned) return { kind: 'skipped' };
  logAppSpec(ctx, planned, registration.kind === 'done' ? 'sent' : 'planned');
  if (registration.kind !== 'done') return { kind: 'skipped' };
  const { group } = codeDeploy;
  const what = {
    operation: 'CreateDeployment',
    doing: `creating the CodeDeploy deployment of ${group.deploymentGroupName}`,
  };
  const deploymentId = await writeUnlessCancelled(ctx, what, () =>
    ctx.aws.codedeploy.createDeployment(
      {
        ...group,
        appSpec: { content: planned.content, sha256: planned.sha256 },
        description: request.codeDeployDescription,
        deploymentConfigName: request.codeDeployConfig,
      },
      { signal: ctx.signal },
    ),
  );
  ctx.runner.info(
    `CodeDeploy deployment ${deploymentId} of ${shortTaskDefinition(registration.taskDefinitionArn)} started (application ${group.applicationName}, deployment group ${group.deploymentGroupName}). Watch it in the CodeDeploy console: ${codeDeployConsoleUrl(ctx.aws.region, deploymentId)}`,
  );
  return {
    kind: 'codedeploy',
    deploymentId,
    group,
    deploymentConfigName: request.codeDeployConfig ?? codeDeploy.groupInfo?.deploymentConfigName,
    startedAt: new Date(ctx.clock.now()),
  };
}

function logAppSpec(ctx: StepContext, planned: AppSpecContent, how: 'sent' | 'planned'): void {
  ctx.runner.startGroup(
    how === 'sent' ? 'CodeDeploy AppSpec sent' : 'CodeDeploy AppSpec (dry run: not sent)',
  );
  for (const line of JSON.stringify(planned.doc, null, 2).split('\n')) ctx.runner.info(line);
  ctx.runner.endGroup();
}

/** The follow stage for a CodeDeploy deployment; `not-waiting` without wait-for-service-stability. */
export async function followCodeDeployStage(
  ctx: StepContext,
  done: {
    request: DeployRequest;
    update: Extract<ServiceUpdate, { kind: 'codedeploy' }>;
    codeDeploy?: CodeDeployCheck;
  },
): Promise<Followed> {
  const { request, update, codeDeploy } = done;
  if (!request.waitForServiceStability || !request.service) return { kind: 'not-waiting' };
  const checked = codeDeploy?.kind === 'checked' ? codeDeploy : undefined;
  const wait = codeDeployWait(request.waitForMinutes, checked?.groupInfo);
  const log = {
    info: (line: string) => ctx.runner.info(line),
    warning: (line: string) => ctx.runner.warning(line),
  };
  const result = await followCodeDeploy(
    { codedeploy: ctx.aws.codedeploy, clock: ctx.clock, log },
    {
      deploymentId: update.deploymentId,
      targetId: ecsTargetId(request.cluster, request.service),
      hooks: checked?.hooks ?? {},
    },
    { wait, waitForMinutes: request.waitForMinutes, onTimeout: request.onTimeout, signal: ctx.signal },
  );
  return { kind: 'codedeploy', result };
}
