import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { ProblemsError, type Problem } from '../../src/lib/problems.js';
import { loadTemplate, parseTemplate } from '../../src/taskdef/load.js';
import { normalizeTaskDefinition, READ_ONLY_TASK_DEFINITION_FIELDS } from '../../src/lib/taskdef-shape.js';
import type { JsonObject } from '../../src/lib/json.js';
import { TASK_DEFINITION_SHAPE, type FieldShape } from '../../src/taskdef/field-model.js';
import { findJsonSyntaxError } from '../../src/taskdef/json-syntax.js';
import { MAX_NESTING, SELF_ALIAS_MESSAGE } from '../../src/taskdef/nesting.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'templates');

/** The problems of the ProblemsError that `fn` throws. */
function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('expected a ProblemsError');
}

async function problemsOfAsync(fn: () => Promise<unknown>): Promise<Problem[]> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
  throw new Error('expected a ProblemsError');
}

describe('parseTemplate: JSON', () => {
  const text = [
    '{',
    '  "family": "web",',
    '  "containerDefinitions": [',
    '    { "name": "app", "image": "nginx" }',
    '  ],',
    '  "newField": {"x": [1, 2]}',
    '}',
  ].join('\n');

  test('parses to plain JSON and keeps unknown fields', () => {
    const t = parseTemplate(text, 'td.json');
    expect(t.format).toBe('json');
    expect(t.file).toBe('td.json');
    expect(t.doc).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx' }],
      newField: { x: [1, 2] },
    });
  });

  test('positionOf gives the 1-based line and column of each value', () => {
    const t = parseTemplate(text, 'td.json');
    expect(t.positionOf(['family'])).toEqual({ line: 2, column: 13 });
    expect(t.positionOf(['containerDefinitions'])).toEqual({ line: 3, column: 27 });
    expect(t.positionOf(['containerDefinitions', 0])).toEqual({ line: 4, column: 5 });
    expect(t.positionOf(['containerDefinitions', 0, 'image'])).toEqual({ line: 4, column: 31 });
    expect(t.positionOf(['newField', 'x', 1])).toEqual({ line: 6, column: 25 });
    expect(t.positionOf([])).toEqual({ line: 1, column: 1 });
  });

  test('positionOf is undefined for paths the file does not have', () => {
    const t = parseTemplate(text, 'td.json');
    expect(t.positionOf(['taskRoleArn'])).toBeUndefined();
    expect(t.positionOf(['containerDefinitions', 1])).toBeUndefined();
    expect(t.positionOf(['containerDefinitions', 0, 'environment', 0])).toBeUndefined();
    expect(t.positionOf(['family', 'x'])).toBeUndefined();
  });

  test('positionOf with an offset points into a string written without escapes', () => {
    const t = parseTemplate('{"image": "nginx:${TAG}", "esc": "a\\"b${X}"}', 'td.json');
    expect(t.positionOf(['image'], 6)).toEqual({ line: 1, column: 18 });
    // With an escape the file's characters are not the value's: fall back to the value's start.
    expect(t.positionOf(['esc'], 3)).toEqual({ line: 1, column: 34 });
  });

  test('a trailing comma is a syntax error with its line and column', () => {
    const problems = problemsOf(() => parseTemplate('{\n  "family": "web",\n}\n', 'td.json'));
    expect(problems).toEqual([
      {
        severity: 'error',
        message: "Invalid JSON: Trailing comma before '}'.",
        file: 'td.json',
        line: 3,
        column: 1,
      },
    ]);
  });

  test.each([
    ['{"a": x}', 1, 7, "Invalid JSON: Expected a value but found 'x'."],
    ['{"a": "b}', 1, 7, 'Invalid JSON: Unterminated string: it has no closing double quote.'],
    ["{'a': 1}", 1, 2, "Invalid JSON: Expected a double-quoted property name but found '''."],
    ['{"a": 1 "b": 2}', 1, 9, "Invalid JSON: Expected ',' or '}' after a property value but found '\"'."],
    ['{"a": [1, 2,]}', 1, 13, "Invalid JSON: Trailing comma before ']'."],
    ['{"a": 01}', 1, 8, 'Invalid JSON: Invalid number.'],
    ['{"a": 1}\n{"b": 2}', 2, 1, "Invalid JSON: Unexpected '{' after the end of the JSON document."],
    ['{"a": 1, // comment\n}', 1, 10, "Invalid JSON: Expected a double-quoted property name but found '/'."],
    ['{"a": "\\q"}', 1, 8, "Invalid JSON: Invalid escape '\\q' in a string."],
    ['{"a":\n', 2, 1, 'Invalid JSON: Expected a value but found the end of the file.'],
  ])('JSON syntax error %j at %i:%i', (source, line, column, message) => {
    expect(problemsOf(() => parseTemplate(source, 'td.json'))).toEqual([
      { severity: 'error', message, file: 'td.json', line, column },
    ]);
  });

  test('a duplicate key is an error at the second key', () => {
    const problems = problemsOf(() => parseTemplate('{\n  "family": "a",\n  "family": "b"\n}', 'td.json'));
    expect(problems).toEqual([
      {
        severity: 'error',
        message: "Invalid JSON: The key 'family' appears twice in the same mapping; keep one.",
        file: 'td.json',
        line: 3,
        column: 3,
      },
    ]);
  });

  test('a byte-order mark is ignored', () => {
    expect(parseTemplate('\uFEFF{"family": "web"}', 'td.json').doc).toEqual({ family: 'web' });
  });

  test.each([
    ['[1, 2]', 'a list', 1],
    ['"text"', 'a single value', 1],
    ['', 'empty', undefined],
  ])('the top level %j must be a mapping', (source, what, line) => {
    const file = source === '' ? 'td.yaml' : 'td.json';
    const [p, ...rest] = problemsOf(() => parseTemplate(source, file));
    expect(rest).toEqual([]);
    expect(p.message).toBe(
      `The task definition must be a mapping of fields (like {"family": ..., "containerDefinitions": [...]}), but the file is ${what}.`,
    );
    expect(p.file).toBe(file);
    expect(p.line).toBe(line);
  });
});

describe('parseTemplate: YAML', () => {
  test('parses YAML 1.2 with positions, anchors and merge keys', async () => {
    const t = await loadTemplate(join(fixtures, 'web.yaml'));
    expect(t.format).toBe('yaml');
    const web = (t.doc.containerDefinitions as JsonObject[])[0];
    expect(web).toEqual({
      essential: true,
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
      name: 'web',
      image: 'nginx:1.27',
      environment: [{ name: 'MODE', value: 'on' }],
    });
    expect(t.doc['x-defaults']).toBeDefined();
    expect(t.positionOf(['containerDefinitions', 1, 'image'])).toEqual({ line: 20, column: 12 });
    expect(t.positionOf(['containerDefinitions', 1, 'image'], 9)).toEqual({ line: 20, column: 22 });
    // A merged value is written at its anchor.
    expect(t.positionOf(['containerDefinitions', 1, 'logConfiguration', 'options', 'awslogs-group'])).toEqual(
      {
        line: 10,
        column: 22,
      },
    );
    expect(t.positionOf(['containerDefinitions', 0, 'environment', 0, 'value'])).toEqual({
      line: 17,
      column: 16,
    });
  });

  test('a key with no value points at the key', () => {
    const t = parseTemplate('family: web\nvolumes:\n', 'td.yml');
    expect(t.doc).toEqual({ family: 'web', volumes: null });
    expect(t.positionOf(['volumes'])).toEqual({ line: 2, column: 1 });
  });

  test('a syntax error names the file, line and column', () => {
    const problems = problemsOf(() =>
      parseTemplate('family: web\ncontainerDefinitions: [\n  {name: a}\n', 'td.yaml'),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ severity: 'error', file: 'td.yaml', line: 4, column: 1 });
    expect(problems[0].message).toMatch(/^Invalid YAML: /);
  });

  test('a duplicate key is an error', () => {
    expect(problemsOf(() => parseTemplate('family: a\ncpu: "256"\nfamily: b\n', 'td.yaml'))).toEqual([
      {
        severity: 'error',
        message: "Invalid YAML: The key 'family' appears twice in the same mapping; keep one.",
        file: 'td.yaml',
        line: 3,
        column: 1,
      },
    ]);
  });

  test('an unresolved tag is an error, not a silent string', () => {
    const [p] = problemsOf(() => parseTemplate('family: web\ntaskRoleArn: !Ref TaskRole\n', 'td.yaml'));
    expect(p).toMatchObject({ severity: 'error', file: 'td.yaml', line: 2, column: 14 });
    expect(p.message).toBe(
      'Invalid YAML: Unresolved tag: !Ref. Templates are plain YAML and tags are not evaluated; use a ${VAR} placeholder (filled from the vars input or the environment) instead.',
    );
  });

  test('.inf and .nan are errors with their path and position', () => {
    expect(problemsOf(() => parseTemplate('family: web\nx:\n  y: .nan\n', 'td.yaml'))).toEqual([
      {
        severity: 'error',
        message: 'JSON has no infinite or NaN numbers (YAML .inf, .nan); write a finite number.',
        file: 'td.yaml',
        line: 3,
        column: 6,
        path: 'x.y',
      },
    ]);
  });

  test('an alias bomb is an error, not an endless expansion', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    const [p, ...rest] = problemsOf(() => parseTemplate(lines.join('\n'), 'td.yaml'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ severity: 'error', file: 'td.yaml' });
    expect(p.message).toMatch(/^Invalid YAML: Excessive alias count/);
  });

  test('several documents in one file are an error', () => {
    const [p] = problemsOf(() => parseTemplate('family: a\n---\nfamily: b\n', 'td.yaml'));
    expect(p).toMatchObject({ severity: 'error', file: 'td.yaml', line: 2, column: 1 });
  });
});

describe('parseTemplate: format sniffing', () => {
  test('a file without a known extension is JSON when it is JSON', () => {
    expect(parseTemplate('{"family": "web"}', 'taskdef').format).toBe('json');
  });

  test('YAML flow style without a known extension is YAML', () => {
    const t = parseTemplate('{family: web}', 'taskdef.txt');
    expect(t.format).toBe('yaml');
    expect(t.doc).toEqual({ family: 'web' });
  });

  test('block YAML without a known extension is YAML', () => {
    expect(parseTemplate('family: web\n', 'taskdef').format).toBe('yaml');
  });

  test('the extension wins over the content: YAML-only syntax in a .json file is an error', () => {
    expect(problemsOf(() => parseTemplate('{family: web}', 'td.JSON'))[0].message).toBe(
      "Invalid JSON: Expected a double-quoted property name but found 'f'.",
    );
  });
});

describe('describe-task-definition output', () => {
  test('is unwrapped, tags moved to the top level, read-only fields stripped', async () => {
    const t = await loadTemplate(join(fixtures, 'describe-output.json'));
    expect(t.doc).toEqual({
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27', essential: true, environment: [] }],
      family: 'web',
      volumes: [],
      placementConstraints: [],
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      tags: [{ key: 'team', value: 'web' }],
    });
  });

  test('positionOf maps normalised paths into the wrapper', async () => {
    const t = await loadTemplate(join(fixtures, 'describe-output.json'));
    expect(t.positionOf(['family'])).toEqual({ line: 5, column: 15 });
    expect(t.positionOf(['containerDefinitions', 0, 'image'])).toEqual({ line: 4, column: 56 });
    expect(t.positionOf(['tags'])).toEqual({ line: 18, column: 11 });
    expect(t.positionOf(['tags', 0, 'value'])).toEqual({ line: 18, column: 38 });
  });

  test('YAML describe output without tags', () => {
    const t = parseTemplate(
      'taskDefinition:\n  family: web\n  revision: 3\n  containerDefinitions: []\n',
      'td.yaml',
    );
    expect(t.doc).toEqual({ family: 'web', containerDefinitions: [] });
    expect(t.positionOf(['family'])).toEqual({ line: 2, column: 11 });
    expect(t.positionOf(['tags'])).toBeUndefined();
  });
});

describe('normalizeTaskDefinition', () => {
  test('lists exactly the read-only fields of docs/ecs-behaviour.md, "Read-only fields"', () => {
    expect([...READ_ONLY_TASK_DEFINITION_FIELDS].sort()).toEqual(
      [
        'compatibilities',
        'deleteRequestedAt',
        'deregisteredAt',
        'registeredAt',
        'registeredBy',
        'requiresAttributes',
        'revision',
        'status',
        'taskDefinitionArn',
      ].sort(),
    );
  });

  test('strips read-only fields of an already unwrapped DescribeTaskDefinition response, without mutating it', () => {
    const response = {
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3',
      family: 'web',
      revision: 3,
      status: 'INACTIVE',
      deregisteredAt: '2025-01-01T00:00:00Z',
      deleteRequestedAt: '2025-01-02T00:00:00Z',
      containerDefinitions: [{ name: 'web', image: 'nginx', unknownThing: { a: 1 } }],
      pidMode: 'task',
    } as JsonObject;
    const before = structuredClone(response);
    const out = normalizeTaskDefinition(response);
    expect(out).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'nginx', unknownThing: { a: 1 } }],
      pidMode: 'task',
    });
    expect(response).toEqual(before);
    // A deep copy: editing the result leaves the input alone.
    (out.containerDefinitions as JsonObject[])[0].image = 'changed';
    expect((response.containerDefinitions as JsonObject[])[0].image).toBe('nginx');
  });

  test('drops keys whose value is undefined, as SDK responses have', () => {
    const sdkLike = {
      family: 'web',
      taskRoleArn: undefined,
      containerDefinitions: [],
    } as unknown as JsonObject;
    expect(normalizeTaskDefinition(sdkLike)).toEqual({ family: 'web', containerDefinitions: [] });
    expect(Object.keys(normalizeTaskDefinition(sdkLike))).toEqual(['family', 'containerDefinitions']);
  });

  test('a task definition that has containerDefinitions is never unwrapped', () => {
    const doc = { family: 'web', containerDefinitions: [], taskDefinition: { odd: true } };
    expect(normalizeTaskDefinition(doc)).toEqual(doc);
  });

  test('a __proto__ key stays a plain field', () => {
    const doc = JSON.parse('{"family": "web", "__proto__": {"polluted": true}}') as JsonObject;
    const out = normalizeTaskDefinition(doc);
    expect(Object.keys(out)).toEqual(['family', '__proto__']);
    // Had `__proto__` been assigned, it would have become the prototype and `polluted` inherited.
    expect((out as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadTemplate', () => {
  test('reads a JSON file', async () => {
    const t = await loadTemplate(join(fixtures, 'web.json'));
    expect(t.format).toBe('json');
    expect(t.doc.family).toBe('web');
    expect(t.doc.futureField).toEqual({ keep: ['me'] });
    expect(t.positionOf(['containerDefinitions', 0, 'image'])).toEqual({ line: 10, column: 16 });
  });

  test('a missing file is a problem of the task-definition input naming the path', async () => {
    const file = join(fixtures, 'nope.json');
    expect(await problemsOfAsync(() => loadTemplate(file))).toEqual([
      {
        severity: 'error',
        input: 'task-definition',
        message: `The task definition file '${file}' does not exist. Give a path relative to the workspace.`,
      },
    ]);
  });

  test('a directory is a problem of the task-definition input', async () => {
    expect(await problemsOfAsync(() => loadTemplate(fixtures))).toEqual([
      {
        severity: 'error',
        input: 'task-definition',
        message: `The task definition file '${fixtures}' is a directory, not a file. Give a path relative to the workspace.`,
      },
    ]);
  });
});

describe('keyPositionOf', () => {
  test('points at the key of a mapping entry in JSON and YAML, and at the value of a list item', async () => {
    const json = parseTemplate(
      '{\n  "family": "web",\n  "containerDefinitions": [\n    {"healthcheck": {}}\n  ]\n}',
      'td.json',
    );
    expect(json.keyPositionOf(['family'])).toEqual({ line: 2, column: 3 });
    expect(json.keyPositionOf(['containerDefinitions', 0, 'healthcheck'])).toEqual({ line: 4, column: 6 });
    expect(json.keyPositionOf(['containerDefinitions', 0])).toEqual({ line: 4, column: 5 });
    expect(json.keyPositionOf(['nope'])).toBeUndefined();

    const yaml = parseTemplate(
      'family: web\ncontainerDefinitions:\n  - name: web\n    healthcheck:\n      command: []\n',
      'td.yaml',
    );
    expect(yaml.keyPositionOf(['containerDefinitions', 0, 'healthcheck'])).toEqual({ line: 4, column: 5 });
    // The value of that key starts on the next line.
    expect(yaml.positionOf(['containerDefinitions', 0, 'healthcheck'])).toEqual({ line: 5, column: 7 });
  });

  test('maps normalised paths into a describe-output wrapper', async () => {
    const t = await loadTemplate(join(fixtures, 'describe-output.json'));
    expect(t.keyPositionOf(['family'])).toEqual({ line: 5, column: 5 });
  });
});

describe('nesting', () => {
  const nestedJson = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
  const nestedYaml = (levels: number): string =>
    Array.from({ length: levels - 1 }, (_, i) => `${'  '.repeat(i)}a:\n`).join('') +
    `${'  '.repeat(levels - 1)}b: 1\n`;
  const TOO_DEEP =
    'Lists and mappings are nested more than 32 levels deep here; no task definition nests that deep, so the file is probably generated wrongly. Flatten it.';

  test('the bound is far above the deepest task definition the SDK model allows', () => {
    const depth = (s: FieldShape): number =>
      s.kind === 'scalar'
        ? 0
        : 1 +
          (s.kind === 'list'
            ? depth(s.member)
            : s.kind === 'map'
              ? depth(s.value)
              : Math.max(0, ...[...s.members.values()].map(depth)));
    // Plus one for the describe-output wrapper.
    expect(depth(TASK_DEFINITION_SHAPE) + 1).toBe(8);
    expect(MAX_NESTING).toBeGreaterThanOrEqual(4 * 8);
  });

  test('exactly MAX_NESTING levels load, one more is refused at the collection that goes too deep', () => {
    expect(() => parseTemplate(nestedJson(MAX_NESTING), 'td.json')).not.toThrow();
    expect(() => parseTemplate(nestedYaml(MAX_NESTING), 'td.yaml')).not.toThrow();
    expect(problemsOf(() => parseTemplate(nestedJson(MAX_NESTING + 1), 'td.json'))).toEqual([
      { severity: 'error', message: TOO_DEEP, file: 'td.json', line: 1, column: 5 * MAX_NESTING + 1 },
    ]);
    expect(problemsOf(() => parseTemplate(nestedYaml(MAX_NESTING + 1), 'td.yaml'))).toEqual([
      {
        severity: 'error',
        message: TOO_DEEP,
        file: 'td.yaml',
        line: MAX_NESTING + 1,
        column: 2 * MAX_NESTING + 1,
      },
    ]);
  });

  test('thousands of levels are one error with a position, never a stack overflow', () => {
    const n = 5000;
    const cases: [string, string, number, number][] = [
      ['td.json', nestedJson(n), 1, 5 * MAX_NESTING + 1],
      ['td.json', '['.repeat(n) + ']'.repeat(n), 1, MAX_NESTING + 1],
      ['td', nestedJson(n), 1, 5 * MAX_NESTING + 1], // sniffed
      ['td.yaml', '- '.repeat(n) + '1\n', 1, 2 * MAX_NESTING + 1],
      ['td.yaml', `family: x\nv: ${'['.repeat(n)}${']'.repeat(n)}\n`, 2, MAX_NESTING + 3],
      ['td.yaml', nestedYaml(n), MAX_NESTING + 1, 2 * MAX_NESTING + 1],
    ];
    for (const [file, text, line, column] of cases) {
      expect([file, problemsOf(() => parseTemplate(text, file))]).toEqual([
        file,
        [{ severity: 'error', message: TOO_DEEP, file, line, column }],
      ]);
    }
  });

  test('YAML aliases that stack collections too deep are refused at the alias', () => {
    const nest8 = (inner: string) => `${'['.repeat(8)}${inner}${']'.repeat(8)}`;
    const text = [
      'family: x',
      `a0: &a0 ${nest8('1')}`,
      `a1: &a1 ${nest8('*a0')}`,
      `a2: &a2 ${nest8('*a1')}`,
      `a3: &a3 ${nest8('*a2')}`,
      `a4: ${nest8('*a3')}`,
      '',
    ].join('\n');
    expect(problemsOf(() => parseTemplate(text, 'td.yaml'))).toEqual([
      // a3 nests 1 + 4 × 8 = 33 levels: too deep at its alias *a2.
      { severity: 'error', message: TOO_DEEP, file: 'td.yaml', line: 5, column: 17 },
    ]);
  });

  test('a YAML alias inside the collection it refers to is refused, not followed for ever', () => {
    for (const text of ['family: x\nself: &x [1, *x]\n', 'family: x\nself: &x\n  more: *x\n']) {
      const problems = problemsOf(() => parseTemplate(text, 'td.yaml'));
      expect(problems).toEqual([expect.objectContaining({ message: SELF_ALIAS_MESSAGE, file: 'td.yaml' })]);
    }
    expect(problemsOf(() => parseTemplate('family: x\nself: &x [1, *x]\n', 'td.yaml'))[0]).toMatchObject({
      line: 2,
      column: 14,
    });
  });

  test('aliases used many times are still cheap to check', () => {
    const text = ['family: x', 'a: &a [1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i <= 6; i++)
      text.push(
        `l${i}: &l${i} [${Array(8)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    // 8^6 expanded collections: the alias limit refuses the expansion, the depth walk visits each anchor once.
    expect(problemsOf(() => parseTemplate(text.join('\n'), 'td.yaml'))[0].message).toMatch(/alias/i);
  });

  test('the JSON syntax checker stops at the bound on its own', () => {
    expect(findJsonSyntaxError('['.repeat(5000) + ']'.repeat(5000))).toEqual({
      offset: MAX_NESTING,
      message: TOO_DEEP,
    });
    expect(findJsonSyntaxError('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING))).toBeUndefined();
  });
});
