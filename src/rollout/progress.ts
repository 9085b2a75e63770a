// What the log shows while following: each new service event once, oldest first, and a line when
// the followed deployment's task counts or rollout state change. It also keeps that deployment's
// state as last seen, and when, for the result.

import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { primaryOf } from './deployment-facts.js';
import type { DeploymentCounts, ServiceEventLine } from './types.js';

export interface ProgressLog {
  info(line: string): void;
  warning(line: string): void;
}

/** `ecs-svc/801009…`: the full id is printed once when following starts. */
export function shortDeploymentId(id: string): string {
  return id.replace(/^(ecs-svc\/\d{6})\d+$/, '$1…');
}

export function countsOf(d: Deployment): DeploymentCounts {
  return {
    desired: d.desiredCount ?? 0,
    pending: d.pendingCount ?? 0,
    running: d.runningCount ?? 0,
    failed: d.failedTasks ?? 0,
  };
}

export function progressLine(serviceName: string, deploymentId: string, c: DeploymentCounts): string {
  return `${serviceName}: ${c.running}/${c.desired} running, ${c.pending} pending, ${c.failed} failed (${shortDeploymentId(deploymentId)})`;
}

function eventKey(e: { id?: string; createdAt?: Date; message?: string }): string {
  return e.id ?? `${e.createdAt?.getTime()}|${e.message}`;
}

/** The followed deployment as last seen in DescribeServices. */
export interface DeploymentView {
  counts?: DeploymentCounts;
  rolloutState?: string;
  rolloutStateReason?: string;
  /** Whether the last DescribeServices listed it (else the facts above are from an earlier one). */
  listed: boolean;
  /** When a DescribeServices last listed it (runner clock). */
  seenAt?: number;
  /** When it was first seen FAILED while still PRIMARY. */
  failedSince?: number;
}

export interface Followed {
  serviceName: string;
  deploymentId: string;
  /** Events older than this are history, not news. */
  startedAt: Date;
}

export class ProgressPrinter {
  private readonly seenEvents = new Set<string>();
  /** Service events printed, oldest first. */
  readonly events: ServiceEventLine[] = [];
  view: DeploymentView = { listed: false };
  private lastStatusKey?: string;

  constructor(private readonly log: ProgressLog) {}

  /** Forgets the followed deployment's state (another deployment is followed from now on); events stay. */
  reset(): void {
    this.view = { listed: false };
    this.lastStatusKey = undefined;
  }

  /** Prints what is new in the service; says whether the followed deployment's view changed. */
  observe(service: Service, followed: Followed, now: number): boolean {
    this.printEvents(service, followed, now);
    const d = service.deployments?.find((x) => x.id === followed.deploymentId);
    const statusKey = `${d?.status}|${primaryOf(service)?.id}`;
    let changed = statusKey !== this.lastStatusKey;
    this.lastStatusKey = statusKey;
    const view = this.view;
    if (d?.status === 'PRIMARY' && d.rolloutState === 'FAILED') view.failedSince ??= now;
    else view.failedSince = undefined;
    view.listed = d !== undefined;
    if (!d) return changed;
    view.seenAt = now;

    const name = followed.serviceName;
    const counts = countsOf(d);
    if (JSON.stringify(counts) !== JSON.stringify(view.counts)) {
      changed = true;
      view.counts = counts;
      this.log.info(progressLine(name, followed.deploymentId, counts));
    }
    if (d.rolloutState !== view.rolloutState || d.rolloutStateReason !== view.rolloutStateReason) {
      changed = true;
      view.rolloutState = d.rolloutState;
      view.rolloutStateReason = d.rolloutStateReason;
      if (d.rolloutState)
        this.log.info(`${name}: ${d.rolloutState}${d.rolloutStateReason ? `: ${d.rolloutStateReason}` : ''}`);
    }
    return changed;
  }

  private printEvents(service: Service, followed: Followed, now: number): void {
    const since = followed.startedAt.getTime();
    const fresh = [...(service.events ?? [])]
      .reverse()
      .filter((e) => !this.seenEvents.has(eventKey(e)))
      .filter((e) => !e.createdAt || e.createdAt.getTime() >= since)
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    for (const e of service.events ?? []) this.seenEvents.add(eventKey(e));
    for (const e of fresh) {
      const createdAt = e.createdAt ?? new Date(now);
      this.log.info(`${createdAt.toISOString().slice(11, 19)} ${e.message ?? ''}`);
      this.events.push({ id: e.id ?? eventKey(e), createdAt, message: e.message ?? '' });
    }
  }
}
