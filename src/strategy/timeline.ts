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
import { LIFECYCLE_STAGES } from '../inputs/parse-strategy.js';
import { deploymentIdOfRevision } from '../rollout/deployment-facts.js';
import type { HookResult, StagedProgress, StageSpan } from '../rollout/types.js';

/** Index in ECS's stage order; unknown stages sort last, so they never count as "before". */
export function stageIndex(stage: string | undefined): number {
  const i = (LIFECYCLE_STAGES as readonly string[]).indexOf(stage ?? '');
  return i < 0 ? LIFECYCLE_STAGES.length : i;
}

/** Whether a hook detail and a configured hook (or another detail) have the same target. */
function sameTarget(hook: DeploymentLifecycleHookDetail, type?: string, arn?: string): boolean {
  return hook.targetType === 'PAUSE' ? type === 'PAUSE' : !!arn && arn === hook.targetArn;
}

/**
 * The stage a hook belongs to, by order: the configured stages of its target (the deployment's
 * lifecycleHooks, the same Lambda ARN, or PAUSE) in ECS's stage order are run one after another,
 * each starting its hook as the stage starts, so the hook details of that target map onto them in
 * turn. The last detail belongs to the last configured stage the deployment has reached (ECS may
 * list only the active hooks; PRE_PRODUCTION_TRAFFIC_SHIFT is never reported as a stage:
 * docs/ecs-behaviour.md, "Lifecycle stages"); when more details are listed than stages reached,
 * they count from the first. Without a configuration, the stage seen. See docs/ecs-behaviour.md,
 * "What a follower of a staged deployment relies on".
 */
export function configuredStage(
  sd: ServiceDeployment,
  hook: DeploymentLifecycleHookDetail,
  seenAt: string | undefined,
): string | undefined {
  const stages = (sd.deploymentConfiguration?.lifecycleHooks ?? [])
    .filter((h) => sameTarget(hook, h.targetType, h.hookTargetArn))
    .flatMap((h): string[] => h.lifecycleStages ?? [])
    .sort((a, b) => stageIndex(a) - stageIndex(b));
  if (stages.length === 0) return seenAt;
  const details = (sd.lifecycleHookDetails ?? []).filter((h) => sameTarget(hook, h.targetType, h.targetArn));
  let n = details.findIndex((h) => h === hook || (!!hook.hookId && h.hookId === hook.hookId));
  if (n < 0) n = details.length;
  const listed = Math.max(details.length, n + 1);
  const reached = stages.filter((s) => stageIndex(s) <= stageIndex(seenAt)).length;
  const i = listed <= reached ? reached - listed + n : n;
  return stages[Math.min(i, stages.length - 1)];
}

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

/** Statuses of a rollback: its traffic split goes in a row of its own. */
const ROLLING_BACK = new Set([
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);

export class StageTimeline {
  private readonly spans: StageSpan[] = [];
  private readonly hooks = new Map<string, HookResult>();
  private last?: ServiceDeployment;
  /** Whole minutes left in the bake, as last printed. */
  private bakeLeftPrinted?: number;
  /** Green's production weight at the last look. */
  private production?: number;
  /** Whether the rollback's row was opened (once a rollback began). */
  private rollbackRow = false;

  constructor(private readonly serviceName: string) {}

  /** Takes one look at the service deployment; returns the log lines it calls for. */
  observe(sd: ServiceDeployment, now: Date): string[] {
    const lines: string[] = [];
    const prefix = `${this.serviceName}:`;
    const production = sd.targetServiceRevision?.requestedProductionTrafficWeight;
    lines.push(...this.spanLines(sd, now, production));
    this.production = production;
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

  /**
   * A row per stage (and per canary or linear step), with the traffic split seen in it. Once a
   * rollback begins its split goes in a row of its own (`rollback: …`), so the row before keeps
   * the traffic seen then (a bake's, say).
   */
  private spanLines(sd: ServiceDeployment, now: Date, production: number | undefined): string[] {
    const prefix = `${this.serviceName}:`;
    const stage = sd.lifecycleStage;
    const open = this.spans.at(-1);
    const rollingBack = ROLLING_BACK.has(sd.status ?? '');
    const split = trafficText(sd);
    const traffic = split && rollingBack ? `rollback: ${split}` : split;
    const rollbackBegins = rollingBack && !this.rollbackRow;
    if (rollingBack) this.rollbackRow = true;
    if (stage && (stage !== open?.stage || this.isNextStep(sd, production))) {
      if (open) open.endedAt = now;
      this.spans.push({ stage, startedAt: now, ...(traffic ? { traffic } : {}) });
      this.bakeLeftPrinted = undefined;
      return [`${prefix} stage ${stage}${traffic ? ` (${traffic})` : ''}.`];
    }
    if (!open || !traffic || traffic === open.traffic) return [];
    if (rollbackBegins) {
      open.endedAt = now;
      this.spans.push({ stage: open.stage, startedAt: now, traffic });
    } else {
      open.traffic = traffic;
    }
    return [`${prefix} ${stage ?? open.stage}: ${traffic}.`];
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

  /** What the summary shows; `taskDefinitions` by deployment id names blue and green. */
  progress(pausedHookId?: string, taskDefinitions: Record<string, string> = {}): StagedProgress {
    const sd = this.last;
    const revisions = [
      ...(sd?.sourceServiceRevisions ?? []),
      ...(sd?.targetServiceRevision ? [sd.targetServiceRevision] : []),
    ];
    const named = revisions.flatMap((r) => {
      const td = taskDefinitions[deploymentIdOfRevision(r.arn) ?? ''];
      return r.arn && td ? [[r.arn, td] as const] : [];
    });
    return {
      strategy: sd?.deploymentConfiguration?.strategy,
      serviceDeploymentArn: sd?.serviceDeploymentArn,
      status: sd?.status,
      stage: sd?.lifecycleStage,
      stages: this.spans.map((s) => ({ ...s })),
      blue: (sd?.sourceServiceRevisions ?? []).map((r) => r.arn ?? '').filter((a) => a !== ''),
      ...(sd?.targetServiceRevision?.arn ? { green: sd.targetServiceRevision.arn } : {}),
      ...(named.length ? { taskDefinitions: Object.fromEntries(named) } : {}),
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
        stage: seen?.stage ?? configuredStage(sd, hook, sd.lifecycleStage),
        status,
      };
      this.hooks.set(key, result);
      const what = hook.targetType === 'PAUSE' ? 'PAUSE hook' : `hook ${result.target}`;
      lines.push(
        `${prefix} ${what} at ${result.stage ?? 'an unknown stage'}: ${status}${status === 'AWAITING_ACTION' && hook.hookId ? `, hook id ${hook.hookId}` : ''}.`,
      );
    }
    return lines;
  }

  /**
   * A linear or canary step: still in PRODUCTION_TRAFFIC_SHIFT, green's production weight went up
   * from a share it already had. Each step gets a row of its own with its split; the first shift
   * (from 0) and a fall (a rollback) change the open row instead.
   */
  private isNextStep(sd: ServiceDeployment, production: number | undefined): boolean {
    const open = this.spans.at(-1);
    const strategy = sd.deploymentConfiguration?.strategy;
    return (
      (strategy === 'CANARY' || strategy === 'LINEAR') &&
      open?.stage === 'PRODUCTION_TRAFFIC_SHIFT' &&
      production !== undefined &&
      this.production !== undefined &&
      this.production > 0 &&
      production > this.production
    );
  }

  /**
   * `BAKE_TIME: 4 minute(s) left of 10.`, or during a canary or linear step
   * `PRODUCTION_TRAFFIC_SHIFT: canary bake about 4 minute(s) left of 5.`, at the bake's start and
   * then once a minute. A step's bake is counted from when its split was first seen.
   */
  private bakeLine(sd: ServiceDeployment, now: Date): string | undefined {
    const open = this.spans.at(-1);
    const bake = open && sd.lifecycleStage === open.stage ? bakeOf(sd) : undefined;
    if (!open || !bake) return undefined;
    const leftMs = bake.minutes * 60_000 - (now.getTime() - open.startedAt.getTime());
    const left = Math.max(0, Math.ceil(leftMs / 60_000));
    if (left === this.bakeLeftPrinted) return undefined;
    this.bakeLeftPrinted = left;
    return `${open.stage}: ${bake.label}${left} minute(s) left of ${bake.minutes}.`;
  }
}

/** The API's defaults for the step bakes (SDK model documentation), when ECS reports none. */
const DEFAULT_CANARY_BAKE_MINUTES = 10;
const DEFAULT_LINEAR_STEP_BAKE_MINUTES = 6;

/** The bake the deployment is in: BAKE_TIME, or a canary / linear step below 100% production. */
function bakeOf(sd: ServiceDeployment): { label: string; minutes: number } | undefined {
  const cfg = sd.deploymentConfiguration;
  if (sd.lifecycleStage === 'BAKE_TIME') {
    return cfg?.bakeTimeInMinutes !== undefined ? { label: '', minutes: cfg.bakeTimeInMinutes } : undefined;
  }
  const weight = sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
  if (sd.lifecycleStage !== 'PRODUCTION_TRAFFIC_SHIFT' || weight <= 0 || weight >= 100) return undefined;
  if (cfg?.strategy === 'CANARY') {
    const minutes = cfg.canaryConfiguration?.canaryBakeTimeInMinutes ?? DEFAULT_CANARY_BAKE_MINUTES;
    return { label: 'canary bake about ', minutes };
  }
  if (cfg?.strategy === 'LINEAR') {
    const minutes = cfg.linearConfiguration?.stepBakeTimeInMinutes ?? DEFAULT_LINEAR_STEP_BAKE_MINUTES;
    return { label: 'linear step bake about ', minutes };
  }
  return undefined;
}
