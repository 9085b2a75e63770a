// Scripted fakes of the AWS ports (src/aws/ports.ts), for any test that drives a stage without the
// SDK: each test scripts only the methods it expects to be called, and every call is recorded
// (method, arguments, the abort signal it was given) in order. A method that is not scripted
// throws, so an unexpected call fails the test that made it.

import type {
  CallOptions,
  EcrPort,
  EcsPort,
  LogsPort,
  S3Port,
  SecretsPort,
  SsmPort,
} from '../../src/aws/ports.js';

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
  'continueServiceDeployment',
  'listStoppedTasks',
  'runTask',
  'describeTasks',
  'stopTask',
  'createService',
  'listTagsForResource',
  'tagResource',
  'untagResource',
  'listTaskDefinitions',
  'listServices',
  'deregisterTaskDefinition',
  'deleteTaskDefinitions',
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
  return fakePort<LogsPort>(
    ['getLogTail', 'getLogPage', 'logGroupExists'],
    script,
    'LogsPort',
  ) as unknown as FakeLogs;
}

export type Fake<P> = P & { calls: RecordedCall[]; script: Partial<P> };

export function fakeEcr(script: Partial<EcrPort> = {}): Fake<EcrPort> {
  return fakePort<EcrPort>(['describeImage', 'describeScan'], script, 'EcrPort') as unknown as Fake<EcrPort>;
}

export function fakeS3(script: Partial<S3Port> = {}): Fake<S3Port> {
  return fakePort<S3Port>(['headObject'], script, 'S3Port') as unknown as Fake<S3Port>;
}

export function fakeSsm(script: Partial<SsmPort> = {}): Fake<SsmPort> {
  return fakePort<SsmPort>(['parameterExists'], script, 'SsmPort') as unknown as Fake<SsmPort>;
}

export function fakeSecrets(script: Partial<SecretsPort> = {}): Fake<SecretsPort> {
  return fakePort<SecretsPort>(['describeSecret'], script, 'SecretsPort') as unknown as Fake<SecretsPort>;
}

/** The preflight ports over a world where everything a task definition names exists, unscanned. */
export function fakeReferences(): {
  ecr: Fake<EcrPort>;
  s3: Fake<S3Port>;
  ssm: Fake<SsmPort>;
  secrets: Fake<SecretsPort>;
} {
  const digest = `sha256:${'0'.repeat(64)}`;
  return {
    ecr: fakeEcr({
      describeImage: async (q) => ({ image: { digest: q.digest ?? digest, tags: q.tag ? [q.tag] : [] } }),
      describeScan: async () => undefined,
    }),
    s3: fakeS3({ headObject: async () => ({ kind: 'found' }) }),
    ssm: fakeSsm({ parameterExists: async () => true }),
    secrets: fakeSecrets({ describeSecret: async (q) => ({ arn: q.secretId, versions: {} }) }),
  };
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
