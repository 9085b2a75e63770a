// Small pure facts about a rendered task definition, for the plan and the report.
import { isObject, type JsonObject } from '../lib/json.js';

/** `{ container, image }` for each container, in order. */
export function containerImages(td: JsonObject): { container: string; image: string }[] {
  const containers = Array.isArray(td.containerDefinitions) ? td.containerDefinitions : [];
  return containers
    .filter(isObject)
    .map((c) => ({ container: String(c.name ?? ''), image: String(c.image ?? '') }));
}

/** What a dry run found, for its reason (the result of findComparison, and the service's revision). */
export interface PlanFacts {
  /** Changes in the diff against `diffAgainstArn`. */
  changes: number;
  /** What the diff is against; undefined when nothing registered could be compared with. */
  diffAgainstArn?: string;
  /** The registered ACTIVE revision that would be deployed as is; undefined: a new revision would be registered. */
  reuseArn?: string;
  /** The revision the service runs now; undefined without a service. */
  currentArn?: string;
  /** force-new-deployment: the service's tasks are replaced even when its revision stays. */
  forceNewDeployment?: boolean;
}

function changesText(n: number): string {
  return n === 0 ? 'no changes' : `${n} change${n === 1 ? '' : 's'}`;
}

/**
 * The reason of a dry run: whether a new revision would be registered or which one would be
 * reused, and, with a service, whether it would be switched from the revision it runs.
 */
export function planReason(facts: PlanFacts): string {
  const { changes, diffAgainstArn, reuseArn, currentArn } = facts;
  let what: string;
  if (reuseArn) {
    const against =
      diffAgainstArn && diffAgainstArn !== reuseArn
        ? ` (${changesText(changes)} against ${diffAgainstArn})`
        : '';
    what = `the task definition is identical to ${reuseArn}${against}, which would be reused; nothing would be registered, and nothing was written to AWS.`;
  } else if (!diffAgainstArn) {
    what =
      'a new revision would be registered (there is no registered revision to compare it with); nothing was written to AWS.';
  } else if (changes === 0) {
    // Identical, yet not reusable: the revision is deregistered.
    what = `no changes against ${diffAgainstArn}, but it is not ACTIVE, so the same definition would be registered as a new revision; nothing was written to AWS.`;
  } else {
    what = `${changesText(changes)} against ${diffAgainstArn} would be registered as a new revision; nothing was written to AWS.`;
  }
  return `Dry run: ${what}${currentArn ? ` ${serviceText(facts, currentArn)}` : ''}`;
}

function serviceText({ reuseArn, forceNewDeployment }: PlanFacts, currentArn: string): string {
  if (!reuseArn) return `The service would be switched from ${currentArn} to the new revision.`;
  if (reuseArn !== currentArn) return `The service would be switched from ${currentArn} to ${reuseArn}.`;
  return forceNewDeployment
    ? 'The service already runs it; its tasks would be replaced (force-new-deployment).'
    : 'The service already runs it and would not be switched.';
}
