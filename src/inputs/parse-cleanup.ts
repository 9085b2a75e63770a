// Parsers for the cleanup of old revisions after a successful deploy: how many ACTIVE revisions of
// the family to keep, and whether the ones deregistered are also deleted.

import { parseBoolean, type InputParser } from './context.js';
import { MAX_REVISION, wholeNumber } from './numbers.js';

/** `keep-revisions`: a whole number from 1 (the revision this step deploys is always kept). */
export const parseKeepRevisions: InputParser = (value, ctx) => {
  if (value === '') return {};
  const count = wholeNumber(value);
  if (count === undefined || count < 1 || count > MAX_REVISION) {
    ctx.fail(
      `"${value}" is not a whole number of revisions from 1 to ${MAX_REVISION}; keep-revisions counts the revision this step deploys, so it is at least 1.`,
    );
    return {};
  }
  return { keepRevisions: count };
};

/** `delete-deregistered`: deletes what keep-revisions deregisters, so it needs keep-revisions. */
export const parseDeleteDeregistered: InputParser = (value, ctx) => {
  const enabled = parseBoolean(value, ctx) ?? false;
  if (enabled && ctx.raw('keep-revisions') === '') {
    ctx.fail(
      'delete-deregistered needs keep-revisions: it deletes the revisions that keep-revisions deregisters; set keep-revisions to the number of revisions to keep.',
    );
  }
  return { deleteDeregistered: enabled };
};
