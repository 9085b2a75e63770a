// The foundation end to end: `node dist/index.js` run as the runner runs it (emulator/run-action.ts)
// against the emulator, without a service: render, validate, register, outputs. Also on Node 24
// (NODE24_BIN, installed by .ci/run), the runtime GitHub uses for `runs.using: node24`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, mutatingCalls, type Emulator } from '../../emulator/index.js';
import { runAction, unexpectedStderr } from '../../emulator/run-action.js';
import { referencedSeed } from './scenarios.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
let emulator: Emulator;

beforeAll(async () => {
  // The images and log group the example templates point at, so that preflight finds them.
  emulator = await startEmulator({ speed: 600, seed: referencedSeed() });
});
afterAll(async () => {
  await emulator.stop();
});

function requestsSince(mark: number) {
  return emulator.requests.slice(mark);
}

describe('register only (no service)', () => {
  test('renders a JSON template with a new image and variables, registers it and sets the outputs', async () => {
    const mark = emulator.requests.length;
    const result = await runAction({
      endpoint: emulator.url,
      inputs: {
        'task-definition': 'examples/templates/web.json',
        'container-name': 'web',
        image: `${REGISTRY}/web:2.0`,
        'environment-variables': 'DATABASE_URL=postgres://db:5432/app?sslmode=require&a=b\n-LOG_LEVEL',
      },
    });
    expect(unexpectedStderr(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['task-definition-arn']).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:task-definition\/web:\d+$/,
    );
    expect(result.outputs['task-definition-revision']).toBe(
      result.outputs['task-definition-arn'].split(':').pop(),
    );
    expect(result.outputs.outcome).toBe('registered');
    const rendered = JSON.parse(result.renderedTaskDefinition ?? '{}');
    const web = rendered.containerDefinitions[0];
    expect(web.image).toBe(`${REGISTRY}/web:2.0`);
    // The value with `=` is kept whole; LOG_LEVEL was removed.
    expect(web.environment).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'DATABASE_URL', value: 'postgres://db:5432/app?sslmode=require&a=b' },
    ]);
    const ops = requestsSince(mark).map((r) => r.operation);
    expect(ops).toContain('RegisterTaskDefinition');
    expect(ops).not.toContain('UpdateService');
  });

  test('a YAML template with ${VAR} placeholders from the vars input', async () => {
    const result = await runAction({
      endpoint: emulator.url,
      inputs: {
        'task-definition': 'examples/templates/web.yaml',
        vars: 'IMAGE_TAG=3.1\nLOG_LEVEL=warn',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.outcome).toBe('registered');
    const rendered = JSON.parse(result.renderedTaskDefinition ?? '{}');
    expect(JSON.stringify(rendered)).toContain('3.1');
    expect(JSON.stringify(rendered)).not.toContain('${');
  });

  test('registering the same definition again registers nothing and reports unchanged', async () => {
    const inputs = { 'task-definition': 'examples/templates/multi.json' };
    const first = await runAction({ endpoint: emulator.url, inputs });
    expect(first.exitCode).toBe(0);
    const mark = emulator.requests.length;
    const second = await runAction({ endpoint: emulator.url, inputs });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.outcome).toBe('unchanged');
    expect(second.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(mutatingCalls(requestsSince(mark))).toEqual([]);
  });

  test('bad inputs fail the step with annotations and write nothing to AWS', async () => {
    const mark = emulator.requests.length;
    const result = await runAction({
      endpoint: emulator.url,
      inputs: {
        'task-definition': 'examples/templates/web.json',
        'environment-variables': 'no equals sign here',
        'wait-for-minutes': 'soon',
      },
    });
    expect(result.exitCode).toBe(1);
    const messages = result.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n');
    expect(messages).toContain('environment-variables');
    expect(messages).toContain('wait-for-minutes');
    // No ECS call; preflight, which runs beside input problems (a bad render input is left out),
    // makes metadata reads only.
    const requests = requestsSince(mark);
    expect(mutatingCalls(requests)).toEqual([]);
    expect(requests.filter((r) => r.service === 'ecs')).toEqual([]);
    for (const r of requests) expect(['DescribeImages', 'DescribeLogGroups']).toContain(r.operation);
  });
});

const node24 = process.env.NODE24_BIN;
(node24 ? describe : describe.skip)('on Node 24', () => {
  test('renders and registers', async () => {
    const result = await runAction({
      endpoint: emulator.url,
      node: node24,
      inputs: { 'task-definition': 'examples/templates/web.json', image: `${REGISTRY}/web:24` },
    });
    expect(unexpectedStderr(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.outcome).toBe('registered');
    expect(JSON.parse(result.renderedTaskDefinition ?? '{}').containerDefinitions[0].image).toBe(
      `${REGISTRY}/web:24`,
    );
  });
});
