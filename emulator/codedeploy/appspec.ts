// The AppSpec of an ECS deployment, read from CreateDeployment's revision as CodeDeploy reads it:
// JSON or YAML, one AWS::ECS::Service resource with a task definition ARN and the container and
// port that take traffic, and hooks naming Lambda functions (docs/ecs-behaviour.md, "CodeDeploy
// blue/green for ECS"). Keys are matched without regard to case, as the official action writes them.
import { createHash } from 'node:crypto';

import { parse as parseYaml } from 'yaml';

import { CD_ERRORS } from './errors.js';

/** The hookable lifecycle events of an ECS deployment, in the order CodeDeploy runs them. */
export const HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

export interface EcsAppSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  /** Lifecycle event -> Lambda function name or ARN. */
  hooks: Record<string, string>;
}

type Loose = Record<string, unknown>;

const isMap = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of `key` in `o`, whatever its case. */
function field(o: Loose, key: string): unknown {
  const k = Object.keys(o).find((name) => name.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const LAMBDA_FUNCTION =
  /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;

/** The revision's content (AppSpecContent or String), its sha256 checked when given. */
export function revisionContent(revision: unknown): string {
  if (!isMap(revision)) throw CD_ERRORS.revisionRequired();
  const type = revision.revisionType;
  const holder =
    type === 'AppSpecContent' ? revision.appSpecContent : type === 'String' ? revision.string : undefined;
  if (type !== 'AppSpecContent' && type !== 'String') {
    throw CD_ERRORS.revision(
      `Revision type ${String(type)} is not supported for an ECS deployment by this emulator: use AppSpecContent`,
    );
  }
  if (!isMap(holder) || typeof holder.content !== 'string' || holder.content.trim() === '') {
    throw CD_ERRORS.revision('The AppSpec content is missing or empty');
  }
  const sha = holder.sha256;
  if (typeof sha === 'string' && sha !== '') {
    const actual = createHash('sha256').update(holder.content).digest('hex');
    if (actual !== sha.toLowerCase()) {
      throw CD_ERRORS.revision('The sha256 of the AppSpec content does not match the content');
    }
  }
  return holder.content;
}

/** Parse and check an ECS AppSpec; every problem is InvalidRevisionException naming the field. */
export function parseEcsAppSpec(content: string): EcsAppSpec {
  let doc: unknown;
  try {
    doc = parseYaml(content);
  } catch (e) {
    throw CD_ERRORS.revision(`The AppSpec file cannot be parsed: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isMap(doc)) throw CD_ERRORS.revision('The AppSpec file must be a mapping with Resources');
  const resources = field(doc, 'Resources');
  if (!Array.isArray(resources) || resources.length !== 1 || !isMap(resources[0])) {
    throw CD_ERRORS.revision('The AppSpec file must have a Resources list with exactly one target service');
  }
  const [name, resource] = Object.entries(resources[0])[0] ?? [];
  if (!isMap(resource))
    throw CD_ERRORS.revision(`Resources.${name ?? '?'} must be a mapping with Type and Properties`);
  const type = field(resource, 'Type');
  if (type !== 'AWS::ECS::Service') {
    throw CD_ERRORS.revision(`Resources.${name}.Type must be AWS::ECS::Service, got ${String(type)}`);
  }
  const props = field(resource, 'Properties');
  if (!isMap(props)) throw CD_ERRORS.revision(`Resources.${name}.Properties is required`);
  const taskDefinition = field(props, 'TaskDefinition');
  if (typeof taskDefinition !== 'string' || !TASK_DEFINITION_ARN.test(taskDefinition)) {
    throw CD_ERRORS.revision(
      `Resources.${name}.Properties.TaskDefinition must be a task definition ARN, got ${JSON.stringify(taskDefinition ?? null)}`,
    );
  }
  const lb = field(props, 'LoadBalancerInfo');
  if (!isMap(lb)) throw CD_ERRORS.revision(`Resources.${name}.Properties.LoadBalancerInfo is required`);
  const containerName = field(lb, 'ContainerName');
  if (typeof containerName !== 'string' || containerName === '') {
    throw CD_ERRORS.revision(`Resources.${name}.Properties.LoadBalancerInfo.ContainerName is required`);
  }
  const port = field(lb, 'ContainerPort');
  const containerPort = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (
    typeof containerPort !== 'number' ||
    !Number.isInteger(containerPort) ||
    containerPort < 1 ||
    containerPort > 65535
  ) {
    throw CD_ERRORS.revision(
      `Resources.${name}.Properties.LoadBalancerInfo.ContainerPort must be a port number, got ${JSON.stringify(port ?? null)}`,
    );
  }
  return { taskDefinition, containerName, containerPort, hooks: parseHooks(field(doc, 'Hooks')) };
}

function parseHooks(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw))
    throw CD_ERRORS.revision('Hooks must be a list of "<lifecycle event>: <Lambda function>" entries');
  const hooks: Record<string, string> = {};
  for (const [i, entry] of raw.entries()) {
    if (!isMap(entry)) throw CD_ERRORS.revision(`Hooks[${i}] must be "<lifecycle event>: <Lambda function>"`);
    for (const [event, fn] of Object.entries(entry)) {
      const known = HOOK_EVENTS.find((e) => e.toLowerCase() === event.toLowerCase());
      if (!known) {
        throw CD_ERRORS.revision(
          `Hooks[${i}]: ${event} is not a lifecycle event of an ECS deployment (${HOOK_EVENTS.join(', ')})`,
        );
      }
      if (typeof fn !== 'string' || !LAMBDA_FUNCTION.test(fn)) {
        throw CD_ERRORS.revision(
          `Hooks[${i}].${event} must be a Lambda function name or ARN, got ${JSON.stringify(fn)}`,
        );
      }
      if (hooks[known] !== undefined) throw CD_ERRORS.revision(`Hooks: ${known} is given more than once`);
      hooks[known] = fn;
    }
  }
  return hooks;
}

/** `arn:aws:lambda:...:function:check-fail:live` -> `check-fail`: the name picks the behaviour. */
export function functionName(ref: string): string {
  const m = /:function:([^:]+)/.exec(ref);
  return m ? m[1]! : ref;
}
