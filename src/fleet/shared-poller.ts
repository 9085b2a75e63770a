// The batching layer under the followers of several services (docs/architecture.md, "Several
// services"): each follower keeps calling `describeService` for its own service on its own
// schedule (src/rollout/budget.ts), and this port answers all of them from one shared round of
// DescribeServices calls, up to ten services a call (docs/ecs-behaviour.md, "DescribeServices
// batches"). The followers start together and keep the same schedule, so the first to ask starts a
// round for every followed service and the others, asking moments later, are answered from it: the
// requests per minute grow with the calls, one per ten services, not with the services.
// DescribeServiceDeployments asked for in the same turn goes out as one call (twenty ARNs a call),
// and ListServiceDeployments is not called while DescribeServices names the service's
// currentServiceDeployment (the tracker checks that record is ours before using it).
import type { Service, ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../aws/errors.js';
import type {
  CallOptions,
  DescribedServiceDeployments,
  DescribedServices,
  EcsPort,
  ListServiceDeploymentsQuery,
} from '../aws/ports.js';
import type { Clock } from '../lib/clock.js';

/** An answer from a round at most this old (and newer than the asker's last) is served as is. */
export const SHARED_ANSWER_MS = 1_000;
/** DescribeServiceDeployments takes at most this many ARNs a call. */
export const SERVICE_DEPLOYMENTS_BATCH = 20;

interface Round {
  id: number;
  /** When its answers came back (clock time); undefined while in flight. */
  answeredAt?: number;
  answers: Promise<Map<string, Service | AwsCallError>>;
}

interface PendingDeployments {
  arns: Set<string>;
  answer: Promise<DescribedServiceDeployments>;
}

export interface SharedPollerOptions {
  clock: Clock;
  /** The step's cancel: a round is abandoned with it (each follower's own signal abandons its wait). */
  signal?: AbortSignal;
}

const keyOf = (cluster: string, service: string): string => `${cluster}\n${service}`;

/** One turn of the event loop: callers of the same moment join one batch. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SharedPoller {
  /** The ECS port the followers are given: the batched calls here, every other call passed through. */
  readonly port: EcsPort;
  private readonly followed = new Map<string, { cluster: string; service: string }>();
  private readonly lastServed = new Map<string, number>();
  private readonly latest = new Map<string, Service>();
  private round?: Round;
  private rounds = 0;
  private pendingDeployments?: PendingDeployments;

  constructor(
    private readonly ecs: EcsPort,
    private readonly options: SharedPollerOptions,
  ) {
    const overrides: Partial<EcsPort> = {
      describeService: (cluster, service, o) => this.describeService(cluster, service, o),
      describeServiceDeployments: (arns) => this.describeServiceDeployments(arns),
      listServiceDeployments: (query, o) => this.listServiceDeployments(query, o),
    };
    // A Proxy rather than a class: every other (and any future) port method passes through as is.
    this.port = new Proxy(ecs, {
      get: (target, prop, receiver) => {
        if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof EcsPort];
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** A service whose follower is running: every round describes it. */
  track(cluster: string, service: string): void {
    this.followed.set(keyOf(cluster, service), { cluster, service });
  }

  /** Its follower is done: later rounds leave it out. */
  untrack(cluster: string, service: string): void {
    const key = keyOf(cluster, service);
    this.followed.delete(key);
    // What was seen of it is stale from now on: a later follower of it must not be answered by it.
    this.latest.delete(key);
  }

  /** The service as the last round showed it. */
  lastSeen(cluster: string, service: string): Service | undefined {
    return this.latest.get(keyOf(cluster, service));
  }

  /** How many DescribeServices rounds were made (each one call per ten services). */
  get roundCount(): number {
    return this.rounds;
  }

  private async describeService(cluster: string, service: string, _o?: CallOptions): Promise<Service> {
    const key = keyOf(cluster, service);
    if (!this.followed.has(key)) this.track(cluster, service);
    const round = this.roundFor(key);
    this.lastServed.set(key, round.id);
    const answer = (await round.answers).get(key);
    if (answer instanceof AwsCallError) throw answer;
    // Not in the round (tracked after it was sent): ask on its own.
    return answer ?? this.ecs.describeService(cluster, service, { signal: this.options.signal });
  }

  /** The current round when it is newer than the asker's last answer and fresh enough; else a new one. */
  private roundFor(key: string): Round {
    const r = this.round;
    const served = this.lastServed.get(key) ?? 0;
    if (r && r.id > served) {
      const now = this.options.clock.now();
      if (r.answeredAt === undefined || now - r.answeredAt <= SHARED_ANSWER_MS) return r;
    }
    return this.startRound();
  }

  private startRound(): Round {
    const round: Round = { id: ++this.rounds, answers: Promise.resolve(new Map()) };
    round.answers = this.describeAll().then(
      (answers) => {
        round.answeredAt = this.options.clock.now();
        return answers;
      },
      (err: unknown) => {
        round.answeredAt = this.options.clock.now();
        throw err;
      },
    );
    // A failed round is each asker's to handle; none is left unobserved.
    round.answers.catch(() => undefined);
    this.round = round;
    return round;
  }

  /** Every followed service, one DescribeServices call per cluster and ten services. */
  private async describeAll(): Promise<Map<string, Service | AwsCallError>> {
    await nextTurn();
    const byCluster = new Map<string, string[]>();
    for (const { cluster, service } of this.followed.values()) {
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), service]);
    }
    const answers = new Map<string, Service | AwsCallError>();
    const signal = this.options.signal;
    await Promise.all(
      [...byCluster].map(async ([cluster, names]) => {
        const out = await this.ecs.describeServices(cluster, names, { signal });
        for (const name of names) {
          const answer = pick(out, cluster, name);
          answers.set(keyOf(cluster, name), answer);
          if (!(answer instanceof AwsCallError)) this.latest.set(keyOf(cluster, name), answer);
        }
      }),
    );
    return answers;
  }

  /** Asked for in the same turn: one call (twenty ARNs each); each asker gets its own records. */
  private async describeServiceDeployments(arns: string[]): Promise<DescribedServiceDeployments> {
    let pending = this.pendingDeployments;
    if (!pending) {
      const batch: PendingDeployments = { arns: new Set(), answer: Promise.resolve(emptyDeployments()) };
      batch.answer = nextTurn().then(() => {
        this.pendingDeployments = undefined;
        return this.describeDeployments([...batch.arns]);
      });
      batch.answer.catch(() => undefined);
      pending = this.pendingDeployments = batch;
    }
    for (const arn of arns) pending.arns.add(arn);
    const all = await pending.answer;
    const mine = new Set(arns);
    return {
      serviceDeployments: all.serviceDeployments.filter((sd) => mine.has(sd.serviceDeploymentArn ?? '')),
      failures: all.failures.filter((f) => mine.has(f.arn ?? '')),
    };
  }

  private async describeDeployments(arns: string[]): Promise<DescribedServiceDeployments> {
    const out = emptyDeployments();
    for (let i = 0; i < arns.length; i += SERVICE_DEPLOYMENTS_BATCH) {
      const part = await this.ecs.describeServiceDeployments(arns.slice(i, i + SERVICE_DEPLOYMENTS_BATCH), {
        signal: this.options.signal,
      });
      out.serviceDeployments.push(...part.serviceDeployments);
      out.failures.push(...part.failures);
    }
    return out;
  }

  /**
   * While DescribeServices names the service's currentServiceDeployment, no list is needed: the
   * follower falls back to it (findServiceDeploymentArn) and checks that it is its deployment's.
   */
  private listServiceDeployments(
    query: ListServiceDeploymentsQuery,
    options?: CallOptions,
  ): Promise<ServiceDeploymentBrief[]> {
    if (this.lastSeen(query.cluster, query.service)?.currentServiceDeployment) return Promise.resolve([]);
    return this.ecs.listServiceDeployments(query, options);
  }
}

function emptyDeployments(): DescribedServiceDeployments {
  return { serviceDeployments: [], failures: [] };
}

/** One service of a batch answer; a missing or inactive one is the error `describeService` gives. */
function pick(out: DescribedServices, cluster: string, name: string): Service | AwsCallError {
  const matches = (s: { serviceName?: string; serviceArn?: string }): boolean =>
    s.serviceName === name || s.serviceArn === name || (s.serviceArn ?? '').endsWith(`/${name}`);
  const found = out.services.find(matches);
  if (!found) {
    const failure = out.failures.find((f) => (f.arn ?? '').endsWith(`/${name}`) || f.arn === name);
    const reason = failure?.reason ?? 'MISSING';
    return new AwsCallError(
      reason === 'MISSING'
        ? `Service '${name}' was not found in cluster '${cluster}'. Check the service and cluster inputs (and the region).`
        : `DescribeServices could not describe service '${name}' in cluster '${cluster}': ${reason}.`,
      { kind: 'other', operation: 'DescribeServices' },
    );
  }
  if (found.status !== 'ACTIVE') {
    return new AwsCallError(
      `Service '${name}' in cluster '${cluster}' is ${found.status ?? 'not ACTIVE'}: it is being deleted or was deleted, and cannot be deployed to.`,
      { kind: 'other', operation: 'DescribeServices' },
    );
  }
  return found;
}
