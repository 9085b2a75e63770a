// Every step ends in bounded time with its cause named, as a runner sees it: a DescribeServices
// that never answers does not hold the step past wait-for-minutes (the call is abandoned at the
// deadline and the summary says AWS was unreachable), and a cancel while a request hangs exits in
// seconds. The bounds asserted are the contract (wait-for-minutes plus the last look, a few
// seconds after a signal), not speed figures.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type RunActionResult } from '../../emulator/run-action.js';
import { baseSeed, deployInputs, SLOW_SPEED } from './scenarios.js';

const HANG = [{ service: 'ecs', operation: 'DescribeServices', kind: 'hang' as const, rate: 1 }];
const THROTTLE = [
  {
    service: 'ecs',
    operation: /^(DescribeServices|ListServiceDeployments|DescribeServiceDeployments)$/,
    kind: 'throttle' as const,
    rate: 1,
  },
];

interface Timed {
  result: RunActionResult;
  signalledAt?: number;
  endedAt: number;
}

/**
 * Runs a deploy; once the first progress line is printed (so the deployment was seen), every
 * DescribeServices hangs, and, if asked, SIGTERM follows.
 */
async function deployIntoHang(
  emulator: Emulator,
  options: { sigtermAfterMs?: number; faults?: typeof HANG | typeof THROTTLE },
): Promise<Timed> {
  let pid: number | undefined;
  let hanging = false;
  let signalledAt: number | undefined;
  const result = await runAction({
    endpoint: emulator.url,
    inputs: deployInputs('slow', { 'wait-for-minutes': '1' }),
    timeoutMs: 240_000,
    onSpawn: (p) => (pid = p),
    onOutput: (chunk) => {
      if (hanging || !/^web: \d+\/\d+ running/m.test(chunk)) return;
      hanging = true;
      emulator.setFaults(options.faults ?? HANG);
      if (options.sigtermAfterMs !== undefined) {
        setTimeout(() => {
          signalledAt = Date.now();
          if (pid) process.kill(pid, 'SIGTERM');
        }, options.sigtermAfterMs);
      }
    },
  });
  emulator.setFaults([]);
  return { result, signalledAt, endedAt: Date.now() };
}

/** Runs a deploy whose UpdateService never answers, and sends SIGTERM 3 s after registering. */
async function cancelDuringHungWrite(emulator: Emulator): Promise<Timed> {
  let pid: number | undefined;
  let signalledAt: number | undefined;
  emulator.setFaults([{ service: 'ecs', operation: 'UpdateService', kind: 'hang', rate: 1 }]);
  const result = await runAction({
    endpoint: emulator.url,
    inputs: deployInputs('1.1'),
    timeoutMs: 240_000,
    onSpawn: (p) => (pid = p),
    onOutput: (chunk) => {
      if (signalledAt !== undefined || !/^Registered /m.test(chunk)) return;
      signalledAt = Date.now() + 3000;
      setTimeout(() => pid && process.kill(pid, 'SIGTERM'), 3000);
    },
  });
  emulator.setFaults([]);
  return { result, signalledAt, endedAt: Date.now() };
}

let timedOut: Timed;
let cancelled: Timed;
let cancelledWrite: Timed;
let throttled: Timed;
let emulators: Emulator[] = [];

beforeAll(async () => {
  emulators = await Promise.all(
    [0, 1, 2, 3].map(() => startEmulator({ speed: SLOW_SPEED, seed: baseSeed() })),
  );
  [timedOut, cancelled, cancelledWrite, throttled] = await Promise.all([
    deployIntoHang(emulators[0], {}),
    deployIntoHang(emulators[1], { sigtermAfterMs: 3000 }),
    cancelDuringHungWrite(emulators[2]),
    deployIntoHang(emulators[3], { faults: THROTTLE }),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

describe('a request that never answers', () => {
  test('ends the step at wait-for-minutes, timed-out, saying AWS was unreachable', () => {
    const { result } = timedOut;
    expect(result.exitCode).toBe(1);
    expect(result.outputs.outcome).toBe('timed-out');
    // The bound: one minute of following, the last look at the deadline, and the exit; a step
    // that waited for the hung call would run until the test's own kill at four minutes.
    expect(result.durationMs).toBeLessThan(120_000);
    expect(result.log).toMatch(/unreachable/i);
    expect(result.summary).toMatch(/No verdict/);
    expect(result.summary).toMatch(/unreachable/i);
  });

  test('labels the last known state with the time it was seen, never as current', () => {
    const { result } = timedOut;
    expect(result.summary).toMatch(/Last seen/);
    expect(result.summary).not.toMatch(/was IN_PROGRESS with/);
  });
});

describe('a cancel while a request hangs', () => {
  test('exits within seconds with the cancelled outcome and the deployment named', () => {
    const { result, signalledAt, endedAt } = cancelled;
    expect(signalledAt).toBeDefined();
    expect(result.outputs.outcome).toBe('cancelled');
    expect(result.exitCode).toBe(1);
    expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect(result.log).toContain('SIGTERM received: the step is being cancelled.');
    // "Within a few seconds whatever is in flight": the contract, with room for a loaded machine.
    expect(endedAt - (signalledAt ?? 0)).toBeLessThan(15_000);
  });
});

describe('a cancel while a write hangs', () => {
  test('abandons the write, exits within seconds, and says the write may have taken effect', () => {
    const { result, signalledAt, endedAt } = cancelledWrite;
    expect(result.exitCode).toBe(1);
    expect(result.outputs.outcome).toBeUndefined();
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/web:2$/);
    expect(endedAt - (signalledAt ?? 0)).toBeLessThan(15_000);
    expect(result.log).toContain('The step was cancelled while UpdateService was in flight');
    expect(result.summary).toContain('`UpdateService` was in flight when the step was cancelled');
  });
});

describe('every poll throttled', () => {
  test('ends at wait-for-minutes, timed-out, saying AWS throttled every poll since when', () => {
    const { result } = throttled;
    expect(result.outputs.outcome).toBe('timed-out');
    expect(result.durationMs).toBeLessThan(120_000);
    expect(result.log).toMatch(/AWS has throttled every DescribeServices since \d\d:\d\d:\d\dZ/);
    expect(result.summary).toMatch(/No verdict \| .*throttl/i);
  });
});
