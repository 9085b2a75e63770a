// The Clock (src/lib/clock.ts) faked once: time moves only in `sleep` and `advance`, so a
// 30-minute follow runs in milliseconds; `timeout(ms)` signals abort when the clock passes their
// time, so a deadline can be reached while a call hangs.
import type { Clock } from '../../src/lib/clock.js';

export class FakeClock implements Required<Clock> {
  private readonly timers: { at: number; controller: AbortController }[] = [];

  /** `onSleep` is called after each sleep with the new time (e.g. to cancel at a given moment). */
  constructor(
    private ms: number,
    public onSleep?: (now: number) => void,
  ) {}

  now(): number {
    return this.ms;
  }
  async sleep(ms: number): Promise<void> {
    this.ms += ms;
    this.fire();
    this.onSleep?.(this.ms);
  }
  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    this.timers.push({ at: this.ms + ms, controller });
    return controller.signal;
  }
  advance(ms: number): void {
    this.ms += ms;
    this.fire();
  }

  private fire(): void {
    for (const t of this.timers) if (t.at <= this.ms && !t.controller.signal.aborted) t.controller.abort();
  }
}

export function fakeClock(start: number, onSleep?: () => void): FakeClock {
  return new FakeClock(start, onSleep && (() => onSleep()));
}
