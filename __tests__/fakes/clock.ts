// A clock whose sleeps move time at once, so a 30-minute follow runs in milliseconds.
import type { Clock } from '../../src/lib/clock.js';

export class FakeClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.ms += ms;
    this.onSleep?.(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  /** Called after each sleep (e.g. to abort a signal at a given time). */
  onSleep?: (now: number) => void;
}
