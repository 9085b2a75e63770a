// The CodeDeploy part of the job summary, for a service whose deployment controller is
// CODE_DEPLOY: the deployment (linked to the CodeDeploy console), what failed (the hook and its
// Lambda function, or the alarm), the lifecycle events, the task sets and their traffic, and the
// AppSpec as it was sent (or, in a dry run, would be).

import type { CodeDeployResult } from '../codedeploy/types.js';
import type { JsonObject } from '../lib/json.js';
import { redactSecrets } from '../lib/mask.js';
import { codeDeployConsoleUrl } from './links.js';
import { code, codeBlock, details, factTable, link, table, text } from './markdown.js';

export interface CodeDeploySummary {
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName?: string;
  /** Set once CreateDeployment started it. */
  deploymentId?: string;
  /** The AppSpec with the revision's ARN; `sent` false in a dry run. */
  appSpec?: { doc: JsonObject; sent: boolean };
  /** Set when the deployment was followed. */
  result?: CodeDeployResult;
}

/** The line under the headline, for the outcomes whose meaning differs from an ECS deployment's. */
export function codeDeployHeadline(outcome: string, cd: CodeDeploySummary): string | undefined {
  const rollback = cd.result?.rollbackDeploymentId;
  const followed = cd.result?.rollback;
  // Said only as it happened: `rolled-back` is decided once the rollback deployment Succeeded.
  if (outcome === 'rolled-back') {
    return `**The deployment failed.** CodeDeploy rolled the service back${rollback ? ` (rollback deployment ${code(rollback)})` : ''}; production traffic is on the original task set.`;
  }
  if (outcome === 'failed' && followed && (followed.status === 'Failed' || followed.status === 'Stopped')) {
    return `**The deployment failed, and the rollback failed too** (rollback deployment ${code(followed.deploymentId)}: ${code(followed.status)}). Production traffic may still be on the replacement task set: see both deployments in the CodeDeploy console.`;
  }
  if (outcome === 'timed-out' && followed && followed.status !== 'Succeeded') {
    return `**The deployment failed and CodeDeploy is rolling the service back** (rollback deployment ${code(followed.deploymentId)}, ${code(followed.status ?? 'not started')} when the wait ended). CodeDeploy goes on with the rollback: see it in the CodeDeploy console for how it ends.`;
  }
  if (outcome === 'cancelled') {
    return '**The run was cancelled** while following the deployment. CodeDeploy goes on with it: see the deployment in the CodeDeploy console for how it ends.';
  }
  return undefined;
}

export function renderCodeDeploySection(region: string, cd: CodeDeploySummary): string {
  const r = cd.result;
  const rows: [string, string][] = [];
  if (cd.deploymentId) {
    rows.push([
      'Deployment',
      link(code(cd.deploymentId, true), codeDeployConsoleUrl(region, cd.deploymentId)),
    ]);
  }
  rows.push(
    ['Application', code(cd.applicationName, true)],
    ['Deployment group', code(cd.deploymentGroupName, true)],
  );
  if (cd.deploymentConfigName) rows.push(['Deployment configuration', code(cd.deploymentConfigName, true)]);
  if (r?.status) rows.push(['Status', code(r.status, true)]);
  if (r?.cause?.failedEvent) {
    const e = r.cause.failedEvent;
    rows.push([
      'Failed',
      `${code(e.name, true)}${e.hook ? ` (hook ${code(e.hook, true)})` : ''}${e.message ? ` ${text(redactSecrets(e.message))}` : ''}`,
    ]);
  }
  if (r?.cause?.alarm) rows.push(['Alarm', text(r.cause.alarm)]);
  if (r?.rollbackDeploymentId) {
    rows.push([
      'Rollback deployment',
      `${link(code(r.rollbackDeploymentId, true), codeDeployConsoleUrl(region, r.rollbackDeploymentId))}${r.rollback?.status ? ` ${code(r.rollback.status, true)}` : ''}`,
    ]);
  }
  if (r) {
    const w = r.wait;
    rows.push([
      'Waited up to',
      `${w.minutes} min (wait-for-minutes ${w.waitForMinutes} + ready wait ${w.readyMinutes} + termination wait ${w.terminationMinutes}, at most 360)`,
    ]);
  }
  const sections = ['### CodeDeploy', '', factTable(rows)];
  if (r?.lifecycleEvents.length) {
    const events = r.lifecycleEvents.map((e) => [
      code(e.name, true),
      e.hook ? code(e.hook, true) : '',
      code(e.status, true),
      e.message ? text(redactSecrets(e.message)) : '',
    ]);
    sections.push('', table(['Lifecycle event', 'Hook', 'Status', 'Message'], events));
  }
  if (r?.taskSets.length) {
    const sets = r.taskSets.map((t) => [
      text(t.label ?? t.id ?? '?'),
      text(t.status ?? ''),
      t.trafficWeight === undefined ? '' : `${t.trafficWeight}%`,
      `${t.running ?? 0}/${t.desired ?? 0}`,
    ]);
    sections.push('', table(['Task set', 'Status', 'Traffic', 'Running/desired'], sets));
  }
  if (cd.appSpec) {
    const title = cd.appSpec.sent ? 'AppSpec sent to CodeDeploy' : 'AppSpec (dry run: not sent)';
    const body = codeBlock(JSON.stringify(cd.appSpec.doc, null, 2).split('\n'), 'json');
    sections.push('', details(title, body, !cd.appSpec.sent));
  }
  return sections.join('\n');
}
