// The pure parts of the ECS model: the breaker threshold (docs/ecs-behaviour.md, "Failure threshold"), the rolling-update
// bounds (docs/ecs-behaviour.md, "What starts a deployment"), and how an image reference picks a behaviour.
import { createHash } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { behaviourOf, imageTag, planTask } from '../../emulator/ecs/behaviours.js';
import {
  breakerSettings,
  breakerThreshold,
  maximumTasks,
  minimumHealthyTasks,
} from '../../emulator/ecs/breaker.js';
import { retryDelayMs } from '../../emulator/ecs/rollout.js';
import * as T from '../../emulator/ecs/timings.js';
import { mulberry32 } from '../../emulator/random.js';

describe('breakerThreshold', () => {
  it('is clamp(ceil(50% of desired), 3, 200) by default, as documented', () => {
    expect(breakerThreshold(1)).toBe(3);
    expect(breakerThreshold(6)).toBe(3);
    expect(breakerThreshold(7)).toBe(4);
    expect(breakerThreshold(25)).toBe(13);
    expect(breakerThreshold(400)).toBe(200);
    expect(breakerThreshold(800)).toBe(200);
    expect(breakerThreshold(0)).toBe(3);
  });

  it('supports BOUNDED_PERCENT with another value, UNBOUNDED_PERCENT and COUNT', () => {
    expect(breakerThreshold(30, { type: 'BOUNDED_PERCENT', value: 10 })).toBe(3); // not 4 from 3.0000000000000004
    expect(breakerThreshold(800, { type: 'UNBOUNDED_PERCENT', value: 50 })).toBe(400);
    expect(breakerThreshold(1, { type: 'UNBOUNDED_PERCENT', value: 50 })).toBe(1);
    expect(breakerThreshold(25, { type: 'COUNT', value: 7 })).toBe(7);
  });

  it('defaults resetOnHealthyTask to true', () => {
    expect(breakerSettings({ enable: true, rollback: false })).toEqual({
      enable: true,
      rollback: false,
      resetOnHealthyTask: true,
    });
    expect(breakerSettings(undefined).enable).toBe(false);
    expect(
      breakerSettings({ enable: true, rollback: true, resetOnHealthyTask: false }).resetOnHealthyTask,
    ).toBe(false);
  });
});

describe('rolling-update bounds', () => {
  it('rounds minimumHealthyPercent up and maximumPercent down', () => {
    expect(minimumHealthyTasks(3, 50)).toBe(2);
    expect(minimumHealthyTasks(1, 50)).toBe(1);
    expect(maximumTasks(3, 150)).toBe(4);
    expect(maximumTasks(1, 150)).toBe(1);
    expect(maximumTasks(2, 200)).toBe(4);
  });

  it('backs off launches exponentially up to the maximum', () => {
    expect([0, 1, 2, 3].map(retryDelayMs)).toEqual([
      0,
      T.RETRY_BASE_MS,
      2 * T.RETRY_BASE_MS,
      4 * T.RETRY_BASE_MS,
    ]);
    expect(retryDelayMs(50)).toBe(T.RETRY_MAX_MS);
  });
});

describe('behaviours from image tags', () => {
  it('reads the tag, not a registry port or a digest', () => {
    expect(imageTag('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:crash')).toBe('crash');
    expect(imageTag('localhost:5000/web')).toBeUndefined();
    expect(imageTag('localhost:5000/web:slow')).toBe('slow');
    expect(imageTag(`web@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });

  it('maps behaviour tags and treats anything else as healthy', () => {
    expect(behaviourOf('web:pull-error')).toBe('pull-error');
    expect(behaviourOf('web:unhealthy')).toBe('unhealthy');
    expect(behaviourOf('web:v1.2.3')).toBe('healthy');
    expect(behaviourOf('web')).toBe('healthy');
  });

  it('recognises a digest pinned from a behaviour tag (the emulator ECR digest of repo:tag)', () => {
    const digest = `sha256:${createHash('sha256').update('web:crash').digest('hex')}`;
    expect(behaviourOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${digest}`)).toBe('crash');
    expect(behaviourOf(`web@sha256:${'b'.repeat(64)}`)).toBe('healthy');
    expect(behaviourOf(`web@sha256:${'b'.repeat(64)}`, () => 'oom')).toBe('oom');
  });

  it('lets the essential container that fails first decide, and ignores non-essential failures', () => {
    const random = mulberry32(1);
    const plan = planTask(
      [
        { name: 'app', image: 'app:unhealthy', essential: true },
        { name: 'sidecar', image: 'sidecar:crash', essential: false },
        { name: 'worker', image: 'worker:oom', essential: true },
      ],
      random,
    );
    expect(plan.failure).toMatchObject({
      kind: 'exit',
      behaviour: 'oom',
      container: 'worker',
      exitCode: 137,
    });
    const pull = planTask(
      [
        { name: 'app', image: 'app:v1' },
        { name: 'log', image: 'log:pull-error', essential: false },
      ],
      random,
    );
    expect(pull.failure).toMatchObject({ kind: 'pull-error', container: 'log' });
  });

  it('counts a task healthy after startPeriod + interval with a health check, 40 s without', () => {
    const random = mulberry32(1);
    expect(planTask([{ name: 'a', image: 'a:v1' }], random).healthyAfterMs).toBe(40_000);
    const hc = planTask(
      [
        {
          name: 'a',
          image: 'a:v1',
          healthCheck: { command: ['CMD', 'true'], interval: 10, startPeriod: 20 },
        },
      ],
      random,
    );
    expect(hc).toMatchObject({ healthyAfterMs: 30_000, reportsHealth: true });
    const slow = planTask([{ name: 'a', image: 'a:slow' }], random);
    expect(slow.startMs).toBe(T.SLOW_START_MS);
  });
});
