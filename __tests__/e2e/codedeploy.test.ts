// CodeDeploy blue/green end to end: `node dist/index.js` against the emulator's CodeDeploy API and
// ECS task sets, for a service whose deployment controller is CODE_DEPLOY. Success, a rollback by
// a failing hook (named, once the rollback deployment succeeded), a rollback by an alarm (named), a
// timeout with rollback (meeting the deployment before it started), a group with an active
// deployment and a bad AppSpec refused before any write, wait-for-minutes above 360 capped, and a
// dry run that shows the AppSpec.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';

import { mutatingCalls, type EmulatorSeed } from '../../emulator/index.js';
import {
  codeDeploySeed,
  deployInputs,
  expectOutcome,
  runOf,
  runScenarios,
  SLOW_SPEED,
  succeeded,
  tdArn,
  type Scenario,
  type ScenarioRun,
} from './scenarios.js';

const FIXTURES = '__tests__/fixtures/e2e/codedeploy';

/** Service web on web:1 with the CODE_DEPLOY controller, its application and deployment group. */
function seed(termination = 1): EmulatorSeed {
  return codeDeploySeed({
    autoRollbackConfiguration: {
      enabled: true,
      events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'],
    },
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: termination,
      },
    },
  });
}

const writes = (run: ScenarioRun) => mutatingCalls(run.requests).map((r) => r.operation);

/** A deployment of web:1 in the service's group, made before the step runs; its id. */
async function startDeployment(endpoint: string): Promise<string> {
  const client = new CodeDeployClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const appSpecContent = {
      content: JSON.stringify({
        version: 0.0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: tdArn('web:1'),
                LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
              },
            },
          },
        ],
      }),
    };
    const out = await client.send(
      new CreateDeploymentCommand({
        applicationName: 'AppECS-prod-web',
        deploymentGroupName: 'DgpECS-prod-web',
        revision: { revisionType: 'AppSpecContent', appSpecContent },
      }),
    );
    return out.deploymentId!;
  } finally {
    client.destroy();
  }
}

const SCENARIOS: Scenario[] = [
  {
    name: 'success: CreateDeployment with the new revision, followed to Succeeded',
    seed: seed(),
    inputs: deployInputs('2.0', { 'codedeploy-appspec': 'examples/codedeploy/appspec.yaml' }),
    verify(run) {
      expectOutcome(run, 'succeeded', 0);
      const { outputs, log, summary } = run.result;
      expect(outputs['codedeploy-deployment-id']).toMatch(/^d-[A-Z0-9]+$/);
      expect(outputs['task-definition-arn']).toBe(tdArn('web:2'));
      // CodeDeploy deploys the service: no UpdateService.
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
      expect(succeeded(run.requests, 'GetDeploymentGroup')).toHaveLength(1);
      expect(run.service?.taskDefinition).toBe(tdArn('web:2'));
      expect(log).toContain('AfterAllowTestTraffic (hook: Lambda function web-smoke-test): Succeeded');
      expect(log).toMatch(/task sets: .*Green \(replacement\) 100% traffic/);
      expect(summary).toContain(
        `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${outputs['codedeploy-deployment-id']}?region=us-east-1`,
      );
      expect(summary).toContain(`"TaskDefinition": "${tdArn('web:2')}"`);
    },
  },
  {
    name: 'rolled-back: a failing hook is named',
    seed: seed(),
    inputs: deployInputs('2.0', { 'codedeploy-appspec': `${FIXTURES}/appspec-fail-hook.yaml` }),
    verify(run) {
      expectOutcome(run, 'rolled-back', 1);
      expect(run.result.log).toMatch(
        /AfterAllowTestTraffic hook \(Lambda function web-smoke-test-fail\) failed/,
      );
      expect(run.result.summary).toContain('CodeDeploy rolled the service back');
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
      // Said once the rollback deployment Succeeded, which the step followed.
      expect(run.result.log).toMatch(/Rollback deployment d-[A-Z0-9]+: Succeeded\./);
      expect(run.result.log).toMatch(/rollback deployment d-[A-Z0-9]+ succeeded/);
      expect(run.result.summary).toContain('production traffic is on the original task set');
      expect(run.result.summary).toMatch(/\| Blue \| PRIMARY \| 100% \|/);
    },
  },
  {
    name: 'timed-out: on-timeout rollback stops the deployment with rollback',
    seed: seed(0),
    // The slow hook takes five simulated minutes: 150 s at this speed, past the one-minute bound.
    speed: SLOW_SPEED,
    timeoutMs: 200_000,
    inputs: deployInputs('2.0', {
      'codedeploy-appspec': `${FIXTURES}/appspec-slow-hook.json`,
      'wait-for-minutes': '1',
      'on-timeout': 'rollback',
    }),
    verify(run) {
      expectOutcome(run, 'timed-out', 1);
      expect(writes(run)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'StopDeployment']);
      expect(run.result.log).toContain('waiting up to 1 minute(s)');
      expect(run.result.log).toMatch(/Stopped CodeDeploy deployment d-[A-Z0-9]+ with rollback/);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      // The first looks met the deployment still Created (no target yet), and the step went on.
      const targets = run.requests.filter((r) => r.operation === 'GetDeploymentTarget');
      expect(targets.map((r) => r.error)).toContain('DeploymentNotStartedException');
      expect(targets.some((r) => r.error === undefined)).toBe(true);
    },
  },
  {
    name: 'rolled-back: an alarm is named',
    seed: codeDeploySeed({
      alarmConfiguration: { enabled: true, alarms: [{ name: 'web-5xx-firing' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
      // The alarm goes off a simulated minute in, well before the termination wait ends.
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
    }),
    inputs: deployInputs('2.0', { 'codedeploy-appspec': 'examples/codedeploy/appspec.yaml' }),
    verify(run) {
      expectOutcome(run, 'rolled-back', 1);
      expect(run.result.log).toMatch(/alarm web-5xx-firing went into ALARM/);
      expect(run.service?.taskDefinition).toBe(tdArn('web:1'));
      // The failed deployment's task sets as the rollback left them: all traffic on the original.
      expect(run.result.summary).toMatch(/\| Blue \| PRIMARY \| 100% \|/);
      expect(run.result.summary).not.toMatch(/\| Green \|/);
    },
  },
  {
    name: 'a deployment group with an active deployment is refused before any write, naming it',
    // The ready wait keeps the deployment made in setup active (Ready) for two simulated hours.
    seed: codeDeploySeed({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 120 },
      },
    }),
    inputs: deployInputs('2.0', { 'codedeploy-appspec': 'examples/codedeploy/appspec.yaml' }),
    async setup({ emulator }) {
      return { active: await startDeployment(emulator.url) };
    },
    verify(run) {
      const { result } = run;
      expect(result.exitCode).toBe(1);
      expect(result.outputs.outcome).toBeUndefined();
      expect(run.notes.active).toMatch(/^d-[A-Z0-9]{9}$/);
      expect(writes(run)).toEqual([]);
      expect(succeeded(run.requests, 'ListDeployments')).toHaveLength(1);
      expect(result.log).toContain(
        `input 'codedeploy-deployment-group': Deployment group 'DgpECS-prod-web' of application 'AppECS-prod-web' already has an active deployment (${run.notes.active})`,
      );
    },
  },
  {
    name: 'wait-for-minutes above 360 is capped with a warning, as the official action does',
    seed: seed(),
    inputs: deployInputs('2.0', {
      'codedeploy-appspec': 'examples/codedeploy/appspec.yaml',
      'wait-for-minutes': '400',
      'dry-run': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'planned', 0);
      expect(run.result.log).toContain(
        '400 minutes is more than this action waits: the wait is capped at 360 minutes (six hours)',
      );
    },
  },
  {
    name: 'a bad AppSpec is refused before any write',
    seed: seed(),
    inputs: deployInputs('2.0', { 'codedeploy-appspec': `${FIXTURES}/appspec-bad.yaml` }),
    verify(run) {
      const { result } = run;
      expect(result.exitCode).toBe(1);
      expect(result.outputs.outcome).toBeUndefined();
      expect(writes(run)).toEqual([]);
      const file = `${FIXTURES}/appspec-bad.yaml`;
      expect(result.log).toContain(
        `file=${file},line=10,col=26::input 'codedeploy-appspec': ContainerName 'api' is not a container of the task definition (web)`,
      );
      expect(result.log).toContain('The hook of BeforeInstall must be a Lambda function name or ARN');
      expect(result.log).toContain('CODE_DEPLOY deployment controller');
    },
  },
  {
    name: 'dry run: the AppSpec is shown, nothing written',
    seed: seed(),
    inputs: deployInputs('2.0', {
      'codedeploy-appspec': 'examples/codedeploy/appspec.yaml',
      'dry-run': 'true',
    }),
    verify(run) {
      expectOutcome(run, 'planned', 0);
      expect(writes(run)).toEqual([]);
      expect(run.result.log).toContain('CodeDeploy AppSpec (dry run: not sent)');
      expect(run.result.summary).toContain('AppSpec (dry run: not sent)');
    },
  },
];

let runs: Map<string, PromiseSettledResult<ScenarioRun>> | undefined;

beforeAll(async () => {
  runs = await runScenarios(SCENARIOS, {}, 5);
}, 240_000);

describe('CodeDeploy blue/green', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
    scenario.verify(runOf(runs, name));
  });
});
