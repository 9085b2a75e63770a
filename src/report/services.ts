// Several services in one step: the `services` output (JSON keyed by service name) and the job
// summary's table with a row per service, in the order given.
import { shortTaskDefinition } from '../lib/arn.js';
import type { Outcome } from '../rollout/types.js';
import { serviceConsoleUrl } from './links.js';
import { code, link, table, text } from './markdown.js';
import { presentOutcome } from './outcomes.js';

/** One service's result, as the report shows it. */
export interface ServiceRow {
  service: string;
  cluster: string;
  /** Its name, or `cluster/name` when another service of the step has the same name. */
  label?: string;
  outcome: Outcome;
  reason: string;
  deploymentId?: string;
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
}

/** What the output, the summary and the log call a service: `cluster/name` when bare names collide. */
export const labelOf = (row: ServiceRow): string => row.label ?? row.service;

/**
 * `{"<service>": {"deployment-id", "outcome", "previous-task-definition-arn"}}`, in the order
 * given; keyed `cluster/name` for services whose bare names collide (`prod/web`, `staging/web`).
 */
export function servicesOutput(rows: ServiceRow[]): string {
  const out: Record<string, Record<string, string | null>> = {};
  for (const row of rows) {
    out[labelOf(row)] = {
      'deployment-id': row.deploymentId ?? null,
      outcome: row.outcome,
      'previous-task-definition-arn': row.previousTaskDefinitionArn ?? null,
    };
  }
  return JSON.stringify(out);
}

/** The summary's table; nothing for a step with one service (the facts above say it all). */
export function servicesSection(rows: ServiceRow[] | undefined, region: string): string {
  if (!rows || rows.length < 2) return '';
  const body = rows.map((row) => {
    const { emoji } = presentOutcome(row.outcome);
    const name = link(code(labelOf(row), true), serviceConsoleUrl(region, row.cluster, row.service));
    return [
      name,
      code(row.cluster, true),
      `${emoji} ${row.outcome}`,
      row.deploymentId ? code(row.deploymentId, true) : '—',
      row.previousTaskDefinitionArn ? code(shortTaskDefinition(row.previousTaskDefinitionArn), true) : '—',
      row.taskDefinitionArn ? code(shortTaskDefinition(row.taskDefinitionArn), true) : '—',
      text(row.reason),
    ];
  });
  const header = ['Service', 'Cluster', 'Outcome', 'Deployment', 'Before', 'Deployed', 'Why'];
  return `### Services\n\n${table(header, body)}`;
}
