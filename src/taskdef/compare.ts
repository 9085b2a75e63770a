// What the rendered task definition is compared with, to plan the change and to avoid
// registering a copy of a revision that already exists (DESIGN.md, step 6):
// - a registered base (task-definition-arn, or the service's own revision): that revision;
// - a template with a service: the revision the service runs now;
// - a template without a service: the latest ACTIVE revision of the family, if there is one.
import type { Tag } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../aws/errors.js';
import type { Base, DescribedRevision } from './base.js';
import type { JsonObject } from './json.js';

export interface Comparison {
  /** The registered revision, in the shape the rendered one has (tags included when the render has them). */
  doc: JsonObject;
  arn: string;
}

function withTags(doc: JsonObject, tags: Tag[]): JsonObject {
  if (!tags.length) return doc;
  return { ...doc, tags: tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })) };
}

/**
 * `describe` is DescribeTaskDefinition; `currentTaskDefinitionArn` is what the service runs.
 * A family with no revision yet gives undefined (everything is new). Not being allowed to
 * describe only costs the comparison, so it is a warning, not a failure.
 */
export async function findComparison(
  base: Base,
  rendered: JsonObject,
  currentTaskDefinitionArn: string | undefined,
  describe: (ref: string) => Promise<DescribedRevision>,
  warn: (message: string) => void,
): Promise<Comparison | undefined> {
  if (base.arn) return { doc: base.doc, arn: base.arn };
  const ref = currentTaskDefinitionArn ?? (typeof rendered.family === 'string' ? rendered.family : undefined);
  if (!ref) return undefined;
  try {
    const described = await describe(ref);
    // A template carries its tags in the document; compare like with like.
    const doc =
      'tags' in rendered ? withTags(described.taskDefinition, described.tags) : described.taskDefinition;
    return { doc, arn: described.arn };
  } catch (err) {
    if (!(err instanceof AwsCallError)) throw err;
    // ClientException "Unable to describe task definition.": no revision of the family yet.
    if (!currentTaskDefinitionArn && err.awsName === 'ClientException') return undefined;
    if (err.kind === 'access-denied') {
      warn(
        `Could not read ${ref} to compare with it (${err.iamAction ?? 'ecs:DescribeTaskDefinition'} is not allowed), so a new revision is registered even if nothing changed.`,
      );
      return undefined;
    }
    throw err;
  }
}
