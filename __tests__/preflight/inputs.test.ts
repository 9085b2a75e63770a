// The preflight inputs: on by default; pin-image-digest and fail-on-scan-findings need it.
import { describe, expect, test } from '@jest/globals';
import { parseInputs } from '../../src/inputs/index.js';
import { ProblemsError } from '../../src/lib/problems.js';

const BASE = { 'task-definition': 'ecs/web.json', service: 'web' };
const parse = (inputs: Record<string, string>) => parseInputs((name) => inputs[name] ?? '');

function problemsOf(inputs: Record<string, string>): string[] {
  try {
    parse(inputs);
  } catch (err) {
    if (err instanceof ProblemsError) return err.problems.map((p) => `${p.input}: ${p.message}`);
    throw err;
  }
  throw new Error('expected ProblemsError');
}

describe('preflight inputs', () => {
  test('defaults: preflight on, no pinning, no scan gate', () => {
    const request = parse(BASE);
    expect(request.preflight).toBe(true);
    expect(request.pinImageDigest).toBe(false);
    expect(request.failOnScanFindings).toBeUndefined();
  });

  test('values, in any letter case', () => {
    const request = parse({
      ...BASE,
      preflight: 'TRUE',
      'pin-image-digest': 'true',
      'fail-on-scan-findings': 'high',
    });
    expect(request).toMatchObject({ preflight: true, pinImageDigest: true, failOnScanFindings: 'HIGH' });
    expect(parse({ ...BASE, preflight: 'false' }).preflight).toBe(false);
  });

  test('bad values, and pinning or the scan gate without preflight, are problems of their input', () => {
    expect(problemsOf({ ...BASE, 'fail-on-scan-findings': 'SEVERE' })).toEqual([
      'fail-on-scan-findings: "SEVERE" is not valid; use CRITICAL, HIGH, MEDIUM or LOW.',
    ]);
    expect(
      problemsOf({ ...BASE, preflight: 'false', 'pin-image-digest': 'true', 'fail-on-scan-findings': 'LOW' }),
    ).toEqual([
      expect.stringMatching(/^pin-image-digest: needs preflight/),
      expect.stringMatching(/^fail-on-scan-findings: needs preflight/),
    ]);
  });
});
