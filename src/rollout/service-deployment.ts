// The followed deployment's ServiceDeployment (ListServiceDeployments to find its ARN, then
// DescribeServiceDeployments): extra information beside DescribeServices, looked at when it may add
// something and only within the request budget. Any trouble with it (no such API, no permission,
// no record) makes the follower go on with DescribeServices alone; only expired or invalid
// credentials, which would stop DescribeServices too, end the step.

import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { toAwsCallError, withSessionHint } from '../aws/errors.js';
import { ABORTED, unlessAborted } from './clock.js';
import { findServiceDeploymentArn } from './deploy.js';
import { serviceDeploymentIsOurs } from './deployment-facts.js';
import type { FollowSession } from './session.js';

/** Without a change in DescribeServices, look at the service deployment after this many polls (or as soon as there is budget after). */
const SERVICE_DEPLOYMENT_EVERY = 4;
/** ListServiceDeployments may not list a new deployment at once; give up after this many looks. */
const MAX_SERVICE_DEPLOYMENT_LOOKUPS = 5;

export class ServiceDeploymentTracker {
  /** The last look at the followed deployment's ServiceDeployment (checked to be its own). */
  last?: ServiceDeployment;
  arn?: string;
  private on: boolean;
  private lookups = 0;
  /** The poll after which the service deployment was last looked at. */
  private lookedAtPoll = -Infinity;

  constructor(private readonly s: FollowSession) {
    this.on = s.options.serviceDeployments !== false;
    this.arn = s.target.serviceDeploymentArn;
  }

  /** Starts over for another followed deployment. */
  reset(): void {
    this.on = this.s.options.serviceDeployments !== false;
    this.arn = this.s.target.serviceDeploymentArn;
    this.last = undefined;
    this.lookups = 0;
    this.lookedAtPoll = -Infinity;
  }

  /** After a successful StopServiceDeployment: that ARN is the followed deployment's. */
  adopt(arn: string): void {
    this.arn = arn;
    this.on = this.s.options.serviceDeployments !== false;
  }

  /** Whether the last look is the followed deployment's own record. */
  get verified(): boolean {
    return serviceDeploymentIsOurs(this.last, this.s.target.deploymentId);
  }

  /**
   * Looks at the ServiceDeployment when it may add something: when DescribeServices changed, and
   * every few polls otherwise. Says whether there is a new look.
   */
  async refresh(changed: boolean): Promise<boolean> {
    const { s } = this;
    if (!this.on) return false;
    if (!changed && s.budget.polls - this.lookedAtPoll < SERVICE_DEPLOYMENT_EVERY) return false;
    if (!(await this.ensureArn())) return false;
    const arn = this.arn;
    if (!arn || !s.budget.takeOptionalSlot(s.clock.now())) return false;
    this.lookedAtPoll = s.budget.polls;
    let sd: ServiceDeployment | undefined | typeof ABORTED;
    try {
      sd = await unlessAborted(this.describe(arn), s.callSignal);
    } catch (err) {
      this.onError(err, 'DescribeServiceDeployments');
      return false;
    }
    if (sd === ABORTED) return false;
    if (!sd) {
      this.stopUsing(`ECS has no service deployment record ${arn}`);
      return false;
    }
    if (!serviceDeploymentIsOurs(sd, s.target.deploymentId)) {
      // A fallback ARN (the service's current deployment) that turned out to be another one.
      this.arn = undefined;
      return false;
    }
    const before = this.last;
    if (!before || `${sd.status}|${sd.statusReason}` !== `${before.status}|${before.statusReason}`) {
      s.log.info(
        `${s.target.serviceName}: service deployment ${sd.status}${sd.statusReason ? `: ${sd.statusReason}` : ''}`,
      );
    }
    this.last = sd;
    return true;
  }

  /** DescribeServiceDeployments for one ARN; undefined when ECS has no record of it (MISSING). */
  describe(arn: string, signal = this.s.callSignal): Promise<ServiceDeployment | undefined> {
    return this.s.ecs.describeServiceDeployments([arn], { signal }).then((out) => out.serviceDeployments[0]);
  }

  /** The followed deployment's ServiceDeployment ARN from ListServiceDeployments, or the service's current one. */
  find(signal = this.s.callSignal): Promise<string | undefined> {
    const { s } = this;
    return findServiceDeploymentArn(
      s.ecs,
      {
        cluster: s.cluster,
        service: s.target.serviceName,
        deploymentId: s.target.deploymentId,
        startedAt: s.target.startedAt,
        fallback: s.lastService?.currentServiceDeployment,
      },
      { signal },
    );
  }

  /** Finds the ARN when not known yet; false while it is not (yet) found. */
  private async ensureArn(): Promise<boolean> {
    const { s } = this;
    if (this.arn) return true;
    if (this.lookups >= MAX_SERVICE_DEPLOYMENT_LOOKUPS) {
      this.stopUsing(`no service deployment of ${s.target.deploymentId} was found`);
      return false;
    }
    if (!s.budget.takeOptionalSlot(s.clock.now())) return false;
    this.lookups++;
    try {
      const found = await unlessAborted(this.find(), s.callSignal);
      this.arn = found === ABORTED ? undefined : found;
    } catch (err) {
      this.onError(err, 'ListServiceDeployments');
      return false;
    }
    return this.arn !== undefined;
  }

  private stopUsing(why: string): void {
    this.on = false;
    this.s.log.info(`${this.s.target.serviceName}: ${why}; following with DescribeServices alone.`);
  }

  /** The service deployment is extra information: only what also stops DescribeServices ends the step. */
  private onError(err: unknown, operation: string): void {
    const e = toAwsCallError(err, operation);
    if (e.kind === 'retryable') {
      this.s.log.warning(`${e.message} Polling again.`);
      return;
    }
    if (e.kind.startsWith('credentials')) throw withSessionHint(e, this.s.options.waitForMinutes);
    this.stopUsing(e.message.replace(/\.$/, ''));
  }
}
