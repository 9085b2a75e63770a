// Preflight end to end: `node dist/index.js` against the emulator, whose ECR, S3, SSM, Secrets
// Manager and CloudWatch Logs hold (or lack) what the task definition points at. A missing
// resource stops the step with nothing written; a check the caller may not make warns and the
// deployment goes on; digests are pinned to what ECR holds; a scan over the threshold blocks.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mutatingCalls, startEmulator, type Emulator, type FaultRule } from '../../emulator/index.js';
import { runAction, unexpectedStderr, type RunActionResult } from '../../emulator/run-action.js';
import { baseSeed, deployInputs, REGISTRY, summarySection, type ScenarioRun } from './scenarios.js';

const ENV_FILE = 'arn:aws:s3:::config/prod/web.env';
const PARAMETER = '/web/db-url';
const OTHER_ACCOUNT = '999988887777';

let emulator: Emulator;

beforeAll(async () => {
  const seed = baseSeed();
  emulator = await startEmulator({
    speed: 600,
    seed: {
      ...seed,
      images: [
        ...(seed.images ?? []),
        { repository: 'web', tag: 'vuln', scanFindings: { CRITICAL: 1, HIGH: 2, LOW: 5 } },
        { repository: 'web', tag: 'clean', scanFindings: { LOW: 3, INFORMATIONAL: 4 } },
        { repository: 'web', tag: 'unscanned' },
        { repository: 'base', tag: 'v1', accountId: OTHER_ACCOUNT },
      ],
      buckets: [
        { name: 'locked', listable: false },
        { name: 'eu-config', region: 'eu-west-1' },
      ],
      objects: [
        { bucket: 'config', key: 'prod/web.env', body: 'LOG_LEVEL=info\n' },
        { bucket: 'eu-config', key: 'web.env', body: 'A=1\n' },
      ],
      parameters: [{ name: PARAMETER, value: 'postgres://db', type: 'SecureString' }],
      secrets: [{ name: 'web/db-password', value: 'hunter2' }],
    },
  });
});
afterAll(async () => {
  await emulator.stop();
});

interface Run {
  result: RunActionResult;
  operations: string[];
  mutating: string[];
}

/** One run of the action; `faults` apply to this run only. */
async function run(inputs: Record<string, string>, faults: FaultRule[] = []): Promise<Run> {
  emulator.setFaults(faults);
  const mark = emulator.requests.length;
  try {
    const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs: 60_000 });
    expect(unexpectedStderr(result.stderr)).toBe('');
    const requests = emulator.requests.slice(mark);
    return {
      result,
      operations: requests.map((r) => r.operation),
      mutating: mutatingCalls(requests).map((r) => r.operation),
    };
  } finally {
    emulator.setFaults([]);
  }
}

/** The problems' error annotations (not the step's own failure line). */
const errors = (r: Run) =>
  r.result.annotations
    .filter((a) => a.level === 'error' && !a.message.startsWith('Preflight found'))
    .map((a) => a.message);
const warnings = (r: Run) => r.result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const section = (r: Run) => summarySection({ result: r.result } as ScenarioRun, 'Preflight');

/** A deploy that does not wait: quick, and it still writes (RegisterTaskDefinition, UpdateService). */
const quick = (tag: string, extra: Record<string, string> = {}) =>
  deployInputs(tag, { 'wait-for-service-stability': 'false', ...extra });

function expectStoppedBeforeWrite(r: Run): void {
  expect(r.result.exitCode).toBe(1);
  expect(r.mutating).toEqual([]);
  expect(r.result.outputs.outcome).toBeUndefined();
  expect(r.result.summary).toContain('Nothing was written to AWS.');
}

describe('everything found', () => {
  test('an ECR image, an env file, secrets and the log group: checked, found, deployed', async () => {
    const secretArn = emulator.models.secretsmanager.arnOf('web/db-password')!;
    const r = await run(
      quick('1.1', { secrets: `DB_URL=${PARAMETER}\nPASSWORD=${secretArn}`, 'env-files': ENV_FILE }),
    );
    expect(r.result.exitCode).toBe(0);
    expect(r.mutating).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    // Metadata only: no value, object or layer was read.
    for (const op of [
      'DescribeImages',
      'HeadObject',
      'DescribeParameters',
      'DescribeSecret',
      'DescribeLogGroups',
    ])
      expect(r.operations).toContain(op);
    for (const op of ['GetObject', 'GetParameter', 'GetParameters', 'GetSecretValue', 'BatchGetImage'])
      expect(r.operations).not.toContain(op);
    const preflight = section(r);
    expect(preflight).toContain('5 references checked');
    expect(preflight).toContain('5 found, 0 missing or failed, 0 not checked');
    expect(preflight).toMatch(
      /Execution role `arn:aws:iam::123456789012:role\/ecsTaskExecutionRole`: ECS needs it for pulling ECR images, reading secrets, reading environment files, sending awslogs\./,
    );
    expect(r.result.log).toMatch(/Preflight: 5 references checked in \d+\.\d\d s\./);
  });
});

describe('a missing resource stops the step before any write', () => {
  test('an image tag that was never pushed', async () => {
    const r = await run(quick('9.9'));
    expectStoppedBeforeWrite(r);
    expect(errors(r)).toEqual([
      expect.stringMatching(
        /containerDefinitions\[0\]\.image: Container 'web': image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:9\.9 does not exist: repository web in registry 123456789012 in us-east-1 has no image tagged 9\.9/,
      ),
    ]);
    expect(r.operations).toContain('DescribeImages');
    expect(section(r)).toContain('❌ missing');
  });

  test('a repository that does not exist', async () => {
    const r = await run(quick('1.1', { image: `${REGISTRY}/wbe:1.1` }));
    expectStoppedBeforeWrite(r);
    expect(errors(r).join('\n')).toMatch(/there is no repository wbe in registry 123456789012/);
  });

  test('an SSM parameter with a typo, by name and by ARN', async () => {
    const arn = `arn:aws:ssm:us-east-1:123456789012:parameter/web/db-uri`;
    const r = await run(quick('1.1', { secrets: `DB_URL=/web/db-ulr\nDB_URI=${arn}\nOK=${PARAMETER}` }));
    expectStoppedBeforeWrite(r);
    const text = errors(r).join('\n');
    expect(text).toMatch(
      /Container 'web': secret DB_URL \/web\/db-ulr does not exist: there is no SSM parameter \/web\/db-ulr in us-east-1/,
    );
    expect(text).toContain(`secret DB_URI ${arn} does not exist: there is no SSM parameter /web/db-uri`);
    expect(text).not.toContain('secret OK');
    expect(r.operations).toContain('DescribeParameters');
    expect(r.operations).not.toContain('GetParameter');
    expect(r.operations).not.toContain('GetParameters');
  });

  test('a Secrets Manager secret that does not exist, and a version stage it does not have', async () => {
    const secretArn = emulator.models.secretsmanager.arnOf('web/db-password')!;
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-pasword-AbCdEf';
    const r = await run(
      quick('1.1', {
        secrets: `PASSWORD=${missing}\nOLD=${secretArn}::AWSPREVIOUS:\nKEY=${secretArn}:user::`,
      }),
    );
    expectStoppedBeforeWrite(r);
    const text = errors(r).join('\n');
    expect(text).toContain(
      `secret PASSWORD ${missing} does not exist: there is no secret web/db-pasword-AbCdEf`,
    );
    expect(text).toMatch(/secret OLD .* names version stage AWSPREVIOUS, which no version of secret/);
    expect(text).not.toContain('secret KEY');
    expect(section(r)).toMatch(/JSON key user not checked \(that would read the value\)/);
    expect(r.operations).toContain('DescribeSecret');
    expect(r.operations).not.toContain('GetSecretValue');
  });

  test('an env file that was not uploaded, and one in a bucket of another region', async () => {
    const r = await run(
      quick('1.1', { 'env-files': 'arn:aws:s3:::config/prod/missing.env\narn:aws:s3:::eu-config/web.env' }),
    );
    expectStoppedBeforeWrite(r);
    const text = errors(r).join('\n');
    expect(text).toContain(
      "Container 'web': environment file arn:aws:s3:::config/prod/missing.env does not exist: bucket config has no object prod/missing.env",
    );
    expect(text).toMatch(
      /environment file arn:aws:s3:::eu-config\/web\.env is in bucket eu-config, which is in eu-west-1, but the task runs in us-east-1/,
    );
    expect(r.operations).toContain('HeadObject');
    expect(r.operations).not.toContain('GetObject');
  });

  test('an awslogs group that does not exist', async () => {
    const r = await run(quick('1.1', { 'log-configuration-options': 'awslogs-group=/ecs/nope' }));
    expectStoppedBeforeWrite(r);
    expect(errors(r).join('\n')).toContain(
      "Container 'web': awslogs group /ecs/nope does not exist in us-east-1",
    );
  });

  test('awslogs-create-group: true leaves the group to ECS', async () => {
    const r = await run(
      quick('1.1', { 'log-configuration-options': 'awslogs-group=/ecs/nope\nawslogs-create-group=true' }),
    );
    expect(r.result.exitCode).toBe(0);
    expect(r.operations).not.toContain('DescribeLogGroups');
  });

  test('several missing things come out in one list, in one run', async () => {
    const r = await run(
      quick('9.9', {
        secrets: 'DB_URL=/web/db-ulr',
        'env-files': 'arn:aws:s3:::config/prod/missing.env',
        'log-configuration-options': 'awslogs-group=/ecs/nope',
      }),
    );
    expectStoppedBeforeWrite(r);
    expect(errors(r)).toHaveLength(4);
    expect(r.result.summary).toContain('### Problems (4)');
  });

  test('a dry run with a preflight error fails like a real run', async () => {
    const r = await run(deployInputs('9.9', { 'dry-run': 'true' }));
    expectStoppedBeforeWrite(r);
    expect(errors(r).join('\n')).toMatch(/web:9\.9 does not exist/);
  });

  test('preflight: false skips the checks', async () => {
    const r = await run(quick('9.9', { preflight: 'false' }));
    expect(r.result.exitCode).toBe(0);
    expect(r.operations).not.toContain('DescribeImages');
    expect(r.mutating).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});

describe('a check the caller may not make warns, and the deployment goes on', () => {
  test('denied ECR, SSM and Logs reads name the IAM action to grant', async () => {
    const r = await run(quick('1.1', { secrets: `DB_URL=${PARAMETER}` }), [
      { operation: 'DescribeImages', kind: 'access-denied', rate: 1 },
      { operation: 'DescribeParameters', kind: 'access-denied', rate: 1 },
      { operation: 'DescribeLogGroups', kind: 'access-denied', rate: 1 },
    ]);
    expect(r.result.exitCode).toBe(0);
    expect(r.result.outputs.outcome).toBe('started');
    expect(r.mutating).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    const text = warnings(r).join('\n');
    expect(text).toMatch(
      /Container 'web': image .*web:1\.1 was not checked: DescribeImages was denied\. Grant .* ecr:DescribeImages/,
    );
    expect(text).toMatch(
      /secret DB_URL \/web\/db-url was not checked: DescribeParameters was denied\. Grant .* ssm:DescribeParameters/,
    );
    expect(text).toMatch(
      /awslogs group \/ecs\/web was not checked: DescribeLogGroups was denied\. Grant .* logs:DescribeLogGroups/,
    );
    expect(section(r)).toContain('not checked');
  });

  test('S3 403 (no s3:ListBucket) is a warning naming s3:GetObject and s3:ListBucket, never a missing file', async () => {
    const r = await run(quick('1.1', { 'env-files': 'arn:aws:s3:::locked/missing.env' }));
    expect(r.result.exitCode).toBe(0);
    expect(errors(r)).toEqual([]);
    expect(warnings(r).join('\n')).toMatch(
      /environment file arn:aws:s3:::locked\/missing\.env was not checked: S3 answered 403.*s3:GetObject.*s3:ListBucket/,
    );
  });

  test('an image in another account that the caller may not read is reported as not checked', async () => {
    const r = await run(quick('1.1', { image: `${OTHER_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/base:v1` }));
    expect(r.result.exitCode).toBe(0);
    expect(warnings(r).join('\n')).toMatch(
      /base:v1 was not checked: DescribeImages was denied\. Grant .* ecr:DescribeImages .*resource policy/,
    );
  });

  test('images outside ECR are reported as not checked', async () => {
    const r = await run(quick('1.1', { image: 'public.ecr.aws/nginx/nginx:1.27' }));
    expect(r.result.exitCode).toBe(0);
    expect(section(r)).toMatch(/public\.ecr\.aws\/nginx\/nginx:1\.27.*not checked: ECR Public/);
  });
});

describe('digests and scans', () => {
  test('pin-image-digest registers the digest the emulator ECR holds, and the summary shows tag and digest', async () => {
    const digest = emulator.models.ecr.resolve('web', '1.1')!;
    const r = await run(quick('1.1', { 'pin-image-digest': 'true' }));
    expect(r.result.exitCode).toBe(0);
    const registered = JSON.parse(r.result.renderedTaskDefinition ?? '{}');
    expect(registered.containerDefinitions[0].image).toBe(`${REGISTRY}/web@${digest}`);
    expect(section(r)).toContain(`\`${REGISTRY}/web:1.1\` → \`${REGISTRY}/web@${digest}\``);
    const register = emulator.requests.filter((q) => q.operation === 'RegisterTaskDefinition').at(-1);
    expect(register?.status).toBe(200);
  });

  test('a scan with findings at or above the threshold blocks, listing the counts', async () => {
    const r = await run(quick('vuln', { 'fail-on-scan-findings': 'HIGH' }));
    expectStoppedBeforeWrite(r);
    expect(errors(r).join('\n')).toMatch(
      /image .*web:vuln has ECR scan findings at or above HIGH \(fail-on-scan-findings\): CRITICAL 1, HIGH 2 \(all findings: CRITICAL 1, HIGH 2, LOW 5\)/,
    );
    expect(r.operations).toContain('DescribeImageScanFindings');
  });

  test('findings below the threshold pass; INFORMATIONAL ranks below LOW', async () => {
    const r = await run(quick('clean', { 'fail-on-scan-findings': 'MEDIUM' }));
    expect(r.result.exitCode).toBe(0);
    const low = await run(quick('clean', { 'fail-on-scan-findings': 'LOW' }));
    expect(low.result.exitCode).toBe(1);
    expect(errors(low).join('\n')).toMatch(/LOW 3 \(all findings: LOW 3, INFORMATIONAL 4\)/);
  });

  test('an image without a scan gets a warning', async () => {
    const r = await run(quick('unscanned', { 'fail-on-scan-findings': 'CRITICAL' }));
    expect(r.result.exitCode).toBe(0);
    expect(warnings(r).join('\n')).toMatch(
      /web:unscanned has no ECR scan, so fail-on-scan-findings \(CRITICAL\) could not be applied/,
    );
  });

  test('a denied scan read warns, naming ecr:DescribeImageScanFindings', async () => {
    const r = await run(quick('vuln', { 'fail-on-scan-findings': 'HIGH' }), [
      { operation: 'DescribeImageScanFindings', kind: 'access-denied', rate: 1 },
    ]);
    expect(r.result.exitCode).toBe(0);
    expect(warnings(r).join('\n')).toContain('ecr:DescribeImageScanFindings');
  });
});
