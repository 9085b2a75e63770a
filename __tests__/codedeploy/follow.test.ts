// The follower over a scripted deployment and a fake clock: changes printed once each, a
// transient failure polled through, and the verdict within seconds of CodeDeploy's.
import { describe, expect, it } from '@jest/globals';
import { followCodeDeploy } from '../../src/codedeploy/follow.js';
import { ROLLBACK_INFO_GRACE_MS } from '../../src/codedeploy/rollback.js';
import { codeDeployWait } from '../../src/codedeploy/wait.js';
import { FakeClock } from '../fakes/clock.js';
import {
  blueGreenGroup,
  codeDeployWorld,
  DEPLOYMENT_ID,
  type CodeDeployTimeline,
  type CodeDeployWorldOptions,
} from '../fakes/codedeploy.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

async function follow(
  timeline: CodeDeployTimeline,
  script: (cd: ReturnType<typeof codeDeployWorld>) => void = () => {},
  world: CodeDeployWorldOptions = {},
) {
  const clock = new FakeClock(T0);
  const cd = codeDeployWorld(clock, timeline, blueGreenGroup(0, 0), world);
  script(cd);
  await cd.createDeployment({
    applicationName: 'a',
    deploymentGroupName: 'g',
    appSpec: { content: '{}', sha256: '' },
  });
  const lines: string[] = [];
  const warnings: string[] = [];
  const result = await followCodeDeploy(
    { codedeploy: cd, clock, log: { info: (l) => lines.push(l), warning: (l) => warnings.push(l) } },
    { deploymentId: DEPLOYMENT_ID, targetId: 'prod:web', hooks: { BeforeInstall: 'check' } },
    {
      wait: codeDeployWait(30, blueGreenGroup(0, 0)),
      waitForMinutes: 30,
      onTimeout: 'fail',
      signal: new AbortController().signal,
    },
  );
  return { result, lines, warnings, elapsed: clock.now() - T0 };
}

describe('followCodeDeploy', () => {
  it('prints each change once, and decides within seconds of Succeeded', async () => {
    const { result, lines, elapsed } = await follow([
      [
        0,
        {
          info: { status: 'InProgress' },
          target: { lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status: 'InProgress' }] },
        },
      ],
      [
        20,
        {
          info: { status: 'InProgress' },
          target: { lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status: 'Succeeded' }] },
        },
      ],
      [40, { info: { status: 'Ready' } }],
      [50, { info: { status: 'Succeeded' } }],
    ]);
    expect(result.outcome).toBe('succeeded');
    expect(elapsed).toBeGreaterThanOrEqual(50_000);
    expect(elapsed).toBeLessThanOrEqual(55_000);
    expect(lines.filter((l) => l.includes('BeforeInstall'))).toEqual([
      '  BeforeInstall (hook: Lambda function check): InProgress',
      '  BeforeInstall (hook: Lambda function check): Succeeded',
    ]);
    expect(lines.filter((l) => l.startsWith('CodeDeploy deployment'))).toEqual([
      `CodeDeploy deployment ${DEPLOYMENT_ID}: InProgress.`,
      `CodeDeploy deployment ${DEPLOYMENT_ID}: Ready, the replacement task set is up and waits for ContinueDeployment (the deployment group's ready wait, 0 minute(s)).`,
      `CodeDeploy deployment ${DEPLOYMENT_ID}: Succeeded.`,
    ]);
    // The last events CodeDeploy listed stay in the result when a later look has none.
    expect(result.lifecycleEvents).toMatchObject([
      { name: 'BeforeInstall', status: 'Succeeded', hook: 'check' },
    ]);
    expect(result.progress.map((p) => p.message)).toEqual(lines.slice(1));
  });

  it('polls through a throttled GetDeployment', async () => {
    let calls = 0;
    const { result, warnings } = await follow([[0, { info: { status: 'Succeeded' } }]], (cd) => {
      const real = cd.script.getDeployment!;
      cd.script.getDeployment = async (id, o) => {
        if (calls++ === 0)
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
            $metadata: { httpStatusCode: 400 },
          });
        return real(id, o);
      };
    });
    expect(result.outcome).toBe('succeeded');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Polling again');
  });

  it('a failure that will not clear ends the step', async () => {
    await expect(
      follow([[0, { info: { status: 'InProgress' } }]], (cd) => {
        cd.script.getDeployment = async () => {
          throw Object.assign(new Error('no'), {
            name: 'AccessDeniedException',
            $metadata: { httpStatusCode: 400 },
          });
        };
      }),
    ).rejects.toThrow(/codedeploy:GetDeployment/);
  });
});

const HOOK_FAILED = {
  status: 'Failed' as const,
  errorInformation: { code: 'HOOK_EXECUTION_FAILURE' as const, message: 'A hook failed.' },
};
const ROLLBACK = { rollbackInfo: { rollbackDeploymentId: 'd-RB0000001' } };
const notFound = (name: string) =>
  Object.assign(new Error('not there'), { name, $metadata: { httpStatusCode: 400 } });

describe('followCodeDeploy: the rollback deployment', () => {
  it('rolled-back only once the rollback deployment Succeeded', async () => {
    const { result, lines, elapsed } = await follow(
      [
        [0, { info: { status: 'InProgress' } }],
        [20, { info: { ...HOOK_FAILED, ...ROLLBACK } }],
      ],
      undefined,
      {
        rollback: [
          [0, { info: { status: 'Created' } }],
          [30, { info: { status: 'InProgress' } }],
          [60, { info: { status: 'Succeeded' } }],
        ],
      },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(elapsed).toBeGreaterThanOrEqual(60_000);
    expect(result.reason).toBe(
      `CodeDeploy deployment ${DEPLOYMENT_ID} failed and CodeDeploy rolled the service back (rollback deployment d-RB0000001 succeeded): HOOK_EXECUTION_FAILURE: A hook failed.`,
    );
    expect(result.rollback).toEqual({ deploymentId: 'd-RB0000001', status: 'Succeeded' });
    expect(lines).toContain('  Rollback deployment d-RB0000001: InProgress.');
    expect(lines).toContain('  Rollback deployment d-RB0000001: Succeeded.');
  });

  it('failed when the rollback failed too, saying so', async () => {
    const { result } = await follow([[0, { info: { ...HOOK_FAILED, ...ROLLBACK } }]], undefined, {
      rollback: [
        [
          10,
          {
            info: {
              status: 'Failed',
              errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'The original task set is gone.' },
            },
          },
        ],
      ],
    });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toContain('the rollback failed too');
    expect(result.reason).toContain(
      'rollback deployment d-RB0000001 failed: ECS_UPDATE_ERROR: The original task set is gone.',
    );
    expect(result.reason).not.toContain('rolled the service back');
    expect(result.rollback).toMatchObject({ status: 'Failed' });
  });

  it('timed-out, saying the rollback is in progress, when the deadline comes first', async () => {
    const { result, elapsed } = await follow([[0, { info: { ...HOOK_FAILED, ...ROLLBACK } }]], undefined, {
      rollback: [[0, { info: { status: 'InProgress' } }]],
    });
    expect(result.outcome).toBe('timed-out');
    expect(elapsed).toBe(30 * 60_000);
    expect(result.reason).toContain('CodeDeploy is rolling the service back');
    expect(result.reason).toContain('rollback deployment d-RB0000001 was still InProgress');
    expect(result.rollbackDeploymentId).toBe('d-RB0000001');
  });

  it('a rollback deployment not readable yet is looked at again', async () => {
    let calls = 0;
    const { result, warnings } = await follow([[0, { info: { ...HOOK_FAILED, ...ROLLBACK } }]], (cd) => {
      const real = cd.script.getDeployment!;
      cd.script.getDeployment = async (id, o) => {
        if (id !== DEPLOYMENT_ID && calls++ === 0) throw notFound('DeploymentDoesNotExistException');
        return real(id, o);
      };
    });
    expect(result.outcome).toBe('rolled-back');
    expect(warnings).toEqual([]);
  });
});

describe('followCodeDeploy: not yet', () => {
  const AUTO = { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE' as const] } };

  it('Failed without rollbackInfo while auto-rollback is on is looked at again, then rolled back', async () => {
    const { result } = await follow([
      [0, { info: { status: 'InProgress', ...AUTO } }],
      [20, { info: { ...HOOK_FAILED, ...AUTO } }],
      [26, { info: { ...HOOK_FAILED, ...AUTO, ...ROLLBACK } }],
    ]);
    expect(result.outcome).toBe('rolled-back');
    expect(result.rollbackDeploymentId).toBe('d-RB0000001');
  });

  it('... and failed when no rollback deployment comes within the grace', async () => {
    const { result, elapsed } = await follow([[0, { info: { ...HOOK_FAILED, ...AUTO } }]]);
    expect(result.outcome).toBe('failed');
    expect(elapsed).toBeGreaterThanOrEqual(ROLLBACK_INFO_GRACE_MS);
    expect(elapsed).toBeLessThan(ROLLBACK_INFO_GRACE_MS + 10_000);
  });

  it('Failed without auto-rollback is failed at once', async () => {
    const { result, elapsed } = await follow([[0, { info: HOOK_FAILED }]]);
    expect(result.outcome).toBe('failed');
    expect(elapsed).toBe(0);
  });

  it('DeploymentDoesNotExistException on the first looks is not yet; later it ends the step', async () => {
    let calls = 0;
    const { result, warnings } = await follow([[0, { info: { status: 'Succeeded' } }]], (cd) => {
      const real = cd.script.getDeployment!;
      cd.script.getDeployment = async (id, o) => {
        if (calls++ < 2) throw notFound('DeploymentDoesNotExistException');
        return real(id, o);
      };
    });
    expect(result.outcome).toBe('succeeded');
    expect(warnings).toEqual([]);
    await expect(
      follow([[0, { info: { status: 'InProgress' } }]], (cd) => {
        cd.script.getDeployment = async () => {
          throw notFound('DeploymentDoesNotExistException');
        };
      }),
    ).rejects.toThrow(/GetDeployment failed: DeploymentDoesNotExistException/);
  });

  it('a target not there yet (Created: DeploymentNotStartedException in the port) is waited for', async () => {
    const { result, lines } = await follow([
      [0, { info: { status: 'Created' } }],
      [
        5,
        {
          info: { status: 'InProgress' },
          target: { lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status: 'InProgress' }] },
        },
      ],
      [10, { info: { status: 'Succeeded' } }],
    ]);
    expect(result.outcome).toBe('succeeded');
    expect(lines).toContain(`CodeDeploy deployment ${DEPLOYMENT_ID}: Created.`);
  });
});
