// SSM parameters, Secrets Manager secrets and CloudWatch log groups as a preflight check sees them
// (DescribeParameters, DescribeSecret, DescribeLogGroups; never a value), each in its own account
// and region, through the real SDK clients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import type { Emulator } from '../../emulator/index.js';
import { clientOptions, failure, OTHER, OWN, START, startPreflightEmulator } from './preflight-helpers.js';

const PREVIOUS = '11111111-2222-4333-8444-555555555555';
let emu: Emulator;
const ssm = (region = 'us-east-1') => new SSMClient(clientOptions(emu, region));
const sm = (region = 'us-east-1') => new SecretsManagerClient(clientOptions(emu, region));
const logs = (region = 'us-east-1') => new CloudWatchLogsClient(clientOptions(emu, region));

beforeAll(async () => {
  emu = await startPreflightEmulator({
    parameters: [
      { name: '/web/db-url', value: 'postgres://db' },
      { name: '/web/db-url-old', value: 'postgres://old' },
      { name: '/web/api-key', value: 's3cr3t', type: 'SecureString' },
      { name: '/web/eu-only', value: 'x', region: 'eu-west-1' },
      { name: '/web/shared', value: 'y', accountId: OTHER, sharedWith: [OWN] },
      { name: '/web/theirs', value: 'z', accountId: OTHER },
    ],
    secrets: [
      {
        name: 'web/db-password',
        value: 'hunter2',
        versionId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        versions: [{ id: PREVIOUS, stages: ['AWSPREVIOUS'], value: 'hunter1' }, { stages: [] }],
      },
      { name: 'eu/token', value: 't', region: 'eu-west-1' },
      { name: 'partner/key', value: 'k', accountId: OTHER, sharedWith: [OWN] },
      { name: 'partner/private', value: 'p', accountId: OTHER },
    ],
    logGroups: [
      { name: '/ecs/web', retentionInDays: 30 },
      { name: '/ecs/web-canary' },
      { name: '/ecs/worker' },
      { name: '/ecs/eu', region: 'eu-west-1' },
      { name: '/ecs/linked', accountId: OTHER, sharedWith: [OWN] },
      { name: '/ecs/web', accountId: OTHER },
    ],
    deny: ['secretsmanager:GetSecretValue'],
  });
});

afterAll(async () => {
  await emu.stop();
});

describe('SSM DescribeParameters', () => {
  it('Name Equals finds exactly one parameter, with or without the leading slash', async () => {
    for (const value of ['/web/db-url', 'web/db-url']) {
      const out = await ssm().send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [value] }],
        }),
      );
      expect(out.Parameters?.map((p) => [p.Name, p.ARN, p.Type])).toEqual([
        ['/web/db-url', `arn:aws:ssm:us-east-1:${OWN}:parameter/web/db-url`, 'String'],
      ]);
    }
  });

  it('Name BeginsWith lists the path; several Equals values at once; never a value', async () => {
    const begins = await ssm().send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/web/db'] }],
      }),
    );
    expect(begins.Parameters?.map((p) => p.Name)).toEqual(['/web/db-url', '/web/db-url-old']);
    const several = await ssm().send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/web/api-key', '/web/missing'] }],
      }),
    );
    expect(several.Parameters?.map((p) => [p.Name, p.Type, p.KeyId])).toEqual([
      ['/web/api-key', 'SecureString', 'alias/aws/ssm'],
    ]);
    expect(JSON.stringify(several)).not.toContain('s3cr3t');
  });

  it("lists only the request's region and never another account's parameter, shared or not", async () => {
    const filter = (Values: string[]) => ({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values }],
    });
    const us = await ssm().send(
      new DescribeParametersCommand(filter(['/web/eu-only', '/web/shared', '/web/theirs'])),
    );
    expect(us.Parameters).toEqual([]);
    const eu = await ssm('eu-west-1').send(new DescribeParametersCommand(filter(['/web/eu-only'])));
    expect(eu.Parameters?.map((p) => p.ARN)).toEqual([`arn:aws:ssm:eu-west-1:${OWN}:parameter/web/eu-only`]);
  });

  it('an unknown filter option is InvalidFilterOption', async () => {
    const err = await failure(
      ssm().send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Recursive', Values: ['/web'] }],
        }),
      ),
    );
    expect(err.name).toBe('InvalidFilterOption');
  });

  it("another account's parameter by ARN: readable when shared, AccessDeniedException when not", async () => {
    const shared = await ssm().send(
      new GetParameterCommand({ Name: `arn:aws:ssm:us-east-1:${OTHER}:parameter/web/shared` }),
    );
    expect(shared.Parameter?.Value).toBe('y');
    const theirs = await failure(
      ssm().send(new GetParameterCommand({ Name: `arn:aws:ssm:us-east-1:${OTHER}:parameter/web/theirs` })),
    );
    expect(theirs.name).toBe('AccessDeniedException');
    expect(theirs.message).toContain('because no resource-based policy allows the ssm:GetParameter action');
  });
});

describe('Secrets Manager DescribeSecret', () => {
  it('VersionIdsToStages lists the staged versions, not the unlabelled one', async () => {
    const out = await sm().send(new DescribeSecretCommand({ SecretId: 'web/db-password' }));
    expect(out.VersionIdsToStages).toEqual({
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee': ['AWSCURRENT'],
      [PREVIOUS]: ['AWSPREVIOUS'],
    });
    expect(out.ARN).toMatch(
      new RegExp(`^arn:aws:secretsmanager:us-east-1:${OWN}:secret:web/db-password-\\w{6}$`),
    );
    expect(JSON.stringify(out)).not.toContain('hunter');
  });

  it('a secret lives in one region: its ARN answers there and is not found from elsewhere', async () => {
    const eu = await sm('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'eu/token' }));
    expect(eu.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:/);
    const byArn = await sm('eu-west-1').send(new DescribeSecretCommand({ SecretId: eu.ARN }));
    expect(byArn.Name).toBe('eu/token');
    const us = await failure(sm().send(new DescribeSecretCommand({ SecretId: eu.ARN })));
    expect([us.name, us.message]).toEqual([
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    ]);
  });

  it("another account's ARN: shared answers, unshared or missing is AccessDeniedException", async () => {
    const partial = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:partner/key`;
    const shared = await sm().send(new DescribeSecretCommand({ SecretId: partial }));
    expect(shared.Name).toBe('partner/key');
    for (const id of ['partner/private', 'nothing-here']) {
      const arn = `arn:aws:secretsmanager:us-east-1:${OTHER}:secret:${id}`;
      const err = await failure(sm().send(new DescribeSecretCommand({ SecretId: arn })));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
      expect(err.message).toBe(
        `User: arn:aws:sts::${OWN}:assumed-role/deploy/gha is not authorized to perform: ` +
          `secretsmanager:DescribeSecret on resource: ${arn} ` +
          'because no resource-based policy allows the secretsmanager:DescribeSecret action',
      );
    }
  });

  it('a seeded deny refuses GetSecretValue while DescribeSecret still answers', async () => {
    const err = await failure(sm().send(new GetSecretValueCommand({ SecretId: 'web/db-password' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('is not authorized to perform: secretsmanager:GetSecretValue on resource:');
    const described = await sm().send(new DescribeSecretCommand({ SecretId: 'web/db-password' }));
    expect(described.Name).toBe('web/db-password');
  });
});

describe('container output of the ECS model', () => {
  it('reads back from any region, as the model does not know awslogs-region; seeded groups stay put', async () => {
    emu.models.logs.sink('/app/container', 'ecs/app/1', [{ timestamp: START, message: 'listening' }]);
    const out = await logs('eu-west-1').send(
      new GetLogEventsCommand({ logGroupName: '/app/container', logStreamName: 'ecs/app/1' }),
    );
    expect(out.events?.map((e) => e.message)).toEqual(['listening']);
    const seeded = await failure(
      logs('eu-west-1').send(new GetLogEventsCommand({ logGroupName: '/ecs/worker', logStreamName: 'x' })),
    );
    expect(seeded.name).toBe('ResourceNotFoundException');
  });
});

describe('seed checks', () => {
  it('a bad place, severity or version stage is an error naming the resource and field', async () => {
    await expect(emu.seed({ secrets: [{ name: 's', value: 'v', accountId: '42' }] })).rejects.toThrow(
      'seed secret s: accountId must be 12 digits, got 42',
    );
    await expect(emu.seed({ parameters: [{ name: '/p', value: 'v', region: 'moon' }] })).rejects.toThrow(
      "seed parameter /p: region 'moon' is not a region",
    );
    await expect(
      emu.seed({ images: [{ repository: 'web', tag: 'x', scanFindings: { SEVERE: 1 } as never }] }),
    ).rejects.toThrow('seed image web:x: scanFindings key SEVERE is not one of CRITICAL, HIGH, MEDIUM');
    await expect(
      emu.seed({ secrets: [{ name: 't', value: 'v', versions: [{ stages: ['AWSCURRENT'] }] }] }),
    ).rejects.toThrow('seed secret t: AWSCURRENT is the seeded value');
    await expect(emu.seed({ deny: ['DescribeImages'] })).rejects.toThrow(
      "seed deny: expected 'service:Operation'",
    );
  });
});

describe('CloudWatch Logs DescribeLogGroups', () => {
  const names = (out: { logGroups?: { logGroupName?: string }[] }) =>
    out.logGroups?.map((g) => g.logGroupName);

  it('logGroupNamePrefix lists our groups in the region, with ARNs and retention', async () => {
    const out = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/web' }));
    expect(names(out)).toEqual(['/ecs/web', '/ecs/web-canary']);
    expect(out.logGroups?.[0]).toMatchObject({
      logGroupName: '/ecs/web',
      creationTime: START,
      retentionInDays: 30,
      arn: `arn:aws:logs:us-east-1:${OWN}:log-group:/ecs/web:*`,
      logGroupArn: `arn:aws:logs:us-east-1:${OWN}:log-group:/ecs/web`,
    });
    const eu = await logs('eu-west-1').send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }));
    expect(names(eu)).toEqual(['/ecs/eu']);
  });

  it('logGroupIdentifiers by name or ARN; a linked account only when shared', async () => {
    const out = await logs().send(
      new DescribeLogGroupsCommand({
        logGroupIdentifiers: [
          '/ecs/worker',
          `arn:aws:logs:us-east-1:${OTHER}:log-group:/ecs/linked:*`,
          `arn:aws:logs:us-east-1:${OTHER}:log-group:/ecs/web`,
          '/ecs/missing',
        ],
      }),
    );
    expect(out.logGroups?.map((g) => g.logGroupArn)).toEqual([
      `arn:aws:logs:us-east-1:${OTHER}:log-group:/ecs/linked`,
      `arn:aws:logs:us-east-1:${OWN}:log-group:/ecs/worker`,
    ]);
    const linked = await logs().send(
      new DescribeLogGroupsCommand({ includeLinkedAccounts: true, logGroupNamePrefix: '/ecs/l' }),
    );
    expect(names(linked)).toEqual(['/ecs/linked']);
  });

  it('pages with limit and refuses prefix and pattern together', async () => {
    const first = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 2 }));
    expect(names(first)).toEqual(['/ecs/web', '/ecs/web-canary']);
    const rest = await logs().send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 2, nextToken: first.nextToken }),
    );
    expect(names(rest)).toEqual(['/ecs/worker']);
    expect(rest.nextToken).toBeUndefined();
    const both = await failure(
      logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs', logGroupNamePattern: 'web' })),
    );
    expect([both.name, both.message]).toEqual([
      'InvalidParameterException',
      'LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.',
    ]);
  });
});
