// Simulated time for the emulator. ECS rollouts take minutes; tests and the demo cannot wait that
// long, so simulated time runs `speed` times faster than real time, or only moves when a test
// calls `advance` (manual mode), which makes a test's timeline exact.
import type { Clock } from './core.js';

export interface EmulatorClock extends Clock {
  /** Simulated ms per real ms (1 in manual mode, where real time does not count). */
  readonly speed: number;
  readonly manual: boolean;
  /** Jump simulated time forward by `ms` (in either mode). */
  advance(ms: number): void;
}

export interface ClockOptions {
  /** Simulated epoch ms at start; defaults to the real time now, so timestamps look plausible. */
  startTime?: number;
  /** Simulated ms per real ms; default 60 (one ECS minute per real second). */
  speed?: number;
  manual?: boolean;
  /** Real time source, injectable for tests of the clock itself. */
  realNow?: () => number;
}

export const DEFAULT_SPEED = 60;

export function createClock(options: ClockOptions = {}): EmulatorClock {
  const realNow = options.realNow ?? Date.now;
  const manual = options.manual ?? false;
  const speed = manual ? 1 : (options.speed ?? DEFAULT_SPEED);
  if (!(speed > 0)) throw new Error(`clock speed must be positive, got ${speed}`);
  const startTime = options.startTime ?? realNow();
  const realStart = realNow();
  let offset = 0; // simulated ms added by advance()
  // Never let time run backwards (a real clock step back would otherwise reach the models).
  let last = startTime;

  return {
    speed,
    manual,
    now(): number {
      const elapsed = manual ? 0 : Math.max(0, realNow() - realStart) * speed;
      const t = Math.floor(startTime + elapsed + offset);
      if (t > last) last = t;
      return last;
    },
    advance(ms: number): void {
      if (!(ms >= 0)) throw new Error(`advance() needs a non-negative number of ms, got ${ms}`);
      offset += ms;
    },
  };
}
