import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { ProblemsError, type Problem } from '../../src/lib/problems.js';
import type { JsonObject, JsonPath } from '../../src/lib/json.js';
import { shapeAt } from '../../src/taskdef/field-model.js';
import { loadTemplate, parseTemplate } from '../../src/taskdef/load.js';
import {
  placeholderEnvironment,
  BOOLEAN_FIELDS,
  fieldPattern,
  NUMBER_FIELDS,
  parsePlaceholders,
  substitutePlaceholders,
} from '../../src/taskdef/placeholders.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'templates');

function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('expected a ProblemsError');
}

const FIELD_NAME = (key: string): string =>
  `'${key}' is a field name, and field names are never substituted: placeholders are filled in only in values ` +
  'and in the keys of maps such as dockerLabels or logConfiguration options. Write the field name itself.';

const unset = (name: string): string =>
  `Template variable '${name}' is not set. Give it in the 'vars' input or the environment, or write \${${name}:-default}.`;

describe('parsePlaceholders', () => {
  test('splits text and placeholders, with defaults and escapes', () => {
    expect(parsePlaceholders('a${X}b${Y_1:-d:e}$${Z}$')).toEqual({
      segments: [
        { kind: 'text', text: 'a' },
        { kind: 'placeholder', name: 'X', offset: 1 },
        { kind: 'text', text: 'b' },
        { kind: 'placeholder', name: 'Y_1', offset: 6, fallback: 'd:e' },
        { kind: 'text', text: '${Z}$' },
      ],
      errors: [],
    });
  });

  test('an empty default is a default', () => {
    expect(parsePlaceholders('${X:-}').segments).toEqual([
      { kind: 'placeholder', name: 'X', offset: 0, fallback: '' },
    ]);
  });

  test('reports bad names and an unterminated placeholder', () => {
    expect(parsePlaceholders('${1X} ${A-b} ${}').errors.map((e) => e.offset)).toEqual([0, 6, 13]);
    expect(parsePlaceholders('ok ${NAME').errors).toEqual([
      {
        offset: 3,
        message: "Unterminated placeholder: '${' has no closing '}'. Write $${ for a literal '${'.",
      },
    ]);
  });
});

describe('fieldPattern', () => {
  test('replaces indices with []', () => {
    expect(fieldPattern(['containerDefinitions', 3, 'portMappings', 0, 'hostPort'])).toBe(
      'containerDefinitions[].portMappings[].hostPort',
    );
    expect(fieldPattern(['cpu'])).toBe('cpu');
  });

  test('task-level cpu and memory are strings in the API, so not number fields', () => {
    expect(NUMBER_FIELDS.has('cpu')).toBe(false);
    expect(NUMBER_FIELDS.has('memory')).toBe(false);
    expect(NUMBER_FIELDS.has('containerDefinitions[].cpu')).toBe(true);
    expect(BOOLEAN_FIELDS.has('containerDefinitions[].essential')).toBe(true);
  });
});

describe('substitutePlaceholders', () => {
  test('fills the JSON fixture: vars before env, defaults, typed fields', async () => {
    const template = await loadTemplate(join(fixtures, 'web.json'));
    const doc = substitutePlaceholders(
      template,
      { IMAGE_TAG: 'v1.2.3', PORT: '8080' },
      { IMAGE_TAG: 'from-env', GREETING: 'hi', TASK_CPU: '512' },
    );
    expect(doc).toEqual({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '512',
      containerDefinitions: [
        {
          name: 'web',
          image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1.2.3',
          cpu: 128,
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
          environment: [{ name: 'GREETING', value: 'hi' }],
        },
      ],
      futureField: { keep: ['me'] },
    });
  });

  test('does not mutate the loaded template', async () => {
    const template = await loadTemplate(join(fixtures, 'web.json'));
    const before = structuredClone(template.doc);
    substitutePlaceholders(template, { IMAGE_TAG: 'x', PORT: '1', GREETING: 'g' }, {});
    expect(template.doc).toEqual(before);
  });

  test('every unset variable is reported at once, each with its position', async () => {
    const template = await loadTemplate(join(fixtures, 'web.json'));
    const file = template.file;
    expect(problemsOf(() => substitutePlaceholders(template, {}, {}))).toEqual([
      {
        severity: 'error',
        message: unset('IMAGE_TAG'),
        path: 'containerDefinitions[0].image',
        file,
        line: 10,
        column: 66,
      },
      {
        severity: 'error',
        message: unset('PORT'),
        path: 'containerDefinitions[0].portMappings[0].containerPort',
        file,
        line: 13,
        column: 44,
      },
      {
        severity: 'error',
        message: unset('GREETING'),
        path: 'containerDefinitions[0].environment[0].value',
        file,
        line: 14,
        column: 55,
      },
    ]);
  });

  test('the thrown error lists every problem with file:line:column', async () => {
    const template = await loadTemplate(join(fixtures, 'web.json'));
    expect(() => substitutePlaceholders(template, {}, {})).toThrow(
      `${template.file}:10:66 containerDefinitions[0].image: ${unset('IMAGE_TAG')}`,
    );
  });

  test('two occurrences in one value are two problems with their own columns', () => {
    const t = parseTemplate('family: "${A}-${A}"\n', 'td.yaml');
    expect(
      problemsOf(() => substitutePlaceholders(t, {}, {})).map((p) => [p.message, p.line, p.column]),
    ).toEqual([
      [unset('A'), 1, 10],
      [unset('A'), 1, 15],
    ]);
  });

  test('a value with quotes and newlines cannot break the JSON document', () => {
    const t = parseTemplate(
      '{"family": "web", "containerDefinitions": [{"name": "a", "command": ["${CMD}"]}]}',
      'td.json',
    );
    const evil = 'x"], "privileged": true, "y": ["\nline2: 1\n  - z';
    const doc = substitutePlaceholders(t, { CMD: evil }, {});
    expect(doc).toEqual({ family: 'web', containerDefinitions: [{ name: 'a', command: [evil] }] });
  });

  test('a value with YAML syntax cannot break the YAML document', () => {
    const t = parseTemplate(
      'family: web\ncontainerDefinitions:\n  - name: a\n    image: ${IMAGE}\n',
      'td.yaml',
    );
    const evil = 'nginx\n    privileged: true\n# \'"';
    const doc = substitutePlaceholders(t, { IMAGE: evil }, {});
    expect(doc).toEqual({ family: 'web', containerDefinitions: [{ name: 'a', image: evil }] });
  });

  // This case used to expect `{"${KEY}": "v"}`: keys were neither substituted nor refused. A
  // top-level `dockerLabels` is no task-definition field, so its keys count as field names.
  test('keys outside a map-typed field are field names: a placeholder there is refused at the key', () => {
    const t = parseTemplate('{"dockerLabels": {"${KEY}": "${VALUE}"}}', 'td.json');
    expect(problemsOf(() => substitutePlaceholders(t, { KEY: 'k', VALUE: 'v' }, {}))).toEqual([
      {
        severity: 'error',
        message: FIELD_NAME('${KEY}'),
        path: 'dockerLabels["${KEY}"]',
        file: 'td.json',
        line: 1,
        column: 19,
      },
    ]);
  });

  test('$${ is a literal ${ and other dollars stay', () => {
    const t = parseTemplate('{"command": ["sh", "-c", "echo $${HOME} $$ $PATH ${X}"]}', 'td.json');
    expect(substitutePlaceholders(t, { X: 'x' }, {})).toEqual({
      command: ['sh', '-c', 'echo ${HOME} $$ $PATH x'],
    });
  });

  test('a default is used when the variable is unset or empty; an empty value without default is kept', () => {
    const t = parseTemplate('{"a": "${A:-da}", "b": "${B:-db}", "c": "${C}", "d": "${D:-}"}', 'td.json');
    expect(substitutePlaceholders(t, { B: '' }, { C: '' })).toEqual({ a: 'da', b: 'db', c: '', d: '' });
  });

  test('an env entry that is undefined counts as unset', () => {
    const t = parseTemplate('{"a": "${A}"}', 'td.json');
    expect(problemsOf(() => substitutePlaceholders(t, {}, { A: undefined })).map((p) => p.message)).toEqual([
      unset('A'),
    ]);
  });

  test('vars inherited from Object.prototype are not variables', () => {
    const t = parseTemplate('{"a": "${toString}"}', 'td.json');
    expect(problemsOf(() => substitutePlaceholders(t, {}, {})).map((p) => p.message)).toEqual([
      unset('toString'),
    ]);
  });

  test('whole-value placeholders in number and boolean fields become numbers and booleans', () => {
    const t = parseTemplate(
      [
        'cpu: ${CPU}',
        'memory: ${MEM}',
        'ephemeralStorage: { sizeInGiB: "${DISK}" }',
        'enableFaultInjection: ${FAULTS}',
        'containerDefinitions:',
        '  - name: app',
        '    memoryReservation: ${MEM}',
        '    stopTimeout: ${STOP:-30}',
        '    healthCheck: { interval: "${HC}", retries: "${HC}" }',
        '    ulimits: [{ name: nofile, softLimit: "${NOFILE}", hardLimit: "${NOFILE}" }]',
        '    linuxParameters: { initProcessEnabled: "${INIT}", maxSwap: "${SWAP}" }',
        '    readonlyRootFilesystem: ${RO}',
        '    hostname: ${CPU}',
        '    dockerLabels: { port: "${PORT}" }',
        '    portMappings: [{ containerPort: "${PORT}", hostPort: "${PORT}" }]',
        '    restartPolicy: { enabled: "${RO}", ignoredExitCodes: ["${CODE}"] }',
      ].join('\n'),
      'td.yaml',
    );
    const doc = substitutePlaceholders(
      t,
      {
        CPU: '256',
        MEM: '512',
        DISK: '30',
        FAULTS: 'false',
        HC: '10',
        NOFILE: '65536',
        INIT: 'true',
        SWAP: '-1',
      },
      { RO: 'true', PORT: '80', CODE: '0' },
    );
    expect(doc).toEqual({
      cpu: '256',
      memory: '512',
      ephemeralStorage: { sizeInGiB: 30 },
      enableFaultInjection: false,
      containerDefinitions: [
        {
          name: 'app',
          memoryReservation: 512,
          stopTimeout: 30,
          healthCheck: { interval: 10, retries: 10 },
          ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
          linuxParameters: { initProcessEnabled: true, maxSwap: -1 },
          readonlyRootFilesystem: true,
          hostname: '256',
          dockerLabels: { port: '80' },
          portMappings: [{ containerPort: 80, hostPort: 80 }],
          restartPolicy: { enabled: true, ignoredExitCodes: [0] },
        },
      ],
    });
  });

  test('a placeholder that is only part of a number field stays a string', () => {
    const t = parseTemplate('{"containerDefinitions": [{"cpu": "${CPU}0"}]}', 'td.json');
    expect(substitutePlaceholders(t, { CPU: '25' }, {})).toEqual({ containerDefinitions: [{ cpu: '250' }] });
  });

  test('a value that is not a number or boolean is reported, without printing the value', () => {
    const t = parseTemplate(
      '{\n  "containerDefinitions": [{\n    "cpu": "${CPU}",\n    "essential": "${ESS:-yes}",\n    "memory": "${MEM}"\n  }]\n}',
      'td.json',
    );
    const problems = problemsOf(() => substitutePlaceholders(t, { CPU: 'hunter2-secret' }, { MEM: '1.5' }));
    expect(problems).toEqual([
      {
        severity: 'error',
        message:
          "containerDefinitions[].cpu is a number, but template variable 'CPU' (from the 'vars' input) is not a whole number.",
        path: 'containerDefinitions[0].cpu',
        file: 'td.json',
        line: 3,
        column: 13,
      },
      {
        severity: 'error',
        message:
          "containerDefinitions[].essential is a boolean, but template variable 'ESS' (from its default in the template) is not 'true' or 'false'.",
        path: 'containerDefinitions[0].essential',
        file: 'td.json',
        line: 4,
        column: 19,
      },
      {
        severity: 'error',
        message:
          "containerDefinitions[].memory is a number, but template variable 'MEM' (from the environment) is not a whole number.",
        path: 'containerDefinitions[0].memory',
        file: 'td.json',
        line: 5,
        column: 16,
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  test('malformed placeholders are errors at their position', () => {
    const t = parseTemplate('family: web\ncommand: ["echo ${1BAD}", "${OPEN"]\n', 'td.yaml');
    expect(problemsOf(() => substitutePlaceholders(t, {}, {}))).toEqual([
      {
        severity: 'error',
        message:
          "'${1BAD}' is not a valid placeholder: write ${NAME} or ${NAME:-default}, where NAME has letters, digits and '_' and does not start with a digit. Write $${ for a literal '${'.",
        path: 'command[0]',
        file: 'td.yaml',
        line: 2,
        column: 17,
      },
      {
        severity: 'error',
        message: "Unterminated placeholder: '${' has no closing '}'. Write $${ for a literal '${'.",
        path: 'command[1]',
        file: 'td.yaml',
        line: 2,
        column: 28,
      },
    ]);
  });

  test('positions point into describe-task-definition output and YAML block scalars', () => {
    const t = parseTemplate(
      'taskDefinition:\n  family: web\n  containerDefinitions:\n    - name: a\n      command:\n        - |\n          echo ${MSG}\n',
      'td.yaml',
    );
    // A block scalar's characters are not the value's one for one: the value's start is given.
    expect(problemsOf(() => substitutePlaceholders(t, {}, {}))).toEqual([
      {
        severity: 'error',
        message: unset('MSG'),
        path: 'containerDefinitions[0].command[0]',
        file: 'td.yaml',
        line: 6,
        column: 11,
      },
    ]);
    const doc = substitutePlaceholders(t, { MSG: 'hi' }, {});
    expect((doc.containerDefinitions as JsonObject[])[0].command).toEqual(['echo hi\n']);
  });
});

describe('placeholderEnvironment', () => {
  test('hides credentials from placeholders and keeps everything else', () => {
    expect(
      placeholderEnvironment({
        AWS_SECRET_ACCESS_KEY: 's',
        GITHUB_TOKEN: 't',
        AWS_REGION: 'us-east-1',
        TAG: '1',
      }),
    ).toEqual({ AWS_REGION: 'us-east-1', TAG: '1' });
  });
});

describe('substitutePlaceholders: keys', () => {
  const YAML = [
    'family: web',
    'containerDefinitions:',
    '  - name: web',
    '    dockerLabels:',
    '      ${ENV}_team: payments',
    '      "com.example.${ENV}": "${TEAM:-core}"',
    '    logConfiguration:',
    '      logDriver: awslogs',
    '      options: { "awslogs-${KIND}": /ecs/web }',
    '',
  ].join('\n');

  test('the keys of map-typed fields are substituted like values', () => {
    const t = parseTemplate(YAML, 'td.yaml');
    expect(substitutePlaceholders(t, { ENV: 'prod', KIND: 'group' }, {})).toEqual({
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          dockerLabels: { prod_team: 'payments', 'com.example.prod': 'core' },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
        },
      ],
    });
  });

  test('an unset variable in a key is reported at the key', () => {
    const t = parseTemplate(YAML, 'td.yaml');
    expect(
      problemsOf(() => substitutePlaceholders(t, { KIND: 'group' }, {})).map((p) => [
        p.path,
        p.line,
        p.column,
        p.message,
      ]),
    ).toEqual([
      ['containerDefinitions[0].dockerLabels["${ENV}_team"]', 5, 7, unset('ENV')],
      ['containerDefinitions[0].dockerLabels["com.example.${ENV}"]', 6, 7, unset('ENV')],
    ]);
  });

  test('keys that become equal are refused at the later key, named as written', () => {
    const t = parseTemplate(
      '{\n  "containerDefinitions": [{\n    "name": "a",\n    "dockerLabels": {\n      "prod_team": "x",\n      "${ENV}_team": "y"\n    }\n  }]\n}\n',
      'td.json',
    );
    expect(problemsOf(() => substitutePlaceholders(t, { ENV: 'prod' }, {}))).toEqual([
      {
        severity: 'error',
        message:
          "The key '${ENV}_team' is the same as the key 'prod_team' once placeholders are filled in, so one would be lost; keep one.",
        path: 'containerDefinitions[0].dockerLabels["${ENV}_team"]',
        file: 'td.json',
        line: 6,
        column: 7,
      },
    ]);
  });

  test('a key that becomes empty is refused', () => {
    const t = parseTemplate('{"containerDefinitions": [{"dockerLabels": {"${L}": "y"}}]}', 'td.json');
    expect(problemsOf(() => substitutePlaceholders(t, { L: '' }, {})).map((p) => p.message)).toEqual([
      "The key '${L}' is empty once its placeholders are filled in.",
    ]);
  });

  test('a placeholder in a field name is refused at the key, with every other problem', () => {
    const t = parseTemplate(
      'family: web\ncontainerDefinitions:\n  - name: web\n    ${FIELD}: 1\n    image: ${IMAGE}\n    healthCheck: { "${X}": [] }\n',
      'td.yaml',
    );
    expect(
      problemsOf(() => substitutePlaceholders(t, { FIELD: 'cpu', X: 'command' }, {})).map((p) => [
        p.path,
        p.line,
        p.column,
        p.message,
      ]),
    ).toEqual([
      ['containerDefinitions[0]["${FIELD}"]', 4, 5, FIELD_NAME('${FIELD}')],
      ['containerDefinitions[0].image', 5, 12, unset('IMAGE')],
      ['containerDefinitions[0].healthCheck["${X}"]', 6, 20, FIELD_NAME('${X}')],
    ]);
  });

  test('a literal $${ in a field name is no placeholder', () => {
    const t = parseTemplate('{"a$${b}": 1}', 'td.json');
    expect(substitutePlaceholders(t, {}, {})).toEqual({ 'a$${b}': 1 });
  });
});

describe('typed fields agree with the SDK model', () => {
  /** `containerDefinitions[].cpu` -> `['containerDefinitions', 0, 'cpu']` */
  const pathOf = (pattern: string): JsonPath =>
    pattern.split('.').flatMap((part) => {
      const name = part.replace(/(\[\])+$/, '');
      const lists = (part.length - name.length) / 2;
      return [...(name ? [name] : []), ...Array<number>(lists).fill(0)];
    });

  test.each([...NUMBER_FIELDS].map((f) => [f]))('%s is a number in the model', (field) => {
    expect(shapeAt(pathOf(field))).toEqual({ kind: 'scalar', type: 'number' });
  });

  test.each([...BOOLEAN_FIELDS].map((f) => [f]))('%s is a boolean in the model', (field) => {
    expect(shapeAt(pathOf(field))).toEqual({ kind: 'scalar', type: 'boolean' });
  });

  test('task-level cpu and memory are strings in the model, as NUMBER_FIELDS says', () => {
    expect(shapeAt(['cpu'])).toEqual({ kind: 'scalar', type: 'string' });
    expect(shapeAt(['memory'])).toEqual({ kind: 'scalar', type: 'string' });
  });
});
