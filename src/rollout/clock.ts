// Time for the follower: what time it is, how to wait, and how to stop waiting. The real clock is
// the system's; tests pass a fake one that moves only when told, so no test waits in real time.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A signal that aborts `ms` from now, on this clock. Without it the real AbortSignal.timeout is
   * used (a fake clock that leaves it out gets its deadline checked between calls only).
   */
  timeout?(ms: number): AbortSignal;
}

/** A real sleep that ends early on abort. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: abortableSleep,
  timeout: (ms) => AbortSignal.timeout(Math.max(0, ms)),
};

/**
 * A signal that aborts at `deadline` (on `clock`) or when `cancel` aborts, whichever comes first:
 * what every AWS call of one phase of the follow is given, so none outlives it.
 */
export function deadlineSignal(clock: Clock, deadline: number, cancel?: AbortSignal): AbortSignal {
  const ms = Math.max(0, deadline - clock.now());
  const timer = clock.timeout ? clock.timeout(ms) : AbortSignal.timeout(ms);
  return cancel ? AbortSignal.any([cancel, timer]) : timer;
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
