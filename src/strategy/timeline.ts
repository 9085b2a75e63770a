// What a staged deployment did, built from the service deployment as the follower sees it poll by
// poll: the lifecycle stages with when each began and ended, the traffic split ECS reports on the
// revisions, the hooks' results, the alarms. It returns the log lines to print for each new look
// (a line per stage change, traffic change, hook change, and the time left in a bake); it never
// prints, so it is tested with plain objects (docs/ecs-behaviour.md, "Blue/green, linear and
// canary deployments").

import type {
  DeploymentLifecycleHookDetail,
  ServiceDeployment,
  ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import type { HookResult, StagedProgress, StageSpan } from '../rollout/types.js';

/** `ecs-svc/…` revision ARN → its last part, as people name revisions in the log. */
export function revisionName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : '?';
}

/** `PAUSE`, or the Lambda function's name out of its ARN. */
export function hookTarget(hook: DeploymentLifecycleHookDetail): string {
  if (hook.targetType === 'PAUSE' || !hook.targetArn) return hook.targetType ?? 'PAUSE';
  const arn = hook.targetArn;
  const fn = /:function:([^:]+)/.exec(arn)?.[1];
  return fn ?? arn.slice(arn.lastIndexOf(':') + 1);
}

const pct = (n: number) => `${Math.round(n * 10) / 10}%`;

/** `production 10% green / 90% blue; test 100% green`: where ECS reports weights, else undefined. */
export function trafficText(sd: ServiceDeployment): string | undefined {
  const green = sd.targetServiceRevision;
  const blue = sd.sourceServiceRevisions ?? [];
  const split = (weight: (r: ServiceRevisionSummary) => number | undefined, name: string) => {
    const g = green ? weight(green) : undefined;
    if (g === undefined) return undefined;
    const b = blue.reduce((sum, r) => sum + (weight(r) ?? 0), 0);
    return `${name} ${pct(g)} green / ${pct(b)} blue`;
  };
  const parts = [
    split((r) => r.requestedProductionTrafficWeight, 'production'),
    split((r) => r.requestedTestTrafficWeight, 'test'),
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join('; ') : undefined;
}

export class StageTimeline {
  private readonly spans: StageSpan[] = [];
  private readonly hooks = new Map<string, HookResult>();
  private last?: ServiceDeployment;
  /** Whole minutes left in the bake, as last printed. */
  private bakeLeftPrinted?: number;

  constructor(private readonly serviceName: string) {}

  /** Takes one look at the service deployment; returns the log lines it calls for. */
  observe(sd: ServiceDeployment, now: Date): string[] {
    const lines: string[] = [];
    const prefix = `${this.serviceName}:`;
    const stage = sd.lifecycleStage;
    const traffic = trafficText(sd);
    const open = this.spans.at(-1);
    if (stage && stage !== open?.stage) {
      if (open) open.endedAt = now;
      this.spans.push({ stage, startedAt: now, ...(traffic ? { traffic } : {}) });
      lines.push(`${prefix} stage ${stage}${traffic ? ` (${traffic})` : ''}.`);
      this.bakeLeftPrinted = undefined;
    } else if (open && traffic && traffic !== open.traffic) {
      open.traffic = traffic;
      lines.push(`${prefix} ${stage ?? 'traffic'}: ${traffic}.`);
    }
    lines.push(...this.hookLines(sd, prefix));
    const bake = this.bakeLine(sd, now);
    if (bake) lines.push(`${prefix} ${bake}`);
    const before = this.last;
    if (!before || before.status !== sd.status || before.statusReason !== sd.statusReason) {
      lines.push(
        `${prefix} service deployment ${sd.status ?? '?'}${sd.statusReason ? `: ${sd.statusReason}` : ''}`,
      );
    }
    const newAlarms = (sd.alarms?.triggeredAlarmNames ?? []).filter(
      (a) => !(before?.alarms?.triggeredAlarmNames ?? []).includes(a),
    );
    if (newAlarms.length) lines.push(`${prefix} alarm ${newAlarms.join(', ')} in ALARM.`);
    this.last = sd;
    return lines;
  }

  /** The deployment's end: the open stage is closed. */
  close(now: Date, ended: boolean): void {
    const open = this.spans.at(-1);
    if (ended && open && !open.endedAt) open.endedAt = now;
  }

  get latest(): ServiceDeployment | undefined {
    return this.last;
  }

  /** The stage the deployment was in before a rollback began (the last one seen). */
  get stage(): string | undefined {
    return this.spans.at(-1)?.stage ?? this.last?.lifecycleStage;
  }

  progress(pausedHookId?: string): StagedProgress {
    const sd = this.last;
    return {
      strategy: sd?.deploymentConfiguration?.strategy,
      serviceDeploymentArn: sd?.serviceDeploymentArn,
      status: sd?.status,
      stage: sd?.lifecycleStage,
      stages: this.spans.map((s) => ({ ...s })),
      blue: (sd?.sourceServiceRevisions ?? []).map((r) => r.arn ?? '').filter((a) => a !== ''),
      ...(sd?.targetServiceRevision?.arn ? { green: sd.targetServiceRevision.arn } : {}),
      hooks: [...this.hooks.values()],
      ...(pausedHookId ? { pausedHookId } : {}),
      triggeredAlarms: sd?.alarms?.triggeredAlarmNames ?? [],
    };
  }

  private hookLines(sd: ServiceDeployment, prefix: string): string[] {
    const lines: string[] = [];
    for (const hook of sd.lifecycleHookDetails ?? []) {
      const key = hook.hookId ?? `${hookTarget(hook)}@${sd.lifecycleStage ?? ''}`;
      const seen = this.hooks.get(key);
      const status = hook.status ?? 'IN_PROGRESS';
      if (seen?.status === status) continue;
      const result: HookResult = {
        ...(hook.hookId ? { hookId: hook.hookId } : {}),
        target: hookTarget(hook),
        stage: seen?.stage ?? sd.lifecycleStage,
        status,
      };
      this.hooks.set(key, result);
      const reason = (hook as { reason?: string }).reason;
      const what = hook.targetType === 'PAUSE' ? 'PAUSE hook' : `hook ${result.target}`;
      lines.push(
        `${prefix} ${what} at ${result.stage ?? 'an unknown stage'}: ${status}${reason ? ` (${reason})` : ''}${status === 'AWAITING_ACTION' && hook.hookId ? `, hook id ${hook.hookId}` : ''}.`,
      );
    }
    return lines;
  }

  /** `BAKE_TIME: 4 minute(s) left.`, at the bake's start and then once a minute. */
  private bakeLine(sd: ServiceDeployment, now: Date): string | undefined {
    const open = this.spans.at(-1);
    if (sd.lifecycleStage !== 'BAKE_TIME' || !open) return undefined;
    const minutes = sd.deploymentConfiguration?.bakeTimeInMinutes;
    if (minutes === undefined) return undefined;
    const leftMs = minutes * 60_000 - (now.getTime() - open.startedAt.getTime());
    const left = Math.max(0, Math.ceil(leftMs / 60_000));
    if (left === this.bakeLeftPrinted) return undefined;
    this.bakeLeftPrinted = left;
    return `BAKE_TIME: ${left} minute(s) left of ${minutes}.`;
  }
}
