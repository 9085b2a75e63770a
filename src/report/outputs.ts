// The step's outputs, and the rendered task definition file behind the `task-definition` output.

import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { JsonObject } from '../lib/json.js';
import type { Outcome } from '../rollout/types.js';
import { parseTaskDefinitionArn } from '../lib/arn.js';
import { servicesOutput, type ServiceRow } from './services.js';

export interface OutputsInput {
  outcome: Outcome;
  /** Path of the rendered task definition file (writeRenderedTaskDefinition). */
  renderedTaskDefinitionPath?: string;
  /** The task definition the service now runs (or would run): registered, or reused when identical. */
  taskDefinitionArn?: string;
  /** The task definition the service ran before. */
  previousTaskDefinitionArn?: string;
  /** `ecs-svc/<n>` of our deployment. */
  deploymentId?: string;
  /** The CodeDeploy deployment (`d-…`) of a CODE_DEPLOY service. */
  codeDeployDeploymentId?: string;
  /** The one-off tasks started (run-task), in RunTask's order. */
  runTaskArns?: string[];
  /** Exit code of each container of each task, by task ARN; null for a container without one. */
  runTaskExitCodes?: Record<string, Record<string, number | null>>;
  /** The id of the GitHub deployment this step created (github-environment). */
  githubDeploymentId?: string;
  /** keep-revisions: the revisions this step deregistered (not set by a dry run). */
  deregisteredTaskDefinitions?: string[];
  /** Several services: one row each, in the order given (the `services` output). */
  services?: ServiceRow[];
  /** Our service deployment's ARN (what a continue step's continue-deployment takes). */
  serviceDeploymentArn?: string;
  /** The PAUSE hook the step stopped at (outcome paused). */
  pausedHookId?: string;
}

/**
 * Output name → value. What is unknown is left out rather than set to '': an output that was
 * never set already reads as '' in an expression (`steps.x.outputs.deployment-id != ''` works
 * either way), and leaving it out keeps "not known" apart from "known to be empty" for any code
 * that reads this map, and keeps the log free of empty `set-output` lines.
 */
export function actionOutputs(input: OutputsInput): Record<string, string> {
  const out: Record<string, string> = { outcome: input.outcome };
  if (input.renderedTaskDefinitionPath) out['task-definition'] = input.renderedTaskDefinitionPath;
  if (input.taskDefinitionArn) {
    out['task-definition-arn'] = input.taskDefinitionArn;
    const ref = parseTaskDefinitionArn(input.taskDefinitionArn);
    if (ref) out['task-definition-revision'] = String(ref.revision);
  }
  if (input.previousTaskDefinitionArn) out['previous-task-definition-arn'] = input.previousTaskDefinitionArn;
  if (input.deploymentId) out['deployment-id'] = input.deploymentId;
  if (input.codeDeployDeploymentId) out['codedeploy-deployment-id'] = input.codeDeployDeploymentId;
  // JSON, as the official action's run-task-arn output is (an array of ARNs).
  if (input.runTaskArns) out['run-task-arn'] = JSON.stringify(input.runTaskArns);
  if (input.runTaskExitCodes) out['run-task-exit-codes'] = JSON.stringify(input.runTaskExitCodes);
  if (input.githubDeploymentId) out['github-deployment-id'] = input.githubDeploymentId;
  if (input.deregisteredTaskDefinitions) {
    out['deregistered-task-definitions'] = JSON.stringify(input.deregisteredTaskDefinitions);
  }
  if (input.services?.length) out.services = servicesOutput(input.services);
  if (input.serviceDeploymentArn) out['service-deployment-arn'] = input.serviceDeploymentArn;
  if (input.pausedHookId) out['paused-hook-id'] = input.pausedHookId;
  return out;
}

/**
 * Writes the rendered task definition as pretty JSON to `<runnerTemp>/<family>-<time>-<random>.json`
 * (os.tmpdir() when RUNNER_TEMP is unset) and returns the path. A fresh name per run, so two
 * services deployed in one job never overwrite each other's file; owner-only permissions,
 * because environment values in it are in plain text.
 */
export async function writeRenderedTaskDefinition(
  td: JsonObject,
  runnerTemp: string | undefined,
  family: string,
): Promise<string> {
  const dir = runnerTemp && runnerTemp.trim() !== '' ? runnerTemp : tmpdir();
  // The family is user input; keep the name inside `dir` whatever it holds.
  const safeFamily = family.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'task-definition';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const path = join(dir, `${safeFamily}-${stamp}-${randomBytes(4).toString('hex')}.json`);
  await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(td, null, 2)}\n`, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  return path;
}
