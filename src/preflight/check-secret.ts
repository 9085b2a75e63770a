// A secret's `valueFrom`: the SSM parameter (DescribeParameters by name, never GetParameter(s),
// which read values) or the Secrets Manager secret (DescribeSecret, never GetSecretValue) exists,
// in the ARN's own region and account, with the version stage or id the ARN names. The JSON key
// cannot be checked without reading the value, so it is not.
import type { SecretVersions } from '../aws/ports.js';
import { classifySecretReference } from '../taskdef/references.js';
import { guarded, notChecked, once, problem, type CheckContext } from './check-context.js';
import type { CheckResult, Reference } from './types.js';

interface ArnParts {
  region: string;
  account: string;
  resource: string;
  /** `arn:<partition>:<service>:<region>:<account>:` */
  prefix: string;
}

function arnParts(arn: string): ArnParts {
  const [, partition, service, region, account, ...rest] = arn.split(':');
  return {
    region,
    account,
    resource: rest.join(':'),
    prefix: `arn:${partition}:${service}:${region}:${account}:`,
  };
}

export async function checkSecret(ctx: CheckContext, ref: Reference): Promise<CheckResult> {
  switch (classifySecretReference(ref.value)) {
    case 'ssm-name':
      return checkParameter(ctx, ref, { region: ctx.region, name: ref.value });
    case 'ssm-arn': {
      const arn = arnParts(ref.value);
      if (ctx.account && arn.account !== ctx.account) {
        return notChecked(
          ref,
          `not checked: a parameter shared from account ${arn.account} cannot be seen by DescribeParameters`,
        );
      }
      const path = arn.resource.replace(/^parameter/, '');
      // `parameter/a/b` is the parameter `/a/b`; `parameter/name` is `name`.
      const name = path.slice(1).includes('/') ? path : path.slice(1);
      return checkParameter(ctx, ref, { region: arn.region, name, account: arn.account });
    }
    case 'secretsmanager-arn':
      return checkSecretsManager(ctx, ref);
    default:
      // Validation reports a malformed valueFrom.
      return notChecked(ref, 'not checked: not a valueFrom ECS can resolve');
  }
}

function checkParameter(
  ctx: CheckContext,
  ref: Reference,
  query: { region: string; name: string; account?: string },
) {
  return guarded(ref, async (): Promise<CheckResult> => {
    const where = { region: query.region, name: query.name };
    const exists = await once(ctx, `ssm ${query.region} ${query.name}`, () =>
      ctx.aws.ssm.parameterExists(where, { signal: ctx.signal }),
    );
    if (exists) return { reference: ref, status: 'found', note: 'value not read', problems: [] };
    // An ARN of an account the step cannot tell apart from its own may name a parameter shared
    // from that account, which DescribeParameters never lists: not found is then not missing.
    if (query.account && !ctx.account) {
      return notChecked(
        ref,
        `not checked: not found in this account, and ${query.account} may be another account sharing it (DescribeParameters lists only the caller's own parameters)`,
      );
    }
    const message = `does not exist: there is no SSM parameter ${query.name} in ${query.region}${ctx.account ? ` (account ${ctx.account})` : ''}. Create it, or fix the name.`;
    return { reference: ref, status: 'missing', problems: [problem(ref, 'error', message)] };
  });
}

/** `secret:<name>[:<json-key>[:<version-stage>[:<version-id>]]]`. */
function checkSecretsManager(ctx: CheckContext, ref: Reference): Promise<CheckResult> {
  const arn = arnParts(ref.value);
  const [, name, jsonKey, stage, versionId] = arn.resource.split(':');
  const secretId = `${arn.prefix}secret:${name}`;
  return guarded(ref, async (): Promise<CheckResult> => {
    const secret = await once(ctx, `sm ${secretId}`, () =>
      ctx.aws.secrets.describeSecret({ region: arn.region, secretId }, { signal: ctx.signal }),
    );
    if (!secret) {
      const message = `does not exist: there is no secret ${name} in ${arn.region} (account ${arn.account}). Create it, or fix the ARN.`;
      return { reference: ref, status: 'missing', problems: [problem(ref, 'error', message)] };
    }
    const version = versionProblem(secret, stage, versionId);
    if (version) return { reference: ref, status: 'missing', problems: [problem(ref, 'error', version)] };
    const note = jsonKey ? `JSON key ${jsonKey} not checked (that would read the value)` : 'value not read';
    return { reference: ref, status: 'found', note, problems: [] };
  });
}

function versionProblem(secret: SecretVersions, stage?: string, versionId?: string): string | undefined {
  if (versionId) {
    const stages = secret.versions[versionId];
    if (!stages) return `names version id ${versionId}, which secret ${secret.arn} does not have.`;
    if (stage && !stages.includes(stage)) {
      return `names version id ${versionId} with stage ${stage}, but that version's stages are ${stages.join(', ') || 'none'}.`;
    }
    return undefined;
  }
  if (stage && !Object.values(secret.versions).some((s) => s.includes(stage))) {
    return `names version stage ${stage}, which no version of secret ${secret.arn} has.`;
  }
  return undefined;
}
