// Pacing of the cleanup's writes, so that a long list of old revisions does not empty ECS's
// token buckets, which every caller in the account and Region shares (docs/ecs-behaviour.md,
// "Throttling"): the first calls go at once, the rest one per refill interval.

import type { Clock } from '../lib/clock.js';

export interface PaceSpec {
  /** Calls made at once, leaving the rest of the bucket to other callers. */
  burst: number;
  intervalMs: number;
}

/**
 * DeregisterTaskDefinition: bucket 20, refill 1 per second, shared with RegisterTaskDefinition
 * (this step has just registered one, and other pipelines may be registering too).
 */
export const DEREGISTER_PACE: PaceSpec = { burst: 10, intervalMs: 1000 };
/** DeleteTaskDefinitions: bucket 5, refill 1 per second. */
export const DELETE_PACE: PaceSpec = { burst: 2, intervalMs: 1000 };

export class Pacer {
  private calls = 0;
  constructor(
    private readonly spec: PaceSpec,
    private readonly clock: Clock,
  ) {}

  /** Waits for the next call's turn; returns early when `signal` aborts. */
  async turn(signal: AbortSignal): Promise<void> {
    if (this.calls++ >= this.spec.burst) await this.clock.sleep(this.spec.intervalMs, signal);
  }
}
