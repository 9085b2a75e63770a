import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { actionOutputs, writeRenderedTaskDefinition } from '../../src/report/outputs.js';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42';

describe('actionOutputs', () => {
  it('sets every output that is known', () => {
    expect(
      actionOutputs({
        outcome: 'succeeded',
        renderedTaskDefinitionPath: '/runner/temp/web-1.json',
        taskDefinitionArn: ARN,
        previousTaskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41',
        deploymentId: 'ecs-svc/1234567890123456789',
      }),
    ).toEqual({
      outcome: 'succeeded',
      'task-definition': '/runner/temp/web-1.json',
      'task-definition-arn': ARN,
      'task-definition-revision': '42',
      'previous-task-definition-arn': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41',
      'deployment-id': 'ecs-svc/1234567890123456789',
    });
  });

  it('leaves out what is unknown (a dry run registers and deploys nothing)', () => {
    expect(actionOutputs({ outcome: 'planned', renderedTaskDefinitionPath: '/tmp/web.json' })).toEqual({
      outcome: 'planned',
      'task-definition': '/tmp/web.json',
    });
  });

  it('gives no revision for an ARN it cannot read', () => {
    expect(actionOutputs({ outcome: 'registered', taskDefinitionArn: 'not-an-arn' })).toEqual({
      outcome: 'registered',
      'task-definition-arn': 'not-an-arn',
    });
  });
});

describe('writeRenderedTaskDefinition', () => {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes pretty JSON under RUNNER_TEMP, a new file each time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-test-'));
    made.push(dir);
    const td = { family: 'web', containerDefinitions: [{ name: 'app', image: 'web:1' }] };
    const first = await writeRenderedTaskDefinition(td, dir, 'web');
    const second = await writeRenderedTaskDefinition(td, dir, 'web');
    expect(dirname(first)).toBe(dir);
    expect(basename(first)).toMatch(/^web-\d{8}T\d{6}-[0-9a-f]{8}\.json$/);
    expect(second).not.toBe(first);
    expect(await readFile(first, 'utf8')).toBe(`${JSON.stringify(td, null, 2)}\n`);
    expect((await stat(first)).mode & 0o077).toBe(0);
  });

  it('uses the system temp directory without RUNNER_TEMP, and keeps a strange family inside it', async () => {
    const path = await writeRenderedTaskDefinition({ family: 'x' }, undefined, '../../etc/passwd');
    made.push(path);
    expect(dirname(path)).toBe(tmpdir());
    expect(basename(path)).toMatch(/^______etc_passwd-/);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ family: 'x' });
    const emptyTemp = await writeRenderedTaskDefinition({ family: 'y' }, '', 'y');
    made.push(emptyTemp);
    expect(dirname(emptyTemp)).toBe(tmpdir());
  });
});
