// The AppSpec file of a CodeDeploy deployment to ECS: read as the official action reads it (a
// relative path is joined to the workspace; the text is parsed as YAML, which reads JSON too), its keys found as the official action
// finds them (in any letter case), and every value mapped back to its line so a problem names it.
// What it must hold is checked in appspec-checks.ts; what is sent, in content.ts.

import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import type { Position } from '../taskdef/file-positions.js';
import { parseAppSpecText } from './appspec-parse.js';

export const APPSPEC_INPUT = 'codedeploy-appspec';

/** The AppSpec as loaded: its document, and where each value is written. */
export interface AppSpecFile {
  /** The path as given (for messages). */
  file: string;
  doc: JsonObject;
  positionOf(path: JsonPath): Position | undefined;
}

export interface LoadedAppSpec {
  appSpec?: AppSpecFile;
  problems: Problem[];
}

/** Where the file is: an absolute path as given, a relative one in the workspace (GITHUB_WORKSPACE). */
export function appSpecLocation(file: string, workspace: string | undefined): string {
  return isAbsolute(file) ? file : join(workspace || process.cwd(), file);
}

/** Reads and parses the AppSpec file; every problem is returned, never thrown. */
export async function loadAppSpec(file: string, workspace: string | undefined): Promise<LoadedAppSpec> {
  let text: string;
  try {
    text = await readFile(appSpecLocation(file, workspace), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`;
    const message = `The AppSpec file '${file}' ${reason}. The service uses the CODE_DEPLOY deployment controller, so its deployment needs one: give its path, relative to the workspace, in codedeploy-appspec.`;
    return { problems: [{ severity: 'error', input: APPSPEC_INPUT, message }] };
  }
  return parseAppSpec(text, file);
}

/** Parses the AppSpec's text as the official action does (YAML, which reads JSON too): appspec-parse.ts. */
export function parseAppSpec(text: string, file: string): LoadedAppSpec {
  const parsed = parseAppSpecText(text, file);
  const problems = parsed.problems.map((p) => ({ ...p, input: APPSPEC_INPUT }));
  if (!parsed.doc) return { problems };
  return { appSpec: { file, doc: parsed.doc, positionOf: parsed.positionOf }, problems };
}

/** The key of `obj` that is `name` in any letter case, as the official action matches AppSpec keys. */
export function keyOf(obj: JsonObject, name: string): string | undefined {
  if (name in obj) return name;
  return Object.keys(obj).find((key) => key.toLowerCase() === name.toLowerCase());
}

/** `obj[name]` in any letter case, with the path it was found at. */
export function field(
  obj: JsonObject,
  path: JsonPath,
  name: string,
): { value: JsonValue; path: JsonPath } | undefined {
  const key = keyOf(obj, name);
  return key === undefined ? undefined : { value: obj[key], path: [...path, key] };
}

/** The one ECS service resource: where its properties are, and the entry's path. */
export interface ServiceResource {
  /** The resource's name (`TargetService` in AWS's examples). */
  name: string;
  path: JsonPath;
  properties?: JsonObject;
  propertiesPath: JsonPath;
}

/** Every `Resources` entry that is a mapping `{ <name>: {...} }`, in file order. */
export function resourcesOf(doc: JsonObject): ServiceResource[] {
  const resources = field(doc, [], 'Resources');
  if (!resources || !Array.isArray(resources.value)) return [];
  return resources.value.flatMap((entry, i) => {
    if (!isObject(entry)) return [];
    return Object.entries(entry).flatMap(([name, body]) => {
      const path = [...resources.path, i, name];
      if (!isObject(body)) return [{ name, path, propertiesPath: path }];
      const props = field(body, path, 'Properties');
      return [
        {
          name,
          path,
          properties: props && isObject(props.value) ? props.value : undefined,
          propertiesPath: props?.path ?? path,
        },
      ];
    });
  });
}

/** The AppSpec's load balancer target (container and port), when it names them. */
export function loadBalancerTarget(doc: JsonObject): { container?: string; port?: number } {
  const [resource] = resourcesOf(doc);
  if (!resource?.properties) return {};
  const lb = field(resource.properties, resource.propertiesPath, 'LoadBalancerInfo');
  if (!lb || !isObject(lb.value)) return {};
  const container = field(lb.value, lb.path, 'ContainerName')?.value;
  const port = field(lb.value, lb.path, 'ContainerPort')?.value;
  return {
    container: typeof container === 'string' ? container : undefined,
    port: typeof port === 'number' ? port : undefined,
  };
}

/** The lifecycle events of an ECS deployment that run a hook, in the order CodeDeploy runs them. */
export const HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

const ALL_EVENTS = [...HOOK_EVENTS, 'Install', 'AllowTestTraffic', 'AllowTraffic'];

/** A lifecycle event as CodeDeploy names it, from a key written in any letter case. */
export function canonicalEvent(key: string): string {
  return ALL_EVENTS.find((e) => e.toLowerCase() === key.toLowerCase()) ?? key;
}

/** Lifecycle event (as CodeDeploy names it) → the Lambda function its hook names. */
export function hooksOf(doc: JsonObject): Record<string, string> {
  const hooks = field(doc, [], 'Hooks');
  if (!hooks || !Array.isArray(hooks.value)) return {};
  const out: Record<string, string> = {};
  for (const entry of hooks.value) {
    if (!isObject(entry)) continue;
    for (const [event, fn] of Object.entries(entry))
      if (typeof fn === 'string') out[canonicalEvent(event)] = fn;
  }
  return out;
}
