// The README's migration table says where a migrated workflow behaves differently. These rows
// are held to what the code does: without a service the one-off task is always followed to its
// end (src/stages/run-task.ts), which the official action does only with wait-for-task-stopped.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The "What differs" cell of an input's row in the migration table. */
function differs(input: string): string {
  const start = readme.indexOf('\n## Migrating from aws-actions/amazon-ecs-deploy-task-definition\n');
  const end = readme.indexOf('\n## ', start + 1);
  const row = readme
    .slice(start, end)
    .split('\n')
    .find((line) => line.startsWith(`| \`${input}\` `));
  if (!row) throw new Error(`no migration row for ${input}`);
  return row.split('|')[3].trim();
}

describe('README migration table', () => {
  it.each(['run-task', 'wait-for-task-stopped'])(
    '%s: a difference, not "Same": without a service the task is followed to its end here',
    (input) => {
      const cell = differs(input);
      expect(cell).toMatch(/^Differs: without `service` the task is (always )?followed to its end/);
      expect(cell).toContain('the official action');
      expect(cell).toContain('returns once it started');
    },
  );

  it('the official number inputs say they are read as the official action reads them', () => {
    expect(differs('wait-max-delay-seconds')).toMatch(/parseInt/);
    expect(differs('max-retries')).toMatch(/parseInt/);
    expect(differs('service-managed-ebs-volume')).toMatch(/dropped with a warning/);
  });
});
