// The emulator's HTTP front: one Node server on 127.0.0.1 that speaks AWS JSON 1.1 (ECS, ECR, SSM,
// Secrets Manager, CloudWatch Logs) and S3 REST, so the real AWS SDK talks to it unchanged,
// retries included. Per request: route -> auth check -> faults -> ECS throttling -> model handler,
// and one request-log entry whatever happened.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createDenyList, signingRegion } from './access.js';
import { createClock, type EmulatorClock } from './clock.js';
import { createCodeDeployModel } from './codedeploy/model.js';
import {
  AwsError,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  type EcsModel,
  type EcsModelOptions,
  type RequestContext,
  type ServiceHandlers,
} from './core.js';
import type { EcsModelWithTaskSets } from './ecs/model.js';
import { createEcrModel, type EcrModel } from './ecr.js';
import { createFaultInjector, faultError, SERVER_ERROR_NAMES, type FaultRule } from './faults.js';
import { createLogsModel } from './logs.js';
import {
  credentialScopeService,
  decodeJsonInput,
  jsonErrorReply,
  jsonReply,
  parseS3Request,
  parseTarget,
  s3ErrorReply,
  s3Reply,
  type HttpReply,
} from './protocol.js';
import { mulberry32 } from './random.js';
import { createS3Model } from './s3.js';
import { createSecretsModel } from './secrets.js';
import { applySeed, loadSeed, type EmulatorSeed, type SeedTargets } from './seed.js';
import { createSsmModel } from './ssm.js';
import { requestTarget, resourceArn } from './targets.js';
import { createEcsThrottler } from './throttling.js';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Simulated ms per real ms (default 60: a minute of ECS per second). Ignored with manualClock. */
  speed?: number;
  /** Time moves only through `advance(ms)`: exact timelines for tests. */
  manualClock?: boolean;
  /** Simulated epoch ms at start (default: real now). */
  startTime?: number;
  /** Initial state: an object or a path to a JSON/YAML file. */
  seed?: EmulatorSeed | string;
  faults?: FaultRule[];
  /** Seed of the fault PRNG (default 42). */
  faultSeed?: number;
  /** Seed of the models' PRNG: ids, ARN suffixes (default 1). */
  randomSeed?: number;
  /** Apply the documented ECS API token buckets (refilled in real time). Default off. */
  throttling?: boolean;
  region?: string;
  accountId?: string;
  /** Verbose mode: one line per request. */
  log?: (line: string) => void;
  /**
   * Build the ECS model; default `createEcsModel` from `./ecs/model.js`. Tests of the HTTP layer
   * inject a small fake here.
   */
  ecsModel?: (opts: EcsModelOptions) => EcsModel;
}

export interface RequestLogEntry {
  /** Real ms epoch. */
  time: number;
  /** Simulated ms epoch. */
  simTime: number;
  service: string;
  operation: string;
  /** HTTP status; 0 when the connection was dropped by a fault. */
  status: number;
  /** Error name when the answer was an error (`ThrottlingException`, `ClusterNotFoundException`...). */
  error?: string;
  /** What the call was about, from its input: service name, family, repository, bucket/key... */
  target?: string;
}

export interface Emulator {
  url: string;
  port: number;
  /** Every request, in the order answers went out (live array; `requests.length = 0` clears it). */
  requests: RequestLogEntry[];
  clock: EmulatorClock;
  /** Move simulated time forward and run the models up to it. */
  advance(ms: number): void;
  /** Replace the fault rules (their counters start again). */
  setFaults(rules: FaultRule[]): void;
  /** Add state after start (same format as the `seed` option; a string is a file path). */
  seed(seed: EmulatorSeed | string): Promise<void>;
  ecs: EcsModel;
  /** The other models, for tests that look inside (e.g. the log events the ECS model wrote). */
  models: SeedTargets;
  stop(): Promise<void>;
}

const MUTATING = /^(Register|Update|Create|Delete|Deregister|Put|Stop|Run|Start|Tag|Untag|Continue)/;

/** The entries whose operation writes something: proof that a rejected input changed nothing. */
export function mutatingCalls(requests: readonly RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((r) => MUTATING.test(r.operation));
}

/** How often (real ms) the speed-mode timer lets the ECS model catch up with the clock. */
const TICK_MS = 50;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const clock = createClock({
    startTime: options.startTime,
    speed: options.speed,
    manual: options.manualClock,
  });
  const randomSeed = options.randomSeed ?? 1;
  // Separate streams per model, so adding a secret does not change ECS ids.
  const base = { clock, region, accountId };
  const logs = createLogsModel({ ...base, random: mulberry32(randomSeed + 5) });
  const ecr = createEcrModel({ ...base, random: mulberry32(randomSeed + 1) });
  const ecsOptions: EcsModelOptions & { resolveImageTag?: (image: string) => string | undefined } = {
    ...base,
    logSink: logs.sink,
    random: mulberry32(randomSeed),
  };
  let makeEcs = options.ecsModel;
  if (!makeEcs) {
    // Loaded lazily so the HTTP layer's own tests (with a fake model) do not depend on it.
    makeEcs = (await import('./ecs/model.js')).createEcsModel;
    const { BEHAVIOURS } = await import('./ecs/behaviours.js');
    ecsOptions.resolveImageTag = pinnedImageTag(ecr, BEHAVIOURS);
  }
  const ecs = makeEcs(ecsOptions);
  // CodeDeploy drives the ECS model's task sets; a fake ECS model (HTTP-layer tests) has none.
  const codedeploy = createCodeDeployModel({
    ...base,
    random: mulberry32(randomSeed + 6),
    ...('taskSets' in ecs ? { ecs: (ecs as EcsModelWithTaskSets).taskSets } : {}),
  });
  const models: SeedTargets = {
    ecs,
    codedeploy,
    ecr,
    s3: createS3Model({ ...base, random: mulberry32(randomSeed + 2) }),
    ssm: createSsmModel({ ...base, random: mulberry32(randomSeed + 3) }),
    secretsmanager: createSecretsModel({ ...base, random: mulberry32(randomSeed + 4) }),
    logs,
    deny: createDenyList(),
  };
  const handlers: Record<string, ServiceHandlers> = {
    ecs: ecs.handlers,
    ecr: models.ecr.handlers,
    s3: models.s3.handlers,
    ssm: models.ssm.handlers,
    secretsmanager: models.secretsmanager.handlers,
    logs: logs.handlers,
    codedeploy: codedeploy.handlers,
  };
  if (options.seed !== undefined) applySeed(await loadSeed(options.seed), models);

  const faults = createFaultInjector(options.faults ?? [], options.faultSeed ?? 42);
  const throttler = options.throttling ? createEcsThrottler() : undefined;
  const requests: RequestLogEntry[] = [];
  const log = options.log;

  // A model bug must not kill the timer or the process; report it and keep serving.
  let lastTickError = '';
  const catchUp = (): void => {
    try {
      ecs.advance();
      codedeploy.advance();
    } catch (e) {
      const msg = `[emulator] ECS model advance() failed: ${(e as Error).stack ?? String(e)}`;
      if (msg !== lastTickError) (log ?? console.error)(msg);
      lastTickError = msg;
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Only reachable through a bug in this file; answer rather than hang the client.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String((e as Error)?.stack ?? e));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!clock.manual) catchUp();
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const authorization = header(req, 'authorization');
    const presigned = /[?&]X-Amz-Credential=/.test(req.url ?? '');
    const authorized = authorization !== undefined || presigned;
    const target = header(req, 'x-amz-target');

    const entry: RequestLogEntry = {
      time: Date.now(),
      simTime: clock.now(),
      service: '',
      operation: '',
      status: 0,
    };
    const finish = (reply: HttpReply, error?: string): void => {
      entry.status = reply.status;
      if (error) entry.error = error;
      requests.push(entry);
      log?.(formatLine(entry));
      const payload = reply.body === undefined ? undefined : Buffer.from(reply.body);
      const headers: Record<string, string> = { ...reply.headers };
      if (payload && headers['content-length'] === undefined)
        headers['content-length'] = String(payload.length);
      if (!payload && headers['content-length'] === undefined && method !== 'HEAD')
        headers['content-length'] = '0';
      res.writeHead(reply.status, headers);
      res.end(method === 'HEAD' ? undefined : payload);
    };

    // ---- JSON 1.1 services ----
    if (target !== undefined || (credentialScopeService(authorization) ?? 's3') !== 's3') {
      const parsed = parseTarget(target ?? '');
      entry.service = parsed.service ?? credentialScopeService(authorization) ?? 'unknown';
      entry.operation = parsed.operation;
      const fail = (err: AwsError): void => finish(jsonErrorReply(err, requestId), err.type);
      if (!authorized)
        return fail(new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400));
      let input: Record<string, unknown>;
      try {
        input = decodeJsonInput(body);
      } catch (e) {
        return fail(e as AwsError);
      }
      entry.target = requestTarget(entry.service, input);
      const handler = parsed.service ? handlers[parsed.service]?.[parsed.operation] : undefined;
      if (!handler) {
        return fail(
          new AwsError(
            'UnknownOperationException',
            `The operation ${target ?? '(no X-Amz-Target)'} is not supported by this emulator.`,
            400,
          ),
        );
      }
      const ctx: RequestContext = {
        service: entry.service,
        operation: entry.operation,
        region: signingRegion(authorization, req.url ?? '/') ?? region,
        accountId,
      };
      const blocked = await applyFaults(ctx, input, req);
      if (blocked === 'dropped') return dropped(entry);
      if (blocked) return fail(blocked);
      if (ctx.service === 'ecs' && throttler && !throttler.take(ctx.operation)) {
        return fail(new AwsError('ThrottlingException', 'Rate exceeded', 400));
      }
      try {
        const output = await handler(input, ctx);
        return finish(jsonReply(output, requestId));
      } catch (e) {
        return fail(asAwsError(e, SERVER_ERROR_NAMES[ctx.service] ?? 'InternalFailure'));
      }
    }

    // ---- S3 REST ----
    entry.service = 's3';
    let s3: ReturnType<typeof parseS3Request>;
    try {
      s3 = parseS3Request(method, req.url ?? '/', header(req, 'host') ?? '', req.headers, body);
    } catch {
      s3 = { operation: 'Malformed', input: {} };
    }
    entry.operation = s3.operation;
    entry.target = requestTarget('s3', s3.input);
    const fail = (err: AwsError): void => {
      const reply = s3ErrorReply(err, method, requestId, {
        BucketName: err.type === 'NoSuchBucket' ? s3.bucket : undefined,
        Key: err.type === 'NoSuchKey' ? s3.key : undefined,
      });
      finish({ ...reply, headers: { ...reply.headers, ...err.headers } }, err.type);
    };
    if (!authorized) return fail(new AwsError('AccessDenied', 'Access Denied', 403));
    const handler = handlers.s3?.[s3.operation];
    if (!handler) {
      return fail(
        new AwsError('NotImplemented', `${s3.operation} is not implemented by this emulator.`, 501),
      );
    }
    const ctx: RequestContext = {
      service: 's3',
      operation: s3.operation,
      region: signingRegion(authorization, req.url ?? '/') ?? region,
      accountId,
    };
    const blocked = await applyFaults(ctx, s3.input, req);
    if (blocked === 'dropped') return dropped(entry);
    if (blocked) return fail(blocked);
    try {
      const output = (await handler(s3.input, ctx)) as Record<string, unknown>;
      return finish(s3Reply(s3.operation, output ?? {}, requestId));
    } catch (e) {
      return fail(asAwsError(e, 'InternalError'));
    }
  }

  /** Latency first (a slow request may still fail), then drop or an AWS-shaped error. */
  async function applyFaults(
    ctx: RequestContext,
    input: Record<string, unknown>,
    req: http.IncomingMessage,
  ): Promise<AwsError | 'dropped' | undefined> {
    const decision = faults.decide(ctx.service, ctx.operation);
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.drop) {
      req.socket.destroy();
      return 'dropped';
    }
    if (decision.hang) {
      // Never answered: logged as dropped once the client gives up or the emulator stops.
      if (!req.socket.destroyed) await new Promise((resolve) => req.socket.once('close', resolve));
      return 'dropped';
    }
    const arn = resourceArn(ctx.service, input, ctx.region, accountId);
    // No fault: a seeded denial (`deny:`) may still refuse the request.
    if (decision.error === undefined) return models.deny.check({ ...ctx, resourceArn: arn });
    return faultError(decision.error, ctx.service, ctx.operation, arn, accountId);
  }

  function dropped(entry: RequestLogEntry): void {
    entry.status = 0;
    entry.error = 'ConnectionDropped';
    requests.push(entry);
    log?.(formatLine(entry));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const timer = clock.manual ? undefined : setInterval(catchUp, TICK_MS);
  timer?.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    clock,
    ecs,
    models,
    advance(ms: number): void {
      clock.advance(ms);
      ecs.advance();
      codedeploy.advance();
    },
    setFaults(rules: FaultRule[]): void {
      faults.setRules(rules);
    },
    async seed(seed: EmulatorSeed | string): Promise<void> {
      applySeed(await loadSeed(seed), models);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

/**
 * The ECS model picks a task's behaviour from the image tag. After the action pins an image to
 * `repo@sha256:...`, the tag is gone from the reference; recover it from our ECR, preferring a tag
 * that names a behaviour (an image tagged both `v2` and `crash` should crash).
 */
function pinnedImageTag(ecr: EcrModel, behaviours: readonly string[]): (image: string) => string | undefined {
  return (image) => {
    const m = /^(?:[^/]+\.amazonaws\.com(?:\.cn)?\/)?([^@:]+)@(sha256:[0-9a-f]{64})$/.exec(image);
    if (!m) return undefined;
    const tags = ecr.tagsOf(m[1]!, m[2]!);
    return tags.find((t) => behaviours.includes(t)) ?? tags[0];
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** AwsError passes through; anything else is a model bug, reported as the service's 500. */
function asAwsError(e: unknown, serverErrorName: string): AwsError {
  if (e instanceof AwsError) return e;
  // Duck-typed too, in case a model got AwsError from a second copy of core.ts (test loaders).
  const like = e as Partial<AwsError> | null;
  if (like && typeof like.type === 'string' && typeof like.status === 'number') {
    return new AwsError(like.type, String(like.message ?? ''), like.status);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new AwsError(serverErrorName, msg, 500);
}

function formatLine(e: RequestLogEntry): string {
  const sim = new Date(e.simTime).toISOString();
  const what = `${e.service}.${e.operation}${e.target ? ` ${e.target}` : ''}`;
  return `[emulator] sim ${sim}  ${what} -> ${e.status || 'dropped'}${e.error ? ` ${e.error}` : ''}`;
}
