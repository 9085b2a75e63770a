// A workflow of the official deploy action (aws-actions/amazon-ecs-deploy-task-definition) must
// work with only its `uses:` line changed. The runner only warns about an input an action does not
// declare, so a migrated workflow would silently lose what that input did: this test reads the
// official action's inputs and outputs from its action.yml, kept verbatim as a fixture named by
// its version, and fails with the list of every one that has no meaning here (not in our
// action.yml, the input table or the README's migration table).

import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { INPUT_NAMES } from '../src/inputs/index.js';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The official action's version the fixture is from; a newer one is a new fixture beside it. */
const OFFICIAL_VERSION = 'v2.6.3';
const FIXTURE = `__tests__/fixtures/official/action-${OFFICIAL_VERSION}.yml`;

interface ActionYml {
  name?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  runs: { using?: string; main?: string };
}

const official = parseYaml(read(FIXTURE)) as ActionYml;
const ours = parseYaml(read('action.yml')) as ActionYml;
const officialInputs = Object.keys(official.inputs);
const officialOutputs = Object.keys(official.outputs);

/** The rows of the migration table: the first table under the README's migration heading. */
function migrationTable(): string[][] {
  const readme = read('README.md');
  const heading = '\n## Migrating from aws-actions/amazon-ecs-deploy-task-definition\n';
  const start = readme.indexOf(heading);
  if (start < 0)
    throw new Error('README has no section "Migrating from aws-actions/amazon-ecs-deploy-task-definition"');
  const end = readme.indexOf('\n## ', start + 1);
  return readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

/** `` `name` `` → `name`; '' for a cell that is not one code span. */
const code = (cell: string): string => /^`([^`]+)`$/.exec(cell)?.[1] ?? '';

describe(`the official action's inputs (${FIXTURE})`, () => {
  test('the fixture is the official action.yml of that version', () => {
    expect(readdirSync(join(ROOT, '__tests__/fixtures/official')).filter((f) => f.endsWith('.yml'))).toEqual([
      `action-${OFFICIAL_VERSION}.yml`,
    ]);
    expect(official.name).toBe('Amazon ECS "Deploy Task Definition" Action for GitHub Actions');
    expect(official.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    // v2.6.3 has 31 inputs and 3 outputs.
    expect([officialInputs.length, officialOutputs.length]).toEqual([31, 3]);
  });

  test('every official input is an input of this action (action.yml)', () => {
    const missing = officialInputs.filter((name) => !(name in ours.inputs));
    expect({ missing }).toEqual({ missing: [] });
  });

  test('every official input is parsed (the input table)', () => {
    const declared = new Set<string>(INPUT_NAMES);
    const missing = officialInputs.filter((name) => !declared.has(name));
    expect({ missing }).toEqual({ missing: [] });
  });

  test('every official output is an output of this action', () => {
    const missing = officialOutputs.filter((name) => !(name in ours.outputs));
    expect({ missing }).toEqual({ missing: [] });
  });

  test("the README's migration table has a row for every official input and output", () => {
    const [header, separator, ...body] = migrationTable();
    expect(header).toEqual(['Official input or output', 'Here', 'What differs']);
    expect(separator.every((cell) => /^:?-+:?$/.test(cell))).toBe(true);
    const rows = body.map((row) => code(row[0]));
    expect(rows).toEqual([...officialInputs, ...officialOutputs]);
  });
});
