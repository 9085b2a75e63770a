// CodeDeploy's verdict, the bound of the wait, the default names and the description's cut.
import { describe, expect, it } from '@jest/globals';
import { deploymentGroupOf, ecsTargetId } from '../../src/codedeploy/names.js';
import { judgeCodeDeploy } from '../../src/codedeploy/verdict.js';
import { codeDeployWait } from '../../src/codedeploy/wait.js';
import { cutDescription } from '../../src/inputs/parse-codedeploy.js';
import { blueGreenGroup } from '../fakes/codedeploy.js';

const HOOKS = { AfterAllowTestTraffic: 'smoke-fail' };

describe('judgeCodeDeploy', () => {
  it('succeeded only at Succeeded', () => {
    for (const status of ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const) {
      expect(judgeCodeDeploy({ deploymentId: 'd-1', status }, undefined, {})).toEqual({ done: false });
    }
    expect(judgeCodeDeploy({ deploymentId: 'd-1', status: 'Succeeded' }, undefined, {})).toMatchObject({
      done: true,
      outcome: 'succeeded',
    });
  });

  it('rolled-back names the failing hook and its Lambda function', () => {
    const v = judgeCodeDeploy(
      {
        deploymentId: 'd-1',
        status: 'Failed',
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'x' },
        rollbackInfo: { rollbackDeploymentId: 'd-2' },
      },
      {
        lifecycleEvents: [
          { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
          {
            lifecycleEventName: 'AfterAllowTestTraffic',
            status: 'Failed',
            diagnostics: { message: 'Hook said no.' },
          },
        ],
      },
      HOOKS,
    );
    expect(v).toMatchObject({
      outcome: 'rolled-back',
      rollbackDeploymentId: 'd-2',
      cause: { failedEvent: { name: 'AfterAllowTestTraffic', hook: 'smoke-fail', message: 'Hook said no' } },
    });
    expect(v.done && v.reason).toBe(
      'CodeDeploy deployment d-1 failed and CodeDeploy rolled the service back (rollback deployment d-2): the AfterAllowTestTraffic hook (Lambda function smoke-fail) failed: Hook said no.',
    );
  });

  it('an alarm is named', () => {
    const v = judgeCodeDeploy(
      {
        deploymentId: 'd-1',
        status: 'Stopped',
        errorInformation: {
          code: 'ALARM_ACTIVE',
          message: 'Alarms went off. Activated alarms: web-5xx, web-latency',
        },
        rollbackInfo: { rollbackDeploymentId: 'd-2' },
      },
      undefined,
      {},
    );
    expect(v).toMatchObject({ outcome: 'rolled-back', cause: { alarm: 'web-5xx, web-latency' } });
  });

  it('failed without a rollback deployment; a manual stop says so', () => {
    expect(
      judgeCodeDeploy(
        {
          deploymentId: 'd-1',
          status: 'Failed',
          errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'No.' },
        },
        undefined,
        {},
      ),
    ).toMatchObject({ outcome: 'failed', reason: 'CodeDeploy deployment d-1 failed: ECS_UPDATE_ERROR: No.' });
    expect(
      judgeCodeDeploy(
        { deploymentId: 'd-1', status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } },
        undefined,
        {},
      ),
    ).toMatchObject({
      outcome: 'failed',
      reason: 'CodeDeploy deployment d-1 was stopped: it was stopped with StopDeployment.',
    });
  });
});

describe('codeDeployWait', () => {
  it('is wait-for-minutes plus the ready and termination waits, at most six hours', () => {
    expect(codeDeployWait(30, blueGreenGroup(10, 60))).toEqual({
      minutes: 100,
      readyMinutes: 10,
      terminationMinutes: 60,
      capped: false,
    });
    expect(codeDeployWait(30, blueGreenGroup(0, 2880))).toMatchObject({ minutes: 360, capped: true });
    // A group without the settings adds nothing (the official action computes NaN there).
    expect(codeDeployWait(7.5, {})).toMatchObject({ minutes: 7.5 });
  });
});

describe('names', () => {
  it('the official defaults, from names or ARNs', () => {
    expect(deploymentGroupOf({ cluster: 'prod' }, 'web')).toEqual({
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
    });
    expect(
      deploymentGroupOf(
        { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' },
        'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
      ),
    ).toEqual({ applicationName: 'AppECS-prod-web', deploymentGroupName: 'DgpECS-prod-web' });
    expect(
      deploymentGroupOf(
        { cluster: 'prod', codeDeployApplication: 'a', codeDeployDeploymentGroup: 'g' },
        'web',
      ),
    ).toEqual({
      applicationName: 'a',
      deploymentGroupName: 'g',
    });
    expect(ecsTargetId('default', 'web')).toBe('default:web');
  });

  it('a description over 512 characters is cut to 511 and …', () => {
    expect(cutDescription('x'.repeat(512))).toBe('x'.repeat(512));
    const cut = cutDescription('y'.repeat(513));
    expect(cut).toHaveLength(512);
    expect(cut).toBe(`${'y'.repeat(511)}…`);
  });
});
