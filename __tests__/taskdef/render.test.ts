import { describe, expect, test } from '@jest/globals';
import { ProblemsError, type Problem } from '../../src/lib/problems.js';
import type { JsonObject } from '../../src/lib/json.js';
import { applyImageSpec, checkImageSpec, parseImageReference } from '../../src/taskdef/images.js';
import { renderTaskDefinition, type RenderChanges } from '../../src/taskdef/render.js';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

function changes(partial: Partial<RenderChanges> = {}): RenderChanges {
  return {
    containerNames: [],
    images: [],
    environment: { set: [], remove: [] },
    environmentMode: 'merge',
    envFiles: { add: [], remove: [] },
    secrets: { set: [], remove: [] },
    dockerLabels: { set: [], remove: [] },
    logOptions: { set: [], remove: [] },
    ...partial,
  };
}

const set = (...pairs: [string, string][]) => ({
  set: pairs.map(([name, value]) => ({ name, value })),
  remove: [],
});

function oneContainer(): JsonObject {
  return {
    family: 'web',
    cpu: '256',
    memory: '512',
    someFutureField: { nested: [1, 'two'] },
    containerDefinitions: [
      {
        name: 'web',
        image: `${ECR}/web:v1`,
        essential: true,
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' }],
        environmentFiles: [{ value: 'arn:aws:s3:::bucket/base.env', type: 's3' }],
        dockerLabels: { team: 'web' },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
        unknownContainerField: 'kept',
      },
    ],
  };
}

function twoContainers(): JsonObject {
  return {
    family: 'app',
    containerDefinitions: [
      { name: 'web', image: 'localhost:5000/team/web:1.0', environment: [{ name: 'X', value: 'web' }] },
      { name: 'worker', image: `${ECR}/worker@${DIGEST}` },
    ],
  };
}

const containerOf = (td: JsonObject, i = 0): JsonObject => (td.containerDefinitions as JsonObject[])[i];

function errorsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('expected a ProblemsError');
}

describe('renderTaskDefinition: one container', () => {
  test('no changes give an equal copy', () => {
    const base = oneContainer();
    const { taskDefinition, problems } = renderTaskDefinition(base, changes());
    expect(taskDefinition).toEqual(base);
    expect(taskDefinition).not.toBe(base);
    expect(problems).toEqual([]);
  });

  test('every change kind at once, without touching the base; unknown fields kept', () => {
    const base = oneContainer();
    const before = structuredClone(base);
    const { taskDefinition, problems } = renderTaskDefinition(
      base,
      changes({
        images: [{ image: ':v2', input: 'image' }],
        environment: {
          set: [
            { name: 'B', value: 'two' },
            { name: 'URL', value: 'postgres://h/db?a=1&b=2' },
          ],
          remove: ['A'],
        },
        secrets: set(['API_KEY', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf']),
        envFiles: { add: ['arn:aws:s3:::bucket/extra.env'], remove: ['arn:aws:s3:::bucket/base.env'] },
        dockerLabels: { set: [{ name: 'version', value: 'v2' }], remove: ['team'] },
        logOptions: { set: [{ name: 'awslogs-stream-prefix', value: 'web' }], remove: [] },
        command: ['node', 'server.js', '--port=80'],
        taskRoleArn: 'arn:aws:iam::123456789012:role/task',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      }),
    );
    expect(problems).toEqual([]);
    expect(base).toEqual(before);
    expect(taskDefinition).toEqual({
      family: 'web',
      cpu: '256',
      memory: '512',
      someFutureField: { nested: [1, 'two'] },
      taskRoleArn: 'arn:aws:iam::123456789012:role/task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      containerDefinitions: [
        {
          name: 'web',
          image: `${ECR}/web:v2`,
          essential: true,
          environment: [
            { name: 'B', value: 'two' },
            { name: 'URL', value: 'postgres://h/db?a=1&b=2' },
          ],
          secrets: [
            { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' },
            { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-AbCdEf' },
          ],
          environmentFiles: [{ value: 'arn:aws:s3:::bucket/extra.env', type: 's3' }],
          dockerLabels: { version: 'v2' },
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'web' },
          },
          command: ['node', 'server.js', '--port=80'],
          unknownContainerField: 'kept',
        },
      ],
    });
  });

  test('an environment override keeps its position; values with = and empty values stay whole', () => {
    const { taskDefinition } = renderTaskDefinition(
      oneContainer(),
      changes({ environment: set(['A', 'x=y=z'], ['NEW', 'a==b'], ['EMPTY', '']) }),
    );
    expect(containerOf(taskDefinition).environment).toEqual([
      { name: 'A', value: 'x=y=z' },
      { name: 'B', value: '2' },
      { name: 'NEW', value: 'a==b' },
      { name: 'EMPTY', value: '' },
    ]);
  });

  test('an override reaches every entry of that name, and keeps other fields of the entry', () => {
    const base = oneContainer();
    containerOf(base).environment = [
      { name: 'A', value: '1', note: 'x' },
      { name: 'A', value: '1b' },
    ];
    const { taskDefinition } = renderTaskDefinition(base, changes({ environment: set(['A', '9']) }));
    expect(containerOf(taskDefinition).environment).toEqual([
      { name: 'A', value: '9', note: 'x' },
      { name: 'A', value: '9' },
    ]);
  });

  test('environment and secrets are created when the container has none', () => {
    const base = { family: 'f', containerDefinitions: [{ name: 'only', image: 'nginx' }] };
    const { taskDefinition } = renderTaskDefinition(
      base,
      changes({
        environment: set(['A', '1']),
        secrets: set(['S', 'param-name']),
        envFiles: { add: ['arn:aws:s3:::b/k.env'], remove: [] },
      }),
    );
    expect(containerOf(taskDefinition)).toEqual({
      name: 'only',
      image: 'nginx',
      environment: [{ name: 'A', value: '1' }],
      secrets: [{ name: 'S', valueFrom: 'param-name' }],
      environmentFiles: [{ value: 'arn:aws:s3:::b/k.env', type: 's3' }],
    });
  });

  test("environment-variables-mode 'replace' makes the list exactly the variables given and warns about removals", () => {
    const { taskDefinition, problems } = renderTaskDefinition(
      oneContainer(),
      changes({
        environment: { set: [{ name: 'ONLY', value: '1' }], remove: ['A'] },
        environmentMode: 'replace',
      }),
    );
    expect(containerOf(taskDefinition).environment).toEqual([{ name: 'ONLY', value: '1' }]);
    expect(problems).toEqual([
      {
        severity: 'warning',
        input: 'environment-variables',
        message:
          "The lines that remove 'A' are ignored: with environment-variables-mode 'replace' the environment is exactly the variables given.",
      },
    ]);
  });

  test('removing everything leaves an empty list', () => {
    const { taskDefinition } = renderTaskDefinition(
      oneContainer(),
      changes({ environment: { set: [], remove: ['A', 'B'] } }),
    );
    expect(containerOf(taskDefinition).environment).toEqual([]);
  });

  test('removing what is not there is a warning for each kind', () => {
    const { taskDefinition, problems } = renderTaskDefinition(
      oneContainer(),
      changes({
        environment: { set: [], remove: ['NOPE'] },
        secrets: { set: [], remove: ['NO_SECRET'] },
        envFiles: { add: [], remove: ['arn:aws:s3:::bucket/missing.env'] },
        dockerLabels: { set: [], remove: ['nolabel'] },
        logOptions: { set: [], remove: ['nooption'] },
      }),
    );
    expect(containerOf(taskDefinition)).toEqual(containerOf(oneContainer()));
    expect(problems).toEqual([
      {
        severity: 'warning',
        input: 'environment-variables',
        path: 'containerDefinitions[0].environment',
        message: "Container 'web' has no environment variable 'NOPE' to remove.",
      },
      {
        severity: 'warning',
        input: 'secrets',
        path: 'containerDefinitions[0].secrets',
        message: "Container 'web' has no secret 'NO_SECRET' to remove.",
      },
      {
        severity: 'warning',
        input: 'env-files',
        path: 'containerDefinitions[0].environmentFiles',
        message: "Container 'web' has no environment file 'arn:aws:s3:::bucket/missing.env' to remove.",
      },
      {
        severity: 'warning',
        input: 'docker-labels',
        path: 'containerDefinitions[0].dockerLabels',
        message: "Container 'web' has no docker label 'nolabel' to remove.",
      },
      {
        severity: 'warning',
        input: 'log-configuration-options',
        path: 'containerDefinitions[0].logConfiguration.options',
        message: "Container 'web' has no log option 'nooption' to remove.",
      },
    ]);
  });

  test('an env file already present is not added twice', () => {
    const { taskDefinition } = renderTaskDefinition(
      oneContainer(),
      changes({
        envFiles: { add: ['arn:aws:s3:::bucket/base.env', 'arn:aws:s3:::bucket/b.env'], remove: [] },
      }),
    );
    expect(containerOf(taskDefinition).environmentFiles).toEqual([
      { value: 'arn:aws:s3:::bucket/base.env', type: 's3' },
      { value: 'arn:aws:s3:::bucket/b.env', type: 's3' },
    ]);
  });

  test('a secret override replaces valueFrom by name', () => {
    const { taskDefinition } = renderTaskDefinition(
      oneContainer(),
      changes({ secrets: set(['DB_PASSWORD', '/prod/db']) }),
    );
    expect(containerOf(taskDefinition).secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: '/prod/db' }]);
  });

  test('a log driver creates logConfiguration when there is none', () => {
    const base = { family: 'f', containerDefinitions: [{ name: 'a', image: 'nginx' }] };
    const { taskDefinition } = renderTaskDefinition(
      base,
      changes({
        logDriver: 'awslogs',
        logOptions: set(['awslogs-group', '/ecs/a'], ['mode', 'non-blocking']),
      }),
    );
    expect(containerOf(taskDefinition).logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/a', mode: 'non-blocking' },
    });
  });

  test('a new log driver keeps the template options, with a warning naming them', () => {
    const { taskDefinition, problems } = renderTaskDefinition(
      oneContainer(),
      changes({ logDriver: 'splunk' }),
    );
    expect(containerOf(taskDefinition).logConfiguration).toEqual({
      logDriver: 'splunk',
      options: { 'awslogs-group': '/ecs/web' },
    });
    expect(problems).toEqual([
      {
        severity: 'warning',
        input: 'log-configuration-log-driver',
        path: 'containerDefinitions[0].logConfiguration.options',
        message:
          "Container 'web' changes its log driver from 'awslogs' to 'splunk' but keeps the template's options 'awslogs-group'; remove them with '-NAME' lines in 'log-configuration-options' if they do not apply.",
      },
    ]);
  });

  test('no warning when the old options are removed along with the driver change', () => {
    const { taskDefinition, problems } = renderTaskDefinition(
      oneContainer(),
      changes({
        logDriver: 'json-file',
        logOptions: { set: [{ name: 'max-size', value: '10m' }], remove: ['awslogs-group'] },
      }),
    );
    expect(containerOf(taskDefinition).logConfiguration).toEqual({
      logDriver: 'json-file',
      options: { 'max-size': '10m' },
    });
    expect(problems).toEqual([]);
  });

  test('log options without a driver in the template or the input are an error', () => {
    const base = { family: 'f', containerDefinitions: [{ name: 'a', image: 'nginx' }] };
    expect(
      errorsOf(() => renderTaskDefinition(base, changes({ logOptions: set(['awslogs-group', 'g']) }))),
    ).toEqual([
      {
        severity: 'error',
        input: 'log-configuration-options',
        path: 'containerDefinitions[0].logConfiguration',
        message:
          "Container 'a' has no log driver in the task definition, so log options cannot be applied; give 'log-configuration-log-driver' too.",
      },
    ]);
  });

  test('an unknown log driver is an error', () => {
    expect(
      errorsOf(() => renderTaskDefinition(oneContainer(), changes({ logDriver: 'cloudwatch' }))),
    ).toEqual([
      {
        severity: 'error',
        input: 'log-configuration-log-driver',
        message:
          "'cloudwatch' is not an ECS log driver; use one of awsfirelens, awslogs, fluentd, gelf, journald, json-file, splunk, syslog.",
      },
    ]);
  });

  test('fields of the wrong shape in the template cannot be changed', () => {
    const base = {
      family: 'f',
      containerDefinitions: [
        {
          name: 'a',
          image: 'nginx',
          environment: { A: '1' },
          dockerLabels: ['x'],
          logConfiguration: 'awslogs',
        },
      ],
    } as JsonObject;
    expect(
      errorsOf(() =>
        renderTaskDefinition(
          base,
          changes({ environment: set(['A', '2']), dockerLabels: set(['l', 'v']), logDriver: 'awslogs' }),
        ),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'environment-variables',
        path: 'containerDefinitions[0].environment',
        message:
          "In container 'a', 'environment' is not a list in the task definition, so 'environment-variables' cannot be applied to it.",
      },
      {
        severity: 'error',
        input: 'docker-labels',
        path: 'containerDefinitions[0].dockerLabels',
        message:
          "In container 'a', 'dockerLabels' is not a mapping of names to values in the task definition, so 'docker-labels' cannot be applied to it.",
      },
      {
        severity: 'error',
        input: 'log-configuration-log-driver',
        path: 'containerDefinitions[0].logConfiguration',
        message:
          "In container 'a', 'logConfiguration' is not a mapping of names to values in the task definition, so 'log-configuration-log-driver' cannot be applied to it.",
      },
    ]);
  });

  test('log options that are not a mapping cannot be edited; the rest of logConfiguration is kept', () => {
    const base = {
      containerDefinitions: [
        {
          name: 'a',
          logConfiguration: {
            logDriver: 'awslogs',
            options: 'oops',
            secretOptions: [{ name: 'k', valueFrom: 'p' }],
          },
        },
      ],
    } as JsonObject;
    expect(
      errorsOf(() => renderTaskDefinition(base, changes({ logOptions: set(['mode', 'blocking']) }))),
    ).toEqual([
      {
        severity: 'error',
        input: 'log-configuration-options',
        path: 'containerDefinitions[0].logConfiguration.options',
        message:
          "In container 'a', 'logConfiguration.options' is not a mapping of names to values in the task definition, so 'log-configuration-options' cannot be applied to it.",
      },
    ]);
    // Changing only the driver does not need to read the options.
    const { taskDefinition, problems } = renderTaskDefinition(base, changes({ logDriver: 'awsfirelens' }));
    expect(containerOf(taskDefinition).logConfiguration).toEqual({
      logDriver: 'awsfirelens',
      options: 'oops',
      secretOptions: [{ name: 'k', valueFrom: 'p' }],
    });
    expect(problems).toEqual([]);
  });

  test('a name both set and removed is an error naming the input', () => {
    const errors = (fn: () => unknown) => errorsOf(fn).filter((p) => p.severity === 'error');
    expect(
      errors(() =>
        renderTaskDefinition(
          oneContainer(),
          changes({
            environment: { set: [{ name: 'A', value: '1' }], remove: ['A'] },
            envFiles: { add: ['arn:aws:s3:::b/x.env'], remove: ['arn:aws:s3:::b/x.env'] },
          }),
        ),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'environment-variables',
        message: "'A' is both set and removed; keep one.",
      },
      {
        severity: 'error',
        input: 'env-files',
        message: "'arn:aws:s3:::b/x.env' is both added and removed; keep one.",
      },
    ]);
  });

  test('container-name naming the only container works like no name', () => {
    const { taskDefinition } = renderTaskDefinition(
      oneContainer(),
      changes({ containerNames: ['web'], command: ['true'] }),
    );
    expect(containerOf(taskDefinition).command).toEqual(['true']);
  });
});

describe('renderTaskDefinition: several containers', () => {
  test('per-container changes without container-name are an error per input, listing the containers', () => {
    const problems = errorsOf(() =>
      renderTaskDefinition(
        twoContainers(),
        changes({ images: [{ image: ':2', input: 'image' }], environment: set(['A', '1']), command: ['x'] }),
      ),
    );
    expect(problems).toEqual(
      ['image', 'environment-variables', 'command'].map((input) => ({
        severity: 'error',
        input,
        message: `The task definition has 2 containers ('web', 'worker'); give 'container-name' to say which of them '${input}' applies to.`,
      })),
    );
  });

  test('task-level changes and images lines need no container-name', () => {
    const { taskDefinition } = renderTaskDefinition(
      twoContainers(),
      changes({
        images: [
          { container: 'web', image: ':1.1', input: 'images' },
          { container: 'worker', image: ':2.0', input: 'images' },
        ],
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      }),
    );
    expect(containerOf(taskDefinition, 0).image).toBe('localhost:5000/team/web:1.1');
    expect(containerOf(taskDefinition, 1).image).toBe(`${ECR}/worker:2.0`);
    expect(taskDefinition.executionRoleArn).toBe('arn:aws:iam::123456789012:role/exec');
  });

  test('container-name targets one container and leaves the other alone', () => {
    const base = twoContainers();
    const { taskDefinition } = renderTaskDefinition(
      base,
      changes({
        containerNames: ['worker'],
        images: [{ image: `${ECR}/worker:3`, input: 'image' }],
        environment: set(['Q', '1']),
      }),
    );
    expect(containerOf(taskDefinition, 0)).toEqual(containerOf(base, 0));
    expect(containerOf(taskDefinition, 1)).toEqual({
      name: 'worker',
      image: `${ECR}/worker:3`,
      environment: [{ name: 'Q', value: '1' }],
    });
  });

  test('several container names each get the same changes', () => {
    const { taskDefinition } = renderTaskDefinition(
      twoContainers(),
      changes({
        containerNames: ['web', 'worker'],
        environment: set(['SHARED', 'yes']),
        dockerLabels: set(['l', 'v']),
      }),
    );
    expect(containerOf(taskDefinition, 0).environment).toEqual([
      { name: 'X', value: 'web' },
      { name: 'SHARED', value: 'yes' },
    ]);
    expect(containerOf(taskDefinition, 1).environment).toEqual([{ name: 'SHARED', value: 'yes' }]);
    expect(containerOf(taskDefinition, 1).dockerLabels).toEqual({ l: 'v' });
  });

  test('an unknown container name is an error listing the containers that exist', () => {
    expect(
      errorsOf(() =>
        renderTaskDefinition(twoContainers(), changes({ containerNames: ['api', 'web'], command: ['x'] })),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'container-name',
        message: "Container 'api' is not in the task definition; its containers are 'web', 'worker'.",
      },
    ]);
    expect(
      errorsOf(() =>
        renderTaskDefinition(
          twoContainers(),
          changes({ images: [{ container: 'db', image: 'postgres:16', input: 'images' }] }),
        ),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'images',
        message: "Container 'db' is not in the task definition; its containers are 'web', 'worker'.",
      },
    ]);
  });

  test('the same container changed twice is an error', () => {
    const problems = errorsOf(() =>
      renderTaskDefinition(
        twoContainers(),
        changes({
          containerNames: ['web'],
          images: [
            { image: ':2', input: 'image' },
            { container: 'web', image: ':3', input: 'images' },
            { container: 'worker', image: ':4', input: 'images' },
            { container: 'worker', image: ':5', input: 'images' },
          ],
        }),
      ),
    );
    expect(problems).toEqual([
      {
        severity: 'error',
        input: 'images',
        path: 'containerDefinitions[0].image',
        message:
          "Container 'web' is given an image in both 'image' and 'images'; give each container one image.",
      },
      {
        severity: 'error',
        input: 'images',
        path: 'containerDefinitions[1].image',
        message: "Container 'worker' is given an image twice in 'images'; give each container one image.",
      },
    ]);
  });

  test('a task definition without containers cannot take per-container changes', () => {
    expect(
      errorsOf(() =>
        renderTaskDefinition({ family: 'f' }, changes({ images: [{ image: 'nginx:1', input: 'image' }] })),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'image',
        message: "The task definition has no named containers, so 'image' has nothing to apply to.",
      },
    ]);
  });

  test('all errors come together with the warnings, in one ProblemsError', () => {
    let thrown: unknown;
    try {
      renderTaskDefinition(
        twoContainers(),
        changes({
          containerNames: ['web', 'nope'],
          environment: { set: [], remove: ['MISSING'] },
          images: [{ image: 'Bad Image', input: 'image' }],
        }),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProblemsError);
    const { problems, message } = thrown as ProblemsError;
    expect(problems.map((p) => [p.severity, p.input])).toEqual([
      ['error', 'image'],
      ['error', 'container-name'],
      ['warning', 'environment-variables'],
    ]);
    expect(message).toContain(
      "input 'image': Image 'Bad Image' is not a valid image reference: it contains whitespace.",
    );
  });
});

describe('images', () => {
  const render = (image: string, spec: string): string =>
    containerOf(
      renderTaskDefinition(
        { containerDefinitions: [{ name: 'a', image }] },
        changes({ images: [{ image: spec, input: 'image' }] }),
      ).taskDefinition,
    ).image as string;

  test.each([
    ['nginx', ':1.27', 'nginx:1.27'],
    ['nginx:1.25', ':1.27', 'nginx:1.27'],
    ['localhost:5000/app:1', ':2', 'localhost:5000/app:2'],
    ['localhost:5000/app', ':3', 'localhost:5000/app:3'],
    [`${ECR}/web:v1@${DIGEST}`, ':v2', `${ECR}/web:v2`],
    [`${ECR}/web@${DIGEST}`, ':v2', `${ECR}/web:v2`],
    [`${ECR}/web:v1`, `@${DIGEST}`, `${ECR}/web@${DIGEST}`],
    [
      'registry.example.com:8443/team/web:v1',
      `:v2@${DIGEST}`,
      `registry.example.com:8443/team/web:v2@${DIGEST}`,
    ],
    ['nginx:1.25', 'public.ecr.aws/nginx/nginx:1.27', 'public.ecr.aws/nginx/nginx:1.27'],
    ['nginx:1.25', `ghcr.io/org/app@${DIGEST}`, `ghcr.io/org/app@${DIGEST}`],
  ])('%s with %s gives %s', (current, spec, expected) => {
    expect(render(current, spec)).toBe(expected);
  });

  test.each([
    [':', "the tag after ':' is empty"],
    ['@sha256:short', "the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters"],
    [
      `@sha256:${'AB12'.repeat(16)}`,
      "the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters",
    ],
    ['nginx latest', 'it contains whitespace'],
    ['', 'it is empty'],
    ['nginx:', "the tag after ':' is empty"],
    [
      'Nginx:1',
      "the repository part 'Nginx' may have only lowercase letters, digits and single '.', '_' or '-' between them",
    ],
    ['repo//x:1', "the repository name has an empty part between '/'"],
    ['host:port/app:1', "the registry 'host:port' is not a host name with an optional numeric port"],
    [
      ':-bad',
      "the tag '-bad' may have only letters, digits, '_', '.' and '-' (up to 128, not starting with '.' or '-')",
    ],
  ])('%j is malformed: %s', (spec, reason) => {
    expect(checkImageSpec(spec)).toBe(reason);
    expect(errorsOf(() => render('nginx', spec))).toEqual([
      {
        severity: 'error',
        input: 'image',
        message: `Image '${spec}' is not a valid image reference: ${reason}.`,
      },
    ]);
  });

  test('a malformed images line names its container', () => {
    expect(
      errorsOf(() =>
        renderTaskDefinition(
          twoContainers(),
          changes({ images: [{ container: 'web', image: ':', input: 'images' }] }),
        ),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'images',
        message: "Image ':' for container 'web' is not a valid image reference: the tag after ':' is empty.",
      },
    ]);
  });

  test(':tag needs a current image to keep the repository of', () => {
    expect(
      errorsOf(() =>
        renderTaskDefinition(
          { containerDefinitions: [{ name: 'a' }] },
          changes({ images: [{ image: ':1', input: 'image' }] }),
        ),
      ),
    ).toEqual([
      {
        severity: 'error',
        input: 'image',
        path: 'containerDefinitions[0].image',
        message:
          "Image ':1' for container 'a' cannot be applied: the container has no image in the task definition to take the repository from; give a full image reference.",
      },
    ]);
    expect(errorsOf(() => render('Not Valid', ':1'))[0].message).toBe(
      "Image ':1' for container 'a' cannot be applied: the container's current image 'Not Valid' is not a valid reference (it contains whitespace), so its repository cannot be kept; give a full image reference.",
    );
  });

  test('parseImageReference separates registry port, tag and digest', () => {
    expect(parseImageReference(`localhost:5000/a/b:c@${DIGEST}`)).toEqual({
      ok: true,
      value: { name: 'localhost:5000/a/b', tag: 'c', digest: DIGEST },
    });
    expect(parseImageReference('localhost:5000/a')).toEqual({
      ok: true,
      value: { name: 'localhost:5000/a' },
    });
    expect(applyImageSpec('busybox', 'busybox:latest')).toEqual({ ok: true, value: 'busybox:latest' });
  });
});
