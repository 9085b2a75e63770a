// Template field names, placeholder keys and nesting, end to end: `node dist/index.js` run as
// the runner runs it (emulator/run-action.ts) against one emulator with a cluster `prod` and a
// service `web`. A misspelled field used to be registered without it and without a word (the
// SDK's serializer drops what its model lacks); now it is an error at its line and column, with
// the name it was probably meant to be, and nothing is written to AWS.
// Run `npm run -s bundle` first: these tests run dist/index.js.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mutatingCalls, startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, unexpectedStderr } from '../../emulator/run-action.js';
import { ECS_SDK_VERSION } from '../../src/taskdef/field-model.js';

const FIXTURES = '__tests__/fixtures/fields/';
const SERVICE = { cluster: 'prod', service: 'web' };
const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const IN_MODEL = `in the ECS API model of the bundled AWS SDK (@aws-sdk/client-ecs ${ECS_SDK_VERSION}), so it would be dropped without a word and never reach ECS.`;

type Annotation = [properties: string, message: string];
const at = (file: string, line: number, col: number, message: string): Annotation => [
  `title=Task definition,file=${file},line=${line},col=${col}`,
  message,
];
const breaksRules = (n: number): Annotation => [
  '',
  `The rendered task definition breaks ECS rules; nothing was registered: ${n} problem${n === 1 ? '' : 's'}, each listed above.`,
];
const stopped = (n: number): Annotation => [
  '',
  `The deployment was stopped before anything was written to AWS: ${n} problem${n === 1 ? '' : 's'}, each listed above.`,
];

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
      // What the templates point at, so that preflight finds it.
      images: [
        { repository: 'web', tag: 'stable' },
        { repository: 'web', tag: '1.0' },
      ],
    },
  });
  // Generated, not a repository file: it is absurd on purpose.
  workspace = await mkdtemp(path.join(tmpdir(), 'ecs-deploy-template-fields-'));
  const deep = '{"a":'.repeat(5000) + '{}' + '}'.repeat(5000);
  await writeFile(
    path.join(workspace, 'deep.json'),
    `{\n  "family": "deep",\n  "containerDefinitions": ${deep}\n}\n`,
  );
});

afterAll(async () => {
  await emulator?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

async function run(
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; workspace?: string } = {},
) {
  const mark = emulator.requests.length;
  const result = await runAction({ endpoint: emulator.url, inputs, timeoutMs: 30_000, ...options });
  const requests = emulator.requests.slice(mark);
  expect(unexpectedStderr(result.stderr)).toBe('');
  const errors = result.annotations
    .filter((a) => a.level === 'error')
    .map((a): Annotation => [a.properties, a.message]);
  return { result, requests, errors };
}

describe('bad template field names, keys and nesting stop the step and write nothing', () => {
  test('a misspelled container field and top-level field: path, line, column and the near name', async () => {
    const file = `${FIXTURES}healthcheck.json`;
    const { result, requests, errors } = await run({ 'task-definition': file, ...SERVICE });
    expect(errors).toEqual([
      at(
        file,
        8,
        3,
        `taskRoleARN: 'taskRoleARN' is not a field of the task definition ${IN_MODEL} Did you mean 'taskRoleArn'?`,
      ),
      at(
        file,
        15,
        7,
        `containerDefinitions[0].healthcheck: 'healthcheck' is not a field of ContainerDefinition ${IN_MODEL} Did you mean 'healthCheck'?`,
      ),
      breaksRules(2),
    ]);
    expect(result.exitCode).toBe(1);
    expect(mutatingCalls(requests)).toEqual([]);
    // The ECS calls; preflight (which runs whenever a definition rendered) adds metadata reads only.
    expect(requests.filter((r) => r.service === 'ecs').map((r) => r.operation)).toEqual(['DescribeServices']);
    expect(result.outputs['task-definition-arn']).toBeUndefined();
  });

  test('in YAML the error points at the key; nested fields are checked too', async () => {
    const file = `${FIXTURES}healthcheck.yaml`;
    const { result, requests, errors } = await run({ 'task-definition': file, ...SERVICE });
    expect(errors).toEqual([
      at(
        file,
        12,
        5,
        `containerDefinitions[0].healthcheck: 'healthcheck' is not a field of ContainerDefinition ${IN_MODEL} Did you mean 'healthCheck'?`,
      ),
      breaksRules(1),
    ]);
    expect(result.exitCode).toBe(1);
    expect(mutatingCalls(requests)).toEqual([]);
  });

  test('a placeholder in a field name and map keys that collide are refused at the key', async () => {
    const file = `${FIXTURES}label-collision.json`;
    const { result, requests, errors } = await run(
      { 'task-definition': file, ...SERVICE, vars: 'ENV=prod\nFIELD=cpu' },
      {},
    );
    expect(errors).toEqual([
      at(
        file,
        13,
        7,
        'containerDefinitions[0]["${FIELD}"]: \'${FIELD}\' is a field name, and field names are never substituted: ' +
          'placeholders are filled in only in values and in the keys of maps such as dockerLabels or logConfiguration options. ' +
          'Write the field name itself.',
      ),
      at(
        file,
        14,
        50,
        "containerDefinitions[0].dockerLabels[\"${ENV}_team\"]: The key '${ENV}_team' is the same as the key 'prod_team' " +
          'once placeholders are filled in, so one would be lost; keep one.',
      ),
      stopped(2),
    ]);
    expect(result.exitCode).toBe(1);
    expect(mutatingCalls(requests)).toEqual([]);
    // The ECS calls; preflight (which runs whenever a definition rendered) adds metadata reads only.
    expect(requests.filter((r) => r.service === 'ecs').map((r) => r.operation)).toEqual(['DescribeServices']);
  });

  test('a template nested thousands of levels deep is one error with its position, not a crash', async () => {
    const { result, requests, errors } = await run(
      { 'task-definition': 'deep.json', ...SERVICE },
      { workspace },
    );
    expect(errors).toEqual([
      at(
        'deep.json',
        3,
        // The root is level 1; the 32nd `{"a":` after column 27 is level 33.
        27 + 5 * 31,
        'Lists and mappings are nested more than 32 levels deep here; no task definition nests that deep, so the file is probably generated wrongly. Flatten it.',
      ),
      stopped(1),
    ]);
    expect(result.exitCode).toBe(1);
    expect(mutatingCalls(requests)).toEqual([]);
  });
});

test('placeholders in docker label keys are filled in, and the rendered file is what ECS receives', async () => {
  const { result, errors } = await run(
    { 'task-definition': `${FIXTURES}label-keys.yaml`, ...SERVICE, 'dry-run': 'true' },
    { env: { ENV: 'prod' } },
  );
  expect(errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  const rendered = JSON.parse(result.renderedTaskDefinition ?? '{}') as {
    containerDefinitions: { dockerLabels: Record<string, string> }[];
  };
  expect(rendered.containerDefinitions[0].dockerLabels).toEqual({
    prod_team: 'payments',
    'com.example.owner': 'platform',
  });
});
