// What is sent to CodeDeploy: the AppSpec with every resource's TaskDefinition replaced by the
// revision this step registered, as JSON text with its SHA-256 (CreateDeployment's
// `revision.appSpecContent`). As the official action does: the key is found in any letter case,
// nothing else is changed, and the text is always JSON, even from a YAML file.

import { createHash } from 'node:crypto';
import { cloneJson, isObject, type JsonObject } from '../lib/json.js';
import { field, keyOf } from './appspec.js';

export interface AppSpecContent {
  /** The AppSpec as sent, the task definition ARN in it. */
  doc: JsonObject;
  /** JSON.stringify of `doc`: the `content` sent. */
  content: string;
  /** Hex SHA-256 of `content`. */
  sha256: string;
}

/** The AppSpec with `taskDefinitionArn` in every resource's Properties.TaskDefinition. Pure. */
export function appSpecWithTaskDefinition(doc: JsonObject, taskDefinitionArn: string): JsonObject {
  const copy = cloneJson(doc);
  const resources = field(copy, [], 'Resources')?.value;
  if (!Array.isArray(resources)) return copy;
  for (const entry of resources) {
    if (!isObject(entry)) continue;
    for (const body of Object.values(entry)) {
      if (!isObject(body)) continue;
      const props = field(body, [], 'Properties')?.value;
      if (!isObject(props)) continue;
      props[keyOf(props, 'TaskDefinition') ?? 'TaskDefinition'] = taskDefinitionArn;
    }
  }
  return copy;
}

export function appSpecContent(doc: JsonObject, taskDefinitionArn: string): AppSpecContent {
  const sent = appSpecWithTaskDefinition(doc, taskDefinitionArn);
  const content = JSON.stringify(sent);
  return { doc: sent, content, sha256: createHash('sha256').update(content).digest('hex') };
}
