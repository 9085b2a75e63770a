// EcrPort (src/aws/ports.ts) over ECR, for preflight: does an image exist, and what did its scan
// find. Only metadata is read (DescribeImages, DescribeImageScanFindings); no layer is pulled.
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RegionalClient } from './clients.js';
import { AwsCallError, awsCall } from './errors.js';
import type { CallOptions, EcrImageQuery, EcrPort } from './ports.js';

const sendOptions = (options: CallOptions = {}) => (options.signal ? { abortSignal: options.signal } : {});

function imageId(query: EcrImageQuery): { imageTag?: string; imageDigest?: string } {
  return query.digest ? { imageDigest: query.digest } : { imageTag: query.tag };
}

export function createEcrPort(client: RegionalClient<ECRClient>): EcrPort {
  return {
    async describeImage(query, options) {
      const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
      const ecr = await client(query.region);
      try {
        const out = await awsCall('DescribeImages', () =>
          ecr.send(
            new DescribeImagesCommand({
              registryId: query.registryId,
              repositoryName: query.repository,
              imageIds: [imageId(query)],
            }),
            sendOptions(options),
          ),
        );
        const detail = out.imageDetails?.[0];
        if (!detail?.imageDigest) return { missing: 'image' };
        return { image: { digest: detail.imageDigest, tags: detail.imageTags ?? [] } };
      } catch (err) {
        if (err instanceof AwsCallError && err.awsName === 'RepositoryNotFoundException')
          return { missing: 'repository' };
        if (err instanceof AwsCallError && err.awsName === 'ImageNotFoundException')
          return { missing: 'image' };
        throw err;
      }
    },

    async describeScan(query, options) {
      const { DescribeImageScanFindingsCommand } = await import('@aws-sdk/client-ecr');
      const ecr = await client(query.region);
      try {
        // One finding is enough: the counts per severity come with the first page.
        const out = await awsCall('DescribeImageScanFindings', () =>
          ecr.send(
            new DescribeImageScanFindingsCommand({
              registryId: query.registryId,
              repositoryName: query.repository,
              imageId: { imageDigest: query.digest },
              maxResults: 1,
            }),
            sendOptions(options),
          ),
        );
        const counts: Record<string, number> = {};
        for (const [severity, n] of Object.entries(out.imageScanFindings?.findingSeverityCounts ?? {})) {
          if (typeof n === 'number' && n > 0) counts[severity] = n;
        }
        return {
          status: out.imageScanStatus?.status ?? 'UNKNOWN',
          description: out.imageScanStatus?.description,
          counts,
        };
      } catch (err) {
        if (err instanceof AwsCallError && err.awsName === 'ScanNotFoundException') return undefined;
        throw err;
      }
    },
  };
}
