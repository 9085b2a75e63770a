// The job summary's preflight section: counts, one row per reference, pins, the execution role.
import { describe, expect, test } from '@jest/globals';
import { preflightSection } from '../../src/report/preflight.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.1';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('preflightSection', () => {
  test('nothing when preflight did not run; the reason when it was skipped', () => {
    expect(preflightSection(undefined)).toBe('');
    expect(preflightSection({ kind: 'skipped', why: 'preflight is false' })).toBe(
      '### Preflight\n\nSkipped: preflight is false.',
    );
  });

  test('what was checked, what was not and why, the pin with tag and digest, the role once', () => {
    const md = preflightSection({
      kind: 'done',
      durationMs: 250,
      checks: [
        {
          reference: { kind: 'image', container: 'web', path: 'containerDefinitions[0].image', value: IMAGE },
          status: 'found',
          note: DIGEST,
          digest: DIGEST,
          problems: [],
        },
        {
          reference: {
            kind: 'image',
            container: 'sidecar',
            path: 'containerDefinitions[1].image',
            value: 'nginx:1',
          },
          status: 'not-checked',
          note: 'not checked: Docker Hub (only private ECR registries are checked)',
          problems: [],
        },
      ],
      pins: [
        {
          container: 'web',
          path: 'containerDefinitions[0].image',
          from: IMAGE,
          to: `${IMAGE.replace(':1.1', '')}@${DIGEST}`,
        },
      ],
      executionRole: { arn: 'arn:aws:iam::123456789012:role/exec', neededFor: ['pulling ECR images'] },
    });
    expect(md).toContain('2 references checked in 0.25 s: 1 found, 0 missing or failed, 1 not checked.');
    expect(md).toContain(`| \`web\` | image | \`${IMAGE}\` | ✅ found: ${DIGEST} |`);
    expect(md).toContain(
      '| `sidecar` | image | `nginx:1` | ➖ not checked: Docker Hub (only private ECR registries are checked) |',
    );
    expect(md).toContain(`Pinned \`web\`: \`${IMAGE}\` → \``);
    expect(md).toContain(
      'Execution role `arn:aws:iam::123456789012:role/exec`: ECS needs it for pulling ECR images.',
    );
  });
});
