import { describe, expect, it } from '@jest/globals';

import { maskValue, redactSecrets, secretInputValues, secretLikeName } from '../../src/lib/mask.js';

describe('secretLikeName', () => {
  it.each([
    'DB_PASSWORD',
    'dbPassword',
    'DBPASSWORD',
    'db-passwd',
    'SMTP_PASS',
    'CLIENT_SECRET',
    'GITHUB_TOKEN',
    'apiKey',
    'API_KEY',
    'STRIPE_KEY',
    'PRIVATE_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'BASIC_AUTH',
    'SENTRY_DSN',
    'AZURE_CONNECTION_STRING',
    'ssh.passphrase',
  ])('%s looks secret', (name) => {
    expect(secretLikeName(name)).toBe(true);
  });

  it.each([
    'LOG_LEVEL',
    'PORT',
    'FEATURE_X',
    'AUTHOR',
    'BYPASS_CACHE',
    'KMS_KEY_ID',
    'NODE_ENV',
    'KEYBOARD',
    '',
  ])('%s does not', (name) => {
    expect(secretLikeName(name)).toBe(false);
  });
});

describe('maskValue', () => {
  it('hides the whole value of a secret-looking name', () => {
    expect(maskValue('DB_PASSWORD', 'hunter2')).toBe('***');
    expect(maskValue('DB_PASSWORD', '')).toBe('***');
  });

  it('keeps other values, with embedded credentials redacted', () => {
    expect(maskValue('LOG_LEVEL', 'debug')).toBe('debug');
    expect(maskValue('DATABASE_URL', 'postgres://web:pw-123@db:5432/app')).toBe(
      'postgres://web:***@db:5432/app',
    );
    expect(maskValue('ODBC', 'Server=db;User Id=web;Password=pw-456;')).toBe(
      'Server=db;User Id=web;Password=***;',
    );
  });
});

describe('redactSecrets', () => {
  it('redacts assignments, JSON fields, bearer tokens and private keys, and nothing else', () => {
    const input = [
      'login with PASSWORD=pw-1 as user=web',
      '{"client_secret":"cs-2","region":"eu-west-1"}',
      'token: tk-3',
      'Authorization: Bearer abcdefghijkl-4',
      '-----BEGIN PRIVATE KEY-----\nMIIEv-5\n-----END PRIVATE KEY-----',
    ].join('\n');
    const out = redactSecrets(input);
    for (const secret of ['pw-1', 'cs-2', 'tk-3', 'abcdefghijkl-4', 'MIIEv-5'])
      expect(out).not.toContain(secret);
    expect(out).toContain('user=web');
    expect(out).toContain('"region":"eu-west-1"');
  });

  it('leaves image references and ARNs alone, even with secret-looking words in them', () => {
    const refs = [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/token-service:1.2',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf',
      'https://example.com/path',
    ];
    for (const ref of refs) expect(redactSecrets(ref)).toBe(ref);
  });
});

describe('redactSecrets inside a harmless assignment', () => {
  it('masks a secret assignment that is the value of a harmless one', () => {
    expect(redactSecrets('failed: DB_PASSWORD=hunter2 was rejected')).toBe(
      'failed: DB_PASSWORD=*** was rejected',
    );
    expect(redactSecrets('env: API_TOKEN="abc def"')).toBe('env: API_TOKEN="***"');
    expect(redactSecrets('mode: fast')).toBe('mode: fast');
  });
});

describe('redactSecrets and AWS error texts', () => {
  it('leaves error names and key ids alone, so AWS messages stay readable', () => {
    const expired = 'ExpiredTokenException: The security token included in the request is expired';
    expect(redactSecrets(expired)).toBe(expired);
    expect(redactSecrets('AccessKeyId: AKIAEXAMPLE is invalid')).toBe('AccessKeyId: AKIAEXAMPLE is invalid');
    expect(redactSecrets('SECRET_KEY: abc')).toBe('SECRET_KEY: ***');
  });
});

describe('secretInputValues', () => {
  it('returns the non-empty values of secret-looking names from the inputs', () => {
    const none = { set: [], remove: [] };
    expect(
      secretInputValues({
        environment: {
          set: [
            { name: 'DB_PASSWORD', value: 'hunter2' },
            { name: 'LOG_LEVEL', value: 'debug' },
            { name: 'API_TOKEN', value: '' },
          ],
          remove: [],
        },
        dockerLabels: none,
        logOptions: { set: [{ name: 'splunk-token', value: 'tok-1' }], remove: [] },
        vars: { SIGNING_KEY: 'k-1', IMAGE_TAG: '1.2' },
      }),
    ).toEqual(['hunter2', 'tok-1', 'k-1']);
  });
});
