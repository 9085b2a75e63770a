// Format checks for the references a task definition hands to ECS: S3 environment-file ARNs and
// `secrets[].valueFrom` (SSM Parameter Store or Secrets Manager), per docs/ecs-behaviour.md, "Environment files", "Secrets".
// They return a reason sentence, not a Problem, because the input parser also uses them and names
// the input and line itself. References are not secret values, so the reasons quote them.

interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon; may contain colons (Secrets Manager's optional fields). */
  resource: string;
}

function parseArn(value: string): Arn | undefined {
  const parts = value.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(':') };
}

// The ARN parts every ARN check shares, as pattern sources (no anchors) so that src/inputs/shapes.ts
// can build whole-ARN patterns from them.
/** Commercial, China, GovCloud, the ISO partitions and the European sovereign cloud. */
export const ARN_PARTITION = 'aws(?:-cn|-us-gov|-iso(?:-[bef])?|-eusc)?';
/** us-east-1, cn-north-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1. */
export const ARN_REGION = '[a-z]{2,4}(?:-[a-z]+)+-\\d{1,2}';
export const ARN_ACCOUNT = '\\d{12}';

const PARTITION = new RegExp(`^${ARN_PARTITION}$`);
const REGION = new RegExp(`^${ARN_REGION}$`);
const ACCOUNT = new RegExp(`^${ARN_ACCOUNT}$`);

// ---------------------------------------------------------------------------------------------
// environmentFiles[].value

const ENV_FILE_FORM = 'arn:aws:s3:::<bucket>/<key>.env';

/** Why `value` is not an S3 object ARN ECS accepts as an environment file, or undefined. */
export function envFileArnProblem(value: string): string | undefined {
  if (value.trim() !== value) return `'${value}' has spaces around it; remove them.`;
  // The most common mistake: the s3:// URL the CLI prints instead of the ARN.
  const url = /^s3:\/\/([^/]+)\/(.+)$/i.exec(value);
  if (url) return `'${value}' is an S3 URL, but ECS needs the object ARN: arn:aws:s3:::${url[1]}/${url[2]}.`;
  const arn = parseArn(value);
  if (!arn) return `'${value}' is not an S3 object ARN; use the form ${ENV_FILE_FORM}.`;
  if (!PARTITION.test(arn.partition)) {
    return `'${value}' has an unknown partition '${arn.partition}'; use arn:aws:s3::: (arn:aws-cn:s3:::, arn:aws-us-gov:s3::: and so on in other partitions).`;
  }
  if (arn.service !== 's3')
    return `'${value}' is an ARN for ${arn.service}, not S3; use the form ${ENV_FILE_FORM}.`;
  if (arn.region || arn.account) {
    return `'${value}' has a region or account in it, but S3 object ARNs leave both empty; use the form ${ENV_FILE_FORM}.`;
  }
  const slash = arn.resource.indexOf('/');
  if (slash < 0 || slash === arn.resource.length - 1) {
    return `'${value}' names a bucket but no object; use the form ${ENV_FILE_FORM}.`;
  }
  const bucketProblem = s3BucketNameProblem(arn.resource.slice(0, slash));
  if (bucketProblem) return `'${value}' has an invalid bucket name: ${bucketProblem}.`;
  const key = arn.resource.slice(slash + 1);
  if (Buffer.byteLength(key, 'utf8') > 1024)
    return `'${value}' has an object key longer than S3's 1024 bytes.`;
  if (!key.endsWith('.env')) {
    return `'${value}' does not end in .env; ECS only accepts environment files with a .env extension (${ENV_FILE_FORM}).`;
  }
  return undefined;
}

const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** S3 general purpose bucket naming rules; the clause completes "has an invalid bucket name: …". */
export function s3BucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `'${bucket}' must be 3 to 63 characters long`;
  if (!/^[a-z0-9.-]+$/.test(bucket))
    return `'${bucket}' may only contain lowercase letters, digits, dots and hyphens`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(bucket)) return `'${bucket}' must start and end with a letter or digit`;
  if (bucket.includes('..')) return `'${bucket}' must not contain two dots in a row`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return `'${bucket}' must not look like an IP address`;
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => bucket.startsWith(p));
  if (prefix) return `'${bucket}' starts with the reserved prefix '${prefix}'`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => bucket.endsWith(s));
  if (suffix) return `'${bucket}' ends with the reserved suffix '${suffix}'`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// secrets[].valueFrom and logConfiguration.secretOptions[].valueFrom

export type SecretReferenceKind = 'ssm-name' | 'ssm-arn' | 'secretsmanager-arn';

const SECRET_FORMS =
  'use an SSM parameter name (/myapp/db-password), an SSM parameter ARN ' +
  '(arn:aws:ssm:<region>:<account>:parameter/<name>) or a Secrets Manager secret ARN ' +
  '(arn:aws:secretsmanager:<region>:<account>:secret:<name>)';
const SM_FIELDS_FORM =
  'arn:aws:secretsmanager:<region>:<account>:secret:<name>:<json-key>:<version-stage>:<version-id>';

/** Which store a valid `valueFrom` points at; undefined when the value is not valid. */
export function classifySecretReference(value: string): SecretReferenceKind | undefined {
  const result = inspectSecretReference(value);
  return 'kind' in result ? result.kind : undefined;
}

/** Why `value` is not a `valueFrom` ECS can resolve, or undefined. */
export function secretValueFromProblem(value: string): string | undefined {
  const result = inspectSecretReference(value);
  return 'problem' in result ? result.problem : undefined;
}

type Inspection = { kind: SecretReferenceKind } | { problem: string };

function inspectSecretReference(value: string): Inspection {
  if (value === '') return { problem: `the value is empty; ${SECRET_FORMS}.` };
  if (value.trim() !== value) return { problem: `'${value}' has spaces around it; remove them.` };
  if (!value.startsWith('arn:')) return inspectSsmName(value);
  const arn = parseArn(value);
  if (!arn) return { problem: `'${value}' is not a complete ARN; ${SECRET_FORMS}.` };
  if (arn.service !== 'ssm' && arn.service !== 'secretsmanager') {
    return {
      problem: `'${value}' is an ARN for ${arn.service || 'no service'}, but secrets come from SSM Parameter Store or Secrets Manager; ${SECRET_FORMS}.`,
    };
  }
  const where = arnLocationProblem(value, arn);
  if (where) return { problem: where };
  return arn.service === 'ssm' ? inspectSsmArn(value, arn) : inspectSecretsManagerArn(value, arn);
}

function arnLocationProblem(value: string, arn: Arn): string | undefined {
  if (!PARTITION.test(arn.partition)) return `'${value}' has an unknown partition '${arn.partition}'.`;
  if (!arn.region) {
    return `'${value}' has no Region; put the Region after the service, e.g. arn:aws:${arn.service}:us-east-1:123456789012:….`;
  }
  if (!REGION.test(arn.region))
    return `'${value}' has '${arn.region}' where a Region such as us-east-1 belongs.`;
  if (!ACCOUNT.test(arn.account))
    return `'${value}' has '${arn.account}' where the 12-digit account id belongs.`;
  return undefined;
}

// SSM parameter names: letters, digits and _.-/ up to 2048 characters; a hierarchical name is
// fully qualified with a leading slash. ECS resolves a bare name in the task's own Region.
const SSM_NAME = /^[a-zA-Z0-9_.\-/]+$/;

function inspectSsmName(value: string): Inspection {
  // The known trap (docs/ecs-behaviour.md, "Secrets"): `name:json-key::` is Secrets Manager syntax, but without the ARN ECS
  // takes the whole string as an SSM parameter name and fails when the task starts.
  const colon = value.indexOf(':');
  if (colon > 0 && !value.includes(':', colon + 1)) {
    // `name:2` / `name:label` works with GetParameters but not in ECS (containers-roadmap#859).
    return {
      problem:
        `'${value}' has a colon, which an SSM parameter name cannot contain: ECS does not support version or ` +
        `label selectors (name:version). If you meant a Secrets Manager JSON key, use the full secret ARN: ` +
        `arn:aws:secretsmanager:<region>:<account>:secret:${value.slice(0, colon)}:${value.slice(colon + 1)}::.`,
    };
  }
  if (colon > 0) {
    const name = value.slice(0, colon);
    const fields = value.slice(colon + 1);
    return {
      problem:
        `'${value}' looks like a Secrets Manager secret with a JSON key, version stage or version id, but only ` +
        `the full secret ARN takes those fields; ECS would read it as an SSM parameter name and fail. Use the full ` +
        `ARN: arn:aws:secretsmanager:<region>:<account>:secret:${name}:${fields}.`,
    };
  }
  const problem = ssmNameProblem(value, value);
  return problem ? { problem } : { kind: 'ssm-name' };
}

function ssmNameProblem(name: string, shown: string): string | undefined {
  if (name.length > 2048)
    return `'${shown}' is longer than the 2048 characters an SSM parameter name may have.`;
  if (!SSM_NAME.test(name)) {
    return `'${shown}' is not a valid SSM parameter name: use letters, digits and _ . - /; ${SECRET_FORMS}.`;
  }
  if (name.includes('//') || (name.length > 1 && name.endsWith('/'))) {
    return `'${shown}' is not a valid SSM parameter name: path levels are separated by single slashes and it cannot end with one.`;
  }
  if (name.includes('/') && !name.startsWith('/')) {
    return `'${shown}' is a hierarchical SSM parameter name without its leading slash; write /${name}.`;
  }
  return undefined;
}

function inspectSsmArn(value: string, arn: Arn): Inspection {
  if (!arn.resource.startsWith('parameter/')) {
    return {
      problem: `'${value}' is an SSM ARN but not a parameter ARN; use arn:aws:ssm:<region>:<account>:parameter/<name>.`,
    };
  }
  const name = arn.resource.slice('parameter/'.length);
  if (name.startsWith('/')) {
    // The ARN of /a/b is …:parameter/a/b; …:parameter//a/b does not resolve.
    const fixed = value.replace('parameter//', 'parameter/');
    return {
      problem: `'${value}' has a double slash after 'parameter'; the ARN of a hierarchical name is ${fixed}.`,
    };
  }
  if (name === '') return { problem: `'${value}' has no parameter name after 'parameter/'.` };
  const problem = ssmNameProblem(name.includes('/') ? `/${name}` : name, value);
  return problem ? { problem } : { kind: 'ssm-arn' };
}

// Secrets Manager names: 1-512 of letters, digits and /_+=.@-. The ARN may end in the random
// 6-character suffix or not (a partial ARN); both resolve, so the suffix is not required here.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;

function inspectSecretsManagerArn(value: string, arn: Arn): Inspection {
  if (!arn.resource.startsWith('secret:')) {
    return {
      problem: `'${value}' is a Secrets Manager ARN without 'secret:'; use arn:aws:secretsmanager:<region>:<account>:secret:<name>.`,
    };
  }
  const fields = arn.resource.slice('secret:'.length).split(':');
  const [name, , stage, versionId] = fields;
  if (!SECRET_NAME.test(name)) {
    return {
      problem: `'${value}' has an invalid secret name '${name}': use 1 to 512 letters, digits and / _ + = . @ -.`,
    };
  }
  if (fields.length === 2 || fields.length === 3) {
    return {
      problem:
        `'${value}' is missing colons: the optional fields after the secret name are positional, so when any is used ` +
        `all three colons must be present (${SM_FIELDS_FORM}), e.g. …:secret:${name}:${fields[1]}:: for a JSON key.`,
    };
  }
  if (fields.length > 4) {
    return {
      problem: `'${value}' has too many colons after the secret name; the form is ${SM_FIELDS_FORM}.`,
    };
  }
  if (stage && versionId) {
    return {
      problem: `'${value}' gives both a version stage and a version id, which are mutually exclusive; keep one (…::AWSPREVIOUS: or …:::<version-id>).`,
    };
  }
  if (versionId && !VERSION_ID.test(versionId)) {
    return {
      problem: `'${value}' has an invalid version id '${versionId}': it is 32 to 64 letters, digits and hyphens.`,
    };
  }
  return { kind: 'secretsmanager-arn' };
}

// ---------------------------------------------------------------------------------------------
// containerDefinitions[].image: the reference itself is checked in images.ts.

// <12-digit account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository> (docs/ecs-behaviour.md, "Images"); FIPS endpoints too.
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** True for a private ECR image, which Fargate pulls with the task execution role. */
export function isPrivateEcrImage(image: string): boolean {
  return PRIVATE_ECR.test(image);
}
