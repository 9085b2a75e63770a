// The whole step in-process for a service whose deployment controller is CODE_DEPLOY: the stages
// of src/stages/pipeline.ts against the fake runner, clock, ECS world and a scripted CodeDeploy
// deployment (__tests__/fakes/codedeploy.ts). One test per outcome, per bound of the wait, and
// for each check that stops the step before anything is written.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import {
  blueGreenGroup,
  codeDeployWorld,
  DEPLOYMENT_ID,
  type CodeDeployTimeline,
  type CodeDeployWorldOptions,
} from '../fakes/codedeploy.js';
import { fakeAws, mutatingCallsOf, type WorldAws } from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import { oldActive, service, T0, TD_NEW } from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [
    { name: 'app', image: 'nginx:1', essential: true, memory: 512, portMappings: [{ containerPort: 80 }] },
  ],
};
const DEPLOY = { cluster: 'prod', service: 'web', image: 'nginx:2' };

const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "<TASK_DEFINITION>"
        LoadBalancerInfo:
          ContainerName: "app"
          ContainerPort: 80
Hooks:
  - AfterAllowTestTraffic: "check-web-fail"
`;

const hookFailed = {
  lifecycleEvents: [
    { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' as const },
    { lifecycleEventName: 'Install', status: 'Succeeded' as const },
    { lifecycleEventName: 'AfterInstall', status: 'Succeeded' as const },
    { lifecycleEventName: 'AllowTestTraffic', status: 'Succeeded' as const },
    {
      lifecycleEventName: 'AfterAllowTestTraffic',
      status: 'Failed' as const,
      diagnostics: { message: 'The hook returned Failed' },
    },
  ],
};

const shifting = (green: number) => ({
  taskSetsInfo: [
    {
      taskSetLabel: 'Blue' as const,
      status: 'PRIMARY',
      trafficWeight: 100 - green,
      desiredCount: 2,
      runningCount: 2,
    },
    {
      taskSetLabel: 'Green' as const,
      status: 'ACTIVE',
      trafficWeight: green,
      desiredCount: 2,
      runningCount: 2,
    },
  ],
});

const SUCCESS: CodeDeployTimeline = [
  [
    0,
    {
      info: { status: 'InProgress' },
      target: { lifecycleEvents: [{ lifecycleEventName: 'BeforeInstall', status: 'InProgress' }] },
    },
  ],
  [
    10,
    {
      info: { status: 'InProgress' },
      target: { ...shifting(0), lifecycleEvents: [{ lifecycleEventName: 'Install', status: 'Succeeded' }] },
    },
  ],
  [
    30,
    {
      info: { status: 'InProgress', instanceTerminationWaitTimeStarted: true },
      target: {
        ...shifting(100),
        lifecycleEvents: [{ lifecycleEventName: 'AfterAllowTraffic', status: 'Succeeded' }],
      },
    },
  ],
  [60, { info: { status: 'Succeeded' }, target: shifting(100) }],
];

const ROLLED_BACK: CodeDeployTimeline = [
  [0, { info: { status: 'InProgress' } }],
  [
    20,
    {
      info: {
        status: 'Failed',
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'A lifecycle hook failed.' },
        rollbackInfo: { rollbackDeploymentId: 'd-RB0000001', rollbackMessage: 'Rolled back' },
      },
      target: hookFailed,
    },
  ],
];

let aws: WorldAws;
let clock: FakeClock;
let workspace: string;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService({
    ...service([oldActive({ status: 'PRIMARY' })]),
    deploymentController: { type: 'CODE_DEPLOY' },
  });
  workspace = mkdtempSync(join(tmpdir(), 'codedeploy-'));
  writeFileSync(join(workspace, 'appspec.yaml'), APPSPEC);
});

function useCodeDeploy(
  timeline: CodeDeployTimeline,
  group = blueGreenGroup(0, 0),
  options: CodeDeployWorldOptions = {},
): void {
  aws.codedeploy = codeDeployWorld(clock, timeline, group, options);
}

async function step(inputs: Record<string, string>, options: { cancelAt?: number } = {}) {
  const runner = new FakeRunner(inputs, {
    RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')),
    GITHUB_WORKSPACE: workspace,
  });
  const cancel = new AbortController();
  if (options.cancelAt !== undefined) {
    const at = T0.getTime() + options.cancelAt * 1000;
    clock.onSleep = (now) => {
      if (now >= at) cancel.abort();
    };
  }
  await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
  return runner;
}

const createCalls = () => aws.codedeploy.callsOf('createDeployment');

describe('CodeDeploy blue/green: outcomes', () => {
  it('succeeded: registers, creates the CodeDeploy deployment with the new ARN, follows it to Succeeded', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step(DEPLOY);
    expect(runner.failed).toBeUndefined();
    expect(runner.outputs).toMatchObject({
      outcome: 'succeeded',
      'codedeploy-deployment-id': DEPLOYMENT_ID,
      'task-definition-arn': TD_NEW,
    });
    // No UpdateService: CodeDeploy deploys a CODE_DEPLOY service.
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition']);
    const [input] = createCalls()[0].args as [
      { applicationName: string; deploymentGroupName: string; appSpec: { content: string; sha256: string } },
    ];
    expect(input.applicationName).toBe('AppECS-prod-web');
    expect(input.deploymentGroupName).toBe('DgpECS-prod-web');
    const sent = JSON.parse(input.appSpec.content);
    expect(sent.Resources[0].TargetService.Properties.TaskDefinition).toBe(TD_NEW);
    expect(sent.Hooks).toEqual([{ AfterAllowTestTraffic: 'check-web-fail' }]);
    expect(input.appSpec.sha256).toBe(createHash('sha256').update(input.appSpec.content).digest('hex'));
    const log = runner.texts('info').join('\n');
    expect(log).toContain('Install: Succeeded');
    expect(log).toMatch(
      /task sets: Blue \(original\) 0% traffic, 2\/2 running; Green \(replacement\) 100% traffic/,
    );
    expect(log).toContain('termination wait');
    expect(runner.summaries[0]).toContain(
      `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${DEPLOYMENT_ID}?region=us-east-1`,
    );
    expect(runner.summaries[0]).toContain('AppSpec sent to CodeDeploy');
  });

  it('succeeded only at Succeeded: the termination wait is waited out', async () => {
    useCodeDeploy(SUCCESS);
    await step(DEPLOY);
    // The last look is at or after the 60 s mark, when CodeDeploy says Succeeded.
    expect(clock.now() - T0.getTime()).toBeGreaterThanOrEqual(60_000);
  });

  it('rolled-back: a failing hook is named with its Lambda function', async () => {
    useCodeDeploy(ROLLED_BACK);
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(runner.failed).toMatch(/AfterAllowTestTraffic hook \(Lambda function check-web-fail\) failed/);
    expect(runner.failed).toContain('d-RB0000001');
    expect(runner.summaries[0]).toContain('CodeDeploy rolled the service back');
  });

  it('rolled-back: an alarm is named', async () => {
    useCodeDeploy([
      [0, { info: { status: 'InProgress' } }],
      [
        40,
        {
          info: {
            status: 'Stopped',
            errorInformation: {
              code: 'ALARM_ACTIVE',
              message: 'One or more alarms have been activated. Activated alarms: web-5xx-firing',
            },
            rollbackInfo: { rollbackDeploymentId: 'd-RB0000002' },
          },
        },
      ],
    ]);
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(runner.failed).toContain('alarm web-5xx-firing went into ALARM');
  });

  it('failed: no rollback deployment', async () => {
    useCodeDeploy([
      [0, { info: { status: 'InProgress' } }],
      [
        15,
        {
          info: {
            status: 'Failed',
            errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'Tasks failed to start.' },
          },
        },
      ],
    ]);
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('failed');
    expect(runner.failed).toContain('ECS_UPDATE_ERROR: Tasks failed to start');
  });

  it('started: wait-for-service-stability false does not follow', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step({ ...DEPLOY, 'wait-for-service-stability': 'false' });
    expect(runner.outputs.outcome).toBe('started');
    expect(runner.outputs['codedeploy-deployment-id']).toBe(DEPLOYMENT_ID);
    expect(aws.codedeploy.callsOf('getDeployment')).toEqual([]);
  });

  it('cancelled: a workflow cancel ends the follow, CodeDeploy goes on', async () => {
    useCodeDeploy([[0, { info: { status: 'InProgress' } }]]);
    const runner = await step(DEPLOY, { cancelAt: 20 });
    expect(runner.outputs.outcome).toBe('cancelled');
    expect(runner.failed).toContain('CodeDeploy goes on with the deployment');
    expect(aws.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });
});

describe('CodeDeploy blue/green: the bounded wait', () => {
  const stuck: CodeDeployTimeline = [[0, { info: { status: 'InProgress' } }]];

  it('timed-out with on-timeout rollback: StopDeployment with autoRollbackEnabled', async () => {
    useCodeDeploy(stuck);
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(aws.codedeploy.callsOf('stopDeployment').map((c) => c.args[0])).toEqual([
      { deploymentId: DEPLOYMENT_ID, autoRollbackEnabled: true },
    ]);
    expect(runner.failed).toContain('Stopped CodeDeploy deployment');
    expect(runner.failed).toContain('d-ROLLBACK1');
  });

  it('timed-out without rollback: CodeDeploy goes on, nothing stopped', async () => {
    useCodeDeploy(stuck);
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(aws.codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(clock.now() - T0.getTime()).toBeLessThan(2 * 60_000);
  });

  it('is wait-for-minutes plus the ready and termination waits', async () => {
    useCodeDeploy(stuck, blueGreenGroup(10, 60));
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '30' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.texts('info').join('\n')).toContain('waiting up to 100 minute(s)');
    const elapsed = clock.now() - T0.getTime();
    expect(elapsed).toBeGreaterThanOrEqual(100 * 60_000);
    expect(elapsed).toBeLessThan(101 * 60_000);
  });

  it('is at most six hours', async () => {
    useCodeDeploy(stuck, blueGreenGroup(0, 2880));
    const runner = await step(DEPLOY);
    expect(runner.texts('info').join('\n')).toContain('waiting up to 360 minute(s)');
  });
});

describe('CodeDeploy blue/green: checked before anything is written', () => {
  it('an AppSpec whose container and port are not in the task definition stops the step, naming file and line', async () => {
    useCodeDeploy(SUCCESS);
    writeFileSync(join(workspace, 'appspec.yaml'), APPSPEC.replace('"app"', '"api"').replace('80', '8080'));
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.failed).toContain('CODE_DEPLOY');
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain("ContainerName 'api' is not a container of the task definition");
    expect(runner.lines.find((l) => l.kind === 'error')?.properties).toMatchObject({
      file: 'appspec.yaml',
      startLine: 8,
    });
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(createCalls()).toEqual([]);
  });

  it('a bad shape and a hook that is not a Lambda function are all listed', async () => {
    useCodeDeploy(SUCCESS);
    writeFileSync(
      join(workspace, 'my-appspec.json'),
      JSON.stringify(
        {
          version: 0.0,
          Resources: [
            {
              TargetService: {
                Type: 'AWS::ECS::Service',
                Properties: { TaskDefinition: 'x', LoadBalancerInfo: { ContainerName: 'app' } },
              },
            },
          ],
          Hooks: [{ BeforeInstall: 'not a function!' }, { AllowTraffic: 'fn' }],
        },
        null,
        2,
      ),
    );
    const runner = await step({ ...DEPLOY, 'codedeploy-appspec': 'my-appspec.json' });
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain('LoadBalancerInfo must include ContainerPort');
    expect(errors).toContain('The hook of BeforeInstall must be a Lambda function name or ARN');
    expect(errors).toContain('AllowTraffic is run by CodeDeploy itself');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(createCalls()).toEqual([]);
  });

  it('a missing AppSpec file is named with its input', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step({ ...DEPLOY, 'codedeploy-appspec': 'deploy/appspec.yml' });
    expect(runner.texts('error').join('\n')).toContain(
      "The AppSpec file 'deploy/appspec.yml' does not exist",
    );
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a missing deployment group is named with its input and the default name', async () => {
    useCodeDeploy(SUCCESS);
    aws.codedeploy.script.getDeploymentGroup = async () => ({ missing: 'deployment-group' });
    const runner = await step(DEPLOY);
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain("input 'codedeploy-deployment-group'");
    expect(errors).toContain("has no deployment group 'DgpECS-prod-web'");
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a deployment configuration that does not exist is refused', async () => {
    useCodeDeploy(SUCCESS);
    aws.codedeploy.script.getDeploymentConfig = async () => undefined;
    const runner = await step({ ...DEPLOY, 'codedeploy-deployment-config': 'CodeDeployDefault.Nope' });
    expect(runner.texts('error').join('\n')).toContain(
      "no deployment configuration 'CodeDeployDefault.Nope'",
    );
    expect(createCalls()).toEqual([]);
  });
});

describe('CodeDeploy blue/green: inputs and the plan', () => {
  it('sends the application, group, configuration and the description cut to 512 characters', async () => {
    useCodeDeploy(SUCCESS);
    await step({
      ...DEPLOY,
      'codedeploy-application': 'my-app',
      'codedeploy-deployment-group': 'my-group',
      'codedeploy-deployment-config': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      'codedeploy-deployment-description': 'x'.repeat(600),
    });
    const [input] = createCalls()[0].args as [Record<string, string>];
    expect(input).toMatchObject({
      applicationName: 'my-app',
      deploymentGroupName: 'my-group',
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    });
    expect(input.description).toHaveLength(512);
    expect(input.description.endsWith(`${'x'.repeat(511)}…`)).toBe(true);
  });

  it('dry run: the AppSpec is shown in the plan and nothing is written', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step({ ...DEPLOY, 'dry-run': 'true' });
    expect(runner.outputs.outcome).toBe('planned');
    expect(createCalls()).toEqual([]);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(runner.texts('info').join('\n')).toContain(
      '"TaskDefinition": "<the revision this step registers>"',
    );
    expect(runner.summaries[0]).toContain('AppSpec (dry run: not sent)');
  });

  it('warns that the UpdateService inputs are not applied', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step({ ...DEPLOY, 'desired-count': '3' });
    expect(runner.texts('warning').join('\n')).toContain('desired-count is not applied');
    expect(runner.outputs.outcome).toBe('succeeded');
  });
});

describe('CodeDeploy blue/green: around it', () => {
  it('an ECS service never reaches CodeDeploy; codedeploy-* inputs set for it are warned about', async () => {
    aws.world.seedService(service([oldActive({ status: 'PRIMARY' })]));
    const runner = await step({ ...DEPLOY, 'codedeploy-application': 'my-app', 'dry-run': 'true' });
    expect(runner.failed).toBeUndefined();
    expect(runner.outputs.outcome).toBe('planned');
    expect(aws.codedeploy.calls).toEqual([]);
    expect(runner.texts('warning').join('\n')).toContain(
      'codedeploy-application has no effect: the service uses the ECS deployment controller, not CODE_DEPLOY.',
    );
  });

  it('a failure after CreateDeployment reports the deployment and its output', async () => {
    useCodeDeploy(SUCCESS);
    aws.codedeploy.script.getDeployment = async () => {
      throw Object.assign(new Error('no'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
    };
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBeUndefined();
    expect(runner.outputs['codedeploy-deployment-id']).toBe(DEPLOYMENT_ID);
    expect(runner.failed).toContain('codedeploy:GetDeployment');
    expect(runner.summaries[0]).toContain(
      `Deployment \`${DEPLOYMENT_ID}\` had started; CodeDeploy carries on with it.`,
    );
  });

  it('codedeploy-* inputs without a service are refused', async () => {
    const runner = await step({
      image: 'nginx:2',
      'task-definition-family': 'web',
      'codedeploy-application': 'a',
    });
    expect(runner.texts('error').join('\n')).toContain(
      'codedeploy-application applies to a service deployment, but service is not set.',
    );
  });
});

describe('CodeDeploy blue/green: what the review of issue 12 found', () => {
  it('rolled-back is said once the rollback deployment Succeeded, and the summary says traffic is back', async () => {
    useCodeDeploy(ROLLED_BACK, undefined, {
      rollback: [
        [20, { info: { status: 'InProgress' } }],
        [50, { info: { status: 'Succeeded' } }],
      ],
    });
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(clock.now() - T0.getTime()).toBeGreaterThanOrEqual(50_000);
    expect(runner.failed).toContain('rollback deployment d-RB0000001 succeeded');
    expect(runner.summaries[0]).toContain('production traffic is on the original task set');
    expect(aws.codedeploy.callsOf('getDeployment').map((c) => c.args[0])).toContain('d-RB0000001');
  });

  it('a rollback that fails too: outcome failed, and the summary does not claim traffic is back', async () => {
    useCodeDeploy(ROLLED_BACK, undefined, {
      rollback: [[30, { info: { status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR' } } }]],
    });
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('failed');
    expect(runner.failed).toContain('the rollback failed too');
    expect(runner.failed).toContain('AfterAllowTestTraffic hook (Lambda function check-web-fail) failed');
    expect(runner.summaries[0]).toContain('the rollback failed too');
    expect(runner.summaries[0]).not.toContain('production traffic is on the original task set');
  });

  it('a rollback still going at the deadline: timed-out, saying the rollback is in progress', async () => {
    useCodeDeploy(ROLLED_BACK, undefined, { rollback: [[0, { info: { status: 'InProgress' } }]] });
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.failed).toContain('CodeDeploy is rolling the service back');
    expect(runner.summaries[0]).toContain('CodeDeploy is rolling the service back');
    expect(runner.summaries[0]).not.toContain('production traffic is on the original task set');
  });

  it('a group with an active deployment is a problem in the gate, naming it, before anything is written', async () => {
    useCodeDeploy(SUCCESS, undefined, { active: ['d-BUSY00001'] });
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBeUndefined();
    const errors = runner.texts('error').join('\n');
    expect(errors).toContain(
      "input 'codedeploy-deployment-group': Deployment group 'DgpECS-prod-web' of application 'AppECS-prod-web' already has an active deployment (d-BUSY00001)",
    );
    expect(aws.codedeploy.callsOf('listActiveDeployments').map((c) => c.args[0])).toEqual([
      { applicationName: 'AppECS-prod-web', deploymentGroupName: 'DgpECS-prod-web' },
    ]);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(createCalls()).toEqual([]);
  });

  it('deployment-id is never a CodeDeploy id, also when the step fails after CreateDeployment', async () => {
    useCodeDeploy(SUCCESS);
    aws.codedeploy.script.getDeployment = async () => {
      throw Object.assign(new Error('no'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
    };
    const failed = await step(DEPLOY);
    expect(failed.outputs['codedeploy-deployment-id']).toBe(DEPLOYMENT_ID);
    expect(failed.outputs['deployment-id']).toBeUndefined();
    useCodeDeploy(SUCCESS);
    const ok = await step(DEPLOY);
    expect(ok.outputs['codedeploy-deployment-id']).toBe(DEPLOYMENT_ID);
    expect(ok.outputs['deployment-id']).toBeUndefined();
  });

  it('wait-for-minutes above 360 is capped at 360 with a warning, not refused', async () => {
    useCodeDeploy([[0, { info: { status: 'InProgress' } }]]);
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '400' });
    expect(runner.texts('warning').join('\n')).toContain('the wait is capped at 360 minutes (six hours)');
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(runner.texts('info').join('\n')).toContain('waiting up to 360 minute(s)');
  });

  it('service-managed-ebs-volume(-name) are warned about: CodeDeploy does not apply them', async () => {
    useCodeDeploy(SUCCESS);
    const runner = await step({
      ...DEPLOY,
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': '{"roleArn":"arn:aws:iam::123456789012:role/ecs-ebs"}',
    });
    const warnings = runner.texts('warning').join('\n');
    expect(warnings).toContain('service-managed-ebs-volume is not applied: the service uses the CODE_DEPLOY');
    expect(warnings).toContain('service-managed-ebs-volume-name is not applied');
  });
});
