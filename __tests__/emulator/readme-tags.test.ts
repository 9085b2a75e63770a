// The image-tag table of emulator/README.md stays true: one row per behaviour the ECS model has
// (behaviours.ts), and the times it gives are the ones timings.ts makes, so a new tag or a changed
// duration cannot leave the README behind.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BEHAVIOURS } from '../../emulator/ecs/behaviours.js';
import * as T from '../../emulator/ecs/timings.js';

const readme = readFileSync(join(import.meta.dirname, '../../emulator/README.md'), 'utf8');

/** The rows of the first table under `## heading`, as trimmed cells (header and separator dropped). */
function tableUnder(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`emulator/README.md has no section ${heading}`);
  const end = readme.indexOf('\n## ', start + 1);
  const lines = readme.slice(start, end < 0 ? undefined : end).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows.slice(2);
}

/** 7 -> `7 s`, 182 -> `3 min 2 s`. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}
/** A range of seconds as the README writes it: `7–12 s`. */
const range = (minMs: number, maxMs: number): string => `${minMs / 1000}–${maxMs / 1000} s`;

describe('emulator/README.md image-tag table', () => {
  const rows = tableUnder('ECS rollout model');
  const byTag = new Map(rows.map((r) => [r[0]!.startsWith('any other') ? 'healthy' : r[0]!, r]));

  it('has one row per behaviour of the ECS model, and no other', () => {
    const expected = BEHAVIOURS.map((b) => (b === 'healthy' ? 'healthy' : `\`:${b}\``));
    expect([...byTag.keys()].sort()).toEqual([...expected].sort());
  });

  it('gives the times timings.ts makes', () => {
    const when = (tag: string): string => byTag.get(tag)![2]!;
    const running = [T.PROVISION_MS + T.PULL_MIN_MS, T.PROVISION_MS + T.PULL_MAX_MS] as const;
    expect(when('healthy')).toContain(`RUNNING at ${range(...running)}`);
    expect(when('healthy')).toContain(
      `healthy at ${range(running[0] + T.NO_HEALTHCHECK_GRACE_MS, running[1] + T.NO_HEALTHCHECK_GRACE_MS)}`,
    );
    const slowRunning = T.PROVISION_MS + T.SLOW_START_MS;
    expect(when('`:slow`')).toContain(`RUNNING at ${duration(slowRunning)}`);
    expect(when('`:slow`')).toContain(`healthy at ${duration(slowRunning + T.NO_HEALTHCHECK_GRACE_MS)}`);
    expect(when('`:pull-error`')).toContain(
      `STOPPED at ${range(
        T.PROVISION_MS + T.PULL_ERROR_MIN_MS + T.DEPROVISION_MS,
        T.PROVISION_MS + T.PULL_ERROR_MAX_MS + T.DEPROVISION_MS,
      )}`,
    );
    for (const [tag, after] of [
      ['`:crash`', T.CRASH_AFTER_MS],
      ['`:oom`', T.OOM_AFTER_MS],
    ] as const) {
      expect(when(tag)).toContain(
        `exits at ${range(running[0] + after, running[1] + after)} (${duration(after)} after RUNNING)`,
      );
      expect(when(tag)).toContain(`STOPPED ${duration(T.DEPROVISION_MS)} later`);
    }
    const unhealthyAfter =
      (T.HC_DEFAULT_START_PERIOD_S + T.HC_DEFAULT_INTERVAL_S * T.HC_DEFAULT_RETRIES) * 1000;
    expect(when('`:unhealthy`')).toContain(
      `defaults ${T.HC_DEFAULT_START_PERIOD_S} + ${T.HC_DEFAULT_INTERVAL_S} × ${T.HC_DEFAULT_RETRIES} s: at ${range(
        running[0] + unhealthyAfter,
        running[1] + unhealthyAfter,
      )}`,
    );
    expect(when('`:unhealthy`')).toContain(`STOPPED ${duration(T.STOP_GRACE_MS)} later`);
  });
});
