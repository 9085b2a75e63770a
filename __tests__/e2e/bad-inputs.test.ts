// Bad inputs end to end: `node dist/index.js` run as the runner runs it (emulator/run-action.ts)
// against one emulator with a cluster `prod` and a service `web`. The product's rule: every bad
// input or template gets a clear error naming the input, the field or the line, and nothing is
// written to AWS. Each case checks the exit code, the exact error annotations (message and
// properties, so a change of wording or position shows) and the emulator's request log.
// Cases run one at a time, so the requests seen while a case runs are that case's own.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { referencedSeed } from './scenarios.js';
import { runAction, unexpectedStderr } from '../../emulator/run-action.js';

const FIXTURES = '__tests__/fixtures/bad/';
const OK = { 'task-definition': `${FIXTURES}ok.json` };
const TWO = { 'task-definition': `${FIXTURES}two-containers.json` };
const SERVICE = { cluster: 'prod', service: 'web' };
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const SECRET_VALUE = 'hunter2-Zq9x-plaintext';

type Annotation = [properties: string, message: string];

/** An input problem found while parsing the inputs. */
const input = (name: string, message: string, path?: string): Annotation => [
  `title=Input '${name}'`,
  `input '${name}'${path ? ` ${path}` : ''}: ${message}`,
];
/**
 * Templates that only exist in the generated workspace: too big to keep, or broken on purpose
 * (as repository files they would fail `prettier --check`).
 */
const GENERATED: Record<string, string> = {
  'json-syntax.json':
    '{\n  "family": "bad-inputs",\n  "networkMode": "awsvpc",\n  "cpu": "256"\n  "memory": "512",\n  "containerDefinitions": []\n}\n',
  'yaml-syntax.yaml':
    'family: bad-inputs\nnetworkMode: awsvpc\ncontainerDefinitions:\n  - name: web\n    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0\n    essential: true\n',
  'big.json': JSON.stringify(
    {
      family: 'bad-inputs',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'web',
          image: 'public.ecr.aws/nginx/nginx:1.27',
          environment: Array.from({ length: 700 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(90) })),
        },
      ],
    },
    null,
    2,
  ),
};
/** A template problem at a line and column of a fixture, or of a generated template. */
const at = (file: string, line: number, col: number, message: string, path?: string): Annotation => [
  `title=Task definition,file=${file in GENERATED ? file : FIXTURES + file},line=${line},col=${col}`,
  path ? `${path}: ${message}` : message,
];
const plural = (n: number) => `${n} problem${n === 1 ? '' : 's'}`;
/** The step's final line (core.setFailed), which is an error annotation too. */
const inputsInvalid = (n: number): Annotation => [
  '',
  `The action inputs are not valid, so nothing was written to AWS: ${plural(n)}, each listed above.`,
];
const stopped = (n: number): Annotation => [
  '',
  `The deployment was stopped before anything was written to AWS: ${plural(n)}, each listed above.`,
];
const breaksRules = (n: number): Annotation => [
  '',
  `The rendered task definition breaks ECS rules; nothing was registered: ${plural(n)}, each listed above.`,
];

interface Case {
  name: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  errors: Annotation[];
  /**
   * The read-only calls the step may make before it stops: none for an input error; the
   * service is described first when there is one; a registered base is described.
   */
  reads: string[];
}

const SECRETS_FORMS =
  'arn:aws:secretsmanager:<region>:<account>:secret:<name>:<json-key>:<version-stage>:<version-id>';

// ---- errors in the action inputs: found before any request ----
const INPUT_CASES: Case[] = [
  {
    name: 'environment-variables: a line without "="',
    inputs: { ...OK, 'environment-variables': 'LOG_LEVEL=info\nDEBUG' },
    errors: [
      input('environment-variables', 'line 2: expected NAME=value or -NAME, but the line has no "=".'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'environment-variables: a name given twice (comments and blank lines still count)',
    inputs: { ...OK, ...SERVICE, 'environment-variables': 'A=1\n# comment\n\nB=2\nA=3' },
    errors: [
      input(
        'environment-variables',
        'line 5: variable "A" is also given on line 1; give each variable once.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'environment-variables: bad names',
    inputs: { ...OK, 'environment-variables': 'MY VAR=1\n=value\n-' },
    errors: [
      input('environment-variables', 'line 1: the variable name "MY VAR" contains whitespace.'),
      input('environment-variables', 'line 2: the variable name is empty.'),
      input('environment-variables', 'line 3: "-" must be followed by the name of the variable to remove.'),
      inputsInvalid(3),
    ],
    reads: [],
  },
  {
    name: 'environment-variables-mode: replace with a -NAME line',
    inputs: { ...OK, 'environment-variables': 'A=1\n-B', 'environment-variables-mode': 'replace' },
    errors: [
      input(
        'environment-variables',
        'line 2: a -NAME line has no effect with environment-variables-mode replace, which keeps only the variables given; delete the line.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'environment-variables-mode: replace with no variables',
    inputs: { ...OK, 'environment-variables-mode': 'REPLACE' },
    errors: [
      input(
        'environment-variables-mode',
        'replace needs environment-variables: with none given, every variable of the container would be removed.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'environment-variables-mode: unknown value',
    inputs: { ...OK, 'environment-variables': 'A=1', 'environment-variables-mode': 'append' },
    errors: [
      input('environment-variables-mode', '"append" is not valid; use merge or replace.'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'secrets: a bare secret name with :json-key::',
    inputs: { ...OK, ...SERVICE, secrets: 'DB_PASSWORD=db-creds:password::' },
    errors: [
      input(
        'secrets',
        'line 1 (secret "DB_PASSWORD"): \'db-creds:password::\' looks like a Secrets Manager secret with a JSON key, version stage or version id, ' +
          'but only the full secret ARN takes those fields; ECS would read it as an SSM parameter name and fail. ' +
          'Use the full ARN: arn:aws:secretsmanager:<region>:<account>:secret:db-creds:password::.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'secrets: a Secrets Manager ARN with a JSON key but missing colons',
    inputs: {
      ...OK,
      secrets: 'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds:password',
    },
    errors: [
      input(
        'secrets',
        'line 1 (secret "DB_PASSWORD"): \'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds:password\' is missing colons: the optional ' +
          `fields after the secret name are positional, so when any is used all three colons must be present (${SECRETS_FORMS}), ` +
          'e.g. …:secret:db-creds:password:: for a JSON key.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'secrets: a version stage and a version id together',
    inputs: {
      ...OK,
      secrets:
        'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds:password:AWSCURRENT:0123456789abcdef0123456789abcdef',
    },
    errors: [
      input(
        'secrets',
        'line 1 (secret "DB_PASSWORD"): \'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds:password:AWSCURRENT:0123456789abcdef0123456789abcdef\' ' +
          'gives both a version stage and a version id, which are mutually exclusive; keep one (…::AWSPREVIOUS: or …:::<version-id>).',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'secrets: no valueFrom, and an SSM name with a version selector',
    inputs: { ...OK, secrets: 'API_KEY=\nTOKEN=/web/token:3' },
    errors: [
      input('secrets', 'line 1: secret "API_KEY" has no valueFrom after "=".'),
      input(
        'secrets',
        'line 2 (secret "TOKEN"): \'/web/token:3\' has a colon, which an SSM parameter name cannot contain: ECS does not support version or ' +
          'label selectors (name:version). If you meant a Secrets Manager JSON key, use the full secret ARN: ' +
          'arn:aws:secretsmanager:<region>:<account>:secret:/web/token:3::.',
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'env-files: an s3:// URL and an https URL instead of object ARNs',
    inputs: {
      ...OK,
      'env-files': 's3://config-bucket/web.env\nhttps://config-bucket.s3.amazonaws.com/web.env',
    },
    errors: [
      input(
        'env-files',
        "line 1: 's3://config-bucket/web.env' is an S3 URL, but ECS needs the object ARN: arn:aws:s3:::config-bucket/web.env.",
      ),
      input(
        'env-files',
        "line 2: 'https://config-bucket.s3.amazonaws.com/web.env' is not an S3 object ARN; use the form arn:aws:s3:::<bucket>/<key>.env.",
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'env-files: not a .env file',
    inputs: { ...OK, 'env-files': 'arn:aws:s3:::config-bucket/web.txt' },
    errors: [
      input(
        'env-files',
        "line 1: 'arn:aws:s3:::config-bucket/web.txt' does not end in .env; ECS only accepts environment files with a .env extension (arn:aws:s3:::<bucket>/<key>.env).",
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'env-files: more than 10',
    inputs: {
      ...OK,
      'env-files': Array.from({ length: 11 }, (_, i) => `arn:aws:s3:::config-bucket/app-${i + 1}.env`).join(
        '\n',
      ),
    },
    errors: [
      input('env-files', '11 files are given; a container takes at most 10 environment files.'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'env-files: the same file twice',
    inputs: { ...OK, 'env-files': 'arn:aws:s3:::config-bucket/a.env\narn:aws:s3:::config-bucket/a.env' },
    errors: [
      input('env-files', 'line 2: this env file is also given on line 1; give each env file once.'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'images: no "=", no image, a container twice',
    inputs: { ...TWO, images: 'web\nproxy=\nweb=nginx:1\nweb=nginx:2' },
    errors: [
      input('images', 'line 1: expected container=image, but the line has no "=".'),
      input('images', 'line 4: container "web" is also given on line 3; give each container once.'),
      input('images', 'line 2: container "proxy" has no image after "=".'),
      inputsInvalid(3),
    ],
    reads: [],
  },
  {
    name: 'images: a container that also gets the image input',
    inputs: { ...OK, 'container-name': 'web', image: ':2', images: 'web=:3' },
    errors: [
      input(
        'images',
        'line 1: container "web" also gets the image from input \'image\' (it is listed in container-name); give each container one image.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'image: whitespace in the reference',
    inputs: { ...OK, image: 'nginx:latest tag' },
    errors: [
      input('image', '"nginx:latest tag" is not a valid image reference: it contains whitespace.'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'image: a :tag starting with "-"',
    inputs: { ...OK, ...SERVICE, image: ':-rc1' },
    errors: [
      input(
        'image',
        `":-rc1" is not a valid image reference: the tag '-rc1' may have only letters, digits, '_', '.' and '-' (up to 128, not starting with '.' or '-').`,
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'image: a short digest',
    inputs: { ...OK, image: 'nginx@sha256:abc' },
    errors: [
      input(
        'image',
        `"nginx@sha256:abc" is not a valid image reference: the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.`,
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    // ECS would register it, but Docker refuses it when the task starts; caught before any AWS call.
    name: 'image: upper case in the repository',
    inputs: { ...OK, ...SERVICE, image: 'MyOrg/App:1' },
    errors: [
      input(
        'image',
        `"MyOrg/App:1" is not a valid image reference: the repository part 'MyOrg' may have only lowercase letters, digits and single '.', '_' or '-' between them.`,
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'docker-labels: no "=" and a removal with a value',
    inputs: { ...OK, 'docker-labels': 'team=payments\nowner\n-com.example.x=1' },
    errors: [
      input('docker-labels', 'line 2: expected key=value or -key, but the line has no "=".'),
      input('docker-labels', 'line 3: a removal line is -key alone, without "=".'),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'log-configuration-log-driver: unknown',
    inputs: { ...OK, 'log-configuration-log-driver': 'cloudwatch' },
    errors: [
      input(
        'log-configuration-log-driver',
        '"cloudwatch" is not valid; use awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk or syslog.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'log-configuration-log-driver: logentries, which the ECS API no longer accepts',
    inputs: { ...OK, 'log-configuration-log-driver': 'logentries' },
    errors: [
      input(
        'log-configuration-log-driver',
        '"logentries" is not a log driver the ECS API accepts; use awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk or syslog.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'command: an unclosed double quote',
    inputs: { ...OK, command: 'sh -c "npm run migrate && npm start' },
    errors: [
      input('command', 'the double quote at line 1, column 7 of the command is never closed.'),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'command: a JSON array that is not JSON',
    inputs: { ...OK, command: '["node", server.js]' },
    errors: [
      input(
        'command',
        'the command starts with "[" but is not valid JSON; write a JSON array of strings such as ["node", "server.js"], or a command line without brackets.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'task-role-arn and execution-role-arn: a role name and a short account id',
    inputs: { ...OK, 'task-role-arn': 'web-task', 'execution-role-arn': 'arn:aws:iam::1234:role/exec' },
    errors: [
      input(
        'task-role-arn',
        '"web-task" is a role name, not an ARN; give the full ARN, arn:aws:iam::<12-digit account id>:role/web-task.',
      ),
      input(
        'execution-role-arn',
        '"arn:aws:iam::1234:role/exec" is not an IAM role ARN; expected arn:aws:iam::<12-digit account id>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).',
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'booleans that are not true or false',
    inputs: {
      ...OK,
      ...SERVICE,
      'wait-for-service-stability': 'yes',
      'force-new-deployment': '1',
      'enable-ecs-managed-tags': 'on',
      'dry-run': 'maybe',
    },
    errors: [
      input('wait-for-service-stability', '"yes" is not a boolean; use true or false.'),
      input('force-new-deployment', '"1" is not a boolean; use true or false.'),
      input('enable-ecs-managed-tags', '"on" is not a boolean; use true or false.'),
      input('dry-run', '"maybe" is not a boolean; use true or false.'),
      inputsInvalid(4),
    ],
    reads: [],
  },
  {
    name: 'wait-for-minutes: 0',
    inputs: { ...OK, ...SERVICE, 'wait-for-minutes': '0' },
    errors: [
      input(
        'wait-for-minutes',
        '"0" is not a number of minutes from 1 to 360 (fractions such as 7.5 are allowed).',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  // wait-for-minutes above 360 is capped with a warning, not refused (as the official action
  // clamps it): __tests__/e2e/codedeploy.test.ts, "wait-for-minutes above 360".
  {
    name: 'wait-for-minutes and on-timeout rollback without waiting',
    inputs: {
      ...OK,
      ...SERVICE,
      'wait-for-service-stability': 'false',
      'wait-for-minutes': '10',
      'on-timeout': 'rollback',
    },
    errors: [
      input('wait-for-minutes', 'wait-for-minutes has no effect when wait-for-service-stability is false.'),
      input('on-timeout', 'on-timeout rollback has no effect when wait-for-service-stability is false.'),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'desired-count: negative',
    inputs: { ...OK, ...SERVICE, 'desired-count': '-1' },
    errors: [input('desired-count', '"-1" is not a whole number of tasks (0 or more).'), inputsInvalid(1)],
    reads: [],
  },
  {
    name: 'propagate-tags, circuit-breaker and on-timeout: unknown values',
    inputs: { ...OK, ...SERVICE, 'propagate-tags': 'ALL', 'circuit-breaker': 'on', 'on-timeout': 'ignore' },
    errors: [
      input('propagate-tags', '"ALL" is not valid; use TASK_DEFINITION, SERVICE or NONE.'),
      input('circuit-breaker', '"on" is not valid; use rollback, enable or disable.'),
      input('on-timeout', '"ignore" is not valid; use fail or rollback.'),
      inputsInvalid(3),
    ],
    reads: [],
  },
  {
    name: 'task-definition, task-definition-arn and task-definition-family together',
    inputs: {
      ...OK,
      'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      'task-definition-family': 'web',
    },
    errors: [
      input(
        'task-definition',
        'give only one of task-definition, task-definition-arn and task-definition-family; found task-definition, task-definition-arn and task-definition-family.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'no task definition and no service',
    inputs: {},
    errors: [
      input(
        'task-definition',
        'no task definition is given: set task-definition (a template file), task-definition-arn or task-definition-family, or set service to start from the task definition the service runs now.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'task-definition-revision without task-definition-family',
    inputs: { ...SERVICE, 'task-definition-revision': '3' },
    errors: [
      input(
        'task-definition-revision',
        'task-definition-revision needs task-definition-family; to start from a revision by its ARN, use task-definition-arn.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'task-definition-family with a revision in it',
    inputs: { 'task-definition-family': 'web:3' },
    errors: [
      input(
        'task-definition-family',
        '"web:3" includes a revision; give the family "web" here and 3 in task-definition-revision.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'task-definition-arn without a revision',
    inputs: { 'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web' },
    errors: [
      input(
        'task-definition-arn',
        '"arn:aws:ecs:us-east-1:123456789012:task-definition/web" has no revision; add :<revision>, or use task-definition-family to start from the latest revision.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'vars without a template',
    inputs: { ...SERVICE, vars: 'IMAGE_TAG=1' },
    errors: [
      input(
        'vars',
        'vars fill ${NAME} placeholders in a template, but task-definition (the template file) is not set.',
      ),
      inputsInvalid(1),
    ],
    reads: [],
  },
  {
    name: 'vars: names a placeholder cannot have',
    inputs: { ...OK, vars: '1TAG=x\nIMAGE-TAG=y' },
    errors: [
      input(
        'vars',
        'line 1: "1TAG" is not a variable name; use letters, digits and underscores, not starting with a digit.',
      ),
      input(
        'vars',
        'line 2: "IMAGE-TAG" is not a variable name; use letters, digits and underscores, not starting with a digit.',
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'deploy-only inputs without service',
    inputs: {
      ...OK,
      cluster: 'prod',
      'desired-count': '2',
      'circuit-breaker': 'rollback',
      'wait-for-minutes': '10',
    },
    errors: [
      input('cluster', 'cluster applies to a service deployment, but service is not set.'),
      input('wait-for-minutes', 'wait-for-minutes applies to a service deployment, but service is not set.'),
      input('desired-count', 'desired-count applies to a service deployment, but service is not set.'),
      input('circuit-breaker', 'circuit-breaker applies to a service deployment, but service is not set.'),
      inputsInvalid(4),
    ],
    reads: [],
  },
  {
    name: 'container-name: an empty name and a name with a space',
    inputs: { ...TWO, 'container-name': 'web,,web 2', image: ':2' },
    errors: [
      input('container-name', '"web,,web 2" has an empty name between commas.'),
      input(
        'container-name',
        '"web 2" is not a container name; use 1 to 255 letters, digits, hyphens and underscores.',
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
  {
    name: 'service and cluster: not names or ARNs',
    inputs: { ...OK, service: 'web service', cluster: 'prod/eu' },
    errors: [
      input(
        'service',
        '"web service" is not a service name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.',
      ),
      input(
        'cluster',
        '"prod/eu" is not a cluster name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.',
      ),
      inputsInvalid(2),
    ],
    reads: [],
  },
];

// ---- inputs that do not fit the task definition: found when rendering ----
const RENDER_CASES: Case[] = [
  {
    name: 'container-name: not in the task definition (lists the containers)',
    inputs: { ...TWO, ...SERVICE, 'container-name': 'api', image: ':2.0' },
    errors: [
      input(
        'container-name',
        "Container 'api' is not in the task definition; its containers are 'web', 'proxy'.",
      ),
      stopped(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'several containers and no container-name',
    inputs: { ...TWO, image: ':2.0', 'environment-variables': 'A=1' },
    errors: [
      input(
        'image',
        "The task definition has 2 containers ('web', 'proxy'); give 'container-name' to say which of them 'image' applies to.",
      ),
      input(
        'environment-variables',
        "The task definition has 2 containers ('web', 'proxy'); give 'container-name' to say which of them 'environment-variables' applies to.",
      ),
      stopped(2),
    ],
    reads: [],
  },
  {
    name: 'images: a container not in the task definition',
    inputs: { ...TWO, images: 'api=:2.0' },
    errors: [
      input('images', "Container 'api' is not in the task definition; its containers are 'web', 'proxy'."),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'image and images for the only container',
    inputs: { ...OK, image: ':2', images: 'web=:3' },
    errors: [
      input(
        'images',
        "Container 'web' is given an image in both 'image' and 'images'; give each container one image.",
        'containerDefinitions[0].image',
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'log-configuration-options without a log driver',
    inputs: { ...OK, ...SERVICE, 'log-configuration-options': 'awslogs-group=/ecs/web' },
    errors: [
      input(
        'log-configuration-options',
        "Container 'web' has no log driver in the task definition, so log options cannot be applied; give 'log-configuration-log-driver' too.",
        'containerDefinitions[0].logConfiguration',
      ),
      stopped(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'container-name not in a registered revision (task-definition-arn)',
    inputs: {
      'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      'container-name': 'nope',
      image: ':2',
    },
    errors: [
      input('container-name', "Container 'nope' is not in the task definition; its containers are 'app'."),
      stopped(1),
    ],
    reads: ['DescribeTaskDefinition'],
  },
  {
    name: 'task-definition-family that does not exist',
    inputs: { ...SERVICE, 'task-definition-family': 'nope' },
    errors: [
      input(
        'task-definition-family',
        "Task definition 'nope' was not found (ECS said: Unable to describe task definition); check the family name and the region; the family needs at least one ACTIVE revision.",
      ),
      stopped(1),
    ],
    reads: ['DescribeServices', 'DescribeTaskDefinition'],
  },
  {
    name: 'task-definition: the file does not exist',
    inputs: { ...SERVICE, 'task-definition': `${FIXTURES}nope.json` },
    errors: [
      input(
        'task-definition',
        `The task definition file '${FIXTURES}nope.json' does not exist. Give a path relative to the workspace.`,
      ),
      stopped(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'service: not in the cluster',
    inputs: { cluster: 'prod', service: 'api', image: ':2' },
    errors: [
      [
        '',
        "Service 'api' was not found in cluster 'prod'. Check the service and cluster inputs (and the region).",
      ],
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'cluster: does not exist',
    inputs: { cluster: 'staging', service: 'web', image: ':2' },
    errors: [
      [
        '',
        "DescribeServices failed: cluster 'staging' was not found. Check the cluster input and the region.",
      ],
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'secrets and env-files inputs on a template without executionRoleArn (at the container)',
    inputs: {
      'task-definition': `${FIXTURES}no-role.json`,
      secrets: 'API_KEY=/web/api-key',
      'env-files': 'arn:aws:s3:::config-bucket/web.env',
    },
    errors: [
      at(
        'no-role.json',
        7,
        28,
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).",
        'containerDefinitions[0].secrets',
      ),
      at(
        'no-role.json',
        7,
        28,
        "When you are specifying container environment files, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role with s3:GetObject on the files and s3:GetBucketLocation on their buckets.",
        'containerDefinitions[0].environmentFiles',
      ),
      breaksRules(2),
    ],
    reads: [],
  },
];

const template = (file: string, extra: Record<string, string> = {}) => ({
  'task-definition': FIXTURES + file,
  ...extra,
});

// ---- template problems: syntax, placeholders and the ECS rules, each at its line and column ----
const TEMPLATE_CASES: Case[] = [
  {
    name: 'JSON syntax error (a missing comma)',
    inputs: { 'task-definition': 'json-syntax.json' },
    errors: [
      at('json-syntax.json', 5, 3, `Invalid JSON: Expected ',' or '}' after a property value but found '"'.`),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'YAML syntax error (an unclosed quote points at where it opens)',
    inputs: { 'task-definition': 'yaml-syntax.yaml' },
    errors: [
      at('yaml-syntax.yaml', 5, 12, 'Invalid YAML: Unterminated string: it has no closing double quote.'),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'a key given twice in JSON',
    inputs: template('duplicate-key.json'),
    errors: [
      at(
        'duplicate-key.json',
        7,
        3,
        "Invalid JSON: The key 'cpu' appears twice in the same mapping; keep one.",
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'a YAML tag this action does not process (!Ref)',
    inputs: template('yaml-tag.yaml'),
    errors: [
      at(
        'yaml-tag.yaml',
        1,
        9,
        'Invalid YAML: Unresolved tag: !Ref. Templates are plain YAML and tags are not evaluated; use a ${VAR} placeholder (filled from the vars input or the environment) instead.',
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'an empty template',
    inputs: template('empty.yaml'),
    errors: [
      [
        `title=Task definition,file=${FIXTURES}empty.yaml`,
        'The task definition must be a mapping of fields (like {"family": ..., "containerDefinitions": [...]}), but the file is empty.',
      ],
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'an unterminated placeholder',
    inputs: template('unterminated-placeholder.json'),
    errors: [
      at(
        'unterminated-placeholder.json',
        7,
        82,
        "Unterminated placeholder: '${' has no closing '}'. Write $${ for a literal '${'.",
        'containerDefinitions[0].image',
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'a value that is not true or false for a boolean placeholder',
    inputs: template('boolean-var.yaml'),
    env: { ESSENTIAL: 'yes' },
    errors: [
      at(
        'boolean-var.yaml',
        9,
        16,
        "containerDefinitions[].essential is a boolean, but template variable 'ESSENTIAL' (from the environment) is not 'true' or 'false'.",
        'containerDefinitions[0].essential',
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'fields of the wrong type',
    inputs: template('wrong-types.json'),
    errors: [
      at('wrong-types.json', 5, 10, 'cpu must be a string, not a number; put the value in quotes.', 'cpu'),
      at(
        'wrong-types.json',
        11,
        20,
        'essential must be true or false, not a string; remove the quotes around it.',
        'containerDefinitions[0].essential',
      ),
      at(
        'wrong-types.json',
        12,
        43,
        'containerPort must be a whole number, not a string; remove the quotes around it.',
        'containerDefinitions[0].portMappings[0].containerPort',
      ),
      breaksRules(3),
    ],
    reads: [],
  },
  {
    name: 'an unset ${VAR} (the service is described first)',
    inputs: template('unset-var.yaml', SERVICE),
    errors: [
      at(
        'unset-var.yaml',
        8,
        39,
        "Template variable 'IMAGE_TAG' is not set. Give it in the 'vars' input or the environment, or write ${IMAGE_TAG:-default}.",
        'containerDefinitions[0].image',
      ),
      stopped(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'a non-numeric value for a number placeholder',
    inputs: template('port-var.json', { vars: 'PORT=http' }),
    errors: [
      at(
        'port-var.json',
        11,
        44,
        "containerDefinitions[].portMappings[].containerPort is a number, but template variable 'PORT' (from the 'vars' input) is not a whole number.",
        'containerDefinitions[0].portMappings[0].containerPort',
      ),
      stopped(1),
    ],
    reads: [],
  },
  {
    name: 'Fargate cpu and memory that are not a Fargate size',
    inputs: template('fargate-size.json', SERVICE),
    errors: [
      at(
        'fargate-size.json',
        6,
        13,
        'Fargate does not support cpu 256 with memory 4096 MiB; with cpu 256 use memory 512, 1024 or 2048. Memory 4096 MiB fits cpu 512, 1024 or 2048.',
        'memory',
      ),
      breaksRules(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'networkMode bridge on Fargate',
    inputs: template('network-mode.json'),
    errors: [
      at(
        'network-mode.json',
        3,
        18,
        `Fargate only supports network mode 'awsvpc'. Set networkMode to "awsvpc" (it is 'bridge').`,
        'networkMode',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'hostPort different from containerPort under awsvpc',
    inputs: template('host-port.json'),
    errors: [
      at(
        'host-port.json',
        11,
        61,
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match. Remove hostPort or set it to 8080 (it is 80).',
        'containerDefinitions[0].portMappings[0].hostPort',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'container memory not above memoryReservation',
    inputs: template('memory-reservation.json'),
    errors: [
      at(
        'memory-reservation.json',
        11,
        17,
        "Container 'web' memory (256 MiB) must be greater than memoryReservation (256 MiB); raise memory or lower memoryReservation.",
        'containerDefinitions[0].memory',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'no essential container',
    inputs: template('no-essential.json'),
    errors: [
      at(
        'no-essential.json',
        7,
        27,
        'No container is essential: every task definition needs at least one essential container. essential defaults to true, so remove "essential": false from the main container.',
        'containerDefinitions',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'two containers with the same name',
    inputs: template('duplicate-names.json'),
    errors: [
      at(
        'duplicate-names.json',
        9,
        15,
        "Container name 'web' is also used by containerDefinitions[0]; each container needs a unique name.",
        'containerDefinitions[1].name',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'more than 10 containers',
    inputs: template('eleven-containers.json'),
    errors: [
      at(
        'eleven-containers.json',
        7,
        27,
        'The task definition has 11 containers; ECS allows at most 10 (a fixed quota). Split them over several task definitions or services.',
        'containerDefinitions',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'dependsOn a container that does not exist',
    inputs: template('depends-unknown.json'),
    errors: [
      at(
        'depends-unknown.json',
        11,
        40,
        "Container 'web' depends on 'migrate', which is not a container in this task definition (containers: web, proxy).",
        'containerDefinitions[0].dependsOn[0].containerName',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'dependsOn COMPLETE on an essential container',
    inputs: template('depends-complete.json'),
    errors: [
      at(
        'depends-complete.json',
        11,
        64,
        `Container 'web' waits for 'migrate' to COMPLETE, but COMPLETE cannot be used on an essential container; set "essential": false on 'migrate', or use START or HEALTHY.`,
        'containerDefinitions[0].dependsOn[0].condition',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'dependsOn HEALTHY on a container without healthCheck',
    inputs: template('depends-healthy.json'),
    errors: [
      at(
        'depends-healthy.json',
        11,
        59,
        "Container 'web' waits for 'db' to be HEALTHY, but 'db' has no healthCheck; add one to 'db' or use START.",
        'containerDefinitions[0].dependsOn[0].condition',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'healthCheck interval, timeout and retries out of range',
    inputs: template('health-ranges.yaml'),
    errors: [
      at(
        'health-ranges.yaml',
        11,
        17,
        "Container 'web' healthCheck.interval 2 is out of range: use 5 to 300 seconds.",
        'containerDefinitions[0].healthCheck.interval',
      ),
      at(
        'health-ranges.yaml',
        12,
        16,
        "Container 'web' healthCheck.timeout 1 is out of range: use 2 to 60 seconds.",
        'containerDefinitions[0].healthCheck.timeout',
      ),
      at(
        'health-ranges.yaml',
        13,
        16,
        "Container 'web' healthCheck.retries 20 is out of range: use 1 to 10.",
        'containerDefinitions[0].healthCheck.retries',
      ),
      breaksRules(3),
    ],
    reads: [],
  },
  {
    name: 'healthCheck command as a string',
    inputs: template('health-command.yaml'),
    errors: [
      at(
        'health-command.yaml',
        10,
        16,
        `Container 'web' healthCheck.command must be an array, not a string; e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"].`,
        'containerDefinitions[0].healthCheck.command',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'an environment variable defined twice',
    inputs: template('duplicate-env.json'),
    errors: [
      at(
        'duplicate-env.json',
        13,
        19,
        "Container 'web' sets environment variable 'LOG_LEVEL' twice (also environment[0]); keep one.",
        'containerDefinitions[0].environment[1].name',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'a name in both environment and secrets',
    inputs: template('env-and-secret.json'),
    errors: [
      at(
        'env-and-secret.json',
        13,
        29,
        "Container 'web' sets 'DATABASE_URL' both in environment and in secrets; define it in one place only (secrets if it is sensitive, environment otherwise).",
        'containerDefinitions[0].secrets[0].name',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'secrets without executionRoleArn',
    inputs: template('secrets-no-role.json', SERVICE),
    errors: [
      at(
        'secrets-no-role.json',
        11,
        18,
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).",
        'containerDefinitions[0].secrets',
      ),
      breaksRules(1),
    ],
    reads: ['DescribeServices'],
  },
  {
    name: 'an environment file whose type is not s3',
    inputs: template('env-file-type.json'),
    errors: [
      at(
        'env-file-type.json',
        12,
        38,
        `Environment file type 'S3' is not valid: use "s3", the only type ECS supports.`,
        'containerDefinitions[0].environmentFiles[0].type',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'a task definition over 64 KiB',
    inputs: { 'task-definition': 'big.json' },
    errors: [
      at(
        'big.json',
        1,
        1,
        'The task definition is 84099 bytes of JSON; ECS accepts at most 65536 bytes (64 KiB). Move large values out of it, e.g. environment variables into an S3 environment file.',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'a tag with the reserved aws: prefix',
    inputs: template('aws-tag.yaml'),
    errors: [
      at(
        'aws-tag.yaml',
        12,
        10,
        "Tag key 'aws:cloudformation:stack-name' uses the reserved prefix 'aws:'; choose a key without it.",
        'tags[1].key',
      ),
      breaksRules(1),
    ],
    reads: [],
  },
  {
    name: 'several problems at once, one annotation each',
    inputs: template('many.json', SERVICE),
    errors: [
      at(
        'many.json',
        6,
        13,
        'Fargate does not support cpu 256 with memory 3072 MiB; with cpu 256 use memory 512, 1024 or 2048. Memory 3072 MiB fits cpu 512 or 1024.',
        'memory',
      ),
      at(
        'many.json',
        7,
        27,
        'No container is essential: every task definition needs at least one essential container. essential defaults to true, so remove "essential": false from the main container.',
        'containerDefinitions',
      ),
      at(
        'many.json',
        12,
        61,
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match. Remove hostPort or set it to 8080 (it is 80).',
        'containerDefinitions[0].portMappings[0].hostPort',
      ),
      at(
        'many.json',
        13,
        18,
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).",
        'containerDefinitions[0].secrets',
      ),
      breaksRules(4),
    ],
    reads: ['DescribeServices'],
  },
];

const CASES = [...INPUT_CASES, ...RENDER_CASES, ...TEMPLATE_CASES];

let emulator: Emulator;
let workspace: string;

beforeAll(async () => {
  emulator = await startEmulator({
    speed: 600,
    seed: {
      clusters: [{ name: 'prod' }],
      taskDefinitions: [
        {
          family: 'web',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          executionRoleArn: EXECUTION_ROLE,
          containerDefinitions: [
            { name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:stable' },
          ],
        },
      ],
      services: [{ cluster: 'prod', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2 }],
      // What the fixture templates point at, so that preflight (which runs whenever a definition
      // rendered, problems or not) finds it all and adds no problem of its own.
      ...referencedSeed(),
      images: [{ repository: 'web', tag: 'stable' }, ...(referencedSeed().images ?? [])],
      parameters: ['/web/api-key', '/web/database-url', '/web/token'].map((name) => ({ name, value: 'x' })),
      objects: ['web.env', ...Array.from({ length: 11 }, (_, i) => `app-${i + 1}.env`)].map((key) => ({
        bucket: 'config-bucket',
        key,
        body: 'A=1\n',
      })),
    },
  });
  workspace = await mkdtemp(path.join(tmpdir(), 'ecs-deploy-bad-inputs-'));
  for (const [file, text] of Object.entries(GENERATED)) await writeFile(path.join(workspace, file), text);
});

afterAll(async () => {
  await emulator?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

describe('every bad input fails the step with a clear error and writes nothing to AWS', () => {
  test('the table has the cases it should', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const mark = emulator.requests.length;
    const result = await runAction({
      endpoint: emulator.url,
      inputs: c.inputs,
      env: c.env,
      workspace: (c.inputs['task-definition'] ?? '') in GENERATED ? workspace : undefined,
      timeoutMs: 30_000,
    });
    const requests = emulator.requests.slice(mark);

    expect(unexpectedStderr(result.stderr)).toBe('');
    const errors = result.annotations
      .filter((a) => a.level === 'error')
      .map((a): Annotation => [a.properties, a.message]);
    expect(errors).toEqual(c.errors);
    expect(result.exitCode).toBe(1);
    expect(mutatingCalls(requests)).toEqual([]);
    // The ECS calls, in order; besides them only preflight's metadata reads (which run
    // concurrently, so in no fixed order), never a call that reads a value.
    expect(requests.filter((r) => r.service === 'ecs').map((r) => r.operation)).toEqual(c.reads);
    for (const r of requests.filter((r) => r.service !== 'ecs')) {
      expect(PREFLIGHT_READS).toContain(r.operation);
    }
    expect(result.outputs['task-definition-arn']).toBeUndefined();
  });
});

/** What preflight may call: metadata only (docs/ecs-behaviour.md, "Preflight"). */
const PREFLIGHT_READS = [
  'DescribeImages',
  'DescribeImageScanFindings',
  'HeadObject',
  'DescribeParameters',
  'DescribeSecret',
  'DescribeLogGroups',
];

describe('a warning does not fail the step', () => {
  test('a plaintext variable named like a secret is a warning, and its value is never printed', async () => {
    const mark = emulator.requests.length;
    const result = await runAction({
      endpoint: emulator.url,
      inputs: { ...template('warning.json', SERVICE), 'dry-run': 'true' },
      env: { DB_PASSWORD: SECRET_VALUE },
    });
    const requests = emulator.requests.slice(mark);

    expect(unexpectedStderr(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.outcome).toBe('planned');
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.annotations.filter((a) => a.level === 'warning')).toEqual([
      {
        level: 'warning',
        properties: `title=Task definition,file=${FIXTURES}warning.json,line=11,col=23`,
        message:
          "containerDefinitions[0].environment[0]: Environment variable 'DB_PASSWORD' looks like a secret but is set in plain text, " +
          'where anyone who can describe the task definition can read it; store it in SSM Parameter Store or Secrets Manager and ' +
          'reference it under secrets instead.',
      },
    ]);
    expect(result.summary).toContain('DB_PASSWORD');
    expect(result.log).not.toContain(SECRET_VALUE);
    expect(result.summary).not.toContain(SECRET_VALUE);
    expect(mutatingCalls(requests)).toEqual([]);
  });
});
