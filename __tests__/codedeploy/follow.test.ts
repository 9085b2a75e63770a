// The follower over a scripted deployment and a fake clock: changes printed once each, a
// transient failure polled through, and the verdict within seconds of CodeDeploy's.
import { describe, expect, it } from '@jest/globals';
import { followCodeDeploy } from '../../src/codedeploy/follow.js';
import { codeDeployWait } from '../../src/codedeploy/wait.js';
import { FakeClock } from '../fakes/clock.js';
import {
  blueGreenGroup,
  codeDeployWorld,
  DEPLOYMENT_ID,
  type CodeDeployTimeline,
} from '../fakes/codedeploy.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

async function follow(
  timeline: CodeDeployTimeline,
  script: (cd: ReturnType<typeof codeDeployWorld>) => void = () => {},
) {
  const clock = new FakeClock(T0);
  const cd = codeDeployWorld(clock, timeline, blueGreenGroup(0, 0));
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
