// The job summary of a step that ended before any verdict: bad inputs or template, a missing
// service, an AWS call refused. It says what went wrong and what had already happened, so a
// reader knows whether anything changed in AWS.
import { formatProblem, type Problem } from '../lib/problems.js';
import { shortTaskDefinition } from '../lib/arn.js';
import { text } from './markdown.js';
import { preflightSection, type PreflightSummary } from './preflight.js';
import { redactSecrets } from '../lib/mask.js';
import { githubSection, type GitHubRecordSummary } from './github.js';

export interface FailureSummaryInput {
  message: string;
  problems: Problem[];
  service?: string;
  cluster?: string;
  /** The revision chosen before the failure: registered by this step, or an existing one reused. */
  taskDefinitionArn?: string;
  /** What the service ran when the step started. */
  previousTaskDefinitionArn?: string;
  /** Set when UpdateService had already started a deployment. */
  deploymentId?: string;
  /** This step registered `taskDefinitionArn` (rather than reusing it). */
  registered: boolean;
  /** UpdateService was called. */
  serviceUpdated: boolean;
  /** A write a cancel abandoned in flight (RegisterTaskDefinition, UpdateService): it may have happened. */
  inFlight?: string;
  /** What preflight checked, when it ran. */
  preflight?: PreflightSummary;
  /** The GitHub deployment record, when the step had got that far. */
  github?: GitHubRecordSummary;
  /** Several services: each later service whose UpdateService had started a deployment. */
  otherDeployments?: { service: string; cluster: string; deploymentId: string }[];
}

export function renderFailureSummary(input: FailureSummaryInput): string {
  const target = input.service ? ` · ${text(input.service)}` : '';
  const lines = [
    `## ❌ Failed before a verdict${target}`,
    '',
    `> ${text(redactSecrets(input.message.split('\n')[0]))}`,
    '',
  ];
  const errors = input.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    lines.push(`### Problems (${errors.length})`, '');
    for (const p of errors) lines.push(`- ${text(formatProblem(p))}`);
    lines.push('');
  }
  if (input.inFlight) {
    lines.push(
      `\`${input.inFlight}\` was in flight when the step was cancelled: it may have taken effect. Check the service${input.cluster ? ` in cluster \`${input.cluster}\`` : ''}.`,
      '',
    );
  }
  const preflight = preflightSection(input.preflight);
  if (preflight) lines.push(preflight, '');
  const github = githubSection(input.github);
  if (github) lines.push(github, '');
  const others = input.otherDeployments ?? [];
  if (!input.registered && !input.serviceUpdated && others.length === 0) {
    if (!input.inFlight) lines.push('Nothing was written to AWS.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('### What had happened', '');
  if (input.registered && input.taskDefinitionArn) {
    lines.push(`- Registered \`${shortTaskDefinition(input.taskDefinitionArn)}\`.`);
  }
  if (input.deploymentId) {
    lines.push(
      `- Deployment \`${input.deploymentId}\` had started; ${input.deploymentId.startsWith('d-') ? 'CodeDeploy' : 'ECS'} carries on with it. Check the service${input.cluster ? ` in cluster \`${input.cluster}\`` : ''}.`,
    );
  } else if (input.service && !input.serviceUpdated) {
    const runs = input.previousTaskDefinitionArn
      ? `; it still runs \`${shortTaskDefinition(input.previousTaskDefinitionArn)}\``
      : '';
    lines.push(`- The service was not updated${runs}.`);
  } else if (input.serviceUpdated) {
    lines.push('- The service was updated; no new deployment was seen.');
  }
  for (const o of others) {
    lines.push(
      `- Service \`${o.service}\` (cluster \`${o.cluster}\`): deployment \`${o.deploymentId}\` had started; ECS carries on with it.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
