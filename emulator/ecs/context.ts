// The state every part of the ECS model shares, and the one way to make something happen later:
// `schedule`, which the engine (model.ts) runs in time order.
import type { LogSink } from '../core.js';
import type { ImageTagResolver } from './behaviours.js';
import type { Arns, Ids } from './ids.js';
import type { ClusterRec, ServiceDeploymentRec, ServiceRec, ServiceRevisionRec, TaskRec } from './state.js';
import type { TaskDefinitionStore } from './taskdefs.js';

export type TaskStep = 'provisioned' | 'started' | 'healthy' | 'exit' | 'unhealthy' | 'stopped';

export type SimStep =
  { kind: 'task'; arn: string; token: number; step: TaskStep } | { kind: 'reconcile'; service: string };

export interface ModelSettings {
  /** Whether `:crash` / `:oom` exits count toward the circuit breaker (docs/ecs-behaviour.md, "The two stages"). */
  crashCountsAsFailure: boolean;
  resolveImageTag?: ImageTagResolver;
  /** How long a blue/green lifecycle stage without its own duration lasts (default SHIFT_STAGE_MS). */
  shiftStageMs?: number;
}

export interface Ctx {
  /** The simulation's current time (epoch ms): the step being run, or the clock after advance(). */
  now(): number;
  random: () => number;
  ids: Ids;
  arns: Arns;
  region: string;
  accountId: string;
  settings: ModelSettings;
  logSink?: LogSink;
  clusters: Map<string, ClusterRec>;
  /** Keyed by `cluster/service`. */
  services: Map<string, ServiceRec>;
  tasks: Map<string, TaskRec>;
  taskDefs: TaskDefinitionStore;
  serviceDeployments: Map<string, ServiceDeploymentRec>;
  revisions: Map<string, ServiceRevisionRec>;
  schedule(at: number, step: SimStep): void;
}

export const serviceKey = (cluster: string, name: string): string => `${cluster}/${name}`;
