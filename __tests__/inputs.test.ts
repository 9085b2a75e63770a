import { describe, expect, test } from '@jest/globals';
import { INPUT_NAMES, parseInputs } from '../src/inputs/index.js';
import { parseCommand, splitCommandLine } from '../src/inputs/command.js';
import { formatProblem, ProblemsError, type Problem } from '../src/lib/problems.js';
import type { DeployRequest } from '../src/lib/request.js';

type Inputs = Record<string, string>;

/** What a run with only a template and a service gives, every default applied. */
const BASE: Inputs = { 'task-definition': 'ecs/web.json', service: 'web' };

function parse(inputs: Inputs): DeployRequest {
  return parseInputs((name) => inputs[name] ?? '');
}

function problemsOf(inputs: Inputs): Problem[] {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems;
    throw error;
  }
  throw new Error('expected parseInputs to throw ProblemsError');
}

/** `[input, message]` pairs, the shape most assertions compare. */
function errorsOf(inputs: Inputs): [string | undefined, string][] {
  return problemsOf(inputs).map((p) => [p.input, p.message]);
}

const DIGEST = 'sha256:' + 'a1'.repeat(32);
const TD_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';

describe('defaults', () => {
  test('a template and a service give the documented defaults', () => {
    expect(parse(BASE)).toEqual({
      templatePath: 'ecs/web.json',
      taskDefinitionRef: undefined,
      vars: {},
      containerNames: [],
      images: [],
      environment: { set: [], remove: [] },
      environmentMode: 'merge',
      envFiles: { add: [], remove: [] },
      secrets: { set: [], remove: [] },
      dockerLabels: { set: [], remove: [] },
      command: undefined,
      taskRoleArn: undefined,
      executionRoleArn: undefined,
      logDriver: undefined,
      logOptions: { set: [], remove: [] },
      cluster: 'default',
      service: 'web',
      services: [{ cluster: 'default', service: 'web' }],
      onServiceFailure: 'continue',
      waitForServiceStability: true,
      waitForMinutes: 30,
      forceNewDeployment: false,
      desiredCount: undefined,
      enableEcsManagedTags: undefined,
      propagateTags: undefined,
      circuitBreaker: undefined,
      onTimeout: 'fail',
      dryRun: false,
      preflight: true,
      pinImageDigest: false,
      runTask: false,
      runTaskContainerOverrides: [],
      runTaskSubnets: undefined,
      runTaskSecurityGroups: undefined,
      runTaskAssignPublicIp: undefined,
      runTaskCapacityProviderStrategy: undefined,
      runTaskLaunchType: undefined,
      runTaskStartedBy: 'GitHub-Actions',
      runTaskTags: [],
      runTaskEbsVolumeName: undefined,
      runTaskEbsVolume: undefined,
      waitForTaskStopped: false,
      runTaskCommand: undefined,
      stopTaskOnTimeout: false,
      keepRevisions: undefined,
      deleteDeregistered: false,
      codeDeployAppSpec: 'appspec.yaml',
    });
  });

  test('every input is read, and each value is trimmed', () => {
    const asked: string[] = [];
    parseInputs((name) => {
      asked.push(name);
      return name === 'service' ? '  web  ' : name === 'task-definition' ? ' td.json\n' : '';
    });
    expect(asked).toEqual([...INPUT_NAMES]);
    expect(parse({ 'task-definition': ' td.json ', service: ' web ' })).toMatchObject({
      templatePath: 'td.json',
      service: 'web',
    });
  });

  test('a template alone registers only: no service, deploy inputs at their defaults', () => {
    expect(parse({ 'task-definition': 'td.yaml' })).toMatchObject({
      templatePath: 'td.yaml',
      service: undefined,
    });
  });
});

describe('task definition source', () => {
  test('a service alone starts from what the service runs now', () => {
    const request = parse({ service: 'web', 'force-new-deployment': 'true' });
    expect(request.templatePath).toBeUndefined();
    expect(request.taskDefinitionRef).toBeUndefined();
    expect(request.forceNewDeployment).toBe(true);
  });

  test.each([
    [{ 'task-definition-arn': TD_ARN }, TD_ARN],
    [
      { 'task-definition-arn': 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a_b-c:1' },
      'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a_b-c:1',
    ],
    [
      { 'task-definition-arn': 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web:7' },
      'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web:7',
    ],
    [
      // The partitions and Regions are the ones secrets and env-files accept (taskdef/references.ts).
      { 'task-definition-arn': 'arn:aws-eusc:ecs:eusc-de-east-1:123456789012:task-definition/web:7' },
      'arn:aws-eusc:ecs:eusc-de-east-1:123456789012:task-definition/web:7',
    ],
    [{ 'task-definition-family': 'web' }, 'web'],
    [{ 'task-definition-family': 'web', 'task-definition-revision': '12' }, 'web:12'],
  ])('%j -> taskDefinitionRef %s', (inputs, ref) => {
    const request = parse({ service: 'web', ...inputs });
    expect(request.taskDefinitionRef).toBe(ref);
    expect(request.templatePath).toBeUndefined();
  });

  test('a registered revision without a service only needs no deploy inputs', () => {
    expect(parse({ 'task-definition-family': 'web' }).taskDefinitionRef).toBe('web');
  });
});

describe('vars', () => {
  test('NAME=value lines, first "=" splits, quotes removed, comments skipped', () => {
    expect(
      parse({ ...BASE, vars: 'IMAGE_TAG=3f9c2d1\n# a comment\n\n_URL = https://x/?a=b\nQUOTED=" spaced "' })
        .vars,
    ).toEqual({ IMAGE_TAG: '3f9c2d1', _URL: 'https://x/?a=b', QUOTED: ' spaced ' });
  });
});

describe('containers and images', () => {
  test('container-name: one or several, trimmed', () => {
    expect(parse({ ...BASE, 'container-name': 'web' }).containerNames).toEqual(['web']);
    expect(parse({ ...BASE, 'container-name': ' app , sidecar_1,log-router ' }).containerNames).toEqual([
      'app',
      'sidecar_1',
      'log-router',
    ]);
  });

  test.each([
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:3f9c2d1',
    `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`,
    'nginx',
    'public.ecr.aws/nginx/nginx:1.27-alpine',
    'registry.example.com:5000/team/app:v1.2.3',
    ':v2',
    `@${DIGEST}`,
    `:v2@${DIGEST}`,
    `ghcr.io/org/app:1.2.3@${DIGEST}`,
    'Registry.Example.com:5000/team/app_x__y.z-w:V1',
  ])('image %s is accepted for the target container(s)', (image) => {
    expect(parse({ ...BASE, image }).images).toEqual([{ image, input: 'image' }]);
  });

  test('images: container=image lines, any image form', () => {
    const request = parse({
      ...BASE,
      image: ':v3',
      images: `app=:v2\n# the proxy is pinned\nproxy = public.ecr.aws/nginx/nginx@${DIGEST}\n\nworker=@${DIGEST}`,
    });
    expect(request.images).toEqual([
      { image: ':v3', input: 'image' },
      { container: 'app', image: ':v2', input: 'images' },
      { container: 'proxy', image: `public.ecr.aws/nginx/nginx@${DIGEST}`, input: 'images' },
      { container: 'worker', image: `@${DIGEST}`, input: 'images' },
    ]);
  });

  test('image for container-name and images for other containers go together', () => {
    const request = parse({ ...BASE, 'container-name': 'app', image: ':v2', images: 'sidecar=:1.4' });
    expect(request.images.map((i) => i.container)).toEqual([undefined, 'sidecar']);
  });
});

describe('environment-variables', () => {
  test('the value is everything after the first "=", kept whole', () => {
    const request = parse({
      ...BASE,
      'environment-variables': [
        'DATABASE_URL=postgres://db:5432/app?sslmode=require&x=y',
        'EQUALS==a==',
        '  SPACED_NAME   =  trimmed value  ',
        'DOUBLE="x y"',
        "SINGLE=' padded '",
        'EMPTY=',
        'EMPTY_QUOTED=""',
        'HALF="open',
        'HASH=a#b',
        'lower.case-name=1',
      ].join('\n'),
    });
    expect(request.environment).toEqual({
      set: [
        { name: 'DATABASE_URL', value: 'postgres://db:5432/app?sslmode=require&x=y' },
        { name: 'EQUALS', value: '=a==' },
        { name: 'SPACED_NAME', value: 'trimmed value' },
        { name: 'DOUBLE', value: 'x y' },
        { name: 'SINGLE', value: ' padded ' },
        { name: 'EMPTY', value: '' },
        { name: 'EMPTY_QUOTED', value: '' },
        { name: 'HALF', value: '"open' },
        { name: 'HASH', value: 'a#b' },
        { name: 'lower.case-name', value: '1' },
      ],
      remove: [],
    });
  });

  test('-NAME removes; blank lines, # comments and CRLF line ends are fine', () => {
    const request = parse({
      ...BASE,
      'environment-variables': 'A=1\r\n\r\n# old flags:\r\n-OLD_FLAG\r\n - LEGACY \r\nB=2',
    });
    expect(request.environment).toEqual({
      set: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      remove: ['OLD_FLAG', 'LEGACY'],
    });
    expect(request.environmentMode).toBe('merge');
  });

  test('replace mode, in any letter case', () => {
    const request = parse({
      ...BASE,
      'environment-variables': 'ONLY=1',
      'environment-variables-mode': 'Replace',
    });
    expect(request.environmentMode).toBe('replace');
    expect(request.environment.set).toEqual([{ name: 'ONLY', value: '1' }]);
  });

  test('line numbers count blank and comment lines, and values are never in a message', () => {
    const problems = problemsOf({
      ...BASE,
      'environment-variables': 'TOKEN=s3cr3t-1\n\n# x\nhunter2-s3cr3t\nTOKEN=s3cr3t-2',
    });
    expect(problems.map((p) => p.message)).toEqual([
      'line 4: expected NAME=value or -NAME, but the line has no "=".',
      'line 5: variable "TOKEN" is also given on line 1; give each variable once.',
    ]);
    for (const p of problems) expect(formatProblem(p)).not.toContain('s3cr3t');
  });
});

describe('secrets, env files, labels, log configuration', () => {
  test('secrets: NAME=valueFrom lines and -NAME', () => {
    const sm = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::';
    const request = parse({
      ...BASE,
      secrets: `DB_PASSWORD = ${sm}\nAPI_KEY=/app/api-key\nPARAM=arn:aws:ssm:us-east-1:123456789012:parameter/app/param\n-OLD_SECRET`,
    });
    expect(request.secrets).toEqual({
      set: [
        { name: 'DB_PASSWORD', value: sm },
        { name: 'API_KEY', value: '/app/api-key' },
        { name: 'PARAM', value: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/param' },
      ],
      remove: ['OLD_SECRET'],
    });
  });

  test('env-files: one ARN per line, -arn removes, up to 10', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `arn:aws:s3:::config-bucket/app/f${i}.env`);
    const request = parse({
      ...BASE,
      'env-files': `${ten.join('\n')}\n# retired:\n- arn:aws:s3:::config-bucket/old.env`,
    });
    expect(request.envFiles).toEqual({ add: ten, remove: ['arn:aws:s3:::config-bucket/old.env'] });
  });

  test('docker-labels and log-configuration-options keep "=" in values', () => {
    const request = parse({
      ...BASE,
      'docker-labels': 'traefik.http.routers.web.rule=Host(`a.example`) && Query(`x=1`)\n-com.example.old',
      'log-configuration-log-driver': 'AWSLOGS',
      'log-configuration-options': 'awslogs-group=/ecs/web\nawslogs-datetime-format=%Y-%m-%d=%H\n-mode',
    });
    expect(request.dockerLabels).toEqual({
      set: [{ name: 'traefik.http.routers.web.rule', value: 'Host(`a.example`) && Query(`x=1`)' }],
      remove: ['com.example.old'],
    });
    expect(request.logDriver).toBe('awslogs');
    expect(request.logOptions).toEqual({
      set: [
        { name: 'awslogs-group', value: '/ecs/web' },
        { name: 'awslogs-datetime-format', value: '%Y-%m-%d=%H' },
      ],
      remove: ['mode'],
    });
  });

  test.each(['awsfirelens', 'awslogs', 'fluentd', 'gelf', 'journald', 'json-file', 'splunk', 'syslog'])(
    'log driver %s is accepted',
    (driver) => {
      expect(parse({ ...BASE, 'log-configuration-log-driver': driver }).logDriver).toBe(driver);
    },
  );
});

describe('command', () => {
  test.each<[string, string[]]>([
    ['["node", "server.js", "--port=8080"]', ['node', 'server.js', '--port=8080']],
    ['[ "sh", "-c", "echo \\"hi\\"" ]', ['sh', '-c', 'echo "hi"']],
    ['node server.js', ['node', 'server.js']],
    ['  node   server.js\t--x ', ['node', 'server.js', '--x']],
    ['sh -c "npm run migrate && npm start"', ['sh', '-c', 'npm run migrate && npm start']],
    ['echo \'single "quoted" $HOME\'', ['echo', 'single "quoted" $HOME']],
    ['echo "a \\"b\\" \\\\ \\$x \\n"', ['echo', 'a "b" \\ $x \\n']],
    ["echo a\\ b c\\'d", ['echo', 'a b', "c'd"]],
    ["printf '' x", ['printf', '', 'x']],
    ['--flag="a b"c', ['--flag=a bc']],
    ['node \\\n  server.js', ['node', 'server.js']],
    ['run\nover\nlines', ['run', 'over', 'lines']],
    ['C:\\\\path', ['C:\\path']],
    ['"C:\\dir\\file"', ['C:\\dir\\file']],
  ])('%s', (text, args) => {
    expect(parseCommand(text)).toEqual({ args });
    expect(parse({ ...BASE, command: text }).command).toEqual(args);
  });

  test('a command line with no words has no arguments', () => {
    expect(splitCommandLine('')).toEqual({ error: 'the command has no arguments.' });
    expect(splitCommandLine(' \\\n ')).toEqual({ error: 'the command has no arguments.' });
  });

  test('quote positions count lines and columns', () => {
    expect(splitCommandLine('run \\\n  "unclosed')).toEqual({
      error: 'the double quote at line 2, column 3 of the command is never closed.',
    });
  });
});

describe('roles and deploy settings', () => {
  test.each([
    'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    'arn:aws:iam::123456789012:role/service-role/path/my.role+=,@-_',
    'arn:aws-cn:iam::123456789012:role/x',
    'arn:aws-us-gov:iam::123456789012:role/x',
    'arn:aws-iso-b:iam::123456789012:role/x',
  ])('role ARN %s', (arn) => {
    const request = parse({ ...BASE, 'task-role-arn': arn, 'execution-role-arn': arn });
    expect(request.taskRoleArn).toBe(arn);
    expect(request.executionRoleArn).toBe(arn);
  });

  test('every deploy input, with case-insensitive booleans and enums', () => {
    expect(
      parse({
        ...BASE,
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/production',
        service: 'arn:aws:ecs:us-east-1:123456789012:service/production/web',
        'wait-for-service-stability': 'TRUE',
        'wait-for-minutes': '7.5',
        'force-new-deployment': 'True',
        'desired-count': '0',
        'enable-ecs-managed-tags': 'FALSE',
        'propagate-tags': 'task_definition',
        'circuit-breaker': 'ROLLBACK',
        'on-timeout': 'Rollback',
        'dry-run': 'true',
      }),
    ).toMatchObject({
      cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/production',
      service: 'arn:aws:ecs:us-east-1:123456789012:service/production/web',
      waitForServiceStability: true,
      waitForMinutes: 7.5,
      forceNewDeployment: true,
      desiredCount: 0,
      enableEcsManagedTags: false,
      propagateTags: 'TASK_DEFINITION',
      circuitBreaker: 'rollback',
      onTimeout: 'rollback',
      dryRun: true,
    });
  });

  test.each([
    ['1', 1],
    ['360', 360],
    ['1.25', 1.25],
    ['2.', 2],
    ['030', 30],
  ])('wait-for-minutes %s -> %d', (text, minutes) => {
    expect(parse({ ...BASE, 'wait-for-minutes': text }).waitForMinutes).toBe(minutes);
  });

  test.each([['enable'], ['disable'], ['rollback']])('circuit-breaker %s', (mode) => {
    expect(parse({ ...BASE, 'circuit-breaker': mode }).circuitBreaker).toBe(mode);
  });

  test('old-style service ARN without the cluster', () => {
    expect(parse({ ...BASE, service: 'arn:aws:ecs:us-east-1:123456789012:service/web' }).service).toBe(
      'arn:aws:ecs:us-east-1:123456789012:service/web',
    );
  });

  test('without a service, deploy inputs at their action.yml defaults are not errors', () => {
    // The runner passes action.yml defaults for inputs the workflow does not set.
    const request = parse({
      'task-definition': 'td.json',
      cluster: 'default',
      'wait-for-service-stability': 'true',
      'wait-for-minutes': '30',
      'force-new-deployment': 'false',
      'on-timeout': 'fail',
      'environment-variables-mode': 'merge',
      'dry-run': 'false',
    });
    expect(request.service).toBeUndefined();
  });

  test('not waiting with the default wait-for-minutes and on-timeout is fine', () => {
    expect(parse({ ...BASE, 'wait-for-service-stability': 'false' }).waitForServiceStability).toBe(false);
  });
});

describe('bad inputs: exact messages', () => {
  const ten = Array.from({ length: 11 }, (_, i) => `arn:aws:s3:::bucket/f${i}.env`).join('\n');
  const NAME_RULE = 'use 1 to 255 letters, digits, hyphens and underscores.';
  const BAD: [string, Inputs, string, string][] = [
    [
      'no source and no service',
      { 'task-definition': '', service: '' },
      'task-definition',
      'no task definition is given: set task-definition (a template file), task-definition-arn or task-definition-family, or set service to start from the task definition the service runs now.',
    ],
    [
      'two sources',
      { 'task-definition-arn': TD_ARN },
      'task-definition',
      'give only one of task-definition, task-definition-arn and task-definition-family; found task-definition and task-definition-arn.',
    ],
    [
      'three sources',
      { 'task-definition-arn': TD_ARN, 'task-definition-family': 'web' },
      'task-definition',
      'give only one of task-definition, task-definition-arn and task-definition-family; found task-definition, task-definition-arn and task-definition-family.',
    ],
    [
      'ARN without revision',
      {
        'task-definition': '',
        'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web',
      },
      'task-definition-arn',
      '"arn:aws:ecs:us-east-1:123456789012:task-definition/web" has no revision; add :<revision>, or use task-definition-family to start from the latest revision.',
    ],
    [
      'family:revision as ARN',
      { 'task-definition': '', 'task-definition-arn': 'web:3' },
      'task-definition-arn',
      '"web:3" is not a task definition ARN; expected arn:aws:ecs:<region>:<12-digit account id>:task-definition/<family>:<revision>.',
    ],
    [
      'ARN with a short account',
      { 'task-definition': '', 'task-definition-arn': 'arn:aws:ecs:us-east-1:1234:task-definition/web:3' },
      'task-definition-arn',
      '"arn:aws:ecs:us-east-1:1234:task-definition/web:3" is not a task definition ARN; expected arn:aws:ecs:<region>:<12-digit account id>:task-definition/<family>:<revision>.',
    ],
    [
      'revision inside family',
      { 'task-definition': '', 'task-definition-family': 'web:3' },
      'task-definition-family',
      '"web:3" includes a revision; give the family "web" here and 3 in task-definition-revision.',
    ],
    [
      'family with a space',
      { 'task-definition': '', 'task-definition-family': 'web app' },
      'task-definition-family',
      `"web app" is not a task definition family; ${NAME_RULE}`,
    ],
    [
      'revision 0',
      { 'task-definition': '', 'task-definition-family': 'web', 'task-definition-revision': '0' },
      'task-definition-revision',
      '"0" is not a revision number; use a whole number from 1 up.',
    ],
    [
      'revision without family',
      { 'task-definition-revision': '4' },
      'task-definition-revision',
      'task-definition-revision needs task-definition-family; to start from a revision by its ARN, use task-definition-arn.',
    ],
    [
      'var name with a digit first',
      { vars: 'A=1\n1TAG=1' },
      'vars',
      'line 2: "1TAG" is not a variable name; use letters, digits and underscores, not starting with a digit.',
    ],
    [
      'var name with whitespace',
      { vars: 'IMAGE TAG=1' },
      'vars',
      'line 1: the variable name "IMAGE TAG" contains whitespace.',
    ],
    [
      'vars without a template',
      { 'task-definition': '', 'task-definition-family': 'web', vars: 'A=1' },
      'vars',
      'vars fill ${NAME} placeholders in a template, but task-definition (the template file) is not set.',
    ],
    [
      'empty container name',
      { 'container-name': 'app,,web' },
      'container-name',
      '"app,,web" has an empty name between commas.',
    ],
    [
      'container listed twice',
      { 'container-name': 'app, app' },
      'container-name',
      'container "app" is listed twice.',
    ],
    [
      'container name with a space',
      { 'container-name': 'my app' },
      'container-name',
      `"my app" is not a container name; ${NAME_RULE}`,
    ],
    [
      'image with whitespace',
      { image: 'repo:tag with space' },
      'image',
      '"repo:tag with space" is not a valid image reference: it contains whitespace.',
    ],
    ['empty tag', { image: ':' }, 'image', `":" is not a valid image reference: the tag after ':' is empty.`],
    [
      'tag starting with a dot',
      { image: ':.v1' },
      'image',
      `":.v1" is not a valid image reference: the tag '.v1' may have only letters, digits, '_', '.' and '-' (up to 128, not starting with '.' or '-').`,
    ],
    [
      'short digest',
      { image: '@sha256:abc' },
      'image',
      `"@sha256:abc" is not a valid image reference: the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.`,
    ],
    [
      'bad digest in a full reference',
      { image: 'repo@sha256:XYZ' },
      'image',
      `"repo@sha256:XYZ" is not a valid image reference: the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.`,
    ],
    [
      'reference ending in ":"',
      { image: 'repo:' },
      'image',
      `"repo:" is not a valid image reference: the tag after ':' is empty.`,
    ],
    [
      'over-long image',
      { image: 'r'.repeat(256) },
      'image',
      `"${'r'.repeat(256)}" is not a valid image reference: it is 256 characters long; ECS allows at most 255.`,
    ],
    [
      'upper case in the repository (Docker refuses it at pull time)',
      { image: 'MyOrg/App:1' },
      'image',
      `"MyOrg/App:1" is not a valid image reference: the repository part 'MyOrg' may have only lowercase letters, digits and single '.', '_' or '-' between them.`,
    ],
    [
      'a "#" in the repository (ECS takes it, Docker does not)',
      { image: 'repo#x:1' },
      'image',
      `"repo#x:1" is not a valid image reference: the repository part 'repo#x' may have only lowercase letters, digits and single '.', '_' or '-' between them.`,
    ],
    [
      'an empty repository path part',
      { image: 'a//b:1' },
      'image',
      `"a//b:1" is not a valid image reference: the repository name has an empty part between '/'.`,
    ],
    [
      'a bad digest after a :tag',
      { image: ':v1@sha256:abc' },
      'image',
      `":v1@sha256:abc" is not a valid image reference: the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.`,
    ],
    [
      'images line with an upper-case repository',
      { images: 'web=:v1\napp=Registry.example.com/Team/app:1' },
      'images',
      `line 2: "Registry.example.com/Team/app:1" for container "app" is not a valid image reference: the repository part 'Team' may have only lowercase letters, digits and single '.', '_' or '-' between them.`,
    ],
    [
      'container given two images',
      { images: 'app=:v1\napp=:v2' },
      'images',
      'line 2: container "app" is also given on line 1; give each container once.',
    ],
    [
      'images line without "="',
      { images: 'app' },
      'images',
      'line 1: expected container=image, but the line has no "=".',
    ],
    [
      'images line without an image',
      { images: 'web=:v1\napp=' },
      'images',
      'line 2: container "app" has no image after "=".',
    ],
    [
      'images line with a bad tag',
      { images: 'app=:v 1' },
      'images',
      'line 1: ":v 1" for container "app" is not a valid image reference: it contains whitespace.',
    ],
    [
      'image and images for one container',
      { 'container-name': 'app', image: ':v1', images: 'app=:v2' },
      'images',
      'line 1: container "app" also gets the image from input \'image\' (it is listed in container-name); give each container one image.',
    ],
    [
      'environment line without "="',
      { 'environment-variables': 'A=1\nFOO' },
      'environment-variables',
      'line 2: expected NAME=value or -NAME, but the line has no "=".',
    ],
    [
      'variable given twice',
      { 'environment-variables': 'A=1\nB=2\nA=3' },
      'environment-variables',
      'line 3: variable "A" is also given on line 1; give each variable once.',
    ],
    [
      'variable set and removed',
      { 'environment-variables': 'A=1\n-A' },
      'environment-variables',
      'line 2: variable "A" is also given on line 1; give each variable once.',
    ],
    [
      'empty variable name',
      { 'environment-variables': '=x' },
      'environment-variables',
      'line 1: the variable name is empty.',
    ],
    [
      'variable name with whitespace',
      { 'environment-variables': 'MY VAR=x' },
      'environment-variables',
      'line 1: the variable name "MY VAR" contains whitespace.',
    ],
    [
      'removal with a value',
      { 'environment-variables': '-A=1' },
      'environment-variables',
      'line 1: a removal line is -NAME alone, without "=".',
    ],
    [
      'removal of nothing',
      { 'environment-variables': '-' },
      'environment-variables',
      'line 1: "-" must be followed by the name of the variable to remove.',
    ],
    [
      'removal in replace mode',
      { 'environment-variables': 'A=1\n-B', 'environment-variables-mode': 'replace' },
      'environment-variables',
      'line 2: a -NAME line has no effect with environment-variables-mode replace, which keeps only the variables given; delete the line.',
    ],
    [
      'replace with nothing',
      { 'environment-variables-mode': 'replace' },
      'environment-variables-mode',
      'replace needs environment-variables: with none given, every variable of the container would be removed.',
    ],
    [
      'unknown mode',
      { 'environment-variables-mode': 'overwrite' },
      'environment-variables-mode',
      '"overwrite" is not valid; use merge or replace.',
    ],
    [
      'secret without valueFrom',
      { secrets: 'DB=' },
      'secrets',
      'line 1: secret "DB" has no valueFrom after "=".',
    ],
    [
      'secret line without "="',
      { secrets: 'DB' },
      'secrets',
      'line 1: expected NAME=valueFrom or -NAME, but the line has no "=".',
    ],
    [
      'secret given twice',
      { secrets: 'DB=/a\nDB=/b' },
      'secrets',
      'line 2: secret "DB" is also given on line 1; give each secret once.',
    ],
    [
      'secret name with whitespace',
      { secrets: 'DB PASS=/a' },
      'secrets',
      'line 1: the secret name "DB PASS" contains whitespace.',
    ],
    [
      'secret removal with a value',
      { secrets: '-DB=/a' },
      'secrets',
      'line 1: a removal line is -NAME alone, without "=".',
    ],
    [
      'env file given twice',
      { 'env-files': 'arn:aws:s3:::bucket/app.env\n\narn:aws:s3:::bucket/app.env' },
      'env-files',
      'line 3: this env file is also given on line 1; give each env file once.',
    ],
    [
      '11 env files',
      { 'env-files': ten },
      'env-files',
      '11 files are given; a container takes at most 10 environment files.',
    ],
    [
      'env file removal of nothing',
      { 'env-files': '-' },
      'env-files',
      'line 1: "-" must be followed by the env file to remove.',
    ],
    [
      'label without "="',
      { 'docker-labels': 'team' },
      'docker-labels',
      'line 1: expected key=value or -key, but the line has no "=".',
    ],
    [
      'label given twice',
      { 'docker-labels': 'a=1\n-a' },
      'docker-labels',
      'line 2: label "a" is also given on line 1; give each label once.',
    ],
    [
      'log option given twice',
      { 'log-configuration-options': 'a=1\na=2' },
      'log-configuration-options',
      'line 2: option "a" is also given on line 1; give each option once.',
    ],
    [
      'log option removal with a value',
      { 'log-configuration-options': '-a=1' },
      'log-configuration-options',
      'line 1: a removal line is -key alone, without "=".',
    ],
    [
      'logentries',
      { 'log-configuration-log-driver': 'logentries' },
      'log-configuration-log-driver',
      '"logentries" is not a log driver the ECS API accepts; use awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk or syslog.',
    ],
    [
      'unknown log driver',
      { 'log-configuration-log-driver': 'cloudwatch' },
      'log-configuration-log-driver',
      '"cloudwatch" is not valid; use awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk or syslog.',
    ],
    [
      'unclosed double quote',
      { command: 'sh -c "echo hi' },
      'command',
      'the double quote at line 1, column 7 of the command is never closed.',
    ],
    [
      'unclosed single quote',
      { command: "echo 'hi" },
      'command',
      'the single quote at line 1, column 6 of the command is never closed.',
    ],
    [
      'trailing backslash',
      { command: 'echo hi\\' },
      'command',
      'the command ends with a lone backslash (line 1, column 8).',
    ],
    [
      'JSON array with a number',
      { command: '["a", 1]' },
      'command',
      "item 2 of the command's JSON array is not a string; quote every argument.",
    ],
    [
      'empty JSON array',
      { command: '[]' },
      'command',
      'the command is an empty JSON array; give at least one argument.',
    ],
    [
      'broken JSON',
      { command: '["a",' },
      'command',
      'the command starts with "[" but is not valid JSON; write a JSON array of strings such as ["node", "server.js"], or a command line without brackets.',
    ],
    [
      'role name instead of ARN',
      { 'task-role-arn': 'ecsTaskRole' },
      'task-role-arn',
      '"ecsTaskRole" is a role name, not an ARN; give the full ARN, arn:aws:iam::<12-digit account id>:role/ecsTaskRole.',
    ],
    [
      'role ARN with a short account',
      { 'execution-role-arn': 'arn:aws:iam::123:role/x' },
      'execution-role-arn',
      '"arn:aws:iam::123:role/x" is not an IAM role ARN; expected arn:aws:iam::<12-digit account id>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).',
    ],
    [
      'user ARN as a role',
      { 'execution-role-arn': 'arn:aws:iam::123456789012:user/x' },
      'execution-role-arn',
      '"arn:aws:iam::123456789012:user/x" is not an IAM role ARN; expected arn:aws:iam::<12-digit account id>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).',
    ],
    [
      'cluster with a space',
      { cluster: 'my cluster' },
      'cluster',
      '"my cluster" is not a cluster name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.',
    ],
    [
      // `cluster/name` names a service of another cluster (several services, issue 13).
      'service with two slashes',
      { service: 'prod/web/x' },
      'service',
      '"web/x" is not a service name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores. A line is a service name or cluster/name.',
    ],
    [
      'boolean yes',
      { 'wait-for-service-stability': 'yes' },
      'wait-for-service-stability',
      '"yes" is not a boolean; use true or false.',
    ],
    [
      'wait 0 minutes',
      { 'wait-for-minutes': '0' },
      'wait-for-minutes',
      '"0" is not a number of minutes from 1 to 360 (fractions such as 7.5 are allowed).',
    ],
    // Above 360 is capped with a warning, as the official action clamps it
    // (__tests__/inputs/parse-official.test.ts, "wait-for-minutes above 360").
    [
      'wait in exponent form',
      { 'wait-for-minutes': '1e3' },
      'wait-for-minutes',
      '"1e3" is not a number of minutes from 1 to 360 (fractions such as 7.5 are allowed).',
    ],
    [
      'boolean 1',
      { 'force-new-deployment': '1' },
      'force-new-deployment',
      '"1" is not a boolean; use true or false.',
    ],
    [
      'negative desired count',
      { 'desired-count': '-1' },
      'desired-count',
      '"-1" is not a whole number of tasks (0 or more).',
    ],
    [
      'fractional desired count',
      { 'desired-count': '2.5' },
      'desired-count',
      '"2.5" is not a whole number of tasks (0 or more).',
    ],
    [
      'managed tags on',
      { 'enable-ecs-managed-tags': 'on' },
      'enable-ecs-managed-tags',
      '"on" is not a boolean; use true or false.',
    ],
    [
      'propagate-tags TASK',
      { 'propagate-tags': 'TASK' },
      'propagate-tags',
      '"TASK" is not valid; use TASK_DEFINITION, SERVICE or NONE.',
    ],
    [
      'circuit-breaker on',
      { 'circuit-breaker': 'on' },
      'circuit-breaker',
      '"on" is not valid; use rollback, enable or disable.',
    ],
    [
      'on-timeout retry',
      { 'on-timeout': 'retry' },
      'on-timeout',
      '"retry" is not valid; use fail or rollback.',
    ],
    ['dry-run maybe', { 'dry-run': 'maybe' }, 'dry-run', '"maybe" is not a boolean; use true or false.'],
    [
      'desired-count without service',
      { service: '', 'desired-count': '2' },
      'desired-count',
      'desired-count applies to a service deployment, but service is not set.',
    ],
    [
      'on-timeout rollback without waiting',
      { 'wait-for-service-stability': 'false', 'on-timeout': 'rollback' },
      'on-timeout',
      'on-timeout rollback has no effect when wait-for-service-stability is false.',
    ],
    [
      'wait-for-minutes without waiting',
      { 'wait-for-service-stability': 'false', 'wait-for-minutes': '10' },
      'wait-for-minutes',
      'wait-for-minutes has no effect when wait-for-service-stability is false.',
    ],
  ];

  test('the table has at least 25 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(25);
  });

  test.each(BAD)('%s', (_title, inputs, input, message) => {
    expect(errorsOf({ ...BASE, ...inputs })).toEqual([[input, message]]);
  });
});

describe('all problems at once', () => {
  test('every deploy input given without a service is named', () => {
    expect(
      errorsOf({
        'task-definition': 'td.json',
        cluster: 'prod',
        'wait-for-service-stability': 'false',
        'wait-for-minutes': '10',
        'force-new-deployment': 'true',
        'desired-count': '2',
        'enable-ecs-managed-tags': 'true',
        'propagate-tags': 'SERVICE',
        'circuit-breaker': 'rollback',
        'on-timeout': 'rollback',
      }),
    ).toEqual(
      [
        'cluster',
        'wait-for-service-stability',
        'wait-for-minutes',
        'force-new-deployment',
        'desired-count',
        'enable-ecs-managed-tags',
        'propagate-tags',
        'circuit-breaker',
        'on-timeout',
      ].map((name) => [name, `${name} applies to a service deployment, but service is not set.`]),
    );
  });

  test('one error per problem across inputs, all in one ProblemsError', () => {
    let thrown: unknown;
    try {
      parse({
        'task-definition': 'td.json',
        'task-definition-revision': 'x',
        'environment-variables': 'A\nB=1\nB=2',
        secrets: 'S=',
        command: '"x',
        'wait-for-minutes': 'soon',
        'desired-count': 'two',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemsError);
    const error = thrown as ProblemsError;
    expect(error.problems.map((p) => p.input)).toEqual([
      'task-definition-revision',
      'environment-variables',
      'environment-variables',
      'secrets',
      'command',
      'wait-for-minutes',
      'desired-count',
      'wait-for-minutes',
      'desired-count',
    ]);
    expect(error.problems.every((p) => p.severity === 'error')).toBe(true);
    expect(error.message).toBe(
      [
        'The action inputs are not valid, so nothing was written to AWS: 9 problems:',
        "  - input 'task-definition-revision': task-definition-revision needs task-definition-family; to start from a revision by its ARN, use task-definition-arn.",
        '  - input \'environment-variables\': line 1: expected NAME=value or -NAME, but the line has no "=".',
        '  - input \'environment-variables\': line 3: variable "B" is also given on line 2; give each variable once.',
        '  - input \'secrets\': line 1: secret "S" has no valueFrom after "=".',
        "  - input 'command': the double quote at line 1, column 1 of the command is never closed.",
        '  - input \'wait-for-minutes\': "soon" is not a number of minutes from 1 to 360 (fractions such as 7.5 are allowed).',
        '  - input \'desired-count\': "two" is not a whole number of tasks (0 or more).',
        "  - input 'wait-for-minutes': wait-for-minutes applies to a service deployment, but service is not set.",
        "  - input 'desired-count': desired-count applies to a service deployment, but service is not set.",
      ].join('\n'),
    );
  });
});

describe('checks shared with the task definition rules', () => {
  // The reasons come from src/taskdef/references.ts; here we check they are wired to the right
  // input and line, with the reason itself intact.
  test('secrets valueFrom: a Secrets Manager key without the ARN', () => {
    expect(errorsOf({ ...BASE, secrets: 'OK=/app/ok\nDB=db-creds:password::' })).toEqual([
      [
        'secrets',
        'line 2 (secret "DB"): \'db-creds:password::\' looks like a Secrets Manager secret with a JSON key, version stage or version id, but only the full secret ARN takes those fields; ECS would read it as an SSM parameter name and fail. Use the full ARN: arn:aws:secretsmanager:<region>:<account>:secret:db-creds:password::.',
      ],
    ]);
  });

  test('env-files: an s3:// URL, also in a removal line', () => {
    expect(errorsOf({ ...BASE, 'env-files': 'arn:aws:s3:::bucket/a.env\n-s3://bucket/old.env' })).toEqual([
      [
        'env-files',
        "line 2: 's3://bucket/old.env' is an S3 URL, but ECS needs the object ARN: arn:aws:s3:::bucket/old.env.",
      ],
    ]);
  });
});

describe('line ends: CRLF, LF and a lone CR alike', () => {
  const inputsOf = (nl: string): Inputs => ({
    ...BASE,
    vars: `A=1${nl}B=2`,
    images: `app=:v1${nl}sidecar=:v2`,
    'environment-variables': `A=1${nl}B=2`,
    secrets: `A=/app/a${nl}B=/app/b`,
    'env-files': `arn:aws:s3:::bucket/a.env${nl}arn:aws:s3:::bucket/b.env`,
    'docker-labels': `a=1${nl}b=2`,
    'log-configuration-log-driver': 'awslogs',
    'log-configuration-options': `a=1${nl}b=2`,
  });

  test.each([
    ['\r', 'a lone CR'],
    ['\r\n', 'CRLF'],
    ['\n', 'LF'],
  ])('%j (%s) separates lines in every multi-line input', (nl) => {
    const request = parse(inputsOf(nl));
    expect(request.vars).toEqual({ A: '1', B: '2' });
    expect(request.images.map((i) => i.container)).toEqual(['app', 'sidecar']);
    expect(request.environment.set.map((v) => v.name)).toEqual(['A', 'B']);
    expect(request.secrets.set.map((v) => v.name)).toEqual(['A', 'B']);
    expect(request.envFiles.add).toEqual(['arn:aws:s3:::bucket/a.env', 'arn:aws:s3:::bucket/b.env']);
    expect(request.dockerLabels.set.map((v) => v.name)).toEqual(['a', 'b']);
    expect(request.logOptions.set.map((v) => v.name)).toEqual(['a', 'b']);
  });

  test('A=1<CR>B=2 is two variables, and line numbers count lone CRs', () => {
    expect(parse({ ...BASE, 'environment-variables': 'A=1\rB=2' }).environment.set).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(errorsOf({ ...BASE, 'environment-variables': 'A=1\r\rB' })).toEqual([
      ['environment-variables', 'line 3: expected NAME=value or -NAME, but the line has no "=".'],
    ]);
  });

  test('a backslash-CRLF or backslash-CR in a command joins lines', () => {
    expect(parse({ ...BASE, command: 'node \\\r\n  server.js' }).command).toEqual(['node', 'server.js']);
    expect(parse({ ...BASE, command: 'node \\\r  server.js' }).command).toEqual(['node', 'server.js']);
  });
});

describe('numbers within the ECS API ranges and service quotas', () => {
  test.each([
    ['0', 0],
    ['5000', 5000],
  ])('desired-count %s is accepted', (text, count) => {
    expect(parse({ ...BASE, 'desired-count': text }).desiredCount).toBe(count);
  });

  test.each(['5001', '99999999999', '123456789012345678901234567890'])(
    'desired-count %s is more than the quota of tasks per service',
    (text) => {
      expect(errorsOf({ ...BASE, 'desired-count': text })).toEqual([
        [
          'desired-count',
          `"${text}" is more tasks than a service can run: the ECS quota "Tasks per service" is 5000.`,
        ],
      ]);
    },
  );

  test('a revision above the quota of revisions per family, by family or in an ARN', () => {
    const quota = 'cannot exist: the ECS quota "Revisions per task definition family" is 1000000.';
    expect(
      parse({ service: 'web', 'task-definition-family': 'web', 'task-definition-revision': '1000000' }),
    ).toMatchObject({ taskDefinitionRef: 'web:1000000' });
    expect(
      errorsOf({ service: 'web', 'task-definition-family': 'web', 'task-definition-revision': '1000001' }),
    ).toEqual([['task-definition-revision', `revision 1000001 ${quota}`]]);
    expect(
      errorsOf({
        service: 'web',
        'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:99999999999',
      }),
    ).toEqual([['task-definition-arn', `revision 99999999999 ${quota}`]]);
  });
});

describe("ARNs in the step's Region and account", () => {
  const ACCOUNT = '123456789012';
  const OTHER = '210987654321';
  const cluster = (region: string, account = ACCOUNT, name = 'prod'): string =>
    `arn:aws:ecs:${region}:${account}:cluster/${name}`;
  const service = (region: string, account = ACCOUNT, name = 'prod/web'): string =>
    `arn:aws:ecs:${region}:${account}:service/${name}`;
  const taskDefinition = (region: string, account = ACCOUNT): string =>
    `arn:aws:ecs:${region}:${account}:task-definition/web:3`;

  function errorsIn(region: string | undefined, inputs: Inputs): [string | undefined, string][] {
    try {
      parseInputs((name) => inputs[name] ?? '', { region });
    } catch (error) {
      if (error instanceof ProblemsError) return error.problems.map((p) => [p.input, p.message]);
      throw error;
    }
    return [];
  }

  test('ARNs in the Region, and any ARN when the Region is unknown, are accepted', () => {
    const inputs = {
      cluster: cluster('eu-west-1'),
      service: service('eu-west-1'),
      'task-definition-arn': taskDefinition('eu-west-1'),
    };
    expect(errorsIn('eu-west-1', inputs)).toEqual([]);
    expect(errorsIn(undefined, inputs)).toEqual([]);
  });

  test('a cluster, service or task definition ARN of another Region is an error naming the input', () => {
    const where = (arn: string): string =>
      `"${arn}" is in Region eu-west-1, but the step runs in us-east-1, and ECS looks for it only there; use the ARN in us-east-1, or run the step in eu-west-1.`;
    expect(
      errorsIn('us-east-1', {
        'task-definition-arn': taskDefinition('eu-west-1'),
        cluster: cluster('eu-west-1'),
        service: service('eu-west-1'),
      }),
    ).toEqual([
      // service is parsed first (the other inputs' rules depend on it), then the table's order.
      ['service', where(service('eu-west-1'))],
      ['task-definition-arn', where(taskDefinition('eu-west-1'))],
      ['cluster', where(cluster('eu-west-1'))],
    ]);
  });

  test('ARNs of different accounts name both inputs; names are not compared', () => {
    expect(
      errorsIn('us-east-1', {
        cluster: cluster('us-east-1'),
        service: service('us-east-1', OTHER),
        'task-definition-arn': taskDefinition('us-east-1', OTHER),
      }),
    ).toEqual(
      [
        ['service', service('us-east-1', OTHER)],
        ['task-definition-arn', taskDefinition('us-east-1', OTHER)],
      ].map(([input, arn]) => [
        input,
        `"${arn}" is in account ${OTHER}, but cluster is in account ${ACCOUNT}; one step deploys within one account, so give both in the same account.`,
      ]),
    );
    expect(
      errorsIn('us-east-1', {
        cluster: 'prod',
        service: 'web',
        'task-definition-arn': taskDefinition('us-east-1', OTHER),
      }),
    ).toEqual([]);
  });

  test('a long-form service ARN of another cluster than the cluster input', () => {
    const arn = service('us-east-1', ACCOUNT, 'production/web');
    const message = (named: string): string =>
      `"${arn}" is a service of cluster "production", but cluster is "${named}"; set cluster to production, or give the service of that cluster.`;
    expect(errorsIn('us-east-1', { 'task-definition': 'td.json', cluster: 'staging', service: arn })).toEqual(
      [['service', message('staging')]],
    );
    // The default cluster is a cluster too: a service ARN does not choose the cluster by itself.
    expect(errorsIn('us-east-1', { 'task-definition': 'td.json', service: arn })).toEqual([
      ['service', message('default')],
    ]);
    expect(
      errorsIn('us-east-1', {
        'task-definition': 'td.json',
        cluster: cluster('us-east-1', ACCOUNT, 'staging'),
        service: arn,
      }),
    ).toEqual([['service', message(cluster('us-east-1', ACCOUNT, 'staging'))]]);
    // The same cluster by name or ARN, and the short form without a cluster, are fine.
    expect(
      errorsIn('us-east-1', { 'task-definition': 'td.json', cluster: 'production', service: arn }),
    ).toEqual([]);
    expect(
      errorsIn('us-east-1', {
        'task-definition': 'td.json',
        cluster: 'staging',
        service: service('us-east-1', ACCOUNT, 'web'),
      }),
    ).toEqual([]);
  });

  test('secrets and env files: only what ECS requires', () => {
    const inputs = {
      ...BASE,
      secrets: [
        // An SSM parameter of another Region, given by its ARN as ECS requires.
        `SSM_ELSEWHERE=arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/app/x`,
        // A Secrets Manager secret of another account and Region.
        `SHARED=arn:aws:secretsmanager:eu-west-1:${OTHER}:secret:shared-AbCdEf`,
      ].join('\n'),
      'env-files': 'arn:aws:s3:::config-bucket/app.env',
      cluster: cluster('us-east-1'),
      service: service('us-east-1'),
    };
    expect(errorsIn('us-east-1', inputs)).toEqual([]);
    // Another partition cannot be reached from the step's Region at all.
    expect(
      errorsIn('us-east-1', {
        ...BASE,
        secrets: `A=/app/a\nB=/app/b\nDB_PASSWORD=arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:parameter/db`,
        'env-files': 'arn:aws-cn:s3:::config-bucket/app.env',
        'task-role-arn': `arn:aws-us-gov:iam::${ACCOUNT}:role/app`,
      }),
    ).toEqual([
      [
        'secrets',
        `line 3 (secret "DB_PASSWORD"): "arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:parameter/db" is in partition aws-cn, but the step's Region us-east-1 is in partition aws; ECS cannot reach across partitions, so use arn:aws:….`,
      ],
      [
        'env-files',
        `line 1: "arn:aws-cn:s3:::config-bucket/app.env" is in partition aws-cn, but the step's Region us-east-1 is in partition aws; ECS cannot reach across partitions, so use arn:aws:….`,
      ],
      [
        'task-role-arn',
        `"arn:aws-us-gov:iam::${ACCOUNT}:role/app" is in partition aws-us-gov, but the step's Region us-east-1 is in partition aws; ECS cannot reach across partitions, so use arn:aws:….`,
      ],
    ]);
  });
});

describe('secrets problems name the secret, never its value', () => {
  test('line 3 (secret "DB_PASSWORD"): …', () => {
    expect(
      errorsOf({ ...BASE, secrets: 'A=/app/a\n# the database\nDB_PASSWORD=db-creds:password::' })[0][1],
    ).toMatch(/^line 3 \(secret "DB_PASSWORD"\): 'db-creds:password::' looks like a Secrets Manager secret/);
  });

  test('a valueFrom that cannot be a reference (a pasted secret) is not repeated', () => {
    const problems = problemsOf({ ...BASE, secrets: 'API_KEY=/app/key\nDB_PASSWORD=hunter2 s3cr3t!' });
    expect(problems.map((p) => [p.input, p.message])).toEqual([
      [
        'secrets',
        'line 2 (secret "DB_PASSWORD"): the valueFrom is not an SSM parameter name or ARN, nor a Secrets Manager secret ARN (it has characters none of them can have, so it is not repeated here); give a reference to the secret, never the secret itself.',
      ],
    ]);
    for (const p of problems) expect(formatProblem(p)).not.toContain('s3cr3t');
  });
});

describe('ECS ARNs in another partition', () => {
  test("refuses a cluster ARN whose partition is not the step Region's", () => {
    const inputs: Inputs = {
      cluster: 'arn:aws-cn:ecs:us-east-1:123456789012:cluster/prod',
      service: 'web',
      'task-definition-family': 'web',
    };
    let problems: Problem[] = [];
    try {
      parseInputs((name) => inputs[name] ?? '', { region: 'us-east-1' });
    } catch (error) {
      if (error instanceof ProblemsError) problems = error.problems;
    }
    expect(problems.map((p) => [p.input, p.message])).toEqual([
      [
        'cluster',
        expect.stringMatching(/partition aws-cn, but the step's Region us-east-1 is in partition aws/),
      ],
    ]);
  });
});
