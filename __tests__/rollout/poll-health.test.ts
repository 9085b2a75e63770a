import { describe, expect, it } from '@jest/globals';
import { NO_ANSWER_MS, PollHealth } from '../../src/rollout/poll-health.js';

describe('PollHealth', () => {
  it('calls polls throttled when the only other failure is the last poll cut off at the deadline', () => {
    const h = new PollHealth();
    h.answered(0);
    h.failed(1_000, 'throttling');
    h.failed(20_000, 'throttling');
    h.unanswered(40_000, 40_000 + NO_ANSWER_MS + 1);
    expect(h.summary()).toMatchObject({ cause: 'throttled', failingSince: 1_000, failedPolls: 3 });
  });

  it('calls polls that only went unanswered unreachable', () => {
    const h = new PollHealth();
    h.unanswered(0, NO_ANSWER_MS + 1);
    expect(h.summary()).toMatchObject({ cause: 'aws-unreachable', failingSince: 0 });
  });

  it('calls a mix of throttling and network errors failing', () => {
    const h = new PollHealth();
    h.failed(0, 'throttling');
    h.failed(5_000, 'network');
    expect(h.summary().cause).toBe('aws-failing');
  });

  it('forgets failures once a poll is answered', () => {
    const h = new PollHealth();
    h.failed(0, 'throttling');
    h.answered(5_000);
    expect(h.summary()).toMatchObject({ cause: 'no-final-state', lastAnsweredAt: 5_000 });
  });
});
