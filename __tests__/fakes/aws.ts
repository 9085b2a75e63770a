// Scripted fakes of the AWS ports (src/aws/ports.ts), for any test that drives a stage without the
// SDK: each test scripts only the methods it expects to be called, and every call is recorded
// (method, arguments, the abort signal it was given) in order. A method that is not scripted
// throws, so an unexpected call fails the test that made it.

import type { CallOptions, EcsPort, LogsPort } from '../../src/aws/ports.js';

export interface RecordedCall {
  method: string;
  args: unknown[];
  /** The `signal` of the call's CallOptions, when it was given one. */
  signal?: AbortSignal;
}

export type FakeEcs = EcsPort & {
  /** Every call, in order. */
  calls: RecordedCall[];
  /** The scripted methods; a test may replace one while it runs. */
  script: Partial<EcsPort>;
  /** The calls of one method. */
  callsOf(method: keyof EcsPort): RecordedCall[];
};

export type FakeLogs = LogsPort & { calls: RecordedCall[]; script: Partial<LogsPort> };

const ECS_METHODS: (keyof EcsPort)[] = [
  'describeServices',
  'describeService',
  'describeTaskDefinition',
  'registerTaskDefinition',
  'updateService',
  'listServiceDeployments',
  'describeServiceDeployments',
  'stopServiceDeployment',
  'listStoppedTasks',
  'runTask',
  'describeTasks',
  'stopTask',
];

function signalOf(args: unknown[]): AbortSignal | undefined {
  const last = args.at(-1) as CallOptions | undefined;
  return typeof last === 'object' && last !== null && 'signal' in last ? last.signal : undefined;
}

/** A fake port whose methods record the call, then run the script's method of the same name. */
function fakePort<P extends object>(methods: (keyof P)[], script: Partial<P>, name: string) {
  const calls: RecordedCall[] = [];
  const port = { calls, script } as Record<string, unknown>;
  for (const method of methods) {
    port[method as string] = (...args: unknown[]) => {
      const signal = signalOf(args);
      calls.push({ method: method as string, args, ...(signal ? { signal } : {}) });
      const scripted = script[method] as ((...a: unknown[]) => unknown) | undefined;
      if (!scripted) return Promise.reject(new Error(`fake ${name}: ${String(method)} was not scripted`));
      return scripted(...args);
    };
  }
  return port;
}

export function fakeEcs(script: Partial<EcsPort> = {}): FakeEcs {
  const port = fakePort<EcsPort>(ECS_METHODS, script, 'EcsPort') as unknown as FakeEcs;
  port.callsOf = (method) => port.calls.filter((c) => c.method === method);
  return port;
}

export function fakeLogs(script: Partial<LogsPort> = {}): FakeLogs {
  return fakePort<LogsPort>(['getLogTail', 'getLogPage'], script, 'LogsPort') as unknown as FakeLogs;
}

/** A call that never answers, but rejects when its signal aborts (as the SDK does). */
export function hangingCall<T>(options?: CallOptions): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    const signal = options?.signal;
    if (!signal) return;
    const abort = () =>
      reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * A fake clock: time moves only in `sleep` and `advance`; `timeout(ms)` signals abort when the
 * clock passes their time, so a deadline can be reached while a call hangs.
 */
export interface FakeClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  timeout(ms: number): AbortSignal;
  advance(ms: number): void;
}

export function fakeClock(start: number, onSleep?: () => void): FakeClock {
  let now = start;
  const timers: { at: number; controller: AbortController }[] = [];
  const fire = () => {
    for (const t of timers) if (t.at <= now && !t.controller.signal.aborted) t.controller.abort();
  };
  return {
    now: () => now,
    async sleep(ms) {
      now += ms;
      fire();
      onSleep?.();
    },
    timeout(ms) {
      const controller = new AbortController();
      timers.push({ at: now + ms, controller });
      return controller.signal;
    },
    advance(ms) {
      now += ms;
      fire();
    },
  };
}
