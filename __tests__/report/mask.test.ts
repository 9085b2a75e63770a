import { describe, expect, it } from '@jest/globals';

import {
  isSecretFlag,
  maskArguments,
  maskValue,
  redactSecrets,
  secretArguments,
  secretInputValues,
  secretLikeName,
  secretValuesIn,
} from '../../src/lib/mask.js';
import { secretTaskDefinitionValues, shownValue } from '../../src/lib/mask-taskdef.js';
import { formatProblem, ProblemsError, type Problem } from '../../src/lib/problems.js';
import { renderFailureSummary } from '../../src/report/failure.js';
import { outcomeLine, problemAnnotation } from '../../src/report/log.js';
import { renderSummary } from '../../src/report/summary.js';
import type { DeploymentResult } from '../../src/rollout/types.js';
import { diffTaskDefinitions, formatDiff } from '../../src/taskdef/diff.js';

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

// Test tokens are put together at run time, so secret scanners never flag this file.
const alnum = (n: number, seed = 'aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z'): string =>
  Array.from({ length: n }, (_, i) => seed[(i * 7) % seed.length]).join('');
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiJkZXBsb3kifQ', alnum(43)].join('.');
const GITHUB = {
  ghp: `ghp_${alnum(36)}`,
  ghs: `ghs_${alnum(36)}`,
  gho: `gho_${alnum(36)}`,
  ghu: `ghu_${alnum(36)}`,
  ghr: `ghr_${alnum(36)}`,
  github_pat: `github_pat_${alnum(22)}_${alnum(59)}`,
};
const AWS_KEY_ID = `AKIA${'IOSFODNN7EXAMPLE'}`;
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`;
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA7',
  alnum(64),
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redactSecrets by shape', () => {
  it.each([
    ['a JSON web token', JWT],
    ...Object.entries(GITHUB).map(([prefix, value]) => [`a GitHub ${prefix} token`, value]),
    ['an AWS access key id (AKIA)', AWS_KEY_ID],
    ['an AWS access key id (ASIA)', `ASIA${'Y34FZKBOKMUTVV7A'}`],
    ['a Stripe live secret key', `sk_live_${alnum(24)}`],
    ['a Stripe restricted key', `rk_live_${alnum(24)}`],
    ['a Stripe test key', `sk_test_${alnum(24)}`],
    ['a Stripe webhook secret', `whsec_${alnum(32)}`],
    ['a Slack bot token', `xoxb-${'1234567890'}-${alnum(24)}`],
    ['a Slack user token', `xoxp-${'1234567890'}-${alnum(24)}`],
    ['a Google API key', `AIza${alnum(35)}`],
    ['a SendGrid key', `SG.${alnum(22)}.${alnum(43)}`],
    ['an npm token', `npm_${alnum(36)}`],
    ['an OpenAI project key', `sk-proj-${alnum(40)}-${alnum(20)}`],
    ['an OpenAI legacy key', `sk-${alnum(48)}`],
    ['an Anthropic key', `sk-ant-api03-${alnum(60)}`],
    ['a Twilio API key', `SK${'0123456789abcdef0123456789abcdef'}`],
    ['a GitLab token', `glpat-${alnum(20)}`],
  ])('hides %s under a plain name, alone or inside text', (_what, secret) => {
    expect(redactSecrets(secret)).toBe('***');
    expect(redactSecrets(`value ${secret} was used`)).toBe('value *** was used');
    expect(redactSecrets(`"MODE":"${secret}"`)).toBe('"MODE":"***"');
    expect(maskValue('MODE', secret)).toBe('***');
  });

  it('hides a private key block, and the start of one cut off', () => {
    expect(redactSecrets(`key:\n${PEM}\nafter`)).toBe('key:\n***\nafter');
    expect(redactSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1')).toBe('***');
  });

  it('hides the password of a URL and of an image reference, keeping the user and host', () => {
    expect(redactSecrets('https://deploy:pw-1@registry.example.com/web:1')).toBe(
      'https://deploy:***@registry.example.com/web:1',
    );
    expect(redactSecrets('"deploy:pw-2@registry.example.com/web:1" is not valid')).toBe(
      '"deploy:***@registry.example.com/web:1" is not valid',
    );
    expect(redactSecrets('image deploy:pw-3@localhost:5000/web')).toBe('image deploy:***@localhost:5000/web');
    expect(redactSecrets('same:same@registry.example.com/web')).toBe('same:***@registry.example.com/web');
  });

  it('hides an AWS secret access key on the line of its key id, and nowhere else', () => {
    expect(redactSecrets(`keys ${AWS_KEY_ID} ${AWS_SECRET}`)).toBe('keys *** ***');
    expect(redactSecrets(`only ${AWS_SECRET}`)).toBe(`only ${AWS_SECRET}`);
    expect(redactSecrets(`aws_secret_access_key = ${AWS_SECRET}`)).toBe('aws_secret_access_key = ***');
  });

  it('hides the value after a secret-looking flag in a command line or a JSON array', () => {
    expect(redactSecrets('app --db-password pw-4 --port 80')).toBe('app --db-password *** --port 80');
    expect(redactSecrets('app --db-password=pw-5 --port=80')).toBe('app --db-password=*** --port=80');
    expect(redactSecrets("app --token 'a b' --api-key k-6")).toBe("app --token '***' --api-key ***");
    expect(redactSecrets('["app","--api-key","k-7","--port","80"]')).toBe(
      '["app","--api-key","***","--port","80"]',
    );
    // A switch followed by another flag has no value; a single-letter flag is never a secret one.
    expect(redactSecrets('app --auth --verbose')).toBe('app --auth --verbose');
    expect(redactSecrets('docker run -p 8080 -t app')).toBe('docker run -p 8080 -t app');
  });

  it.each([
    ['a git SHA', '0123456789abcdef0123456789abcdef01234567'],
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['an image digest', `web@sha256:${'a1b2c3d4'.repeat(8)}`],
    ['an image with tag and digest', `registry.example.com/web:1.2@sha256:${'0f'.repeat(32)}`],
    ['a registry with a port', 'localhost:5000/web:1.2'],
    ['an ARN', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42'],
    [
      'a Secrets Manager ARN with @ in the name',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:team@corp/db',
    ],
    ['an IAM role ARN', 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole'],
    ['ordinary words', 'The deployment failed: essential container exited (token bucket, sketch-mode)'],
    ['a base64 JSON blob without dots', 'eyJhIjoxLCJiIjoyfQ=='],
    ['an image named like a key', 'registry.example.com/sk-learn-models-2024-production:1'],
    ['a Twilio account sid (not a key)', `AC${'0123456789abcdef0123456789abcdef'}`],
    ['an email address', 'ops@example.com'],
    ['a key id too short to be one', 'AKIAEXAMPLE'],
    ['a 40-character mixed-case id with no key id near it', AWS_SECRET],
  ])('leaves %s alone', (_what, text) => {
    expect(redactSecrets(text)).toBe(text);
    expect(secretValuesIn(text)).toEqual([]);
  });
});

describe('secretValuesIn', () => {
  it('returns exactly the hidden parts', () => {
    expect(secretValuesIn(`token ${GITHUB.ghp} at https://u:pw-8@h.example.com/x`)).toEqual([
      GITHUB.ghp,
      'pw-8',
    ]);
    expect(secretValuesIn('plain text')).toEqual([]);
  });
});

describe('maskArguments and secretArguments', () => {
  const command = [
    'app',
    '--db-password',
    'pw-9',
    '--token=tk-10',
    '--port',
    '80',
    '-p',
    '5432',
    `--x=${JWT}`,
  ];

  it('hides the argument after a secret flag, the value after `=`, and secret shapes', () => {
    expect(maskArguments(command)).toEqual([
      'app',
      '--db-password',
      '***',
      '--token=***',
      '--port',
      '80',
      '-p',
      '5432',
      '--x=***',
    ]);
    expect(secretArguments(command).sort()).toEqual([JWT, 'pw-9', 'tk-10'].sort());
  });

  it('treats a flag followed by another flag, or by nothing, as a switch', () => {
    expect(maskArguments(['app', '--auth', '--verbose', '--password'])).toEqual([
      'app',
      '--auth',
      '--verbose',
      '--password',
    ]);
    expect(secretArguments(['app', '--auth', '--verbose', '--password', '--secret='])).toEqual([]);
  });
});

describe('isSecretFlag', () => {
  it.each(['--password', '--db-password', '--api-key', '--token', '-token', '--client_secret', '--auth'])(
    '%s takes a secret',
    (flag) => expect(isSecretFlag(flag)).toBe(true),
  );
  it.each(['-p', '-k', '--port', '--verbose', '--author', 'password', '--', '---token'])(
    '%s does not',
    (flag) => expect(isSecretFlag(flag)).toBe(false),
  );
});

describe('secretInputValues beyond names', () => {
  const none = { set: [], remove: [] };
  it('adds secret-shaped values under plain names, command flag values and image credentials', () => {
    const values = secretInputValues({
      environment: {
        set: [
          { name: 'SESSION', value: JWT },
          { name: 'GH', value: GITHUB.ghp },
          { name: 'DATABASE_URL', value: 'postgres://web:pw-11@db.example.com/app' },
          { name: 'LOG_LEVEL', value: 'debug' },
        ],
        remove: [],
      },
      dockerLabels: none,
      logOptions: none,
      vars: { TAG: '0123456789abcdef0123456789abcdef01234567' },
      command: ['app', '--db-password', 'pw-12'],
      images: [{ image: 'deploy:pw-13@registry.example.com/web:1', input: 'image' }],
    });
    expect(values).toEqual([JWT, GITHUB.ghp, 'pw-11', 'pw-12', 'pw-13']);
  });

  it('gives each value once, and a multi-line secret line by line too', () => {
    const values = secretInputValues({
      environment: {
        set: [
          { name: 'TLS_KEY', value: PEM },
          { name: 'A_TOKEN', value: 'same-1' },
          { name: 'B_TOKEN', value: 'same-1' },
        ],
        remove: [],
      },
      dockerLabels: none,
      logOptions: none,
      vars: {},
    });
    expect(values).toEqual([PEM, 'MIIEpAIBAAKCAQEA7', alnum(64), 'same-1']);
  });
});

describe('secretTaskDefinitionValues', () => {
  it('returns the values of a rendered task definition the runner must mask, and no references', () => {
    const td = {
      family: 'web',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'web',
          image: 'registry.example.com/web:1',
          command: ['app', '--api-key', 'k-14'],
          environment: [
            { name: 'DB_PASSWORD', value: 'pw-15' },
            { name: 'SESSION', value: JWT },
            { name: 'LOG_LEVEL', value: 'debug' },
          ],
          secrets: [
            { name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/token' },
          ],
          repositoryCredentials: {
            credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry',
          },
          dockerLabels: { 'auth.token': 'lt-16', team: 'web' },
          logConfiguration: {
            logDriver: 'splunk',
            options: { 'splunk-token': 'st-17', 'splunk-url': 'https://s' },
          },
        },
      ],
    };
    expect(secretTaskDefinitionValues(td)).toEqual(['k-14', 'pw-15', JWT, 'lt-16', 'st-17']);
  });
});

describe('shownValue', () => {
  it('hides by name, by flag and by shape; references are shown as they are', () => {
    expect(shownValue('pw', { name: 'DB_PASSWORD', reference: false })).toBe('***');
    expect(shownValue(JWT, { name: 'SESSION', reference: false })).toBe('***');
    expect(shownValue(['app', '--db-password', 'pw'], { name: 'command', reference: false })).toBe(
      '["app","--db-password","***"]',
    );
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password';
    expect(shownValue(arn, { name: 'DB_PASSWORD', reference: true })).toBe(arn);
    expect(shownValue(null, { name: 'x', reference: false })).toBeUndefined();
  });
});

describe('every place a value is quoted goes through the same masking', () => {
  const badImage = `"deploy:pw-20@registry.example.com/web:1" is not a valid image reference.`;
  const problem: Problem = { severity: 'error', input: 'image', message: badImage };
  const warning: Problem = {
    severity: 'warning',
    path: 'containerDefinitions[0]',
    message: `saw ${GITHUB.ghs}`,
  };
  const leaks = (text: string): void => {
    for (const secret of ['pw-20', GITHUB.ghs, JWT, 'pw-21', 'pw-22']) expect(text).not.toContain(secret);
  };

  it('problems: the formatted text, the thrown error and the annotation', () => {
    expect(formatProblem(problem)).toBe(
      `input 'image': "deploy:***@registry.example.com/web:1" is not a valid image reference.`,
    );
    leaks(new ProblemsError([problem, warning]).message);
    leaks(problemAnnotation(problem).message);
    leaks(problemAnnotation(warning).message);
  });

  it('the job summary, the failure summary and the last log line', () => {
    const summary = renderSummary({
      outcome: 'failed',
      reason: `task exited: app --db-password pw-21`,
      region: 'eu-west-1',
      cluster: 'prod',
      service: 'web',
      images: [{ container: 'app', image: 'registry.example.com/web:1' }],
      deployment: {
        outcome: 'failed',
        reason: 'failed',
        rolloutState: 'FAILED',
        rolloutStateReason: `token ${JWT} refused`,
        events: [{ id: 'e', createdAt: new Date(0), message: 'url https://u:pw-22@h.example.com/x' }],
        stoppedTasks: [],
        logTails: [],
      } as unknown as DeploymentResult,
      warnings: [warning],
      dryRun: false,
      durationMs: 1000,
    });
    leaks(summary);
    expect(summary).toContain('--db-password \\*\\*\\*');
    leaks(
      renderFailureSummary({
        message: badImage,
        problems: [problem],
        registered: false,
        serviceUpdated: false,
      }),
    );
    leaks(outcomeLine('failed', `exited: --db-password pw-21`));
  });

  it('the plan: a command with a secret flag, and a secret-shaped value under a plain name', () => {
    const before = { family: 'web', containerDefinitions: [{ name: 'app', image: 'web:1' }] };
    const after = {
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          image: 'web:1',
          command: ['app', '--db-password', 'pw-21'],
          environment: [{ name: 'SESSION', value: JWT }],
        },
      ],
    };
    const lines = formatDiff(diffTaskDefinitions(before, after));
    expect(lines).toEqual([
      '+ containerDefinitions[app].command: ["app","--db-password","***"]',
      '+ containerDefinitions[app].environment[SESSION]: ***',
    ]);
  });
});

describe('prose that reads like a secret assignment or flag', () => {
  it.each([
    'expected key=value or -key, but the line has no "=".',
    'a removal line is -key alone, without "=".',
    'use -token x only with the old client',
    'KEYS: a, b',
  ])('leaves %s alone', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('still hides a key under a more specific name, and after a single-dash flag in a command', () => {
    expect(redactSecrets('SIGNING_KEY=sk-1 TOKEN_DEFAULT=td-2')).toBe('SIGNING_KEY=*** TOKEN_DEFAULT=***');
    expect(maskArguments(['app', '-token', 'x'])).toEqual(['app', '-token', '***']);
  });
});

describe('our own messages about reference fields', () => {
  it('leave a misspelt secretOptions field name readable', () => {
    const line =
      "containerDefinitions[0].logConfiguration.secretoptions: 'secretoptions' is not a field of LogConfiguration. Did you mean 'secretOptions'?";
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('reference fields named in our own messages', () => {
  it('leave the word after credentialsParameter readable', () => {
    const line =
      "containerDefinitions[1].repositoryCredentials.credentialsParameter: Container 'side': secret repositoryCredentials does not exist";
    expect(redactSecrets(line)).toBe(line);
  });
});
