// ECR as a preflight check sees it: scan status and findings, images by tag or digest, other
// accounts' and regions' repositories, and seeded denials, through the real ECR client.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';

import { imageDigest, type Emulator } from '../../emulator/index.js';
import { clientOptions, failure, OTHER, OWN, START, startPreflightEmulator } from './preflight-helpers.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;
let emu: Emulator;
const ecr = (region = 'us-east-1') => new ECRClient(clientOptions(emu, region));

beforeAll(async () => {
  emu = await startPreflightEmulator({
    images: [
      { repository: 'web', tag: 'clean', scanFindings: {} },
      {
        repository: 'web',
        tag: 'vulnerable',
        digest: DIGEST,
        scanFindings: { CRITICAL: 2, HIGH: 3, LOW: 150 },
      },
      { repository: 'web', tag: 'scanning', scanStatus: 'IN_PROGRESS', scanFindings: { MEDIUM: 1 } },
      { repository: 'web', tag: 'unscanned' },
      { repository: 'web', tag: 'odd-os', scanStatus: 'UNSUPPORTED_IMAGE' },
      { repository: 'base', tag: 'v1', accountId: OTHER, sharedWith: [OWN], scanFindings: { HIGH: 1 } },
      { repository: 'private', tag: 'v1', accountId: OTHER },
      { repository: 'eu-web', tag: 'v1', region: 'eu-west-1' },
    ],
    deny: [{ action: 'ecr:DescribeImageScanFindings', resource: '*:repository/eu-web' }],
  });
});

afterAll(async () => {
  await emu.stop();
});

describe('ECR scans', () => {
  it('DescribeImages carries the scan status and severity counts of a scanned image', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'vulnerable' }] }),
    );
    const image = out.imageDetails?.[0];
    expect(image?.imageDigest).toBe(DIGEST);
    expect(image?.imageScanStatus).toEqual({
      status: 'COMPLETE',
      description: 'The scan was completed successfully.',
    });
    expect(image?.imageScanFindingsSummary).toEqual({
      imageScanCompletedAt: new Date(START),
      vulnerabilitySourceUpdatedAt: new Date(START),
      findingSeverityCounts: { CRITICAL: 2, HIGH: 3, LOW: 150 },
    });
  });

  it('an image seeded without a scan has neither field; a clean scan has empty counts', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({
        repositoryName: 'web',
        imageIds: [{ imageTag: 'unscanned' }, { imageTag: 'clean' }],
      }),
    );
    const [unscanned, clean] = out.imageDetails ?? [];
    expect(unscanned?.imageScanStatus).toBeUndefined();
    expect(unscanned?.imageScanFindingsSummary).toBeUndefined();
    expect(clean?.imageScanStatus?.status).toBe('COMPLETE');
    expect(clean?.imageScanFindingsSummary?.findingSeverityCounts).toEqual({});
  });

  it('DescribeImageScanFindings: counts and findings, paged, by tag or digest', async () => {
    const first = await ecr().send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'vulnerable' } }),
    );
    expect(first.registryId).toBe(OWN);
    expect(first.imageId).toEqual({ imageDigest: DIGEST, imageTag: 'vulnerable' });
    expect(first.imageScanStatus?.status).toBe('COMPLETE');
    expect(first.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 3, LOW: 150 });
    const findings = first.imageScanFindings?.findings ?? [];
    expect(findings).toHaveLength(100);
    expect(findings.slice(0, 3).map((f) => f.severity)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH']);
    expect(findings[0]).toMatchObject({
      name: 'CVE-2025-10001',
      uri: expect.stringContaining('CVE-2025-10001'),
    });
    expect(first.nextToken).toBeDefined();

    const rest = await ecr().send(
      new DescribeImageScanFindingsCommand({
        repositoryName: 'web',
        imageId: { imageDigest: DIGEST },
        nextToken: first.nextToken,
      }),
    );
    expect(rest.imageScanFindings?.findings).toHaveLength(55);
    expect(rest.nextToken).toBeUndefined();
  });

  it('an IN_PROGRESS scan has no findings yet and completes after a simulated minute', async () => {
    const ask = () =>
      ecr().send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'scanning' } }),
      );
    const before = await ask();
    expect(before.imageScanStatus?.status).toBe('IN_PROGRESS');
    expect(before.imageScanFindings).toBeUndefined();
    emu.advance(60_000);
    const after = await ask();
    expect(after.imageScanStatus?.status).toBe('COMPLETE');
    expect(after.imageScanFindings?.findingSeverityCounts).toEqual({ MEDIUM: 1 });
    expect(after.imageScanFindings?.imageScanCompletedAt).toEqual(new Date(START + 60_000));
  });

  it('a scan that could not run reports its status and no findings', async () => {
    const out = await ecr().send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'odd-os' } }),
    );
    expect(out.imageScanStatus?.status).toBe('UNSUPPORTED_IMAGE');
    expect(out.imageScanFindings).toBeUndefined();
  });

  it('ScanNotFoundException for an image without a scan, also one pushed with PutImage', async () => {
    const unscanned = await failure(
      ecr().send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'unscanned' } }),
      ),
    );
    expect(unscanned.name).toBe('ScanNotFoundException');
    expect(unscanned.message).toBe(
      `Image scan does not exist for the image with '{imageDigest:'${imageDigest('web', 'unscanned')}', ` +
        `imageTag:'unscanned'}' in the repository with name 'web' in the registry with id '${OWN}'`,
    );
    await ecr().send(
      new PutImageCommand({
        repositoryName: 'web',
        imageTag: 'pushed',
        imageManifest: '{"schemaVersion":2}',
      }),
    );
    const pushed = await failure(
      ecr().send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'pushed' } }),
      ),
    );
    expect(pushed.name).toBe('ScanNotFoundException');
  });

  it('ImageNotFoundException and RepositoryNotFoundException as ECR words them', async () => {
    const image = await failure(
      ecr().send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'web', imageId: { imageTag: 'nope' } }),
      ),
    );
    expect([image.name, image.message]).toEqual([
      'ImageNotFoundException',
      "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository " +
        `with name 'web' in the registry with id '${OWN}'`,
    ]);
    const repo = await failure(
      ecr().send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'gone', imageId: { imageTag: 'v1' } }),
      ),
    );
    expect([repo.name, repo.message]).toEqual([
      'RepositoryNotFoundException',
      `The repository with name 'gone' does not exist in the registry with id '${OWN}'`,
    ]);
  });
});

describe('ECR across accounts and regions', () => {
  it('reads a repository of another account shared with us, by registryId', async () => {
    const out = await ecr().send(
      new DescribeImagesCommand({
        registryId: OTHER,
        repositoryName: 'base',
        imageIds: [{ imageTag: 'v1' }],
      }),
    );
    expect(out.imageDetails?.[0]).toMatchObject({
      registryId: OTHER,
      repositoryName: 'base',
      imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 1 } },
    });
    const got = await ecr().send(
      new BatchGetImageCommand({ registryId: OTHER, repositoryName: 'base', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(got.images?.[0]?.registryId).toBe(OTHER);
  });

  it("refuses another account's repository without a policy, and names the registry of a missing one", async () => {
    const denied = await failure(
      ecr().send(
        new DescribeImagesCommand({
          registryId: OTHER,
          repositoryName: 'private',
          imageIds: [{ imageTag: 'v1' }],
        }),
      ),
    );
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toBe(
      `User: arn:aws:sts::${OWN}:assumed-role/deploy/gha is not authorized to perform: ecr:DescribeImages ` +
        `on resource: arn:aws:ecr:us-east-1:${OTHER}:repository/private ` +
        'because no resource-based policy allows the ecr:DescribeImages action',
    );
    const missing = await failure(
      ecr().send(
        new DescribeImagesCommand({
          registryId: OTHER,
          repositoryName: 'web',
          imageIds: [{ imageTag: 'clean' }],
        }),
      ),
    );
    expect([missing.name, missing.message]).toEqual([
      'RepositoryNotFoundException',
      `The repository with name 'web' does not exist in the registry with id '${OTHER}'`,
    ]);
  });

  it('a repository lives in one region: found there, not from another region', async () => {
    const eu = await ecr('eu-west-1').send(
      new DescribeImagesCommand({ repositoryName: 'eu-web', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(eu.imageDetails?.[0]?.imageDigest).toBe(imageDigest('eu-web', 'v1'));
    const us = await failure(
      ecr().send(new DescribeImagesCommand({ repositoryName: 'eu-web', imageIds: [{ imageTag: 'v1' }] })),
    );
    expect(us.name).toBe('RepositoryNotFoundException');
    // And the other way round: us-east-1's repository is not in eu-west-1.
    const web = await failure(ecr('eu-west-1').send(new DescribeImagesCommand({ repositoryName: 'web' })));
    expect(web.name).toBe('RepositoryNotFoundException');
  });

  it('a seeded denial refuses one operation on one repository with the IAM message, not retried', async () => {
    const denied = await failure(
      ecr('eu-west-1').send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'eu-web', imageId: { imageTag: 'v1' } }),
      ),
    );
    expect([denied.name, denied.$metadata.attempts]).toEqual(['AccessDeniedException', 1]);
    expect(denied.message).toBe(
      `User: arn:aws:sts::${OWN}:assumed-role/deploy/gha is not authorized to perform: ` +
        `ecr:DescribeImageScanFindings on resource: arn:aws:ecr:eu-west-1:${OWN}:repository/eu-web ` +
        'because no identity-based policy allows the ecr:DescribeImageScanFindings action',
    );
    // Other operations on it, and the same operation elsewhere, still answer.
    await expect(
      ecr('eu-west-1').send(new DescribeImagesCommand({ repositoryName: 'eu-web' })),
    ).resolves.toBeDefined();
    expect(emu.requests.at(-2)).toMatchObject({
      operation: 'DescribeImageScanFindings',
      error: 'AccessDeniedException',
    });
  });
});
