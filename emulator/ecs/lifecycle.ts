// The lifecycle stages of one BLUE_GREEN, LINEAR or CANARY service deployment, in ECS's order,
// as a list of phases the engine (traffic-shift.ts) walks through (docs/ecs-behaviour.md,
// "Lifecycle stages"). Pure: the plan depends only on the configuration.
import type { DeploymentConfiguration, ServiceDeploymentLifecycleStage } from '@aws-sdk/client-ecs';

import { DEFAULTS, type ShiftStrategy } from './strategy-config.js';

/**
 * What ServiceDeployment.lifecycleStage reports: only the SDK's ServiceDeploymentLifecycleStage
 * values. PRE_PRODUCTION_TRAFFIC_SHIFT is a hook stage only (the hook enum has it, the stage enum
 * does not): its hooks run while the deployment reports PRODUCTION_TRAFFIC_SHIFT, the stage they
 * run "before every traffic shift step" of, with the weights not yet changed.
 */
export type LifecycleStage = ServiceDeploymentLifecycleStage;

export interface Phase {
  /** The stage reported while the phase runs. */
  stage: LifecycleStage;
  /** Hooks configured for this stage run when the phase starts. */
  hookStage?: string;
  /** The phase lasts at least this long (a traffic shift, a bake). */
  minMs: number;
  /** The green revision must be at its desired count and healthy (SCALE_UP). */
  waitForGreen?: boolean;
  /** The blue revision is scaled down and must be gone (CLEAN_UP). */
  cleanUp?: boolean;
  /** Requested weights (percent) for green, set when the phase starts. */
  testWeight?: number;
  productionWeight?: number;
}

const MINUTE = 60_000;

/** The production weights of green after each shift step: the last one is always 100. */
export function productionSteps(strategy: ShiftStrategy, cfg: DeploymentConfiguration): number[] {
  if (strategy === 'CANARY') {
    const p = cfg.canaryConfiguration?.canaryPercent ?? DEFAULTS.canaryPercent;
    return p >= 100 ? [100] : [p, 100];
  }
  if (strategy === 'LINEAR') {
    const step = cfg.linearConfiguration?.stepPercent ?? DEFAULTS.linearStepPercent;
    const out: number[] = [];
    // Tenths as integers, so 3 x 33.3 does not come out as 99.89999.
    const stepTenths = Math.round(step * 10);
    for (let w = stepTenths; w < 1000; w += stepTenths) out.push(w / 10);
    out.push(100);
    return out;
  }
  return [100];
}

/** The wait after a production step that did not reach 100% (canary bake, linear step bake). */
export function stepBakeMs(strategy: ShiftStrategy, cfg: DeploymentConfiguration): number {
  if (strategy === 'CANARY') {
    return (cfg.canaryConfiguration?.canaryBakeTimeInMinutes ?? DEFAULTS.canaryBakeTimeInMinutes) * MINUTE;
  }
  if (strategy === 'LINEAR') {
    return (cfg.linearConfiguration?.stepBakeTimeInMinutes ?? DEFAULTS.linearStepBakeTimeInMinutes) * MINUTE;
  }
  return 0;
}

export interface PlanOptions {
  strategy: ShiftStrategy;
  cfg: DeploymentConfiguration;
  /** More than one revision was ACTIVE when the deployment started: RECONCILE_SERVICE comes first. */
  reconcile: boolean;
  /** How long a stage without its own duration takes (a traffic shift, a hook stage). */
  stageMs: number;
}

/** Every phase of the deployment, first to last. */
export function planPhases(o: PlanOptions): Phase[] {
  const { stageMs } = o;
  const hold = (stage: LifecycleStage, extra: Partial<Phase> = {}): Phase => ({
    stage,
    hookStage: stage,
    minMs: stageMs,
    ...extra,
  });
  const phases: Phase[] = [];
  if (o.reconcile) phases.push(hold('RECONCILE_SERVICE'));
  phases.push(hold('PRE_SCALE_UP'));
  // SCALE_UP and CLEAN_UP last at least the stage time too, so a follower polling every few
  // seconds sees every stage (a healthy scale-up and a drain take less at the e2e speed).
  phases.push({ stage: 'SCALE_UP', minMs: stageMs, waitForGreen: true });
  phases.push(hold('POST_SCALE_UP'));
  phases.push(hold('TEST_TRAFFIC_SHIFT', { testWeight: 100 }));
  phases.push(hold('POST_TEST_TRAFFIC_SHIFT'));
  const steps = productionSteps(o.strategy, o.cfg);
  const bake = stepBakeMs(o.strategy, o.cfg);
  steps.forEach((weight) => {
    // Every step runs its PRE_PRODUCTION_TRAFFIC_SHIFT hooks first ("before every traffic shift
    // step"), reported as PRODUCTION_TRAFFIC_SHIFT with the weights of the step before; it lasts
    // as long as its hooks take.
    phases.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', hookStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', minMs: 0 });
    phases.push(hold('PRODUCTION_TRAFFIC_SHIFT', { productionWeight: weight }));
    if (weight < 100 && bake > 0) phases.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', minMs: bake });
  });
  phases.push(hold('POST_PRODUCTION_TRAFFIC_SHIFT'));
  phases.push({ stage: 'BAKE_TIME', minMs: (o.cfg.bakeTimeInMinutes ?? 0) * MINUTE });
  phases.push({ stage: 'CLEAN_UP', minMs: stageMs, cleanUp: true });
  return phases;
}
