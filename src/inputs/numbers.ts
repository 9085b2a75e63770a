// The numeric inputs and their limits. Each limit says where it comes from, so that a user who
// hits one can look it up; the messages name the limit, and the problem names the input.

/**
 * `desired-count`: ECS's quota "Tasks per service" is 5,000 (Amazon ECS Developer Guide, page
 * "Amazon ECS service quotas"). The API field is a 32-bit integer, but UpdateService refuses any
 * count above the quota, so a larger number can only be a typo; stopping here saves the wait.
 */
export const MAX_DESIRED_COUNT = 5000;

/**
 * `task-definition-revision` and the revision of `task-definition-arn`: the quota "Revisions per
 * task definition family" is 1,000,000 (Amazon ECS Developer Guide, "Amazon ECS service quotas");
 * deregistered revisions count towards it, so no revision number is larger.
 */
export const MAX_REVISION = 1_000_000;

/**
 * `wait-for-minutes`: our own bound, not ECS's. A job on a GitHub-hosted runner is stopped after
 * 6 hours (GitHub Actions documentation, "Usage limits, billing, and administration"), so
 * following a deployment for longer could never reach a verdict.
 */
export const MAX_WAIT_MINUTES = 360;
export const DEFAULT_WAIT_MINUTES = 30;

/** A whole number written in digits only (no sign, exponent or fraction), or undefined. */
export function wholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

export function desiredCountProblem(text: string): string | undefined {
  const count = wholeNumber(text);
  // Digits that overflow a safe integer are still "too many tasks", not "not a number".
  if (count === undefined && !/^\d+$/.test(text))
    return `"${text}" is not a whole number of tasks (0 or more).`;
  if (count === undefined || count > MAX_DESIRED_COUNT) {
    return `"${text}" is more tasks than a service can run: the ECS quota "Tasks per service" is ${MAX_DESIRED_COUNT}.`;
  }
  return undefined;
}

/** Minutes from 1 to 360; fractions such as 7.5 are allowed, exponents and signs are not. */
export function parseWaitMinutes(text: string): { minutes: number } | { problem: string } {
  const minutes = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(minutes) || minutes < 1 || minutes > MAX_WAIT_MINUTES) {
    return {
      problem: `"${text}" is not a number of minutes from 1 to ${MAX_WAIT_MINUTES} (fractions such as 7.5 are allowed).`,
    };
  }
  return { minutes };
}
