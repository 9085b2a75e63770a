// Shape checks for single values: names and ARNs. Each returns a reason sentence (the value
// quoted, since none of these is secret) or undefined when the value is fine. They check form
// only; whether the thing exists is for preflight or for AWS. The name and ARN-part rules are
// the task definition validator's (taskdef/rules-task.ts, taskdef/references.ts); image
// references are checked by taskdef/images.ts.

import {
  ARN_ACCOUNT as ACCOUNT,
  ARN_PARTITION as PARTITION,
  ARN_REGION as REGION,
} from '../taskdef/references.js';
import { ECS_NAME, NAME_PATTERN as NAME } from '../taskdef/rules-task.js';
import { MAX_REVISION } from './numbers.js';

const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/(?:[!-~]+/)?[\\w+=,.@-]{1,64}$`);
const TASK_DEFINITION_ARN = new RegExp(
  `^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:task-definition/${ECS_NAME}:[1-9]\\d*$`,
);
const CLUSTER_ARN = new RegExp(`^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:cluster/${ECS_NAME}$`);
// Service ARNs have the long form `service/<cluster>/<name>` and, in old accounts, `service/<name>`.
const SERVICE_ARN = new RegExp(
  `^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:service/(?:${ECS_NAME}/)?${ECS_NAME}$`,
);

export function isEcsName(value: string): boolean {
  return NAME.test(value);
}

export function roleArnProblem(value: string): string | undefined {
  if (ROLE_ARN.test(value)) return undefined;
  if (/^[\w+=,.@-]{1,64}$/.test(value)) {
    return `"${value}" is a role name, not an ARN; give the full ARN, arn:aws:iam::<12-digit account id>:role/${value}.`;
  }
  return `"${value}" is not an IAM role ARN; expected arn:aws:iam::<12-digit account id>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).`;
}

export function taskDefinitionArnProblem(value: string): string | undefined {
  if (TASK_DEFINITION_ARN.test(value)) return revisionLimitProblem(value.slice(value.lastIndexOf(':') + 1));
  if (new RegExp(`^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:task-definition/${ECS_NAME}$`).test(value)) {
    return `"${value}" has no revision; add :<revision>, or use task-definition-family to start from the latest revision.`;
  }
  return `"${value}" is not a task definition ARN; expected arn:aws:ecs:<region>:<12-digit account id>:task-definition/<family>:<revision>.`;
}

export function familyProblem(value: string): string | undefined {
  if (NAME.test(value)) return undefined;
  const withRevision = new RegExp(`^(${ECS_NAME}):(\\d+)$`).exec(value);
  if (withRevision) {
    return `"${value}" includes a revision; give the family "${withRevision[1]}" here and ${withRevision[2]} in task-definition-revision.`;
  }
  return `"${value}" is not a task definition family; use 1 to 255 letters, digits, hyphens and underscores.`;
}

export function revisionProblem(value: string): string | undefined {
  return /^[1-9]\d*$/.test(value)
    ? revisionLimitProblem(value)
    : `"${value}" is not a revision number; use a whole number from 1 up.`;
}

/** A revision written in digits that is above the family quota (see numbers.ts). */
function revisionLimitProblem(digits: string): string | undefined {
  return Number(digits) > MAX_REVISION
    ? `revision ${digits} cannot exist: the ECS quota "Revisions per task definition family" is ${MAX_REVISION}.`
    : undefined;
}

export function containerNameProblem(value: string): string | undefined {
  return NAME.test(value)
    ? undefined
    : `"${value}" is not a container name; use 1 to 255 letters, digits, hyphens and underscores.`;
}

export function clusterProblem(value: string): string | undefined {
  return NAME.test(value) || CLUSTER_ARN.test(value)
    ? undefined
    : `"${value}" is not a cluster name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.`;
}

export function serviceProblem(value: string): string | undefined {
  return NAME.test(value) || SERVICE_ARN.test(value)
    ? undefined
    : `"${value}" is not a service name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.`;
}

/** Template variable names are what `${NAME}` placeholders can hold. */
export function variableNameProblem(value: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)
    ? undefined
    : `"${value}" is not a variable name; use letters, digits and underscores, not starting with a digit.`;
}
