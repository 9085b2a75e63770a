// RunTask: one-off tasks (migrations, batch jobs) started outside any service. The input is
// checked first (run-task-input.ts); then either the tasks start, or, on a cluster whose name ends
// in `-full`, the answer is ECS's "no capacity left": HTTP 200 with failures[] and no tasks.
import { createHash } from 'node:crypto';

import type { Attachment, Failure, Tag, Task } from '@aws-sdk/client-ecs';

import { AwsError } from '../core.js';
import type { Ctx } from './context.js';
import { asInput } from './input.js';
import { parseRunTask, type RunTaskRequest } from './run-task-input.js';
import { taskOutput } from './task-output.js';
import { launchTask } from './tasks.js';

export interface RunTaskResult {
  tasks: Task[];
  failures: Failure[];
}

interface Remembered {
  fingerprint: string;
  taskArns: string[];
  failures: Failure[];
}

/**
 * Idempotency: the SDK fills `clientToken` with a fresh UUID per send(), the same for its retries,
 * so a retried RunTask must not start the tasks twice. Kept per model, beside its state.
 */
const clientTokens = new WeakMap<Ctx, Map<string, Remembered>>();

const CONFLICT = 'The clientToken was already used with different parameters.'; // ours

export function runTask(ctx: Ctx, raw: unknown): RunTaskResult {
  const req = parseRunTask(ctx, raw);
  const { clientToken: _token, ...rest } = asInput(raw);
  const fingerprint = JSON.stringify(rest);
  let tokens = clientTokens.get(ctx);
  if (!tokens) clientTokens.set(ctx, (tokens = new Map()));
  const seen = req.clientToken !== undefined ? tokens.get(req.clientToken) : undefined;
  if (seen) {
    if (seen.fingerprint !== fingerprint) throw new AwsError('ConflictException', CONFLICT, 400);
    const tasks = seen.taskArns.flatMap((arn) => {
      const t = ctx.tasks.get(arn);
      return t ? [taskOutput(ctx, t, true)] : [];
    });
    return { tasks, failures: seen.failures };
  }
  const result = place(ctx, req);
  if (req.clientToken !== undefined) {
    tokens.set(req.clientToken, {
      fingerprint,
      taskArns: result.tasks.map((t) => t.taskArn!),
      failures: result.failures,
    });
  }
  return result;
}

/** The one container instance a `-full` cluster pretends to have (stable per cluster). */
function fullInstanceArn(ctx: Ctx, cluster: string): string {
  const id = createHash('sha256').update(`container-instance:${cluster}`).digest('hex').slice(0, 32);
  return `${ctx.arns.prefix}container-instance/${cluster}/${id}`;
}

function place(ctx: Ctx, req: RunTaskRequest): RunTaskResult {
  if (req.cluster.endsWith('-full')) {
    // As ECS answers when no container instance has the CPU left: one failure for the instance.
    return { tasks: [], failures: [{ arn: fullInstanceArn(ctx, req.cluster), reason: 'RESOURCE:CPU' }] };
  }
  const tags = taskTags(req);
  const tasks: Task[] = [];
  for (let i = 0; i < req.count; i++) {
    const provider = pickProvider(req, i, ctx.random);
    const t = launchTask(ctx, {
      cluster: req.cluster,
      taskDef: req.taskDef,
      group: req.group,
      ...(req.startedBy !== undefined ? { startedBy: req.startedBy } : {}),
      launchType: req.launchType,
      ...(req.platformVersion !== undefined ? { platformVersion: req.platformVersion } : {}),
      tags,
      overrides: req.overrides,
      enableExecuteCommand: req.enableExecuteCommand,
      standalone: true,
      containers: req.containers,
      ...(req.cpu !== undefined ? { cpu: req.cpu } : {}),
      ...(req.memory !== undefined ? { memory: req.memory } : {}),
      ...(provider !== undefined ? { capacityProviderName: provider } : {}),
      ...(req.volumeConfigurations.length > 0 ? { attachments: ebsAttachments(ctx, req) } : {}),
    });
    tasks.push(taskOutput(ctx, t, true));
  }
  return { tasks, failures: [] };
}

/** The request's tags, then the task definition's (propagateTags), then ECS's managed tag. */
function taskTags(req: RunTaskRequest): Tag[] {
  return [
    ...req.tags,
    ...(req.propagateTags ? req.taskDef.tags : []),
    ...(req.enableECSManagedTags ? [{ key: 'aws:ecs:clusterName', value: req.cluster }] : []),
  ];
}

/**
 * The provider of task `index`: the first `base` tasks go to the provider with a base, the rest
 * are spread by weight (at random, from the model's seeded source).
 */
function pickProvider(req: RunTaskRequest, index: number, random: () => number): string | undefined {
  const strategy = req.capacityProviderStrategy;
  if (!strategy) return undefined;
  const based = strategy.find((s) => (s.base ?? 0) > index);
  if (based) return based.capacityProvider;
  const total = strategy.reduce((sum, s) => sum + (s.weight ?? 0), 0);
  let r = random() * total;
  for (const s of strategy) {
    r -= s.weight ?? 0;
    if (r < 0) return s.capacityProvider;
  }
  return strategy.find((s) => (s.weight ?? 0) > 0)?.capacityProvider;
}

/** Managed EBS volumes show as attachments of the task (the detail names are ours). */
function ebsAttachments(ctx: Ctx, req: RunTaskRequest): Attachment[] {
  return req.volumeConfigurations.map((v) => ({
    id: ctx.ids.uuid(),
    type: 'AmazonElasticBlockStorage',
    status: 'ATTACHED',
    details: [
      { name: 'volumeName', value: v.name },
      { name: 'volumeId', value: `vol-${ctx.ids.taskId().slice(0, 17)}` },
      { name: 'volumeType', value: v.managedEBSVolume?.volumeType ?? 'gp3' },
      ...(v.managedEBSVolume?.sizeInGiB !== undefined
        ? [{ name: 'sizeInGiB', value: String(v.managedEBSVolume.sizeInGiB) }]
        : []),
    ],
  }));
}
