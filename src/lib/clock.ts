// Time as the stages see it: what time it is, how to wait, and how to stop waiting. The real
// clock is the system's; tests pass a fake one that moves only when told, so no test waits in
// real time.

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
