import { describe, expect, it } from '@jest/globals';
import { AccessDeniedException, ClientException, ServerException } from '@aws-sdk/client-ecs';
import {
  AwsCallError,
  awsCall,
  classifyAwsError,
  describeAwsError,
  iamActionFor,
  toAwsCallError,
  transientCause,
  withSessionHint,
} from '../../src/aws/errors.js';

const meta = (status: number) => ({ httpStatusCode: status, attempts: 6, totalRetryDelay: 0 });

function sdkError(
  name: string,
  message: string,
  status: number,
  fault: 'client' | 'server' = 'client',
): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: meta(status) });
}

describe('classifyAwsError', () => {
  it.each([
    ['AccessDeniedException', 400, 'access-denied'],
    ['AccessDenied', 403, 'access-denied'],
    ['UnauthorizedOperation', 400, 'access-denied'],
    ['SomethingForbidden', 403, 'access-denied'],
    ['ExpiredTokenException', 400, 'credentials-expired'],
    ['ExpiredToken', 403, 'credentials-expired'],
    ['InvalidClientTokenId', 403, 'credentials-invalid'],
    ['UnrecognizedClientException', 400, 'credentials-invalid'],
    ['CredentialsProviderError', 0, 'credentials-missing'],
    ['ThrottlingException', 400, 'retryable'],
    ['TooManyRequestsException', 429, 'retryable'],
    ['ServerException', 500, 'retryable'],
    ['ServiceUnavailable', 503, 'retryable'],
    ['InvalidParameterException', 400, 'other'],
    ['ClusterNotFoundException', 400, 'other'],
  ] as const)('%s (HTTP %i) is %s', (name, status, kind) => {
    expect(classifyAwsError(sdkError(name, 'x', status))).toBe(kind);
  });
  it('treats network errors as retryable and plain errors as other', () => {
    expect(classifyAwsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('retryable');
    expect(classifyAwsError(new Error('bug'))).toBe('other');
    expect(classifyAwsError('a string')).toBe('other');
  });
  it('classifies the SDK exception classes themselves', () => {
    expect(classifyAwsError(new AccessDeniedException({ message: 'no', $metadata: meta(400) }))).toBe(
      'access-denied',
    );
    expect(classifyAwsError(new ServerException({ message: 'boom', $metadata: meta(500) }))).toBe(
      'retryable',
    );
    expect(
      classifyAwsError(new ClientException({ message: 'TaskDefinition not found.', $metadata: meta(400) })),
    ).toBe('other');
  });
});

describe('iamActionFor', () => {
  it('maps operations to IAM actions', () => {
    expect(iamActionFor('UpdateService')).toBe('ecs:UpdateService');
    expect(iamActionFor('DescribeImages')).toBe('ecr:DescribeImages');
    expect(iamActionFor('GetLogEvents')).toBe('logs:GetLogEvents');
    expect(iamActionFor('GetSecretValue')).toBe('secretsmanager:GetSecretValue');
    expect(iamActionFor('iam:PassRole')).toBe('iam:PassRole');
  });
});

describe('describeAwsError', () => {
  it('names the IAM action and keeps AWS own message for access denied', () => {
    const message =
      'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web';
    expect(describeAwsError(sdkError('AccessDeniedException', message, 400), 'UpdateService')).toBe(
      `UpdateService was denied: the role this workflow uses needs the IAM permission ecs:UpdateService (check its policy, permissions boundary and any SCP). AWS said: ${message}`,
    );
  });
  it('says the credentials expired, with a hint when the wait outlives a one-hour session', () => {
    const err = sdkError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
      400,
    );
    expect(describeAwsError(err, 'DescribeServices', { waitForMinutes: 75 })).toBe(
      'DescribeServices failed: the AWS credentials have expired (ExpiredTokenException: The security token included in the request is expired). wait-for-minutes is 75, which outlives a one-hour role session: raise role-duration-seconds in aws-actions/configure-aws-credentials to cover the whole step, or lower wait-for-minutes.',
    );
    expect(describeAwsError(err, 'DescribeServices', { waitForMinutes: 30 })).toContain(
      'last one hour unless role-duration-seconds',
    );
  });
  it('says the credentials are invalid or missing', () => {
    expect(
      describeAwsError(
        sdkError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          400,
        ),
        'RegisterTaskDefinition',
      ),
    ).toMatch(
      /^RegisterTaskDefinition failed: AWS rejected the credentials \(UnrecognizedClientException: The security token included in the request is invalid\.\)/,
    );
    expect(
      describeAwsError(
        sdkError('CredentialsProviderError', 'Could not load credentials from any providers', 0),
        'DescribeServices',
      ),
    ).toContain('no AWS credentials were found');
  });
  it('flags what is left after retries as transient', () => {
    expect(describeAwsError(sdkError('ThrottlingException', 'Rate exceeded', 400), 'DescribeServices')).toBe(
      'DescribeServices failed after retries: ThrottlingException: Rate exceeded (throttling, a network error or an AWS server error; it may clear by itself).',
    );
  });
  it('gives anything else as operation, name and message', () => {
    expect(
      describeAwsError(sdkError('ClientException', 'TaskDefinition not found.', 400), 'UpdateService'),
    ).toBe('UpdateService failed: ClientException: TaskDefinition not found.');
    expect(describeAwsError(new Error('socket hang up'), 'ListTasks')).toBe(
      'ListTasks failed: socket hang up',
    );
  });
});

describe('AwsCallError', () => {
  it('carries fatal, operation and the IAM action', () => {
    const denied = toAwsCallError(sdkError('AccessDeniedException', 'no', 400), 'DescribeServiceDeployments');
    expect(denied).toBeInstanceOf(AwsCallError);
    expect(denied).toMatchObject({
      fatal: true,
      kind: 'access-denied',
      operation: 'DescribeServiceDeployments',
      iamAction: 'ecs:DescribeServiceDeployments',
      awsName: 'AccessDeniedException',
    });
    const throttled = toAwsCallError(
      sdkError('ThrottlingException', 'Rate exceeded', 400),
      'DescribeServices',
    );
    expect(throttled).toMatchObject({ fatal: false, kind: 'retryable', iamAction: undefined });
    expect(toAwsCallError(throttled, 'Other')).toBe(throttled);
  });
  it('awsCall wraps failures and passes results through', async () => {
    await expect(awsCall('ListTasks', async () => 42)).resolves.toBe(42);
    await expect(
      awsCall('ListTasks', async () => {
        throw sdkError('InvalidParameterException', 'bad', 400);
      }),
    ).rejects.toMatchObject({
      name: 'AwsCallError',
      fatal: true,
      message: 'ListTasks failed: InvalidParameterException: bad',
    });
  });
});

describe('transientCause', () => {
  it('tells throttling, the network and AWS server errors apart, for raw and wrapped errors', () => {
    const throttled = sdkError('ThrottlingException', 'Rate exceeded', 400);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    const timedOut = Object.assign(new Error('the request socket did not establish a connection'), {
      name: 'TimeoutError',
    });
    const server = sdkError('ServerException', 'boom', 500, 'server');
    expect([throttled, refused, timedOut, server].map((e) => transientCause(e))).toEqual([
      'throttling',
      'network',
      'network',
      'server',
    ]);
    expect(transientCause(toAwsCallError(refused, 'DescribeServices'))).toBe('network');
    expect(transientCause(sdkError('AccessDeniedException', 'no', 400))).toBeUndefined();
  });
  it('adds the session-length hint to expired credentials only', () => {
    const expired = toAwsCallError(sdkError('ExpiredTokenException', 'expired', 400), 'DescribeServices');
    expect(withSessionHint(expired, 90).message).toContain('wait-for-minutes is 90');
    const denied = toAwsCallError(sdkError('AccessDeniedException', 'no', 400), 'DescribeServices');
    expect(withSessionHint(denied, 90)).toBe(denied);
  });
});
