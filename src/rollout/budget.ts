// The polling schedule and the request budget of one followed service (the bench measures both;
// emulator/BENCH.md).
//
// Polling schedule: at once, then after 1, 2 and 3 s, then every 4 s, so a verdict is seen within
// about 4 s (plus the call) of ECS reaching it. Request budget: at most 20 requests in any 60 s
// per followed service. DescribeServices makes at most 17 in any 60 s (15 in steady state); the
// optional calls (ListServiceDeployments, DescribeServiceDeployments, DescribeTaskDefinition) get
// a slot only if every 60 s window stays within 20 with the DescribeServices calls still to come,
// so they never delay one. The ECS read buckets refill at 20/s for the whole account
// (docs/ecs-behaviour.md, "Throttling"), so many services can be followed side by side.

export const POLL_INTERVALS_MS: readonly number[] = [1000, 2000, 3000];
export const MAX_POLL_INTERVAL_MS = 4000;
export const MAX_REQUESTS_PER_MINUTE = 20;
const MINUTE = 60_000;

/** Wait before the poll after poll number `polls` (1-based count of polls made so far). */
export function pollInterval(polls: number): number {
  return POLL_INTERVALS_MS[polls - 1] ?? MAX_POLL_INTERVAL_MS;
}

/** Request timestamps in a sliding 60 s window. */
export class RequestWindow {
  private readonly times: number[] = [];
  constructor(
    readonly limit = MAX_REQUESTS_PER_MINUTE,
    readonly windowMs = 60_000,
  ) {}

  count(now: number): number {
    while (this.times.length > 0 && this.times[0] <= now - this.windowMs) this.times.shift();
    return this.times.length;
  }

  /** Requests recorded after `t` (t no earlier than the current window's start). */
  countAfter(t: number): number {
    return this.times.filter((x) => x > t).length;
  }

  /** Milliseconds until one more request fits. */
  waitFor(now: number): number {
    return this.count(now) < this.limit ? 0 : this.times[0] + this.windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }
}

/** The schedule and the window together: when the next poll may go, and whether an extra call fits. */
export class PollBudget {
  private readonly window = new RequestWindow();
  /** Polls (DescribeServices) made so far. */
  polls = 0;
  private lastPollAt = 0;

  /** Milliseconds until a poll fits in the window (0: now). */
  waitForPoll(now: number): number {
    return this.window.waitFor(now);
  }

  recordPoll(now: number): void {
    this.lastPollAt = now;
    this.window.record(now);
    this.polls++;
  }

  /** Wait before the next poll. */
  nextInterval(): number {
    return pollInterval(this.polls);
  }

  /**
   * Takes a slot for an optional call if, with it, every 60 s window ending at one of the next
   * minute's scheduled DescribeServices calls still holds at most the limit.
   */
  takeOptionalSlot(now: number): boolean {
    const limit = this.window.limit;
    if (this.window.count(now) + 1 > limit) return false;
    let at = this.lastPollAt;
    let upcoming = 0;
    for (let n = this.polls; ; n++) {
      at += pollInterval(n);
      if (at >= now + MINUTE) break;
      if (at <= now) continue;
      upcoming++;
      if (this.window.countAfter(at - MINUTE) + 1 + upcoming > limit) return false;
    }
    this.window.record(now);
    return true;
  }
}
