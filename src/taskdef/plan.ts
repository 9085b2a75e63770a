// Small pure facts about a rendered task definition, for the plan and the report.
import { isObject, type JsonObject } from './json.js';

/** `{ container, image }` for each container, in order. */
export function containerImages(td: JsonObject): { container: string; image: string }[] {
  const containers = Array.isArray(td.containerDefinitions) ? td.containerDefinitions : [];
  return containers
    .filter(isObject)
    .map((c) => ({ container: String(c.name ?? ''), image: String(c.image ?? '') }));
}

/** The one-line reason of a dry run. */
export function planReason(changes: number, comparedWith: string | undefined, identical: boolean): string {
  if (!comparedWith)
    return 'Dry run: a new task definition family would be registered; nothing was written to AWS.';
  if (identical)
    return `Dry run: the task definition is identical to ${comparedWith}; nothing would be registered, and nothing was written to AWS.`;
  return `Dry run: ${changes} change${changes === 1 ? '' : 's'} against ${comparedWith} would be registered as a new revision; nothing was written to AWS.`;
}
