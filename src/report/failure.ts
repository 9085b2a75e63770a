// The job summary of a step that ended before any verdict: bad inputs or template, a missing
// service, an AWS call refused. It says what went wrong and what had already happened, so a
// reader knows whether anything changed in AWS.
import { formatProblem, type Problem } from '../problems.js';
import { shortTaskDefinition } from './links.js';
import { text } from './markdown.js';
import { redactSecrets } from './mask.js';

export interface FailureSummaryInput {
  message: string;
  problems: Problem[];
  service?: string;
  cluster?: string;
  /** Registered (or chosen) before the failure. */
  taskDefinitionArn?: string;
  /** Set when UpdateService had already started a deployment. */
  deploymentId?: string;
  /** Whether a write to AWS had happened (a registration or a service update). */
  wroteToAws: boolean;
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
  const done: string[] = [];
  if (input.taskDefinitionArn)
    done.push(`Task definition: \`${shortTaskDefinition(input.taskDefinitionArn)}\``);
  if (input.deploymentId) {
    done.push(
      `Deployment \`${input.deploymentId}\` had started; ECS carries on with it. Check the service${input.cluster ? ` in cluster \`${input.cluster}\`` : ''}.`,
    );
  }
  lines.push(input.wroteToAws ? '### What had happened' : 'Nothing was written to AWS.', '');
  for (const d of done) lines.push(`- ${d}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
