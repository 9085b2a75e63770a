import { describe, expect, it } from '@jest/globals';

import { diffTaskDefinitions, formatDiff, isIdentical } from '../../src/taskdef/diff.js';
import type { JsonObject } from '../../src/lib/json.js';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';

/** A task definition as the user wrote it: no defaults, no read-only fields. */
function rendered(): JsonObject {
  return {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    containerDefinitions: [
      {
        name: 'app',
        image: `${IMAGE}:1.0`,
        portMappings: [{ containerPort: 8080 }],
        environment: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DB_PASSWORD', value: 'hunter2-correct-horse' },
        ],
        secrets: [{ name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/token' }],
        environmentFiles: [{ value: 'arn:aws:s3:::config/web.env', type: 's3' }],
        healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080/health'] },
      },
      { name: 'sidecar', image: 'public.ecr.aws/nginx/nginx:1.27', essential: false },
    ],
  };
}

/** The same task definition as DescribeTaskDefinition returns it after registration. */
function described(): JsonObject {
  return {
    taskDefinitionArn: ARN,
    revision: 41,
    status: 'ACTIVE',
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'ecs.capability.execution-role-ecr-pull' }],
    registeredAt: '2024-05-01T12:00:00.000Z',
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/gh',
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    volumes: [],
    placementConstraints: [],
    enableFaultInjection: false,
    // Containers and list entries in a different order than the template.
    containerDefinitions: [
      {
        name: 'sidecar',
        image: 'public.ecr.aws/nginx/nginx:1.27',
        cpu: 0,
        essential: false,
        portMappings: [],
        environment: [],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
      },
      {
        essential: true,
        image: `${IMAGE}:1.0`,
        name: 'app',
        cpu: 0,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        environment: [
          { value: 'hunter2-correct-horse', name: 'DB_PASSWORD' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::config/web.env' }],
        mountPoints: [],
        volumesFrom: [],
        secrets: [{ name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/token' }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -f localhost:8080/health'],
          interval: 30,
          timeout: 5,
          retries: 3,
        },
        dockerLabels: {},
        systemControls: [],
      },
    ],
  };
}

function container(td: JsonObject, name: string): JsonObject {
  return (td.containerDefinitions as JsonObject[]).find((c) => c.name === name)!;
}

describe('isIdentical', () => {
  it('treats the described revision as identical to the template it was registered from', () => {
    expect(diffTaskDefinitions(described(), rendered())).toEqual([]);
    expect(isIdentical(described(), rendered())).toBe(true);
  });

  it('is false for a first deployment (nothing to compare with)', () => {
    expect(isIdentical(undefined, rendered())).toBe(false);
  });

  it('treats hostPort 0 as absent under bridge, but not under awsvpc', () => {
    const bridge = (hostPort?: number): JsonObject => ({
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          image: 'x',
          portMappings: [{ containerPort: 80, ...(hostPort !== undefined ? { hostPort } : {}) }],
        },
      ],
    });
    expect(isIdentical({ ...bridge(0), networkMode: 'bridge' }, bridge())).toBe(true);
    expect(isIdentical(bridge(8080), bridge())).toBe(false);
    const awsvpc = (td: JsonObject): JsonObject => ({ ...td, networkMode: 'awsvpc' });
    expect(isIdentical(awsvpc(bridge(0)), awsvpc(bridge()))).toBe(false);
  });

  it('treats task cpu/memory in vCPU/GB and as numbers like the integer strings ECS stores', () => {
    const before = described();
    const after = { ...rendered(), cpu: '.25 vCPU', memory: 512 };
    expect(isIdentical(before, after)).toBe(true);
    expect(
      isIdentical({ ...before, cpu: '1024', memory: '2048' }, { ...after, cpu: '1 vCPU', memory: '2 GB' }),
    ).toBe(true);
  });

  it('sees a changed secret value as a change, though it never shows it', () => {
    const after = rendered();
    (container(after, 'app').environment as JsonObject[])[1].value = 'a-new-password-value';
    expect(isIdentical(described(), after)).toBe(false);
    const lines = formatDiff(diffTaskDefinitions(described(), after));
    expect(lines).toEqual(['~ containerDefinitions[app].environment[DB_PASSWORD]: *** → ***']);
  });

  it('sees a non-default value of a defaulted field as a change', () => {
    const after = rendered();
    container(after, 'app').essential = false;
    expect(formatDiff(diffTaskDefinitions(described(), after))).toEqual([
      '+ containerDefinitions[app].essential: false',
    ]);
  });

  it('compares unknown fields as they are', () => {
    const after = { ...rendered(), someFutureField: { mode: 'b' } };
    expect(
      formatDiff(diffTaskDefinitions({ ...described(), someFutureField: { mode: 'a' } }, after)),
    ).toEqual(['~ someFutureField.mode: a → b']);
  });
});

describe('diffTaskDefinitions', () => {
  it('reports image, environment, secret and env-file changes by container and name', () => {
    const after = rendered();
    const app = container(after, 'app');
    app.image = `${IMAGE}:1.1`;
    app.environment = [
      { name: 'FEATURE_X', value: 'on' },
      { name: 'DB_PASSWORD', value: 'hunter2-correct-horse' },
    ];
    app.secrets = [
      { name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/token-v2' },
    ];
    app.environmentFiles = [];

    const diff = diffTaskDefinitions(described(), after);
    expect(diff).toEqual([
      {
        path: 'containerDefinitions[app].image',
        kind: 'changed',
        before: `${IMAGE}:1.0`,
        after: `${IMAGE}:1.1`,
      },
      { path: 'containerDefinitions[app].environment[FEATURE_X]', kind: 'added', after: 'on' },
      { path: 'containerDefinitions[app].environment[LOG_LEVEL]', kind: 'removed', before: 'info' },
      {
        path: 'containerDefinitions[app].secrets[API_TOKEN]',
        kind: 'changed',
        before: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/token',
        after: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/token-v2',
      },
      { path: 'containerDefinitions[app].environmentFiles[arn:aws:s3:::config/web.env]', kind: 'removed' },
    ]);
    expect(formatDiff(diff)).toEqual([
      `~ containerDefinitions[app].image: ${IMAGE}:1.0 → ${IMAGE}:1.1`,
      '+ containerDefinitions[app].environment[FEATURE_X]: on',
      '- containerDefinitions[app].environment[LOG_LEVEL]: info',
      '~ containerDefinitions[app].secrets[API_TOKEN]: arn:aws:ssm:eu-west-1:123456789012:parameter/web/token → arn:aws:ssm:eu-west-1:123456789012:parameter/web/token-v2',
      '- containerDefinitions[app].environmentFiles[arn:aws:s3:::config/web.env]',
    ]);
  });

  it('shows a port mapping change by its container port', () => {
    const after = rendered();
    container(after, 'app').portMappings = [
      { containerPort: 8080, protocol: 'udp' },
      { containerPort: 9090 },
    ];
    expect(formatDiff(diffTaskDefinitions(described(), after))).toEqual([
      '+ containerDefinitions[app].portMappings[8080].protocol: udp',
      '+ containerDefinitions[app].portMappings[9090]',
    ]);
  });

  it('shows a whole new container, and a removed one, setting by setting', () => {
    const after = rendered();
    after.containerDefinitions = [
      container(after, 'app'),
      { name: 'worker', image: 'worker:2', command: ['run', '--queue', 'jobs'] },
    ];
    expect(formatDiff(diffTaskDefinitions(described(), after))).toEqual([
      '+ containerDefinitions[worker].image: worker:2',
      '+ containerDefinitions[worker].command: ["run","--queue","jobs"]',
      '- containerDefinitions[sidecar].image: public.ecr.aws/nginx/nginx:1.27',
      '- containerDefinitions[sidecar].essential: false',
    ]);
  });

  it('lists everything as added for a first deployment, still masked', () => {
    const lines = formatDiff(diffTaskDefinitions(undefined, rendered()));
    expect(lines).toContain('+ family: web');
    expect(lines).toContain(`+ containerDefinitions[app].image: ${IMAGE}:1.0`);
    expect(lines).toContain('+ containerDefinitions[app].environment[DB_PASSWORD]: ***');
    expect(lines.every((l) => l.startsWith('+ '))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('masks every secret-looking value and embedded credentials, and shows secret references', () => {
    const secrets = {
      DB_PASSWORD: 'pw-value-1111',
      stripeApiKey: 'sk_live_value_2222',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-3333',
      GITHUB_TOKEN: 'ghp_value_4444',
      PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nkey-5555\n-----END RSA PRIVATE KEY-----',
      SERVICE_CREDENTIALS: 'creds-6666',
    };
    const after = rendered();
    const app = container(after, 'app');
    app.environment = [
      ...Object.entries(secrets).map(([name, value]) => ({ name, value })),
      { name: 'DATABASE_URL', value: 'postgres://web:url-pw-7777@db.internal:5432/web' },
    ];
    app.dockerLabels = { 'com.example.auth-token': 'label-8888' };
    app.command = ['serve', '--password=cmd-9999'];
    app.logConfiguration = { logDriver: 'splunk', options: { 'splunk-token': 'opt-0000' } };

    const diff = diffTaskDefinitions(described(), after);
    const output = JSON.stringify(diff) + formatDiff(diff).join('\n');
    for (const value of [
      'pw-value-1111',
      'sk_live',
      'aws-secret-3333',
      'ghp_value',
      'key-5555',
      'creds-6666',
    ]) {
      expect(output).not.toContain(value);
    }
    for (const value of ['url-pw-7777', 'label-8888', 'cmd-9999', 'opt-0000'])
      expect(output).not.toContain(value);
    expect(formatDiff(diff)).toContain(
      '+ containerDefinitions[app].environment[DATABASE_URL]: postgres://web:***@db.internal:5432/web',
    );
    expect(formatDiff(diff)).toContain('+ containerDefinitions[app].command: ["serve","--password=***"]');
    // The reference to a secret is not the secret: it stays visible (and unchanged, so absent here).
    const withNewRef = rendered();
    container(withNewRef, 'app').secrets = [
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf' },
    ];
    expect(formatDiff(diffTaskDefinitions(described(), withNewRef))).toContain(
      '+ containerDefinitions[app].secrets[DB_PASSWORD]: arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf',
    );
  });

  it('keeps duplicate names visible instead of letting one hide the other', () => {
    const after = rendered();
    container(after, 'app').environment = [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DB_PASSWORD', value: 'hunter2-correct-horse' },
    ];
    expect(formatDiff(diffTaskDefinitions(described(), after))).toEqual([
      '+ containerDefinitions[app].environment[LOG_LEVEL#2]: debug',
    ]);
  });

  it('shows empty strings and multi-line values on one line, and cuts very long values', () => {
    const after = rendered();
    container(after, 'app').environment = [
      { name: 'LOG_LEVEL', value: '' },
      { name: 'DB_PASSWORD', value: 'hunter2-correct-horse' },
      { name: 'BANNER', value: 'line one\nline two' },
      { name: 'LONG', value: 'x'.repeat(500) },
    ];
    const lines = formatDiff(diffTaskDefinitions(described(), after));
    expect(lines).toContain('~ containerDefinitions[app].environment[LOG_LEVEL]: info → ""');
    expect(lines).toContain('+ containerDefinitions[app].environment[BANNER]: "line one\\nline two"');
    const long = lines.find((l) => l.includes('[LONG]'))!;
    expect(long.length).toBeLessThan(260);
    expect(long.endsWith('…')).toBe(true);
  });
});
