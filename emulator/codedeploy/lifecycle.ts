// The lifecycle events of an ECS deployment, in CodeDeploy's order, and what each hook does: the
// result is chosen by the Lambda function's name, as for ECS lifecycle hooks in this emulator
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS").
import { functionName } from './appspec.js';
import type { LifecycleEventRec } from './state.js';
import { HOOK_MS, SLOW_HOOK_MS } from './timings.js';

export const ECS_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

/** The events CodeDeploy runs itself; the others run the appspec's hook, or are Skipped without one. */
export const BUILT_IN_EVENTS = new Set(['Install', 'AllowTestTraffic', 'AllowTraffic']);

export function freshEvents(): LifecycleEventRec[] {
  return ECS_EVENTS.map((name) => ({ name, status: 'Pending' }));
}

/** A hook function's run: `fail` in its name -> Failed, `slow` -> five minutes, else Succeeded. */
export function hookOutcome(fn: string): { succeeds: boolean; durationMs: number } {
  const name = functionName(fn).toLowerCase();
  return { succeeds: !name.includes('fail'), durationMs: name.includes('slow') ? SLOW_HOOK_MS : HOOK_MS };
}
