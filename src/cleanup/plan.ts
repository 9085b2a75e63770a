// The pure planner of a cleanup: which of a family's ACTIVE revisions to keep, and which to
// deregister. Kept: the newest `keep` (counting the revision this step deploys, or in a dry run
// would register), every revision a service of the cluster runs (its own and every deployment's),
// and every step service's previous revision (its rollback target: rolling back needs it ACTIVE,
// docs/ecs-behaviour.md, "Deregistered and deleted revisions").

import { parseTaskDefinitionArn } from '../lib/arn.js';
import type { KeepReason, KeptRevision, RevisionUse } from './types.js';

export interface CleanupPlanInput {
  /** The family's ACTIVE revisions (ARNs), in any order. */
  active: string[];
  /** keep-revisions: at least 1. */
  keep: number;
  /** The revision this step deployed (registered or reused); always kept. */
  deployed?: string;
  /** A dry run that would register a new revision: it takes one of the newest `keep`. */
  wouldRegister?: boolean;
  /** What the services of the cluster run. */
  running: RevisionUse[];
  /** What each step service ran before this step. */
  previous: RevisionUse[];
}

export interface CleanupPlan {
  /** Newest first. */
  kept: KeptRevision[];
  /** Oldest first: a cleanup stopped halfway has removed the least useful ones. */
  deregister: string[];
}

export function planCleanup(input: CleanupPlanInput): CleanupPlan {
  const newestFirst = [...input.active].sort((a, b) => revisionOf(b) - revisionOf(a));
  const slots = Math.max(0, input.keep - (input.wouldRegister ? 1 : 0));
  const kept: KeptRevision[] = [];
  const deregister: string[] = [];
  newestFirst.forEach((arn, index) => {
    const reasons = reasonsToKeep(arn, input, index < slots ? index + 1 + (input.wouldRegister ? 1 : 0) : 0);
    if (reasons.length > 0) kept.push({ arn, reasons });
    else deregister.push(arn);
  });
  return { kept, deregister: deregister.reverse() };
}

/** `rank` is the revision's place among the newest (1 = newest), 0 when it is not among them. */
function reasonsToKeep(arn: string, input: CleanupPlanInput, rank: number): KeepReason[] {
  const reasons: KeepReason[] = [];
  if (rank > 0) reasons.push({ kind: 'newest', rank });
  if (input.deployed !== undefined && sameRevision(arn, input.deployed)) reasons.push({ kind: 'deployed' });
  const running = servicesUsing(arn, input.running);
  if (running.length > 0) reasons.push({ kind: 'running', services: running });
  const previous = servicesUsing(arn, input.previous);
  if (previous.length > 0) reasons.push({ kind: 'previous', services: previous });
  return reasons;
}

function servicesUsing(arn: string, uses: RevisionUse[]): string[] {
  const names = uses.filter((u) => sameRevision(arn, u.taskDefinitionArn)).map((u) => u.service);
  return [...new Set(names)];
}

/** `family:revision` of an ARN (or of `family:revision`), so an ARN and a short name compare equal. */
export function revisionKey(ref: string): string {
  const parsed = parseTaskDefinitionArn(ref);
  return parsed ? `${parsed.family}:${parsed.revision}` : ref;
}

export function sameRevision(a: string, b: string): boolean {
  return revisionKey(a) === revisionKey(b);
}

function revisionOf(arn: string): number {
  return parseTaskDefinitionArn(arn)?.revision ?? 0;
}
