// Preflight over the fake ports: which references a task definition makes, how each answer becomes
// a result (found, missing, failed, not checked), the scan gate, pinning, and the rule that a
// refused check warns while bad credentials stop the step.
import { describe, expect, test } from '@jest/globals';
import { AwsCallError } from '../../src/aws/errors.js';
import type { EcrScan } from '../../src/aws/ports.js';
import type { JsonObject } from '../../src/lib/json.js';
import type { CheckContext } from '../../src/preflight/check-context.js';
import { imageRegistry } from '../../src/preflight/ecr-images.js';
import { collectReferences } from '../../src/preflight/references.js';
import { runPreflight } from '../../src/preflight/run.js';
import { countsOverThreshold, formatCounts } from '../../src/preflight/scan.js';
import { preflightSkippedProblem } from '../../src/stages/preflight.js';
import { preflightSummary } from '../../src/stages/preflight-report.js';
import { fakeLogs, fakeReferences } from '../fakes/aws.js';
import { FakeClock } from '../fakes/clock.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SM = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf';
const V2 = '0b6e4f2a-9c1d-4e8b-a7f3-5d2c1b0a9e8f';

function td(container: JsonObject = {}, more: JsonObject[] = []): JsonObject {
  return {
    family: 'web',
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    containerDefinitions: [
      {
        name: 'web',
        image: `${REGISTRY}/web:1.1`,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
        ...container,
      },
      ...more,
    ],
  };
}

function context(overrides: Partial<CheckContext> = {}) {
  const refs = fakeReferences();
  const logs = fakeLogs({ logGroupExists: async () => true });
  const ctx: CheckContext = {
    aws: { ...refs, logs },
    region: 'us-east-1',
    account: '123456789012',
    signal: new AbortController().signal,
    clock: new FakeClock(0),
    scanWaitMs: 120_000,
    memo: new Map(),
    ...overrides,
  };
  return { ctx, ...refs, logs };
}

const denied = (operation: string) =>
  new AwsCallError('denied', { kind: 'access-denied', operation, awsName: 'AccessDeniedException' });

describe('references', () => {
  test('images, env files, secrets, log secrets, registry credentials and awslogs groups, by path', () => {
    const refs = collectReferences(
      td({
        environmentFiles: [{ value: 'arn:aws:s3:::b/a.env', type: 's3' }],
        secrets: [{ name: 'DB', valueFrom: '/web/db' }],
        repositoryCredentials: { credentialsParameter: SM },
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1' },
          secretOptions: [{ name: 'TOKEN', valueFrom: '/web/token' }],
        },
      }),
    );
    expect(refs.map((r) => [r.kind, r.path, r.value])).toEqual([
      ['image', 'containerDefinitions[0].image', `${REGISTRY}/web:1.1`],
      ['env-file', 'containerDefinitions[0].environmentFiles[0].value', 'arn:aws:s3:::b/a.env'],
      ['secret', 'containerDefinitions[0].secrets[0].valueFrom', '/web/db'],
      ['secret', 'containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom', '/web/token'],
      ['secret', 'containerDefinitions[0].repositoryCredentials.credentialsParameter', SM],
      ['log-group', 'containerDefinitions[0].logConfiguration.options.awslogs-group', '/ecs/web'],
    ]);
    expect(refs.at(-1)?.region).toBe('eu-west-1');
  });

  test('awslogs-create-group: true leaves the group out', () => {
    const refs = collectReferences(
      td({
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-create-group': 'true' },
        },
      }),
    );
    expect(refs.map((r) => r.kind)).toEqual(['image']);
  });

  test('registries: private ECR of any account and region; others are not checked', () => {
    expect(imageRegistry('999988887777.dkr.ecr.eu-west-1.amazonaws.com/team/base:v1')).toEqual({
      ecr: {
        registryId: '999988887777',
        region: 'eu-west-1',
        repository: 'team/base',
        name: '999988887777.dkr.ecr.eu-west-1.amazonaws.com/team/base',
        tag: 'v1',
        digest: undefined,
      },
    });
    expect(imageRegistry('nginx:1.27')).toEqual({ notChecked: expect.stringContaining('Docker Hub') });
    expect(imageRegistry('public.ecr.aws/nginx/nginx:1')).toEqual({
      notChecked: expect.stringContaining('ECR Public'),
    });
    expect(imageRegistry('ghcr.io/acme/web:1')).toEqual({ notChecked: expect.stringContaining('ghcr.io') });
  });
});

describe('checks', () => {
  test('a missing image is an error naming the container, the reference and the path', async () => {
    const { ctx, ecr } = context();
    ecr.script.describeImage = async () => ({ missing: 'image' });
    const report = await runPreflight(ctx, td(), { pinImageDigest: false });
    expect(report.problems).toEqual([
      {
        severity: 'error',
        path: 'containerDefinitions[0].image',
        message: expect.stringMatching(
          /^Container 'web': image .*web:1\.1 does not exist: repository web .* has no image tagged 1\.1/,
        ),
      },
    ]);
  });

  test('ten containers with the same image make one DescribeImages call', async () => {
    const { ctx, ecr } = context();
    const more = Array.from({ length: 9 }, (_, i) => ({ name: `c${i}`, image: `${REGISTRY}/web:1.1` }));
    const report = await runPreflight(ctx, td({}, more), { pinImageDigest: false });
    expect(report.checks.filter((c) => c.status === 'found')).toHaveLength(11);
    expect(ecr.calls.filter((c) => c.method === 'describeImage')).toHaveLength(1);
  });

  test('pinning rewrites found ECR images to their digest, and leaves a digest alone', async () => {
    const { ctx } = context();
    const digest = `sha256:${'0'.repeat(64)}`;
    const pinnedAlready = { name: 'side', image: `${REGISTRY}/side@sha256:${'1'.repeat(64)}` };
    const report = await runPreflight(ctx, td({}, [pinnedAlready]), { pinImageDigest: true });
    expect(report.pins).toEqual([
      {
        container: 'web',
        path: 'containerDefinitions[0].image',
        from: `${REGISTRY}/web:1.1`,
        to: `${REGISTRY}/web@${digest}`,
      },
    ]);
    const containers = report.taskDefinition.containerDefinitions as JsonObject[];
    expect(containers.map((c) => c.image)).toEqual([`${REGISTRY}/web@${digest}`, pinnedAlready.image]);
  });

  test('a denied check is a warning naming the IAM action; the reference is not checked', async () => {
    const { ctx, logs } = context();
    logs.script.logGroupExists = async () => {
      throw denied('DescribeLogGroups');
    };
    const report = await runPreflight(ctx, td(), { pinImageDigest: false });
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('logs:DescribeLogGroups'),
      }),
    ]);
    expect(report.checks.map((c) => c.status)).toEqual(['found', 'not-checked']);
  });

  test('expired credentials stop the step', async () => {
    const { ctx, ecr } = context();
    ecr.script.describeImage = async () => {
      throw new AwsCallError('expired', { kind: 'credentials-expired', operation: 'DescribeImages' });
    };
    await expect(runPreflight(ctx, td(), { pinImageDigest: false })).rejects.toThrow('expired');
  });

  test('an SSM parameter shared from another account is not checked; by ARN in ours it is', async () => {
    const { ctx, ssm } = context();
    const names: string[] = [];
    ssm.script.parameterExists = async (q) => (names.push(`${q.region} ${q.name}`), true);
    const report = await runPreflight(
      ctx,
      td({
        secrets: [
          { name: 'A', valueFrom: 'arn:aws:ssm:us-east-1:999988887777:parameter/common/a' },
          { name: 'B', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/b' },
          { name: 'C', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/plain' },
        ],
      }),
      { pinImageDigest: false },
    );
    expect(names.sort()).toEqual(['eu-west-1 /web/b', 'us-east-1 plain']);
    expect(report.checks.find((c) => c.reference.variable === 'A')?.note).toMatch(
      /shared from account 999988887777/,
    );
  });

  test('Secrets Manager: the secret id without the JSON key and version; a missing version id', async () => {
    const { ctx, secrets } = context();
    secrets.script.describeSecret = async (q) => ({ arn: q.secretId, versions: { v1: ['AWSCURRENT'] } });
    const report = await runPreflight(
      ctx,
      td({
        secrets: [
          { name: 'A', valueFrom: `${SM}:user::${V2}` },
          { name: 'B', valueFrom: `${SM}:user:AWSCURRENT:` },
        ],
      }),
      { pinImageDigest: false },
    );
    expect(secrets.calls.map((c) => (c.args[0] as { secretId: string }).secretId)).toEqual([SM]);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`names version id ${V2}`),
    ]);
    expect(report.checks.find((c) => c.reference.variable === 'B')?.note).toMatch(
      /JSON key user not checked/,
    );
  });

  test('S3: 403 warns with both actions, another region is an error', async () => {
    const { ctx, s3 } = context();
    s3.script.headObject = async (q) =>
      q.bucket === 'locked' ? { kind: 'denied' } : { kind: 'other-region', bucketRegion: 'eu-west-1' };
    const report = await runPreflight(
      ctx,
      td({ environmentFiles: [{ value: 'arn:aws:s3:::locked/a.env' }, { value: 'arn:aws:s3:::eu/b.env' }] }),
      { pinImageDigest: false },
    );
    expect(report.problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', expect.stringMatching(/s3:GetObject .* s3:ListBucket/)],
      ['error', expect.stringMatching(/which is in eu-west-1, but the task runs in us-east-1/)],
    ]);
  });
});

describe('scans', () => {
  test('ranks: INFORMATIONAL and UNDEFINED are below LOW', () => {
    const counts = { INFORMATIONAL: 9, UNDEFINED: 2, LOW: 1, CRITICAL: 1 };
    expect(countsOverThreshold(counts, 'LOW')).toEqual({ LOW: 1, CRITICAL: 1 });
    expect(countsOverThreshold(counts, 'HIGH')).toEqual({ CRITICAL: 1 });
    expect(formatCounts(counts)).toBe('CRITICAL 1, LOW 1, INFORMATIONAL 9, UNDEFINED 2');
  });

  test('a running scan is waited for, then judged', async () => {
    const clock = new FakeClock(0);
    const { ctx, ecr } = context({ clock, failOnScanFindings: 'HIGH' });
    const answers: EcrScan[] = [
      { status: 'IN_PROGRESS', counts: {} },
      { status: 'IN_PROGRESS', counts: {} },
      { status: 'COMPLETE', counts: { HIGH: 2 } },
    ];
    ecr.script.describeScan = async () => answers.shift();
    const report = await runPreflight(ctx, td(), { pinImageDigest: false });
    expect(clock.now()).toBe(10_000);
    expect(report.checks[0].status).toBe('failed');
    expect(report.problems[0].message).toMatch(/at or above HIGH \(fail-on-scan-findings\): HIGH 2/);
  });

  test('a scan still running after the wait warns', async () => {
    const clock = new FakeClock(0);
    const { ctx, ecr } = context({ clock, failOnScanFindings: 'CRITICAL' });
    ecr.script.describeScan = async () => ({ status: 'IN_PROGRESS', counts: {} });
    const report = await runPreflight(ctx, td(), { pinImageDigest: false });
    expect(clock.now()).toBe(120_000);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('still IN_PROGRESS after 120 s'),
      }),
    ]);
  });
});

describe('review fixes', () => {
  test('an enhanced (Inspector) scan, status ACTIVE, is judged like a finished one', async () => {
    const { ctx, ecr } = context({ failOnScanFindings: 'CRITICAL' });
    ecr.script.describeScan = async () => ({ status: 'ACTIVE', counts: { CRITICAL: 1, LOW: 4 } });
    const report = await runPreflight(ctx, td(), { pinImageDigest: false });
    expect(report.checks[0].status).toBe('failed');
    expect(report.problems[0]).toMatchObject({ severity: 'error' });
  });

  test('an SSM ARN not found while the task account is unknown is not checked, not missing', async () => {
    const { ctx, ssm } = context({ account: undefined });
    ssm.script.parameterExists = async () => false;
    const report = await runPreflight(
      ctx,
      td({ secrets: [{ name: 'S', valueFrom: 'arn:aws:ssm:us-east-1:999988887777:parameter/common/p' }] }),
      { pinImageDigest: false },
    );
    const check = report.checks.find((c) => c.reference.variable === 'S');
    expect(check?.status).toBe('not-checked');
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  test('while the image inputs have a problem, images are not checked (the template is not what runs)', async () => {
    const { ctx, ecr } = context();
    ecr.script.describeImage = async () => ({ missing: 'image' });
    const report = await runPreflight(ctx, td(), {
      pinImageDigest: false,
      skipImages: 'the image input has a problem',
    });
    expect(ecr.calls).toEqual([]);
    expect(report.checks.find((c) => c.reference.kind === 'image')?.status).toBe('not-checked');
  });
});

describe('skipped when nothing rendered', () => {
  test('the problem list says preflight was skipped, and the summary why', () => {
    const preflight = { kind: 'skipped', why: 'unrendered' } as const;
    expect(preflightSkippedProblem(preflight)).toEqual({
      severity: 'warning',
      message: expect.stringMatching(
        /^Preflight was skipped: the task definition did not render \(unresolved placeholders/,
      ),
    });
    expect(preflightSkippedProblem({ kind: 'skipped', why: 'disabled' })).toBeUndefined();
    expect(preflightSummary(preflight)).toEqual({
      kind: 'skipped',
      why: 'the task definition did not render (unresolved placeholders, or inputs that could not be applied)',
    });
  });
});
