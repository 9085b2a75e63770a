// Fault injection: rules that make matching requests fail the way AWS fails, decided by a seeded
// PRNG so a test run repeats exactly. The server asks `decide()` once per request.
import { AwsError } from './core.js';
import { mulberry32 } from './random.js';

export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'unavailable'
  | 'latency'
  | 'drop'
  | 'hang'
  | 'access-denied'
  | 'expired-token';

/** The kinds that answer with an AWS error. */
export type ErrorFaultKind = Exclude<FaultKind, 'latency' | 'drop' | 'hang'>;

export interface FaultRule {
  /** Operation name (`UpdateService`) or pattern; default: every operation. */
  operation?: string | RegExp;
  /** `ecs`, `ecr`, `s3`, `ssm`, `secretsmanager`, `logs`; default: every service. */
  service?: string;
  kind: FaultKind;
  /** Probability in 0..1 that a matching request is hit. */
  rate: number;
  /** For `latency`: real ms to wait before handling the request. */
  latencyMs?: number;
  /** Hit at most this many requests, then the rule goes quiet. */
  count?: number;
}

/** What the server should do with one request. */
export interface FaultDecision {
  /** Real ms to wait first (sum of hit latency rules). */
  delayMs: number;
  /** Destroy the socket without answering. */
  drop: boolean;
  /**
   * Accept the request and never answer: the connection stays open until the client gives up
   * (a timeout, an abort) or the emulator stops. How AWS looks behind a black-holing network.
   */
  hang: boolean;
  /** Answer with this error instead of calling the handler. */
  error?: ErrorFaultKind;
}

export interface FaultInjector {
  setRules(rules: FaultRule[]): void;
  decide(service: string, operation: string): FaultDecision;
}

export function createFaultInjector(rules: FaultRule[] = [], seed = 42): FaultInjector {
  const random = mulberry32(seed);
  let active: { rule: FaultRule; left: number }[] = [];
  const setRules = (next: FaultRule[]): void => {
    for (const r of next) {
      if (!(r.rate >= 0 && r.rate <= 1)) throw new Error(`fault rate must be in 0..1, got ${r.rate}`);
    }
    active = next.map((rule) => ({ rule, left: rule.count ?? Infinity }));
  };
  setRules(rules);

  return {
    setRules,
    decide(service, operation) {
      const decision: FaultDecision = { delayMs: 0, drop: false, hang: false };
      for (const entry of active) {
        const { rule } = entry;
        if (entry.left <= 0 || !matches(rule, service, operation)) continue;
        // Draw only for matching rules, so unrelated traffic does not shift the sequence.
        if (random() >= rule.rate) continue;
        entry.left--;
        if (rule.kind === 'latency') {
          decision.delayMs += rule.latencyMs ?? 1000;
          continue; // a slow request may still fail or succeed: keep looking
        }
        if (rule.kind === 'drop') decision.drop = true;
        else if (rule.kind === 'hang') decision.hang = true;
        else decision.error = rule.kind as ErrorFaultKind;
        break; // the first failing rule wins
      }
      return decision;
    },
  };
}

function matches(rule: FaultRule, service: string, operation: string): boolean {
  if (rule.service !== undefined && rule.service !== service) return false;
  if (rule.operation === undefined) return true;
  if (typeof rule.operation === 'string') return rule.operation === operation;
  rule.operation.lastIndex = 0; // a /g pattern would otherwise remember its last match
  return rule.operation.test(operation);
}

/** The principal named in access-denied messages (what a GitHub OIDC role session looks like). */
export const DENIED_PRINCIPAL = 'assumed-role/deploy/gha';

/**
 * The error AWS returns for a fault kind, with the names and texts each service really uses.
 * (`drop`, `hang` and `latency` have no error.)
 */
export function faultError(
  kind: ErrorFaultKind,
  service: string,
  operation: string,
  resourceArn: string,
  accountId: string,
): AwsError {
  const s3 = service === 's3';
  switch (kind) {
    case 'throttle':
      return s3
        ? new AwsError('SlowDown', 'Please reduce your request rate.', 503)
        : new AwsError('ThrottlingException', 'Rate exceeded', 400);
    case 'server-error':
      return new AwsError(SERVER_ERROR_NAMES[service] ?? 'InternalFailure', SERVER_ERROR_MESSAGE, 500);
    case 'unavailable':
      return new AwsError('ServiceUnavailable', 'Service is unavailable. Please try again later.', 503);
    case 'access-denied': {
      // The IAM action prefix equals the service's signing name for every service we model.
      const action = `${service}:${operation}`;
      const message =
        `User: arn:aws:sts::${accountId}:${DENIED_PRINCIPAL} is not authorized to perform: ${action} ` +
        `on resource: ${resourceArn} because no identity-based policy allows the ${action} action`;
      return s3
        ? new AwsError('AccessDenied', message, 403)
        : new AwsError('AccessDeniedException', message, 400);
    }
    case 'expired-token':
      return s3
        ? new AwsError('ExpiredToken', 'The provided token has expired.', 400)
        : new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  }
}

const SERVER_ERROR_MESSAGE = 'We encountered an internal error. Please try again.';

// The 5xx error each SDK models, so the client maps it to its own exception class.
export const SERVER_ERROR_NAMES: Record<string, string> = {
  ecs: 'ServerException',
  ecr: 'ServerException',
  ssm: 'InternalServerError',
  secretsmanager: 'InternalServiceError',
  logs: 'ServiceUnavailableException',
  s3: 'InternalError',
};
