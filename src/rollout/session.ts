// What following one deployment takes in (the ports, a clock, a log, the target and the options)
// and the state its parts share while it runs: the request budget, the printer, the health of the
// polls, and which deployment is followed now.

import type { Service } from '@aws-sdk/client-ecs';
import type { EcsPort } from '../aws/ports.js';
import type { OnTimeout } from '../lib/request.js';
import { PollBudget } from './budget.js';
import type { Clock } from '../lib/clock.js';
import type { OurDeployment } from './deployment-facts.js';
import { PollHealth } from './poll-health.js';
import { ProgressPrinter, type ProgressLog } from './progress.js';

export type FollowLog = ProgressLog;

/** How the follower reaches the world: the ECS port, a clock and a log; nothing else. */
export interface FollowDeps {
  ecs: EcsPort;
  clock: Clock;
  log: FollowLog;
}

export interface FollowTarget extends OurDeployment {
  /** The cluster of the service; ECS's `default` cluster when left out. */
  cluster?: string;
  /** The service's name or ARN, as given to DescribeServices. */
  serviceName: string;
  /** Service events older than this are history, not news. */
  startedAt: Date;
}

export interface FollowOptions {
  /** A hard bound on following: every call still in flight at the deadline is abandoned. */
  waitForMinutes: number;
  onTimeout: OnTimeout;
  /** Cancellation (SIGINT/SIGTERM): the follow returns within moments, whatever is in flight. */
  signal?: AbortSignal;
  /** After an on-timeout rollback request, how long to follow the rollback. Default 10. */
  rollbackWaitMinutes?: number;
  /**
   * Whether to also look at the ServiceDeployment (ListServiceDeployments,
   * DescribeServiceDeployments). Default true; false follows with DescribeServices alone.
   */
  serviceDeployments?: boolean;
}

export const DEFAULT_CLUSTER = 'default';

export class FollowSession {
  readonly budget = new PollBudget();
  readonly health = new PollHealth();
  readonly printer: ProgressPrinter;
  readonly cluster: string;
  /** The deployment followed now: ours, or an identical one another run replaced it with. */
  target: FollowTarget;
  /** The service as the last DescribeServices that answered showed it. */
  lastService?: Service;
  /** What every AWS call of the current phase is given: aborts at its deadline or on cancel. */
  callSignal?: AbortSignal;

  constructor(
    readonly deps: FollowDeps,
    readonly ours: FollowTarget,
    readonly options: FollowOptions,
  ) {
    this.target = ours;
    this.cluster = ours.cluster ?? DEFAULT_CLUSTER;
    this.printer = new ProgressPrinter(deps.log);
  }

  get ecs(): EcsPort {
    return this.deps.ecs;
  }
  get log(): FollowLog {
    return this.deps.log;
  }
  get clock(): Clock {
    return this.deps.clock;
  }
  /** Whether the workflow cancelled the step. */
  get cancelled(): boolean {
    return this.options.signal?.aborted ?? false;
  }
  /** Whether the deployment followed now is another run's (ours was replaced by an identical one). */
  get followingAnother(): boolean {
    return this.target !== this.ours;
  }
}
