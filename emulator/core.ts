// The contract between the emulator's HTTP layer (server.ts: wire protocols, auth, faults,
// request log) and the service models (ecs/, ecr.ts, s3.ts, ssm.ts, secrets.ts, logs.ts).
// A model is a set of handlers: plain input object in, plain output object out, AwsError thrown.

/** An AWS error as the wire shows it: `__type` / `code` name, message, HTTP status. */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;
  /** Extra response headers (S3 names a bucket's region in `x-amz-bucket-region` on refusals). */
  headers?: Record<string, string>;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

/** Simulated time in epoch milliseconds. Models read it; only the clock moves it. */
export interface Clock {
  now(): number;
}

export interface RequestContext {
  /** `ecs`, `ecr`, `ssm`, `secretsmanager`, `logs`, `s3`. */
  service: string;
  /** The operation name without prefix, e.g. `UpdateService`. */
  operation: string;
  /** The region the request was signed for (its SigV4 credential scope); default the emulator's. */
  region: string;
  /** The caller's account: always the emulator's. */
  accountId: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- inputs are whatever the wire carried; handlers validate them
export type Handler = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;
export type ServiceHandlers = Record<string, Handler>;

/** Where the emulator pretends to be. */
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** Where the ECS model writes container log lines (the logs model stores them for GetLogEvents). */
export type LogSink = (
  group: string,
  stream: string,
  events: { timestamp: number; message: string }[],
) => void;

/** Seed for the ECS model: what exists before the first request. */
export interface EcsSeed {
  clusters?: { name: string }[];
  /** RegisterTaskDefinition inputs, registered in order (so `web:1`, `web:2`, ...). */
  taskDefinitions?: Record<string, unknown>[];
  /**
   * CreateService-like inputs (`cluster`, `serviceName`, `taskDefinition`, `desiredCount`,
   * `deploymentConfiguration`, `deploymentController`, `launchType`, `networkConfiguration`).
   * A seeded service starts steady: one COMPLETED PRIMARY deployment with all tasks running.
   */
  services?: Record<string, unknown>[];
}

export interface EcsModelOptions {
  clock: Clock;
  region: string;
  accountId: string;
  logSink?: LogSink;
  /** Seeded random source, so ids and runs repeat. */
  random?: () => number;
}

export interface EcsModel {
  handlers: ServiceHandlers;
  /** Run the simulation up to `clock.now()`: start, fail, stop tasks, trip breakers, emit events. */
  advance(): void;
  seed(seed: EcsSeed): void;
}
