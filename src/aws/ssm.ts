// SsmPort (src/aws/ports.ts) over SSM Parameter Store, for preflight: does a parameter exist.
// DescribeParameters by exact name, never GetParameter(s), which read (and decrypt) values.
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { RegionalClient } from './clients.js';
import { awsCall } from './errors.js';
import type { SsmPort } from './ports.js';

export function createSsmPort(client: RegionalClient<SSMClient>): SsmPort {
  return {
    async parameterExists(query, options = {}) {
      const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm');
      const ssm = await client(query.region);
      const out = await awsCall('DescribeParameters', () =>
        ssm.send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [query.name] }],
          }),
          options.signal ? { abortSignal: options.signal } : {},
        ),
      );
      // A top-level name may be written with or without its leading slash (`/db`, `db`), and
      // DescribeParameters matches it either way: compare the same way.
      const bare = (name: string | undefined) => name?.replace(/^\//, '');
      return (out.Parameters ?? []).some((p) => bare(p.Name) === bare(query.name));
    },
  };
}
