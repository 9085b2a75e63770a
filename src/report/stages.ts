// The summary's section for a blue/green, linear or canary deployment: the lifecycle stages as a
// timeline with their durations and traffic split, the revisions blue and green, the hooks'
// results and the alarms. Pure.

import type { StagedProgress } from '../rollout/types.js';
import { shortTaskDefinition } from '../lib/arn.js';
import { code, table, text } from './markdown.js';

/** `2m 05s`, `45s`. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m ${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `12:03:10Z`. */
function clock(date: Date): string {
  return `${date.toISOString().slice(11, 19)}Z`;
}

/** `` `web:2` (service revision `arn…`) ``, or the revision ARN alone when its task definition is not known. */
function revisionText(arn: string, taskDefinitionArn: string | undefined): string {
  return taskDefinitionArn
    ? `${code(shortTaskDefinition(taskDefinitionArn))} (service revision ${code(arn)})`
    : code(arn);
}

/** The staged section; '' for a rolling deployment. */
export function stagedSection(staged: StagedProgress | undefined, finishedAt?: Date): string {
  if (!staged) return '';
  const parts: string[] = [`### Deployment stages${staged.strategy ? ` (${staged.strategy})` : ''}`];
  const revisions: string[] = [];
  const revision = (arn: string) => revisionText(arn, staged.taskDefinitions?.[arn]);
  if (staged.blue.length) revisions.push(`- Blue (before): ${staged.blue.map(revision).join(', ')}`);
  if (staged.green) revisions.push(`- Green (deployed): ${revision(staged.green)}`);
  if (staged.serviceDeploymentArn)
    revisions.push(`- Service deployment: ${code(staged.serviceDeploymentArn)}`);
  if (staged.status) revisions.push(`- Status: ${code(staged.status)}`);
  if (revisions.length) parts.push(revisions.join('\n'));
  if (staged.stages.length) {
    const rows = staged.stages.map((s) => {
      const end = s.endedAt ?? finishedAt;
      const took = end ? durationText(end.getTime() - s.startedAt.getTime()) : '';
      return [
        code(s.stage, true),
        code(clock(s.startedAt), true),
        s.endedAt ? took : `${took} so far`,
        s.traffic ? text(s.traffic) : '',
      ];
    });
    parts.push(table(['Stage', 'Started', 'Duration', 'Traffic'], rows));
  } else {
    parts.push('No lifecycle stage was seen.');
  }
  if (staged.hooks.length) {
    const rows = staged.hooks.map((h) => [
      code(h.target, true),
      h.stage ? code(h.stage, true) : '',
      code(h.status, true),
      h.hookId ? code(h.hookId, true) : '',
    ]);
    parts.push(`#### Lifecycle hooks\n\n${table(['Hook', 'Stage', 'Result', 'Hook id'], rows)}`);
  }
  if (staged.triggeredAlarms.length) {
    parts.push(`Alarms in ALARM: ${staged.triggeredAlarms.map((a) => code(a)).join(', ')}`);
  }
  if (staged.pausedHookId) parts.push(`Paused at hook ${code(staged.pausedHookId)}.`);
  return parts.join('\n\n');
}
