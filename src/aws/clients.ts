// The SDK clients, configured once. ECS is needed on every run and imported statically;
// CloudWatch Logs only when a failed deployment is diagnosed or a log group is checked, and ECR,
// S3, SSM and Secrets Manager only by preflight, so they are imported on first use (each static
// client adds start-up time to every run). The SDK reads
// AWS_ENDPOINT_URL(_ECS, ...) itself, which is how the e2e tests reach the emulator.

import { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createEcsPort } from './ecs.js';
import { createLogsPort } from './logs.js';
import type { AwsPorts } from './ports.js';
import { createEcrPort } from './ecr.js';
import { createS3Port } from './s3.js';
import { createSecretsPort } from './secrets.js';
import { createSsmPort } from './ssm.js';
import { createCodeDeployPort } from './codedeploy.js';

/** Sent in the user agent so AWS-side logs show which tool made a call. Kept equal to package.json by a test. */
export const ACTION_VERSION = '0.1.0';

/**
 * Standard retry mode retries throttling, 5xx and network errors with jittered backoff; six
 * attempts ride out a burst of throttling from other pipelines sharing the account's buckets
 * (docs/ecs-behaviour.md, "Throttling") without hiding a real outage for long.
 */
export const MAX_ATTEMPTS = 6;

/**
 * The SDK's maxAttempts for the `max-retries` input: the retries after the first attempt, so
 * `max-retries + 1` attempts in all (0: no retry). Unset: MAX_ATTEMPTS. (The official deploy
 * action passes max-retries as maxAttempts itself, one attempt fewer than its name says.)
 */
export function maxAttemptsFor(maxRetries: number | undefined): number {
  return maxRetries === undefined ? MAX_ATTEMPTS : maxRetries + 1;
}

/**
 * Every call is bounded in time (with the retries above, a call that hangs ends in at most six
 * times these). A connection to AWS is made in milliseconds: 5 s without one means the network is
 * down or blocked. ECS and CloudWatch Logs answer in well under a second; 20 s leaves room for a
 * slow RegisterTaskDefinition or a large page, and abandons a request AWS will never answer.
 */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 20_000;

export interface ClientOptions {
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** The `max-retries` input: maxAttempts is this + 1 (`maxAttempts` wins when both are given). */
  maxRetries?: number;
}

export interface AwsClients {
  region: string;
  ecs: ECSClient;
  /** A CloudWatch Logs client for `region` (default: ours), created on first use and then reused. */
  logs(region?: string): Promise<CloudWatchLogsClient>;
}

/**
 * The region from the input, else AWS_REGION, else AWS_DEFAULT_REGION (the JS SDK alone does not
 * read the latter, which the AWS CLI and many workflows set).
 */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const region = [input, env.AWS_REGION, env.AWS_DEFAULT_REGION].map((r) => r?.trim()).find((r) => r);
  if (!region) {
    throw new Error(
      'No AWS region: set AWS_REGION (aws-actions/configure-aws-credentials does this with its aws-region input) or AWS_DEFAULT_REGION.',
    );
  }
  return region;
}

/** The configuration every SDK client gets. */
export function clientConfig(region: string, options: ClientOptions = {}) {
  return {
    region,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? maxAttemptsFor(options.maxRetries),
    customUserAgent: `ecs-deploy-action/${ACTION_VERSION}`,
    // The options of the SDK's NodeHttpHandler. Without throwOnRequestTimeout a request past its
    // timeout only logs a warning and goes on waiting.
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

/** A client per region, made on first use by `make` (which imports its SDK lazily), then reused. */
export type RegionalClient<C> = (region?: string) => Promise<C>;

export function regionalClient<C>(
  defaultRegion: string,
  make: (config: ReturnType<typeof clientConfig>) => Promise<C>,
  options: ClientOptions = {},
): RegionalClient<C> {
  const clients = new Map<string, Promise<C>>();
  return (region = defaultRegion) => {
    let client = clients.get(region);
    if (!client) {
      client = make(clientConfig(region, options));
      clients.set(region, client);
    }
    return client;
  };
}

export function createClients(region?: string, options: ClientOptions = {}): AwsClients {
  const resolved = resolveRegion(region);
  return {
    region: resolved,
    ecs: new ECSClient(clientConfig(resolved, options)),
    logs: regionalClient(
      resolved,
      async (config) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config),
      options,
    ),
  };
}

/** The ports the stages use, over clients configured as above. */
export function createAwsPorts(region?: string, options: ClientOptions = {}): AwsPorts {
  const clients = createClients(region, options);
  return {
    region: clients.region,
    ecs: createEcsPort(clients.ecs),
    logs: createLogsPort(clients.logs),
    ...createPreflightPorts(clients.region, options),
    // CodeDeploy only for a CODE_DEPLOY service: its SDK is imported on first use.
    codedeploy: createCodeDeployPort(codeDeployClient(clients.region, options)),
  };
}

/** The CodeDeploy client of the step's region, made on first use and then reused. */
function codeDeployClient(region: string, options: ClientOptions) {
  const client = regionalClient(
    region,
    async (c) => new (await import('@aws-sdk/client-codedeploy')).CodeDeployClient(c),
    options,
  );
  return () => client();
}

/**
 * The ports preflight reads through (ECR, S3, SSM, Secrets Manager), over clients made per region
 * on first use: a step without preflight, or whose task definition names none of these, never
 * loads their SDKs.
 */
function createPreflightPorts(
  region: string,
  options: ClientOptions,
): Pick<AwsPorts, 'ecr' | 's3' | 'ssm' | 'secrets'> {
  const sdk = {
    ecr: async () => (await import('@aws-sdk/client-ecr')).ECRClient,
    s3: async () => (await import('@aws-sdk/client-s3')).S3Client,
    ssm: async () => (await import('@aws-sdk/client-ssm')).SSMClient,
    secrets: async () => (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient,
  };
  return {
    ecr: createEcrPort(regionalClient(region, async (c) => new (await sdk.ecr())(c), options)),
    s3: createS3Port(regionalClient(region, async (c) => new (await sdk.s3())(c), options)),
    ssm: createSsmPort(regionalClient(region, async (c) => new (await sdk.ssm())(c), options)),
    secrets: createSecretsPort(regionalClient(region, async (c) => new (await sdk.secrets())(c), options)),
  };
}
