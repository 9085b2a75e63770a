// The poll loop: DescribeServices on the schedule of budget.ts, each answer printed (progress.ts)
// and judged by the caller, the ServiceDeployment looked at beside it (service-deployment.ts),
// until the caller has a decision, the deadline passes or the workflow cancels. Every call gets a
// signal that aborts at the deadline or on cancel, and is abandoned then whatever it is doing.

import type { Service } from '@aws-sdk/client-ecs';
import { toAwsCallError, transientCause, withSessionHint } from '../aws/errors.js';
import { ABORTED, deadlineSignal, unlessAborted } from './clock.js';
import type { Observation } from './deployment-facts.js';
import type { ServiceDeploymentTracker } from './service-deployment.js';
import type { FollowSession } from './session.js';

/** The one look taken at the deadline (for a fresh state in the report) may take this much longer. */
export const LAST_LOOK_MS = 5_000;

export type LoopEnd<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'aborted' };

type Polled = { observation: Observation; changed: boolean } | undefined | typeof ABORTED;

/** Polls until `decide` returns a value, `deadline` (on the session's clock) passes or the signal aborts. */
export async function pollUntil<T>(
  s: FollowSession,
  sd: ServiceDeploymentTracker,
  deadline: number,
  decide: (obs: Observation) => T | undefined,
): Promise<LoopEnd<T>> {
  const cancel = s.options.signal;
  const phaseSignal = deadlineSignal(s.clock, deadline, cancel);
  for (;;) {
    if (s.cancelled) return { kind: 'aborted' };
    const lastLook = s.clock.now() >= deadline;
    s.callSignal = lastLook ? deadlineSignal(s.clock, s.clock.now() + LAST_LOOK_MS, cancel) : phaseSignal;
    const polled = await poll(s, sd);
    if (polled === ABORTED) return s.cancelled ? { kind: 'aborted' } : { kind: 'timeout' };
    if (polled) {
      const value = decide(polled.observation);
      if (value !== undefined) return { kind: 'done', value };
      if (
        (await sd.refresh(polled.changed)) &&
        decide({ ...polled.observation, serviceDeployment: sd.last }) !== undefined
      ) {
        // The service deployment is newer than the DescribeServices it would be judged with,
        // and the pair may disagree: STOPPED because a newer deployment superseded ours, which
        // that DescribeServices does not show yet, reads as "stopped by someone" (failed).
        // Describe the service again, at once, and judge the two together.
        continue;
      }
    }
    if (s.cancelled) return { kind: 'aborted' };
    const now = s.clock.now();
    if (now >= deadline) return { kind: 'timeout' };
    await s.clock.sleep(Math.min(s.budget.nextInterval(), deadline - now), cancel);
  }
}

/** One DescribeServices; undefined when it failed in a way that may clear (warned). */
async function poll(s: FollowSession, sd: ServiceDeploymentTracker): Promise<Polled> {
  const { clock } = s;
  const wait = s.budget.waitForPoll(clock.now());
  if (wait > 0) {
    await clock.sleep(wait, s.callSignal);
    if (s.callSignal?.aborted) return ABORTED;
  }
  const sentAt = clock.now();
  s.budget.recordPoll(sentAt);
  let service: Service | typeof ABORTED;
  try {
    const call = s.ecs.describeService(s.cluster, s.target.serviceName, { signal: s.callSignal });
    service = await unlessAborted(call, s.callSignal);
  } catch (err) {
    transientOrThrow(s, err, sentAt);
    return undefined;
  }
  const now = clock.now();
  if (service === ABORTED) {
    s.health.unanswered(sentAt, now);
    return ABORTED;
  }
  s.health.answered(now);
  s.lastService = service;
  const changed = s.printer.observe(service, s.target, now);
  const failedSince = s.printer.view.failedSince;
  return {
    observation: {
      service,
      serviceDeployment: sd.last,
      now: new Date(now),
      failedSince: failedSince === undefined ? undefined : new Date(failedSince),
    },
    changed,
  };
}

/** Throttling, network trouble and 5xx (already retried by the SDK) are warned about and polled through; anything else ends the step. */
function transientOrThrow(s: FollowSession, err: unknown, sentAt: number): void {
  const e = toAwsCallError(err, 'DescribeServices');
  const cause = transientCause(e);
  if (e.kind === 'retryable' && cause) {
    s.health.failed(sentAt, cause);
    s.log.warning(`${e.message} Polling again; this does not change the verdict.`);
    return;
  }
  throw withSessionHint(e, s.options.waitForMinutes);
}
