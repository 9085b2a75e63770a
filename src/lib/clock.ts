// Time as the stages see it: what time it is, how to wait, and how to stop waiting. The real
// clock is the system's; tests pass a fake one that moves only when told, so no test waits in
// real time.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A signal that aborts `ms` from now, on this clock. Without it a real timer is used (a fake
   * clock that leaves it out gets its deadline checked between calls only).
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

/**
 * A signal that aborts after `ms` of real time. Not AbortSignal.timeout: its timer holds the
 * signal only weakly, so a signal that nothing else holds strongly (one combined into another,
 * say) can be collected and never fire, and a hung call then outlives its deadline. Here the timer
 * holds the controller. Unref'd: the deadline alone never keeps the process alive.
 */
export function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(
    () => controller.abort(new DOMException('The deadline passed.', 'TimeoutError')),
    Math.max(0, ms),
  ).unref();
  return controller.signal;
}

/**
 * A signal that aborts as soon as any of `signals` does. Not AbortSignal.any, for the reason
 * above: the combined signal must be held by its sources, strongly.
 */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  const aborted = signals.find((s) => s.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return controller.signal;
  }
  const abort = (event: Event): void => {
    for (const s of signals) s.removeEventListener('abort', abort);
    controller.abort((event.target as AbortSignal).reason);
  };
  for (const s of signals) s.addEventListener('abort', abort, { once: true });
  return controller.signal;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: abortableSleep,
  timeout: timeoutSignal,
};
