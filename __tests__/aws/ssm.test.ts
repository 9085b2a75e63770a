import { expect, it } from '@jest/globals';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createSsmPort } from '../../src/aws/ssm.js';

it('finds a top-level parameter whether the reference writes its leading slash or not', async () => {
  const mock = mockClient(SSMClient);
  mock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/rootp' }] });
  const port = createSsmPort(async () => new SSMClient({ region: 'us-east-1' }));
  expect(await port.parameterExists({ region: 'us-east-1', name: 'rootp' })).toBe(true);
  expect(await port.parameterExists({ region: 'us-east-1', name: '/rootp' })).toBe(true);
  expect(await port.parameterExists({ region: 'us-east-1', name: 'other' })).toBe(false);
  mock.restore();
});
