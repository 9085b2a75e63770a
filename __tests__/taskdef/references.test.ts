import { describe, test, expect } from '@jest/globals';
import {
  classifySecretReference,
  envFileArnProblem,
  isPrivateEcrImage,
  secretValueFromProblem,
} from '../../src/taskdef/references.js';

const SM = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const VERSION_ID = 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE';
const FORMS =
  'use an SSM parameter name (/myapp/db-password), an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>) ' +
  'or a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)';
const SM_FIELDS =
  'arn:aws:secretsmanager:<region>:<account>:secret:<name>:<json-key>:<version-stage>:<version-id>';

describe('envFileArnProblem', () => {
  test.each([
    'arn:aws:s3:::my-config/app.env',
    'arn:aws:s3:::my.config.bucket/prod/web/app.env',
    'arn:aws-cn:s3:::cfg-bucket/app.env',
    'arn:aws-us-gov:s3:::cfg-bucket/a/b/.env',
    'arn:aws-iso-b:s3:::cfg-bucket/app.env',
  ])('accepts %s', (value) => {
    expect(envFileArnProblem(value)).toBeUndefined();
  });

  test.each([
    [
      's3://my-config/app.env',
      "'s3://my-config/app.env' is an S3 URL, but ECS needs the object ARN: arn:aws:s3:::my-config/app.env.",
    ],
    [
      'my-config/app.env',
      "'my-config/app.env' is not an S3 object ARN; use the form arn:aws:s3:::<bucket>/<key>.env.",
    ],
    [' arn:aws:s3:::cfg/app.env', "' arn:aws:s3:::cfg/app.env' has spaces around it; remove them."],
    [
      'arn:aws-foo:s3:::cfg/app.env',
      "'arn:aws-foo:s3:::cfg/app.env' has an unknown partition 'aws-foo'; use arn:aws:s3::: (arn:aws-cn:s3:::, arn:aws-us-gov:s3::: and so on in other partitions).",
    ],
    [
      'arn:aws:ssm:::cfg/app.env',
      "'arn:aws:ssm:::cfg/app.env' is an ARN for ssm, not S3; use the form arn:aws:s3:::<bucket>/<key>.env.",
    ],
    [
      'arn:aws:s3:us-east-1:123456789012:cfg/app.env',
      "'arn:aws:s3:us-east-1:123456789012:cfg/app.env' has a region or account in it, but S3 object ARNs leave both empty; use the form arn:aws:s3:::<bucket>/<key>.env.",
    ],
    [
      'arn:aws:s3:::cfg',
      "'arn:aws:s3:::cfg' names a bucket but no object; use the form arn:aws:s3:::<bucket>/<key>.env.",
    ],
    [
      'arn:aws:s3:::cfg/',
      "'arn:aws:s3:::cfg/' names a bucket but no object; use the form arn:aws:s3:::<bucket>/<key>.env.",
    ],
    [
      'arn:aws:s3:::My_Bucket/app.env',
      "'arn:aws:s3:::My_Bucket/app.env' has an invalid bucket name: 'My_Bucket' may only contain lowercase letters, digits, dots and hyphens.",
    ],
    [
      'arn:aws:s3:::ab/app.env',
      "'arn:aws:s3:::ab/app.env' has an invalid bucket name: 'ab' must be 3 to 63 characters long.",
    ],
    [
      'arn:aws:s3:::-cfg/app.env',
      "'arn:aws:s3:::-cfg/app.env' has an invalid bucket name: '-cfg' must start and end with a letter or digit.",
    ],
    [
      'arn:aws:s3:::my..cfg/app.env',
      "'arn:aws:s3:::my..cfg/app.env' has an invalid bucket name: 'my..cfg' must not contain two dots in a row.",
    ],
    [
      'arn:aws:s3:::192.168.1.1/app.env',
      "'arn:aws:s3:::192.168.1.1/app.env' has an invalid bucket name: '192.168.1.1' must not look like an IP address.",
    ],
    [
      'arn:aws:s3:::xn--cfg/app.env',
      "'arn:aws:s3:::xn--cfg/app.env' has an invalid bucket name: 'xn--cfg' starts with the reserved prefix 'xn--'.",
    ],
    [
      'arn:aws:s3:::cfg-s3alias/app.env',
      "'arn:aws:s3:::cfg-s3alias/app.env' has an invalid bucket name: 'cfg-s3alias' ends with the reserved suffix '-s3alias'.",
    ],
    [
      'arn:aws:s3:::cfg/app.ENV',
      "'arn:aws:s3:::cfg/app.ENV' does not end in .env; ECS only accepts environment files with a .env extension (arn:aws:s3:::<bucket>/<key>.env).",
    ],
  ])('rejects %s', (value, reason) => {
    expect(envFileArnProblem(value)).toBe(reason);
  });
});

describe('secretValueFromProblem and classifySecretReference', () => {
  test.each([
    ['db-password', 'ssm-name'],
    ['/prod/web/db-password', 'ssm-name'],
    ['/prod/web/db_password.v2', 'ssm-name'],
    ['arn:aws:ssm:us-east-1:123456789012:parameter/db-password', 'ssm-arn'],
    ['arn:aws:ssm:eu-west-3:123456789012:parameter/prod/web/db-password', 'ssm-arn'],
    ['arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x', 'ssm-arn'],
    [SM, 'secretsmanager-arn'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db', 'secretsmanager-arn'],
    [`${SM}:username::`, 'secretsmanager-arn'],
    [`${SM}::AWSPREVIOUS:`, 'secretsmanager-arn'],
    [`${SM}:::${VERSION_ID}`, 'secretsmanager-arn'],
    [`${SM}:username:AWSPREVIOUS:`, 'secretsmanager-arn'],
    [`${SM}:username::${VERSION_ID}`, 'secretsmanager-arn'],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf', 'secretsmanager-arn'],
    ['arn:aws-iso:ssm:us-iso-east-1:123456789012:parameter/x', 'ssm-arn'],
    ['arn:aws-eusc:secretsmanager:eusc-de-east-1:123456789012:secret:db', 'secretsmanager-arn'],
  ])('accepts %s as %s', (value, kind) => {
    expect(secretValueFromProblem(value)).toBeUndefined();
    expect(classifySecretReference(value)).toBe(kind);
  });

  test.each([
    ['', `the value is empty; ${FORMS}.`],
    ['/db ', "'/db ' has spaces around it; remove them."],
    // The known trap: Secrets Manager field syntax without the ARN is read as an SSM name.
    [
      'prod/db:username::',
      "'prod/db:username::' looks like a Secrets Manager secret with a JSON key, version stage or version id, but only the full secret ARN takes those fields; ECS would read it as an SSM parameter name and fail. Use the full ARN: arn:aws:secretsmanager:<region>:<account>:secret:prod/db:username::.",
    ],
    [
      '/prod/db:2',
      "'/prod/db:2' has a colon, which an SSM parameter name cannot contain: ECS does not support version or label selectors (name:version). If you meant a Secrets Manager JSON key, use the full secret ARN: arn:aws:secretsmanager:<region>:<account>:secret:/prod/db:2::.",
    ],
    ['prod/db', "'prod/db' is a hierarchical SSM parameter name without its leading slash; write /prod/db."],
    [
      '/prod//db',
      "'/prod//db' is not a valid SSM parameter name: path levels are separated by single slashes and it cannot end with one.",
    ],
    [
      '/prod/db/',
      "'/prod/db/' is not a valid SSM parameter name: path levels are separated by single slashes and it cannot end with one.",
    ],
    [
      'db password',
      `'db password' is not a valid SSM parameter name: use letters, digits and _ . - /; ${FORMS}.`,
    ],
    [
      'x'.repeat(2049),
      `'${'x'.repeat(2049)}' is longer than the 2048 characters an SSM parameter name may have.`,
    ],
    ['arn:aws:ssm:us-east-1', `'arn:aws:ssm:us-east-1' is not a complete ARN; ${FORMS}.`],
    [
      'arn:aws:s3:::bucket/key',
      `'arn:aws:s3:::bucket/key' is an ARN for s3, but secrets come from SSM Parameter Store or Secrets Manager; ${FORMS}.`,
    ],
    [
      'arn:aws:ssm:us-east-1:123456789012:parameter//prod/db',
      "'arn:aws:ssm:us-east-1:123456789012:parameter//prod/db' has a double slash after 'parameter'; the ARN of a hierarchical name is arn:aws:ssm:us-east-1:123456789012:parameter/prod/db.",
    ],
    [
      'arn:aws:ssm:us-east-1:123456789012:document/x',
      "'arn:aws:ssm:us-east-1:123456789012:document/x' is an SSM ARN but not a parameter ARN; use arn:aws:ssm:<region>:<account>:parameter/<name>.",
    ],
    [
      'arn:aws:ssm:us-east-1:123456789012:parameter/',
      "'arn:aws:ssm:us-east-1:123456789012:parameter/' has no parameter name after 'parameter/'.",
    ],
    [
      'arn:aws:ssm::123456789012:parameter/db',
      "'arn:aws:ssm::123456789012:parameter/db' has no Region; put the Region after the service, e.g. arn:aws:ssm:us-east-1:123456789012:….",
    ],
    [
      'arn:aws:ssm:useast1:123456789012:parameter/db',
      "'arn:aws:ssm:useast1:123456789012:parameter/db' has 'useast1' where a Region such as us-east-1 belongs.",
    ],
    [
      'arn:aws:ssm:us-east-1:1234:parameter/db',
      "'arn:aws:ssm:us-east-1:1234:parameter/db' has '1234' where the 12-digit account id belongs.",
    ],
    [
      'arn:aws:secretsmanager:us-east-1:123456789012:prod/db',
      "'arn:aws:secretsmanager:us-east-1:123456789012:prod/db' is a Secrets Manager ARN without 'secret:'; use arn:aws:secretsmanager:<region>:<account>:secret:<name>.",
    ],
    [
      `${SM}:username`,
      `'${SM}:username' is missing colons: the optional fields after the secret name are positional, so when any is used all three colons must be present (${SM_FIELDS}), e.g. …:secret:prod/db-AbCdEf:username:: for a JSON key.`,
    ],
    [
      `${SM}:username:`,
      `'${SM}:username:' is missing colons: the optional fields after the secret name are positional, so when any is used all three colons must be present (${SM_FIELDS}), e.g. …:secret:prod/db-AbCdEf:username:: for a JSON key.`,
    ],
    [`${SM}:a:b:c:d`, `'${SM}:a:b:c:d' has too many colons after the secret name; the form is ${SM_FIELDS}.`],
    [
      `${SM}::AWSCURRENT:${VERSION_ID}`,
      `'${SM}::AWSCURRENT:${VERSION_ID}' gives both a version stage and a version id, which are mutually exclusive; keep one (…::AWSPREVIOUS: or …:::<version-id>).`,
    ],
    [
      `${SM}:::v1`,
      `'${SM}:::v1' has an invalid version id 'v1': it is 32 to 64 letters, digits and hyphens.`,
    ],
    [
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod db',
      "'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod db' has an invalid secret name 'prod db': use 1 to 512 letters, digits and / _ + = . @ -.",
    ],
  ])('rejects %s', (value, reason) => {
    expect(secretValueFromProblem(value)).toBe(reason);
    expect(classifySecretReference(value)).toBeUndefined();
  });
});

describe('isPrivateEcrImage', () => {
  test.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1', true],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1', true],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web', true],
    ['public.ecr.aws/docker/library/nginx:1', false],
    ['nginx', false],
    ['evil.example.com/123456789012.dkr.ecr.us-east-1.amazonaws.com/web', false],
  ])('%s -> %s', (image, expected) => {
    expect(isPrivateEcrImage(image)).toBe(expected);
  });
});
