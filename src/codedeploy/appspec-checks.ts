// What an AppSpec for an ECS deployment must hold, checked before anything is written
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS", "The AppSpec"): its version, one ECS service resource with
// a task definition and the load balancer's container and port, hooks that name Lambda functions
// for the lifecycle events that take one; and, against the task definition this step registers,
// that the container exists and maps the port. Pure: each problem names the file and line.

import { isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import type { Problem, Severity } from '../lib/problems.js';
import {
  APPSPEC_INPUT,
  canonicalEvent,
  field,
  HOOK_EVENTS,
  keyOf,
  loadBalancerTarget,
  resourcesOf,
  type AppSpecFile,
} from './appspec.js';

export { HOOK_EVENTS };

/** The events CodeDeploy runs itself; a hook cannot be attached to them. */
const NOT_HOOKABLE = ['Install', 'AllowTestTraffic', 'AllowTraffic'];

const PROPERTIES = [
  'TaskDefinition',
  'LoadBalancerInfo',
  'PlatformVersion',
  'NetworkConfiguration',
  'CapacityProviderStrategy',
];

/**
 * A Lambda function name (`my-function`, with an optional `:alias` or `:version`) or its ARN,
 * as the Lambda API Reference's FunctionName pattern allows (names of 1 to 64 letters, digits,
 * hyphens and underscores).
 */
const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const LAMBDA_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

export function isLambdaFunction(value: string): boolean {
  return LAMBDA_NAME.test(value) || LAMBDA_ARN.test(value);
}

/** Problems of one AppSpec file, placed at their line. */
class Found {
  readonly problems: Problem[] = [];
  constructor(private readonly spec: AppSpecFile) {}
  add(path: JsonPath, message: string, severity: Severity = 'error'): void {
    const pos = this.spec.positionOf(path);
    this.problems.push({
      severity,
      message,
      input: APPSPEC_INPUT,
      file: this.spec.file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  }
}

/** Every problem of the AppSpec on its own (not yet against the task definition). */
export function checkAppSpecShape(spec: AppSpecFile): Problem[] {
  const found = new Found(spec);
  const { doc } = spec;
  checkVersion(doc, found);
  checkResources(doc, found);
  checkHooks(doc, found);
  for (const key of Object.keys(doc)) {
    if (!['version', 'resources', 'hooks'].includes(key.toLowerCase())) {
      found.add(
        [key],
        `'${key}' is not a section of an ECS AppSpec (version, Resources, Hooks); it is sent as it is.`,
        'warning',
      );
    }
  }
  return found.problems;
}

function checkVersion(doc: JsonObject, found: Found): void {
  const version = field(doc, [], 'version');
  if (!version) {
    // A warning only: the official action sends an AppSpec without one as it is.
    found.add(
      [],
      "The AppSpec has no 'version'; CodeDeploy's AppSpec reference asks for `version: 0.0`.",
      'warning',
    );
  } else if (version.value !== 0 && version.value !== '0.0') {
    found.add(version.path, `version is ${JSON.stringify(version.value)}; CodeDeploy takes only 0.0.`);
  }
}

function checkResources(doc: JsonObject, found: Found): void {
  const resources = field(doc, [], 'Resources');
  if (!resources) {
    found.add(
      [],
      "AppSpec file must include property 'resources': the ECS service to deploy (TargetService).",
    );
    return;
  }
  if (!Array.isArray(resources.value) || resources.value.some((r) => !isObject(r))) {
    found.add(
      resources.path,
      'Resources must be a list of one entry, `- TargetService: {Type: AWS::ECS::Service, Properties: {...}}`.',
    );
    return;
  }
  const list = resourcesOf(doc);
  if (list.length !== 1) {
    found.add(
      resources.path,
      `Resources names ${list.length} resources; an ECS AppSpec names exactly one, the service.`,
    );
  }
  for (const resource of list) {
    const body = valueAt(doc, resource.path);
    if (!isObject(body)) {
      found.add(resource.path, `Resource '${resource.name}' must be a mapping with Type and Properties.`);
      continue;
    }
    const type = field(body, resource.path, 'Type');
    if (!type)
      found.add(resource.path, `Resource '${resource.name}' has no Type; write \`Type: AWS::ECS::Service\`.`);
    else if (type.value !== 'AWS::ECS::Service') {
      found.add(
        type.path,
        `Type is ${JSON.stringify(type.value)}; an ECS AppSpec's resource is AWS::ECS::Service.`,
      );
    }
    if (!resource.properties) {
      found.add(
        resource.propertiesPath,
        `AppSpec file must include property 'properties' in resource '${resource.name}'.`,
      );
      continue;
    }
    checkProperties(resource.properties, resource.propertiesPath, found);
  }
}

function checkProperties(props: JsonObject, path: JsonPath, found: Found): void {
  if (keyOf(props, 'TaskDefinition') === undefined) {
    found.add(
      path,
      "AppSpec file must include property 'taskDefinition' (it is replaced by the new revision's ARN; any value will do).",
    );
  }
  checkLoadBalancer(props, path, found);
  const platform = field(props, path, 'PlatformVersion');
  if (platform && typeof platform.value !== 'string')
    found.add(platform.path, 'PlatformVersion must be a string such as LATEST or 1.4.0.');
  checkNetwork(props, path, found);
  const strategy = field(props, path, 'CapacityProviderStrategy');
  if (
    strategy &&
    !(
      Array.isArray(strategy.value) &&
      strategy.value.every((s) => isObject(s) && typeof field(s, [], 'CapacityProvider')?.value === 'string')
    )
  ) {
    found.add(
      strategy.path,
      'CapacityProviderStrategy must be a list of {CapacityProvider, Base, Weight} entries, each naming its CapacityProvider.',
    );
  }
  for (const key of Object.keys(props)) {
    if (!PROPERTIES.some((p) => p.toLowerCase() === key.toLowerCase())) {
      found.add(
        [...path, key],
        `'${key}' is not a property of an ECS service resource (${PROPERTIES.join(', ')}).`,
        'warning',
      );
    }
  }
}

function checkLoadBalancer(props: JsonObject, path: JsonPath, found: Found): void {
  const lb = field(props, path, 'LoadBalancerInfo');
  if (!lb || !isObject(lb.value)) {
    found.add(
      lb?.path ?? path,
      'Properties must include LoadBalancerInfo with ContainerName and ContainerPort: the container and port the load balancer sends traffic to.',
    );
    return;
  }
  const name = field(lb.value, lb.path, 'ContainerName');
  if (typeof name?.value !== 'string' || name.value === '') {
    found.add(
      name?.path ?? lb.path,
      'LoadBalancerInfo must include ContainerName, the name of a container of the task definition.',
    );
  }
  const port = field(lb.value, lb.path, 'ContainerPort');
  const value = port?.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    found.add(
      port?.path ?? lb.path,
      `LoadBalancerInfo must include ContainerPort, a port number from 1 to 65535${port ? ` (not ${JSON.stringify(value)})` : ''}.`,
    );
  }
}

function checkNetwork(props: JsonObject, path: JsonPath, found: Found): void {
  const network = field(props, path, 'NetworkConfiguration');
  if (!network) return;
  const awsvpc = isObject(network.value)
    ? field(network.value, network.path, 'AwsvpcConfiguration')
    : undefined;
  if (!awsvpc || !isObject(awsvpc.value)) {
    found.add(
      awsvpc?.path ?? network.path,
      'NetworkConfiguration must hold AwsvpcConfiguration with Subnets, SecurityGroups and AssignPublicIp.',
    );
    return;
  }
  const strings = (v: JsonValue | undefined) =>
    Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
  const subnets = field(awsvpc.value, awsvpc.path, 'Subnets');
  if (!strings(subnets?.value))
    found.add(
      subnets?.path ?? awsvpc.path,
      'AwsvpcConfiguration must include Subnets, a list of subnet ids.',
    );
  const groups = field(awsvpc.value, awsvpc.path, 'SecurityGroups');
  if (groups && !strings(groups.value))
    found.add(groups.path, 'SecurityGroups must be a list of security group ids.');
  const ip = field(awsvpc.value, awsvpc.path, 'AssignPublicIp');
  if (ip && ip.value !== 'ENABLED' && ip.value !== 'DISABLED')
    found.add(ip.path, `AssignPublicIp is ${JSON.stringify(ip.value)}; use ENABLED or DISABLED.`);
}

function checkHooks(doc: JsonObject, found: Found): void {
  const hooks = field(doc, [], 'Hooks');
  if (!hooks || hooks.value === null) return;
  if (!Array.isArray(hooks.value)) {
    found.add(
      hooks.path,
      'Hooks must be a list, one `- <LifecycleEvent>: <Lambda function>` entry per hook.',
    );
    return;
  }
  const seen = new Set<string>();
  hooks.value.forEach((entry, i) => {
    const at = [...hooks.path, i];
    if (!isObject(entry) || Object.keys(entry).length !== 1) {
      found.add(at, 'Each hook is one `<LifecycleEvent>: <Lambda function>` entry.');
      return;
    }
    const [[event, fn]] = Object.entries(entry);
    checkHook({ event, fn, path: [...at, event], seen }, found);
  });
}

function checkHook(
  hook: { event: string; fn: JsonValue; path: JsonPath; seen: Set<string> },
  found: Found,
): void {
  const { fn, path, seen } = hook;
  const event = canonicalEvent(hook.event);
  if (NOT_HOOKABLE.includes(event)) {
    found.add(
      path,
      `${event} is run by CodeDeploy itself and takes no hook; hooks go on ${HOOK_EVENTS.join(', ')}.`,
    );
  } else if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
    found.add(
      path,
      `'${event}' is not a lifecycle event of an ECS deployment; hooks go on ${HOOK_EVENTS.join(', ')}.`,
    );
  } else if (seen.has(event)) {
    found.add(path, `${event} has a hook already; each lifecycle event takes one.`);
  }
  seen.add(event);
  if (typeof fn !== 'string' || !isLambdaFunction(fn)) {
    found.add(
      path,
      `The hook of ${event} must be a Lambda function name or ARN (arn:aws:lambda:<region>:<account>:function:<name>), not ${JSON.stringify(fn)}.`,
    );
  }
}

/** The AppSpec against the task definition this step registers: its container and port. */
export function checkAppSpecAgainst(spec: AppSpecFile, taskDefinition: JsonObject): Problem[] {
  const found = new Found(spec);
  const { container, port } = loadBalancerTarget(spec.doc);
  if (container === undefined) return [];
  const lbPath = loadBalancerPath(spec.doc);
  const containers = Array.isArray(taskDefinition.containerDefinitions)
    ? taskDefinition.containerDefinitions.filter(isObject)
    : [];
  const target = containers.find((c) => c.name === container);
  if (!target) {
    const names = containers.map((c) => String(c.name)).join(', ');
    found.add(
      [...lbPath, keyOf(valueAt(spec.doc, lbPath) as JsonObject, 'ContainerName') ?? 'ContainerName'],
      `ContainerName '${container}' is not a container of the task definition (${names}).`,
    );
    return found.problems;
  }
  if (port === undefined) return found.problems;
  const mappings = Array.isArray(target.portMappings) ? target.portMappings.filter(isObject) : [];
  if (!mappings.some((m) => m.containerPort === port)) {
    const ports = mappings.map((m) => String(m.containerPort)).join(', ') || 'none';
    found.add(
      [...lbPath, keyOf(valueAt(spec.doc, lbPath) as JsonObject, 'ContainerPort') ?? 'ContainerPort'],
      `ContainerPort ${port} is not a port mapping of container '${container}' in the task definition (its container ports: ${ports}).`,
    );
  }
  return found.problems;
}

function loadBalancerPath(doc: JsonObject): JsonPath {
  const [resource] = resourcesOf(doc);
  const props = resource?.properties;
  if (!resource || !props) return [];
  return [...resource.propertiesPath, keyOf(props, 'LoadBalancerInfo') ?? 'LoadBalancerInfo'];
}

function valueAt(doc: JsonValue, path: JsonPath): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}
