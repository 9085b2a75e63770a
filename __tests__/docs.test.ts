// The public contract is written down three times: action.yml, the README tables and the
// parser. These tests keep them the same, and keep the examples usable as they are.

import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { INPUT_DEFAULTS, INPUT_NAMES, INPUTS, parseInputs } from '../src/inputs/index.js';
import { FAILING_OUTCOMES, OUTCOMES, type Outcome } from '../src/rollout/types.js';
import { normalizeTaskDefinition } from '../src/lib/taskdef-shape.js';
import { parseTemplate } from '../src/taskdef/load.js';
import { substitutePlaceholders } from '../src/taskdef/placeholders.js';
import { isObject, type JsonObject, type JsonValue } from '../src/lib/json.js';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}
interface ActionYml {
  name?: string;
  description?: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using?: string; main?: string };
}

const action = parseYaml(read('action.yml')) as ActionYml;
const readme = read('README.md');

/** The text of a `## heading` section of the README, up to the next one. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The rows of the first table under a `## heading` of the README, as trimmed cells. */
function tableUnder(heading: string): string[][] {
  const rows = section(heading)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        // a `|` inside a cell would be escaped as `\|`; none of ours has one
        .split('|')
        .map((cell) => cell.trim()),
    );
  // header, separator, then the body
  expect(rows[1].every((cell) => /^:?-+:?$/.test(cell))).toBe(true);
  return rows;
}

/** `` `name` `` -> `name`; the README writes every name and default as code. */
const code = (cell: string): string => {
  const m = /^`([^`]*)`$/.exec(cell);
  if (!m) throw new Error(`expected a single code span, got: ${cell}`);
  return m[1];
};
const NO_DEFAULT = '—';

describe('action.yml', () => {
  test('metadata: node24, dist/index.js, branding', () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.author).toBeTruthy();
    expect(action.branding?.icon).toBeTruthy();
    expect(action.branding?.color).toBeTruthy();
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  test('every input is optional and described; defaults are strings', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, input.required]).toEqual([name, false]);
      expect([name, typeof input.description, (input.description ?? '').length > 20]).toEqual([
        name,
        'string',
        true,
      ]);
      if ('default' in input) expect([name, typeof input.default]).toEqual([name, 'string']);
    }
  });

  test('outputs', () => {
    expect(Object.keys(action.outputs)).toEqual([
      'task-definition',
      'task-definition-arn',
      'task-definition-revision',
      'previous-task-definition-arn',
      'deployment-id',
      'outcome',
      'services',
      'codedeploy-deployment-id',
      'run-task-arn',
      'run-task-exit-codes',
      'github-deployment-id',
      'deregistered-task-definitions',
      'service-deployment-arn',
      'paused-hook-id',
    ]);
  });
});

describe('README and action.yml list the same inputs and outputs', () => {
  test('Inputs table: same names, same order', () => {
    const [header, , ...body] = tableUnder('Inputs');
    expect(header).toEqual(['Input', 'Default', 'Description']);
    expect(body.map((row) => code(row[0]))).toEqual(Object.keys(action.inputs));
  });

  test('Inputs table: same defaults', () => {
    const [, , ...body] = tableUnder('Inputs');
    const readmeDefaults = Object.fromEntries(
      body.map((row) => [code(row[0]), row[1] === NO_DEFAULT ? undefined : code(row[1])]),
    );
    const actionDefaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, i]) => [name, i.default]),
    );
    expect(readmeDefaults).toEqual(actionDefaults);
  });

  test('Outputs table: same names, same order', () => {
    const [header, , ...body] = tableUnder('Outputs');
    expect(header).toEqual(['Output', 'Description']);
    expect(body.map((row) => code(row[0]))).toEqual(Object.keys(action.outputs));
  });

  test('Outcomes table: every outcome, and failure exactly for the failing ones', () => {
    const [header, , ...body] = tableUnder('Outcomes');
    expect(header).toEqual(['Outcome', 'Meaning', 'Step result']);
    const all: readonly Outcome[] = OUTCOMES;
    expect(body.map((row) => code(row[0]))).toEqual(all);
    for (const row of body) {
      expect([row[0], row[2]]).toEqual([
        row[0],
        FAILING_OUTCOMES.has(code(row[0]) as Outcome) ? 'failure' : 'success',
      ]);
    }
    expect(action.outputs.outcome.description).toBe(`${all.slice(0, -1).join(', ')} or ${all.at(-1)}.`);
  });
});

describe('action.yml and parseInputs agree', () => {
  test('parseInputs reads exactly the inputs action.yml declares', () => {
    const asked = new Set<string>();
    parseInputs((name) => {
      asked.add(name);
      return name === 'service' ? 'web' : '';
    });
    expect([...asked].sort()).toEqual(Object.keys(action.inputs).sort());
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs));
  });

  test('the input table declares the inputs of action.yml, in its order, with its defaults', () => {
    expect(INPUTS.map((spec) => spec.name)).toEqual(Object.keys(action.inputs));
    for (const spec of INPUTS) {
      expect([spec.name, spec.default]).toEqual([spec.name, action.inputs[spec.name]?.default]);
    }
  });

  test("parseInputs reads exactly the table's inputs, once each, in table order", () => {
    const asked: string[] = [];
    parseInputs(
      (name) => {
        asked.push(name);
        return name === 'service' ? 'web' : '';
      },
      { region: 'us-east-1' },
    );
    expect(asked).toEqual(INPUTS.map((spec) => spec.name));
  });

  test("the parser's defaults are action.yml's", () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, i]) => i.default !== undefined)
        .map(([name, i]) => [name, i.default]),
    );
    expect(INPUT_DEFAULTS).toEqual(declared);
  });

  test('the runner passing the defaults gives the same request as passing nothing', () => {
    const bases: Record<string, string>[] = [{ service: 'web' }, { 'task-definition': 'td.json' }];
    for (const base of bases) {
      const asRunner = parseInputs((name) => base[name] ?? action.inputs[name].default ?? '');
      const bare = parseInputs((name) => base[name] ?? '');
      expect(asRunner).toEqual(bare);
    }
  });
});

describe('README', () => {
  test('Quick start: exactly the two commands, each in its own code block', () => {
    const blocks = [...section('Quick start').matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });

  test('the IAM policy is valid JSON and grants the actions the action calls', () => {
    const json = /## IAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
    expect(json).not.toBeNull();
    const policy = JSON.parse(json![1]) as { Statement: { Action: string | string[] }[] };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.sort()).toEqual(
      [
        'ecs:RegisterTaskDefinition',
        'ecs:DescribeTaskDefinition',
        'ecs:DescribeServices',
        'ecs:UpdateService',
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:ContinueServiceDeployment',
        'ecs:ListTasks',
        'ecs:DescribeTasks',
        'ecs:RunTask',
        'ecs:StopTask',
        'ecs:TagResource',
        'iam:PassRole',
        'logs:GetLogEvents',
      ].sort(),
    );
  });

  test('local links point at files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#:]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect([link, existsSync(join(ROOT, link))]).toEqual([link, true]);
  });
});

// ---- examples ----

/** Steps that use this action, from a workflow document or a README snippet. */
function ourSteps(doc: unknown): { with?: Record<string, unknown> }[] {
  const steps: { with?: Record<string, unknown> }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.uses === 'string' && record.uses.startsWith('your-org/ecs-deploy-action@')) {
        steps.push(record as { with?: Record<string, unknown> });
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(doc);
  return steps;
}

const WORKFLOWS = [
  'deploy-on-push.yml',
  'redeploy.yml',
  'several-services.yml',
  'deploy-with-migration.yml',
  'canary-deploy.yml',
  'blue-green-smoke-tests.yml',
  'codedeploy.yml',
];

describe('example workflows', () => {
  test('the example workflows exist and nothing else is in examples/workflows', () => {
    expect(readdirSync(join(ROOT, 'examples/workflows')).sort()).toEqual([...WORKFLOWS].sort());
  });

  test.each(WORKFLOWS)('%s uses only inputs action.yml declares, with credentials first', (file) => {
    const doc = parseYaml(read(`examples/workflows/${file}`)) as {
      jobs: Record<string, { steps: { uses?: string }[] }>;
    };
    const steps = ourSteps(doc);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {}))
        expect([file, key, key in action.inputs]).toEqual([file, key, true]);
    }
    for (const job of Object.values(doc.jobs)) {
      const uses = job.steps.map((s) => s.uses ?? '');
      const ours = uses.findIndex((u) => u.startsWith('your-org/ecs-deploy-action@'));
      if (ours >= 0) {
        const creds = uses.findIndex((u) => u.startsWith('aws-actions/configure-aws-credentials@'));
        expect([file, creds >= 0 && creds < ours]).toEqual([file, true]);
      }
    }
  });

  test('README snippets use only declared inputs', () => {
    const snippets = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]));
    const steps = snippets.flatMap(ourSteps);
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {}))
        expect([key, key in action.inputs]).toEqual([key, true]);
    }
  });

  test('redeploy offers the four modes', () => {
    const doc = parseYaml(read('examples/workflows/redeploy.yml')) as {
      on: { workflow_dispatch: { inputs: { mode: { type: string; options: string[] } } } };
    };
    expect(doc.on.workflow_dispatch.inputs.mode).toMatchObject({
      type: 'choice',
      options: ['new-tag', 'rollback', 'restart', 'variable'],
    });
    const withs = ourSteps(doc).map((s) => Object.keys(s.with ?? {}).sort());
    expect(withs).toEqual([
      ['cluster', 'image', 'service'],
      ['cluster', 'service', 'task-definition-arn'],
      ['cluster', 'force-new-deployment', 'service'],
      ['cluster', 'environment-variables', 'service'],
    ]);
  });
});

/** Every string in a document. */
function strings(value: JsonValue): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isObject(value)) return Object.values(value).flatMap(strings);
  return [];
}

function containers(doc: JsonObject): JsonObject[] {
  return (doc.containerDefinitions as JsonValue[]).filter(isObject);
}

const FARGATE_MEMORY: Record<string, number[]> = {
  '256': [512, 1024, 2048],
  '512': [1024, 2048, 3072, 4096],
};

describe('example templates', () => {
  const TEMPLATES = ['web.json', 'web.yaml', 'multi.json', 'describe-output.json'];
  const load = (file: string) =>
    parseTemplate(read(`examples/templates/${file}`), `examples/templates/${file}`);

  test.each(TEMPLATES)(
    '%s loads and is a valid Fargate task definition for 123456789012 in us-east-1',
    (file) => {
      const template = load(file);
      const doc =
        file === 'web.yaml' ? substitutePlaceholders(template, { IMAGE_TAG: 'v1' }, {}) : template.doc;
      expect(doc.requiresCompatibilities).toEqual(['FARGATE']);
      expect(doc.networkMode).toBe('awsvpc');
      expect(FARGATE_MEMORY[doc.cpu as string]).toContain(Number(doc.memory));
      expect(doc.executionRoleArn).toBe('arn:aws:iam::123456789012:role/ecsTaskExecutionRole');
      for (const s of strings(doc)) {
        if (s.startsWith('arn:')) expect(s).toMatch(/^arn:aws:[a-z]+:(us-east-1)?:123456789012:/);
        if (s.includes('.dkr.ecr.'))
          expect(s).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\//);
      }
      const names = containers(doc).map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of containers(doc)) {
        expect(c.logConfiguration).toMatchObject({
          logDriver: 'awslogs',
          options: { 'awslogs-region': 'us-east-1' },
        });
      }
    },
  );

  test('web.yaml renders to web.json', () => {
    const rendered = substitutePlaceholders(load('web.yaml'), { IMAGE_TAG: 'latest' }, {});
    expect(rendered).toEqual(load('web.json').doc);
  });

  test('multi.json: the app waits for a healthy sidecar', () => {
    const doc = load('multi.json').doc;
    const [app, sidecar] = containers(doc);
    expect(app.dependsOn).toEqual([{ containerName: sidecar.name, condition: 'HEALTHY' }]);
    for (const c of [app, sidecar]) {
      expect((c.healthCheck as { command: string[] }).command[0]).toMatch(/^CMD(-SHELL)?$/);
    }
  });

  test('describe-output.json is unwrapped: read-only fields gone, tags kept', () => {
    const wrapped = JSON.parse(read('examples/templates/describe-output.json')) as JsonObject;
    expect(Object.keys(wrapped).sort()).toEqual(['tags', 'taskDefinition']);
    const doc = normalizeTaskDefinition(wrapped);
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(field in (wrapped.taskDefinition as JsonObject)).toBe(true);
      expect(field in doc).toBe(false);
    }
    expect(doc.tags).toEqual(wrapped.tags);
    expect(load('describe-output.json').doc).toEqual(doc);
  });
});
