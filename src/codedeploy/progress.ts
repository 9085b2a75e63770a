// What a person following a CodeDeploy deployment in the log sees: one line when its status
// changes, one when a lifecycle event of the ECS target moves on (with its hook's Lambda
// function), and one when the task sets' traffic weights or task counts change. Printing only
// changes keeps a six-hour follow readable.

import type { DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { LifecycleEventLine, TaskSetLine } from './types.js';

export function lifecycleEventsOf(
  target: ECSTarget | undefined,
  hooks: Record<string, string>,
): LifecycleEventLine[] {
  return (target?.lifecycleEvents ?? []).map((e) => ({
    name: e.lifecycleEventName ?? '?',
    status: e.status ?? 'Unknown',
    ...(e.lifecycleEventName && hooks[e.lifecycleEventName] ? { hook: hooks[e.lifecycleEventName] } : {}),
    ...(e.diagnostics?.message ? { message: e.diagnostics.message } : {}),
    startTime: e.startTime,
    endTime: e.endTime,
  }));
}

export function taskSetsOf(target: ECSTarget | undefined): TaskSetLine[] {
  return (target?.taskSetsInfo ?? []).map((t) => ({
    label: t.taskSetLabel,
    id: t.identifer,
    status: t.status,
    trafficWeight: t.trafficWeight,
    desired: t.desiredCount,
    running: t.runningCount,
    pending: t.pendingCount,
    targetGroup: t.targetGroup?.name,
  }));
}

/** `Green (replacement) 10% traffic, 2/2 running`. */
export function taskSetText(t: TaskSetLine): string {
  const role = t.label === 'Blue' ? ' (original)' : t.label === 'Green' ? ' (replacement)' : '';
  const weight = t.trafficWeight === undefined ? '' : ` ${t.trafficWeight}% traffic,`;
  return `${t.label ?? t.id ?? 'task set'}${role}${weight} ${t.running ?? 0}/${t.desired ?? 0} running`;
}

export class CodeDeployPrinter {
  private status?: string;
  private readonly events = new Map<string, string>();
  private taskSets = '';
  private terminationWaitSaid = false;

  constructor(
    private readonly hooks: Record<string, string>,
    private readonly waits: { readyMinutes: number; terminationMinutes: number },
  ) {}

  /** The lines this look adds to what was printed before. */
  observe(info: DeploymentInfo, target: ECSTarget | undefined): string[] {
    const lines: string[] = [];
    if (info.status && info.status !== this.status) {
      this.status = info.status;
      lines.push(this.statusLine(info));
    }
    for (const event of lifecycleEventsOf(target, this.hooks)) {
      if (this.events.get(event.name) === event.status || event.status === 'Pending') continue;
      this.events.set(event.name, event.status);
      const hook = event.hook ? ` (hook: Lambda function ${event.hook})` : '';
      const why = event.status === 'Failed' && event.message ? `: ${event.message}` : '';
      lines.push(`  ${event.name}${hook}: ${event.status}${why}`);
    }
    const sets = taskSetsOf(target);
    const text = sets.map(taskSetText).join('; ');
    if (sets.length && text !== this.taskSets) {
      this.taskSets = text;
      lines.push(`  task sets: ${text}`);
    }
    if (
      info.instanceTerminationWaitTimeStarted &&
      !this.terminationWaitSaid &&
      info.status === 'InProgress'
    ) {
      this.terminationWaitSaid = true;
      lines.push(
        `  All traffic is on the replacement task set. CodeDeploy keeps the original task set for the deployment group's termination wait (${this.waits.terminationMinutes} minute(s)), then removes it and calls the deployment Succeeded (ContinueDeployment with TERMINATION_WAIT ends the wait early).`,
      );
    }
    return lines;
  }

  private statusLine(info: DeploymentInfo): string {
    const id = info.deploymentId ?? '';
    if (info.status === 'Ready') {
      return `CodeDeploy deployment ${id}: Ready, the replacement task set is up and waits for ContinueDeployment (the deployment group's ready wait, ${this.waits.readyMinutes} minute(s)).`;
    }
    return `CodeDeploy deployment ${id}: ${info.status}.`;
  }
}
