// Shape checks for single values: names, ARNs, image references. Each returns a reason sentence
// (the value quoted, since none of these is secret) or undefined when the value is fine. They
// check form only; whether the thing exists is for preflight or for AWS.

const PARTITION = '(?:aws|aws-cn|aws-us-gov)';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const ACCOUNT = '\\d{12}';
/** Task definition families, container, cluster and service names share this rule in ECS. */
const ECS_NAME = '[A-Za-z0-9_-]{1,255}';

const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/(?:[!-~]+/)?[\\w+=,.@-]{1,64}$`);
const TASK_DEFINITION_ARN = new RegExp(
  `^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:task-definition/${ECS_NAME}:[1-9]\\d*$`,
);
const CLUSTER_ARN = new RegExp(`^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:cluster/${ECS_NAME}$`);
// Service ARNs have the long form `service/<cluster>/<name>` and, in old accounts, `service/<name>`.
const SERVICE_ARN = new RegExp(
  `^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:service/(?:${ECS_NAME}/)?${ECS_NAME}$`,
);
const NAME = new RegExp(`^${ECS_NAME}$`);

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
  if (TASK_DEFINITION_ARN.test(value)) return undefined;
  if (new RegExp(`^arn:${PARTITION}:ecs:${REGION}:${ACCOUNT}:task-definition/${ECS_NAME}$`).test(value)) {
    return `"${value}" has no revision; add :<revision>, or use task-definition-family to start from the latest revision.`;
  }
  return `"${value}" is not a task definition ARN; expected arn:aws:ecs:<region>:<12-digit account id>:task-definition/<family>:<revision>.`;
}

export function familyProblem(value: string): string | undefined {
  if (NAME.test(value)) return undefined;
  const withRevision = /^([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(value);
  if (withRevision) {
    return `"${value}" includes a revision; give the family "${withRevision[1]}" here and ${withRevision[2]} in task-definition-revision.`;
  }
  return `"${value}" is not a task definition family; use 1 to 255 letters, digits, hyphens and underscores.`;
}

export function revisionProblem(value: string): string | undefined {
  return /^[1-9]\d*$/.test(value)
    ? undefined
    : `"${value}" is not a revision number; use a whole number from 1 up.`;
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

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG_RULE = 'a tag is 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"';
const DIGEST_RULE = 'a digest is sha256: and 64 lower-case hex digits';

/**
 * An image reference: `repo[:tag]`, `repo@sha256:<64 hex>`, or `:tag` / `@sha256:…` to keep the
 * container's repository. ECS allows 255 characters of letters, digits and `-_:./#` before the
 * `@` (reference/ecs-semantics.md §4.5); a tag is checked only in the `:tag` form, because in a
 * full reference a `:` may also be a registry port.
 */
export function imageProblem(value: string): string | undefined {
  if (value === '') return 'the image is empty.';
  if (/\s/.test(value)) return `"${value}" is not an image reference: it contains whitespace.`;
  if (value.startsWith(':')) {
    return TAG.test(value.slice(1)) ? undefined : `"${value}" is not a valid tag; ${TAG_RULE}.`;
  }
  if (value.startsWith('@')) {
    return DIGEST.test(value.slice(1)) ? undefined : `"${value}" is not a valid digest; ${DIGEST_RULE}.`;
  }
  const at = value.indexOf('@');
  const name = at === -1 ? value : value.slice(0, at);
  if (at !== -1 && !DIGEST.test(value.slice(at + 1))) {
    return `"${value}" does not end in a valid digest; ${DIGEST_RULE}.`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_:./#-]*$/.test(name) || name.endsWith(':') || name.endsWith('/')) {
    return `"${value}" is not an image reference; expected repository[:tag] or repository@sha256:<digest>, with letters, digits and -_:./# only.`;
  }
  if (name.length > 255)
    return `the image reference is ${name.length} characters before any digest; ECS allows 255.`;
  return undefined;
}
