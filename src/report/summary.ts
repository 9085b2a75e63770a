// The job summary ($GITHUB_STEP_SUMMARY): what happened, why, and where to look, in one page a
// reviewer can read without opening the step log. A failure leads with the failure and shows
// the evidence (stopped tasks, their last log lines, the service events) right below it.

import { formatProblem, type Problem } from '../lib/problems.js';
import type {
  DeploymentResult,
  LogTail,
  NoVerdict,
  Outcome,
  ServiceEventLine,
  StoppedTaskGroup,
} from '../rollout/types.js';
import { parseTaskDefinitionArn, shortTaskDefinition } from '../lib/arn.js';
import { serviceConsoleUrl, taskDefinitionConsoleUrl } from './links.js';
import { code, codeBlock, details, factTable, link, table, text } from './markdown.js';
import { redactSecrets } from '../lib/mask.js';
import { presentOutcome } from './outcomes.js';
import { preflightSection, type PreflightSummary } from './preflight.js';
import type { TaskRunReport } from '../run-task/types.js';
import { renderTaskSection } from './task.js';
import { cleanupSection, type CleanupSummary } from './cleanup.js';
import { servicesSection, type ServiceRow } from './services.js';
import { stagedSection } from './stages.js';
import { codeDeployHeadline, renderCodeDeploySection, type CodeDeploySummary } from './codedeploy.js';
import { codeDeployConsoleUrl } from './links.js';
import { githubSection, type GitHubRecordSummary } from './github.js';

export interface SummaryInput {
  outcome: Outcome;
  reason: string;
  region: string;
  cluster: string;
  service?: string;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  images: { container: string; image: string }[];
  deployment?: DeploymentResult;
  /** The one-off task (run-task), when one was run. */
  task?: TaskRunReport;
  /** formatDiff() lines; undefined when no plan was made, [] when nothing changes. */
  diff?: string[];
  /** A service definition's changes to the service; undefined without one. */
  serviceDiff?: string[];
  warnings: Problem[];
  dryRun: boolean;
  durationMs: number;
  /** What preflight checked; undefined when it did not run. */
  preflight?: PreflightSummary;
  /** keep-revisions: the old revisions cleaned up; undefined without keep-revisions. */
  cleanup?: CleanupSummary;
  /** Several services: a row each (services.ts). */
  services?: ServiceRow[];
  /** A CODE_DEPLOY service's CodeDeploy deployment (src/report/codedeploy.ts). */
  codeDeploy?: CodeDeploySummary;
  /** The GitHub deployment record (github-environment), read when the summary is written. */
  github?: GitHubRecordSummary;
}

/** Service events shown at most; the most recent ones, since they explain the end. */
export const MAX_EVENTS = 50;
/** More events than this go into a collapsed section. */
const EVENTS_OPEN_UP_TO = 10;
/** Log lines shown per container; the last ones, where a crash says why. */
export const MAX_LOG_LINES = 50;

export function renderSummary(input: SummaryInput): string {
  const sections = [
    headline(input),
    facts(input),
    servicesSection(input.services, input.region),
    renderTaskSection(input.task),
    stagedSection(input.deployment?.staged, input.deployment?.finishedAt),
    input.codeDeploy ? renderCodeDeploySection(input.region, input.codeDeploy) : '',
    images(input.images),
    stoppedTasks(input.deployment?.stoppedTasks ?? []),
    logTails(input.deployment?.logTails ?? []),
    events(input.deployment?.events ?? []),
    plan(input.diff, input.outcome),
    servicePlan(input.serviceDiff, input.outcome),
    preflightSection(input.preflight),
    cleanupSection(input.cleanup),
    githubSection(input.github),
    warnings(input.warnings),
    links(input),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function headline(input: SummaryInput): string {
  const p = presentOutcome(input.outcome);
  const subject = input.service ?? familyOf(input.taskDefinitionArn);
  const lines = [`## ${p.emoji} ${p.title}${subject ? ` · ${text(subject)}` : ''}`];
  if (input.reason) lines.push('', `> ${text(redactSecrets(input.reason))}`);
  const rolledBackTo = input.deployment?.rolledBackTo;
  const codeDeployLine = input.codeDeploy ? codeDeployHeadline(input.outcome, input.codeDeploy) : undefined;
  if (codeDeployLine) {
    lines.push('', codeDeployLine);
    if (input.dryRun) lines.push('', '_Dry run: nothing was registered or deployed._');
    return lines.join('\n');
  }
  if (input.outcome === 'rolled-back') {
    const to = rolledBackTo?.taskDefinitionArn
      ? ` (${code(shortTaskDefinition(rolledBackTo.taskDefinitionArn))})`
      : '';
    const where = rolledBackTo ? ` to ${code(rolledBackTo.deploymentId)}${to}` : '';
    // Only a rollback known to be unfinished reads as ongoing; without the field, as before.
    lines.push(
      '',
      input.deployment?.rollbackCompleted === false
        ? `**The deployment failed.** ECS is rolling the service back${where}; the rollback had not finished when this step ended.`
        : `**The deployment failed.** ECS rolled the service back${where}; the new task definition is not running.`,
    );
  } else if (input.outcome === 'superseded' && input.deployment?.supersededBy) {
    lines.push(
      '',
      `**The deployment did not finish:** ${code(input.deployment.supersededBy.deploymentId)} replaced it.`,
    );
  }
  if (input.outcome === 'cancelled') {
    lines.push(
      '',
      '**The run was cancelled** while following the deployment. ECS goes on with it: see the service in the console for how it ends.',
    );
  }
  if (input.dryRun) lines.push('', '_Dry run: nothing was registered or deployed._');
  return lines.join('\n');
}

function familyOf(arn: string | undefined): string | undefined {
  return arn ? parseTaskDefinitionArn(arn)?.family : undefined;
}

function facts(input: SummaryInput): string {
  const d = input.deployment;
  const rows: [string, string][] = [['Outcome', code(input.outcome, true)]];
  if (input.service) {
    rows.push([
      'Service',
      link(code(input.service, true), serviceConsoleUrl(input.region, input.cluster, input.service)),
    ]);
  }
  rows.push(['Cluster', code(input.cluster, true)], ['Region', code(input.region, true)]);
  const revision = revisionCell(input);
  if (revision) rows.push(['Task definition', revision]);
  if (d?.deploymentId) rows.push(['Deployment', code(d.deploymentId, true)]);
  if (d?.rolloutState) {
    const reason = d.rolloutStateReason ? ` ${text(redactSecrets(d.rolloutStateReason))}` : '';
    rows.push(['Rollout state', `${code(d.rolloutState, true)}${reason}`]);
  }
  if (d?.rolledBackTo) {
    const label = d.rollbackCompleted === false ? 'Rolling back to' : 'Rolled back to';
    rows.push([label, deploymentRef(d.rolledBackTo, input.region)]);
  }
  if (d?.supersededBy) rows.push(['Superseded by', deploymentRef(d.supersededBy, input.region)]);
  if (d?.followedOn) {
    const ref = deploymentRef(d.followedOn, input.region);
    rows.push(['Followed on', `${ref}: identical task definition, started by another run`]);
  }
  if (d?.noVerdict) rows.push(...noVerdictRows(d.noVerdict));
  if (d?.counts) {
    const c = d.counts;
    // Stale counts (our deployment had left the service's list) are labelled as such, not shown as current.
    rows.push([
      d.countsStale ? 'Tasks (last seen)' : 'Tasks',
      `${c.running} running of ${c.desired} desired, ${c.pending} pending, ${c.failed} failed`,
    ]);
  }
  rows.push(['Duration', formatDuration(input.durationMs)]);
  return factTable(rows);
}

/** `web:41 → web:42`, each linked to the console; one revision when they are the same. */
function revisionCell(input: SummaryInput): string | undefined {
  const after = input.taskDefinitionArn;
  const before = input.previousTaskDefinitionArn;
  const show = (arn: string) => {
    const url = taskDefinitionConsoleUrl(input.region, arn);
    const label = code(shortTaskDefinition(arn), true);
    return url ? link(label, url) : label;
  };
  if (after && before && after !== before) return `${show(before)} → ${show(after)}`;
  if (after) return show(after);
  if (before) return `${show(before)} (running; nothing new registered)`;
  return undefined;
}

const NO_VERDICT_CAUSES: Record<NoVerdict['cause'], string> = {
  'aws-unreachable': 'AWS unreachable',
  throttled: 'throttled on every poll',
  'aws-failing': 'AWS calls failing',
  'no-final-state': 'ECS reported no final state in time',
};

/** Why there was no verdict, and the state last seen with its time (never shown as current). */
function noVerdictRows(n: NoVerdict): [string, string][] {
  const utc = (d: Date) => `${d.toISOString().slice(11, 19)}Z`;
  const polls = n.failedPolls ?? 0;
  const since = n.failingSince
    ? ` since ${utc(n.failingSince)} (${polls} poll${polls === 1 ? '' : 's'})`
    : '';
  const rows: [string, string][] = [['No verdict', `${NO_VERDICT_CAUSES[n.cause]}${since}`]];
  if (n.lastSeenAt) {
    const state = n.lastSeenState ? `${code(n.lastSeenState, true)} ` : '';
    rows.push(['Last seen', `${state}at ${utc(n.lastSeenAt)}`]);
  }
  return rows;
}

function deploymentRef(ref: { deploymentId: string; taskDefinitionArn?: string }, region: string): string {
  if (!ref.taskDefinitionArn) return code(ref.deploymentId, true);
  const url = taskDefinitionConsoleUrl(region, ref.taskDefinitionArn);
  const label = code(shortTaskDefinition(ref.taskDefinitionArn), true);
  return `${code(ref.deploymentId, true)} (${url ? link(label, url) : label})`;
}

/** `45s`, `3m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function images(list: { container: string; image: string }[]): string {
  if (list.length === 0) return '';
  return `### Images\n\n${table(
    ['Container', 'Image'],
    list.map((i) => [code(i.container, true), code(redactSecrets(i.image), true)]),
  )}`;
}

function stoppedTasks(groups: StoppedTaskGroup[]): string {
  if (groups.length === 0) return '';
  const total = groups.reduce((n, g) => n + g.count, 0);
  const lines = [`### Stopped tasks (${total})`, ''];
  for (const g of groups) {
    const parts = [`**${g.count} task${g.count === 1 ? '' : 's'}**`];
    if (g.stopCode) parts.push(code(g.stopCode));
    if (g.stoppedReason) parts.push(text(redactSecrets(g.stoppedReason)));
    lines.push(`- ${parts.join(' · ')}`);
    for (const c of g.containers) {
      const exit = c.exitCode !== undefined ? `exit code ${c.exitCode}` : 'no exit code';
      const reason = c.reason ? `: ${text(redactSecrets(c.reason))}` : '';
      lines.push(`  - container ${code(c.name)}: ${exit}${reason}`);
    }
    if (g.taskIds.length > 0) lines.push(`  - tasks: ${g.taskIds.map((id) => code(id)).join(', ')}`);
  }
  return lines.join('\n');
}

function logTails(tails: LogTail[]): string {
  if (tails.length === 0) return '';
  const blocks = ['### Last log lines of stopped containers'];
  for (const t of tails) {
    const shown = t.lines.slice(-MAX_LOG_LINES).map(redactSecrets);
    const cut = t.lines.length - shown.length;
    const heading = `**${code(t.container)}** · log group ${code(t.logGroup)}, stream ${code(t.logStream)}${cut > 0 ? ` (last ${shown.length} of ${t.lines.length} lines)` : ''}`;
    blocks.push(shown.length > 0 ? `${heading}\n\n${codeBlock(shown, 'text')}` : `${heading}: no log lines.`);
  }
  return blocks.join('\n\n');
}

function events(list: ServiceEventLine[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(-MAX_EVENTS);
  const lines = shown.map((e) => `- ${code(timeOf(e.createdAt))} ${text(redactSecrets(e.message))}`);
  if (shown.length < list.length) lines.unshift(`- _${list.length - shown.length} earlier events not shown_`);
  const title = `Service events (${list.length}, oldest first)`;
  if (list.length > EVENTS_OPEN_UP_TO) return `### Service events\n\n${details(title, lines.join('\n'))}`;
  return `### ${title}\n\n${lines.join('\n')}`;
}

/** `2024-05-01 12:03:04Z`: UTC, since runners and readers sit in different time zones. */
function timeOf(date: Date): string {
  return Number.isNaN(date.getTime())
    ? 'unknown time'
    : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A service definition's plan, beside the task definition's. */
function servicePlan(diff: string[] | undefined, outcome: Outcome): string {
  if (diff === undefined) return '';
  if (diff.length === 0) return '### Service changes\n\nNo changes to the service.';
  const body = details(`Service changes (${diff.length})`, codeBlock(diff, 'diff'), outcome === 'planned');
  return `### Service changes\n\n${body}`;
}

function plan(diff: string[] | undefined, outcome: Outcome): string {
  if (diff === undefined) return '';
  if (diff.length === 0) return '### Task definition changes\n\nNo changes to the task definition.';
  // A plan is the point of a dry run, so it starts open there.
  const body = details(
    `Task definition changes (${diff.length})`,
    codeBlock(diff, 'diff'),
    outcome === 'planned',
  );
  return `### Task definition changes\n\n${body}`;
}

function warnings(list: Problem[]): string {
  if (list.length === 0) return '';
  return ['### Warnings', '', ...list.map((w) => `- ⚠️ ${text(formatProblem(w))}`)].join('\n');
}

function links(input: SummaryInput): string {
  const items: string[] = [];
  if (input.service) {
    items.push(
      `- ${link('Service deployments in the ECS console', serviceConsoleUrl(input.region, input.cluster, input.service))}`,
    );
  }
  const cdId = input.codeDeploy?.deploymentId;
  if (cdId)
    items.push(`- ${link('CodeDeploy deployment in the console', codeDeployConsoleUrl(input.region, cdId))}`);
  const revisions: [string, string | undefined][] = [['Task definition', input.taskDefinitionArn]];
  if (input.previousTaskDefinitionArn !== input.taskDefinitionArn) {
    revisions.push(['Previous task definition', input.previousTaskDefinitionArn]);
  }
  for (const [label, arn] of revisions) {
    const url = arn ? taskDefinitionConsoleUrl(input.region, arn) : undefined;
    if (arn && url) items.push(`- ${link(`${label} ${text(shortTaskDefinition(arn))}`, url)}`);
  }
  return items.length > 0 ? ['### Links', '', ...items].join('\n') : '';
}
