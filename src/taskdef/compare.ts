// What the rendered task definition is compared with (docs/architecture.md, "The flow of one step": stage "plan"), for two purposes:
// - `reuse`: a registered ACTIVE revision with the same definition, deployed as is instead of
//   registering a copy. The first identical one among: the registered base (task-definition-arn,
//   or the service's own revision), the revision the service runs, and the latest ACTIVE
//   revision of the family (after a rolled-back deploy the service runs web:1 while web:2 is
//   already the template). The family is described only when nothing earlier can be reused, so
//   an unchanged deploy costs no extra call. An INACTIVE (deregistered) revision is never
//   reused: a service cannot be updated to it.
// - `diffAgainst`: what the plan is shown against: the revision the service runs; without a
//   service, the registered base, else the family's latest revision.
import type { Tag, TaskDefinitionStatus } from '@aws-sdk/client-ecs';
import type { DescribedTaskDefinition } from '../aws/ports.js';
import { AwsCallError } from '../aws/errors.js';
import { shortTaskDefinition } from '../lib/arn.js';
import type { Base } from './base.js';
import { isIdentical } from './diff.js';
import type { JsonObject } from '../lib/json.js';

export interface Comparison {
  /** The registered revision, in the shape the rendered one has (tags included when the render has them). */
  doc: JsonObject;
  arn: string;
}

export interface ComparisonResult {
  /** What the plan's diff is against; undefined when there is nothing registered to compare with. */
  diffAgainst?: Comparison;
  /** A registered ACTIVE revision identical to the rendered one: deploy it instead of registering. */
  reuse?: Comparison;
}

interface Candidate extends Comparison {
  status?: TaskDefinitionStatus;
}

function withTags(doc: JsonObject, tags: Tag[]): JsonObject {
  if (!tags.length) return doc;
  return { ...doc, tags: tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })) };
}

/** A revision ECS says nothing about is taken as ACTIVE (DescribeTaskDefinition always says). */
function isActive(c: Candidate): boolean {
  return c.status === undefined || c.status === 'ACTIVE';
}

export interface ComparisonOptions {
  /** What the template was built on; compared first when it is a registered revision. */
  base: Base;
  rendered: JsonObject;
  /** What the service runs; undefined without a service. */
  currentTaskDefinitionArn: string | undefined;
  /** DescribeTaskDefinition. */
  describe: (ref: string) => Promise<DescribedTaskDefinition>;
  warn: (message: string) => void;
}

/**
 * A family with no revision yet gives nothing to compare with (everything is new). Not being
 * allowed to describe only costs the comparison, so it is a warning, not a failure, and nothing
 * more is described after it.
 */
export async function findComparison(options: ComparisonOptions): Promise<ComparisonResult> {
  const { base, rendered, currentTaskDefinitionArn, describe, warn } = options;
  // A template carries its tags in the document; compare like with like.
  const like = (doc: JsonObject, tags: Tag[]): JsonObject => ('tags' in rendered ? withTags(doc, tags) : doc);
  let denied = false;
  const read = async (ref: string, isFamily: boolean): Promise<Candidate | undefined> => {
    if (denied) return undefined;
    try {
      const d = await describe(ref);
      return { doc: like(d.taskDefinition, d.tags), arn: d.arn, status: d.status };
    } catch (err) {
      if (!(err instanceof AwsCallError)) throw err;
      // ClientException "Unable to describe task definition.": no ACTIVE revision of the family yet.
      if (isFamily && err.awsName === 'ClientException') return undefined;
      if (err.kind === 'access-denied') {
        denied = true;
        warn(
          `Could not read ${ref} to compare with it (${err.iamAction ?? 'ecs:DescribeTaskDefinition'} is not allowed), so a new revision may be registered even if nothing changed.`,
        );
        return undefined;
      }
      throw err;
    }
  };

  let reuse: Candidate | undefined;
  const compared = new Set<string>();
  const inactive: Candidate[] = [];
  const consider = (c: Candidate | undefined): void => {
    if (!c || compared.has(c.arn)) return;
    compared.add(c.arn);
    if (reuse || !isIdentical(c.doc, rendered)) return;
    if (isActive(c)) reuse = c;
    else inactive.push(c);
  };

  const registeredBase: Candidate | undefined = base.arn
    ? { doc: like(base.doc, base.tags), arn: base.arn, status: base.status }
    : undefined;
  consider(registeredBase);

  let current: Candidate | undefined;
  if (currentTaskDefinitionArn) {
    current =
      currentTaskDefinitionArn === registeredBase?.arn
        ? registeredBase
        : await read(currentTaskDefinitionArn, false);
    consider(current);
  }

  let latest: Candidate | undefined;
  const family = typeof rendered.family === 'string' && rendered.family ? rendered.family : undefined;
  if (!reuse && family) {
    latest = await read(family, true);
    consider(latest);
  }

  if (!reuse) {
    for (const c of inactive) {
      warn(
        `${shortTaskDefinition(c.arn)} is deregistered (${c.status}); registering the same definition as a new revision${currentTaskDefinitionArn ? ' so the service can run it' : ''}.`,
      );
    }
  }

  const against = currentTaskDefinitionArn
    ? (current ?? registeredBase ?? latest)
    : (registeredBase ?? latest);
  return {
    ...(against ? { diffAgainst: comparison(against) } : {}),
    ...(reuse ? { reuse: comparison(reuse) } : {}),
  };
}

function comparison(c: Candidate): Comparison {
  return { doc: c.doc, arn: c.arn };
}
