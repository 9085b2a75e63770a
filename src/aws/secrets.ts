// SecretsPort (src/aws/ports.ts) over Secrets Manager, for preflight: does a secret exist, and
// which versions and stages it has. DescribeSecret only, never GetSecretValue.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RegionalClient } from './clients.js';
import { AwsCallError, awsCall } from './errors.js';
import type { SecretsPort } from './ports.js';

export function createSecretsPort(client: RegionalClient<SecretsManagerClient>): SecretsPort {
  return {
    async describeSecret(query, options = {}) {
      const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const sm = await client(query.region);
      try {
        const out = await awsCall('DescribeSecret', () =>
          sm.send(
            new DescribeSecretCommand({ SecretId: query.secretId }),
            options.signal ? { abortSignal: options.signal } : {},
          ),
        );
        return { arn: out.ARN ?? query.secretId, versions: out.VersionIdsToStages ?? {} };
      } catch (err) {
        if (err instanceof AwsCallError && err.awsName === 'ResourceNotFoundException') return undefined;
        throw err;
      }
    },
  };
}
