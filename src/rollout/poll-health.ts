// Whether the polls are getting answers. When following ends without a verdict, this says why:
// AWS out of reach (every poll since some time failed with a network error or a timeout, or got no
// answer at all), throttled on every poll, failing otherwise, or answering with no final state.

import type { TransientCause } from '../aws/errors.js';
import type { NoVerdictCause } from './types.js';

/** A poll still unanswered when its phase ended counts as failed once it has waited this long. */
export const NO_ANSWER_MS = 10_000;

type PollFailure = TransientCause | 'no-answer';

export interface PollHealthSummary {
  cause: NoVerdictCause;
  /** When the polls began failing (the first of the failures at the end); unset when they were answered. */
  failingSince?: number;
  /** How many polls in a row failed at the end. */
  failedPolls: number;
  /** When a DescribeServices last answered. */
  lastAnsweredAt?: number;
}

export class PollHealth {
  private lastAnsweredAt?: number;
  private failingSince?: number;
  private failures: PollFailure[] = [];

  answered(now: number): void {
    this.lastAnsweredAt = now;
    this.failingSince = undefined;
    this.failures = [];
  }

  /** A poll sent at `sentAt` failed in a way that may clear by itself. */
  failed(sentAt: number, cause: TransientCause): void {
    this.failingSince ??= sentAt;
    this.failures.push(cause);
  }

  /** A poll sent at `sentAt` was abandoned unanswered at `now` (its phase's deadline). */
  unanswered(sentAt: number, now: number): void {
    if (now - sentAt < NO_ANSWER_MS) return; // too short a wait to say anything about AWS
    this.failingSince ??= sentAt;
    this.failures.push('no-answer');
  }

  /** Whether the polls at the end failed: then what was last seen is not current. */
  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  summary(): PollHealthSummary {
    const base = { failedPolls: this.failures.length, lastAnsweredAt: this.lastAnsweredAt };
    if (this.failingSince === undefined) return { ...base, cause: 'no-final-state' };
    // A poll cut off unanswered says only that it took long, which a throttled poll (retried by
    // the SDK with backoff) does too: it decides the cause only when nothing else answered.
    const telling = this.failures.filter((f) => f !== 'no-answer');
    const failures = telling.length > 0 ? telling : this.failures;
    const all = (causes: PollFailure[]) => failures.every((f) => causes.includes(f));
    const cause: NoVerdictCause = all(['throttling'])
      ? 'throttled'
      : all(['network', 'no-answer'])
        ? 'aws-unreachable'
        : 'aws-failing';
    return { ...base, cause, failingSince: this.failingSince };
  }
}
