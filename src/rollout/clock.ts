// Deadlines for the follower over a Clock (src/lib/clock.ts): a signal that fires at the deadline
// or on cancel, and a way to abandon a call the moment it does.

import { anySignal, timeoutSignal, type Clock } from '../lib/clock.js';

/**
 * A signal that aborts at `deadline` (on `clock`) or when `cancel` aborts, whichever comes first:
 * what every AWS call of one phase of the follow is given, so none outlives it.
 */
export function deadlineSignal(clock: Clock, deadline: number, cancel?: AbortSignal): AbortSignal {
  const ms = Math.max(0, deadline - clock.now());
  const timer = clock.timeout ? clock.timeout(ms) : timeoutSignal(ms);
  return cancel ? anySignal([cancel, timer]) : timer;
}

export const ABORTED = Symbol('aborted');

/**
 * The promise's value, or ABORTED as soon as the signal aborts: the call is abandoned at once,
 * whatever it does with the signal itself (the SDK also stops its HTTP request).
 */
export function unlessAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // abandoned: its failure is of no interest
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // A call failing because the signal aborted it is an abandoned call, not an AWS error.
        if (signal.aborted) resolve(ABORTED);
        else reject(err);
      },
    );
  });
}

/** `12:03:10Z`: a time of day on the AWS (UTC) clock, as the log shows service events. */
export function timeOfDay(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}
