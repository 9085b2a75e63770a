// The outcome of a CodeDeploy deployment and its part of the report, as pure functions of the
// stage results (docs/architecture.md, "CodeDeploy blue/green"); outcome.ts calls them.
import type { CodeDeploySummary } from '../report/codedeploy.js';
import type { RunReport } from '../report/publish.js';
import { plannedAppSpec } from './codedeploy.js';
import type { CompleteRecord } from './context.js';

/** The verdict of a step that created a CodeDeploy deployment. */
export function codeDeployVerdict(record: CompleteRecord): Pick<RunReport, 'outcome' | 'reason'> | undefined {
  const { update, followed } = record;
  if (update.kind !== 'codedeploy') return undefined;
  if (followed.kind === 'codedeploy')
    return { outcome: followed.result.outcome, reason: followed.result.reason };
  return {
    outcome: 'started',
    reason: `CodeDeploy deployment ${update.deploymentId} started; not followed because wait-for-service-stability is false.`,
  };
}

/** The CodeDeploy section of the summary and the codedeploy-deployment-id output. */
export function codeDeployReport(
  record: CompleteRecord,
): Pick<RunReport, 'codeDeploy' | 'codeDeployDeploymentId'> {
  const { codeDeploy, update, followed, registration, plan, request } = record;
  if (codeDeploy?.kind !== 'checked') return {};
  const started = update.kind === 'codedeploy' ? update : undefined;
  const appSpec = plannedAppSpec(codeDeploy, { registration, plan });
  const summary: CodeDeploySummary = {
    ...codeDeploy.group,
    deploymentConfigName:
      started?.deploymentConfigName ?? request.codeDeployConfig ?? codeDeploy.groupInfo?.deploymentConfigName,
    ...(started ? { deploymentId: started.deploymentId } : {}),
    ...(appSpec ? { appSpec: { doc: appSpec.doc, sent: !!started } } : {}),
    ...(followed.kind === 'codedeploy' ? { result: followed.result } : {}),
  };
  return { codeDeploy: summary, ...(started ? { codeDeployDeploymentId: started.deploymentId } : {}) };
}
