// The whole step in-process: the stages of src/stages/pipeline.ts against the fake runner, clock
// and AWS (__tests__/fakes). One test per outcome and per failure before a verdict; the
// end-to-end suites (__tests__/e2e) run the same paths through dist/index.js and the emulator.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import {
  fakeAws,
  mutatingCallsOf,
  operationsOf,
  tdArn,
  type Timeline,
  type WorldAws,
} from '../fakes/ecs-world.js';
import { FakeRunner } from '../fakes/runner.js';
import {
  SD_ARN,
  serviceDeployment,
  BREAKER_TRIPPED,
  NEW,
  NEWER,
  OLD,
  T0,
  TD_NEW,
  TD_OLD,
  at,
  event,
  newer,
  oldActive,
  ours,
  rollingBackReason,
  service,
} from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
};
const DEPLOY = { cluster: 'prod', service: 'web', image: 'nginx:2' };

/** The service before the step: web:8 (TD_OLD), steady. */
const steady = (extra: Partial<Service> = {}): Service => ({
  ...service([oldActive({ status: 'PRIMARY' })]),
  ...extra,
});

const completed = service([
  ours({
    runningCount: 2,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${NEW} completed.`,
  }),
]);
const healthy: Timeline = [
  [0, service([ours(), oldActive()])],
  [10, service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()])],
  [45, completed],
];
const rolledBack: Timeline = [
  [0, service([ours({ failedTasks: 1 }), oldActive()])],
  [
    20,
    service([
      ours({ rolloutState: 'FAILED', rolloutStateReason: BREAKER_TRIPPED, failedTasks: 3 }),
      oldActive(),
    ]),
  ],
  [
    35,
    service(
      [
        oldActive({
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: rollingBackReason(OLD),
        }),
        ours({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason: BREAKER_TRIPPED,
          desiredCount: 0,
        }),
      ],
      { events: [event(34, `(service web) rolling back to deployment ${OLD}.`)] },
    ),
  ],
];

interface Step {
  runner: FakeRunner;
  aws: WorldAws;
  clock: FakeClock;
}

let aws: WorldAws;
let clock: FakeClock;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  // web:1 … web:8, so the next registration is web:9 (TD_NEW of the fixtures).
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService(steady());
});

async function step(inputs: Record<string, string>, options: { cancelAt?: number } = {}): Promise<Step> {
  const runner = new FakeRunner(inputs, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) });
  const cancel = new AbortController();
  if (options.cancelAt !== undefined) {
    const at = T0.getTime() + options.cancelAt * 1000;
    clock.onSleep = (now) => {
      if (now >= at) cancel.abort();
    };
  }
  await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
  return { runner, aws, clock };
}

function expectOutcome(s: Step, outcome: string, failed: boolean): void {
  expect(s.runner.outputs.outcome).toBe(outcome);
  if (failed) expect(s.runner.failed).toContain(`(outcome: ${outcome})`);
  else expect(s.runner.failed).toBeUndefined();
  expect(s.runner.summaries).toHaveLength(1);
}

describe('outcomes', () => {
  it('succeeded: registers, updates, follows to COMPLETED', async () => {
    aws.world.timeline = healthy;
    const s = await step(DEPLOY);
    expectOutcome(s, 'succeeded', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(s.runner.outputs).toMatchObject({
      'task-definition-arn': TD_NEW,
      'task-definition-revision': '9',
      'previous-task-definition-arn': TD_OLD,
      'deployment-id': NEW,
    });
    expect(s.runner.outputs['task-definition']).toMatch(/web-.*\.json$/);
    expect(s.runner.texts('info')).toContain(`Registered ${TD_NEW}.`);
    expect(s.runner.summaries[0]).toContain('Succeeded');
  });

  it('rolled-back: the circuit breaker rolled back; the step fails with the stopped tasks and their logs', async () => {
    aws.world.timeline = rolledBack;
    aws.world.stoppedTasks = [
      {
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/t1',
        startedBy: NEW,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        stoppedAt: at(15),
        containers: [{ name: 'app', exitCode: 1 }],
      },
    ];
    const s = await step(DEPLOY);
    expectOutcome(s, 'rolled-back', true);
    expect(s.runner.failed).toContain('Failed: rolled back');
    expect(s.runner.log).toContain('container app: exit code 1');
    expect(operationsOf(aws.ecs)).toContain('ListTasks');
  });

  it('failed: the breaker tripped with rollback off', async () => {
    aws.world.timeline = [
      [0, service([ours(), oldActive()], { rollback: false })],
      [
        20,
        service(
          [
            ours({ rolloutState: 'FAILED', rolloutStateReason: BREAKER_TRIPPED, failedTasks: 3 }),
            oldActive(),
          ],
          { rollback: false },
        ),
      ],
    ];
    const s = await step(DEPLOY);
    expectOutcome(s, 'failed', true);
  });

  it('superseded: a newer deployment of another revision replaced ours', async () => {
    aws.world.timeline = [
      [0, service([ours(), oldActive()])],
      [
        25,
        service([newer({ createdAt: at(25) }), ours({ status: 'ACTIVE' }), oldActive({ desiredCount: 0 })]),
      ],
    ];
    const s = await step(DEPLOY);
    expectOutcome(s, 'superseded', true);
    expect(s.runner.failed).toContain(NEWER);
  });

  it('timed-out: no verdict within wait-for-minutes; ECS goes on', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    const s = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expectOutcome(s, 'timed-out', true);
    expect(clock.now() - T0.getTime()).toBeGreaterThanOrEqual(60_000);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('cancelled: a cancel while following ends the step with where the deployment stood', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    const s = await step(DEPLOY, { cancelAt: 10 });
    expectOutcome(s, 'cancelled', true);
    expect(s.runner.outputs['deployment-id']).toBe(NEW);
  });

  it('timed-out with on-timeout rollback: ECS is asked to roll our deployment back, and the rollback followed', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    aws.world.serviceDeployments = [
      [0, serviceDeployment('IN_PROGRESS')],
      [
        70,
        serviceDeployment('ROLLBACK_SUCCESSFUL', {
          rollback: { reason: 'Stopped by the user', startedAt: at(61) },
        }),
      ],
    ];
    const s = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expectOutcome(s, 'timed-out', true);
    expect(aws.ecs.callsOf('stopServiceDeployment').map((c) => c.args.slice(0, 2))).toEqual([
      [SD_ARN, 'ROLLBACK'],
    ]);
    expect(s.runner.failed).toMatch(/roll/i);
  });

  it('timed-out because AWS could not be reached: the reason says so, with the last state and its time', async () => {
    aws.world.timeline = healthy;
    const describe = aws.ecs.script.describeService!;
    aws.ecs.script.describeService = async (...args) => {
      if (clock.now() - T0.getTime() < 5_000) return describe(...args);
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
        code: 'ECONNREFUSED',
        $metadata: {},
      });
    };
    const s = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expectOutcome(s, 'timed-out', true);
    expect(s.runner.failed).toMatch(/unreachable since \d\d:\d\d:\d\dZ/);
    expect(s.runner.failed).toMatch(/last seen IN_PROGRESS at \d\d:\d\d:\d\dZ/);
  });

  it('succeeded after another run replaced ours with an identical definition: its verdict, saying so', async () => {
    const other = tdArn('web', 10);
    aws.world.timeline = [
      [0, service([ours(), oldActive()])],
      [
        20,
        service([
          newer({ createdAt: at(20), taskDefinition: other }),
          ours({ status: 'ACTIVE' }),
          oldActive(),
        ]),
      ],
      [
        40,
        service([
          newer({
            createdAt: at(20),
            taskDefinition: other,
            runningCount: 2,
            rolloutState: 'COMPLETED',
            rolloutStateReason: `ECS deployment ${NEWER} completed.`,
          }),
        ]),
      ],
    ];
    // The other run registered the same definition as web:10.
    const register = aws.ecs.script.registerTaskDefinition!;
    aws.ecs.script.registerTaskDefinition = async (td, options) => {
      const mine = await register(td, options);
      aws.world.seedTaskDefinition(td);
      return mine;
    };
    const s = await step(DEPLOY);
    expectOutcome(s, 'succeeded', false);
    expect(s.runner.outputs['deployment-id']).toBe(NEW);
    expect(s.runner.log).toMatch(/another run/);
  });

  it('started: wait-for-service-stability false updates and stops', async () => {
    aws.world.timeline = healthy;
    const s = await step({ ...DEPLOY, 'wait-for-service-stability': 'false' });
    expectOutcome(s, 'started', false);
    expect(operationsOf(aws.ecs).filter((o) => o === 'DescribeServices')).toHaveLength(1);
  });

  it('unchanged: the service already runs an identical revision and is steady: nothing written', async () => {
    const s = await step({ cluster: 'prod', service: 'web' });
    expectOutcome(s, 'unchanged', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(s.runner.outputs['task-definition-arn']).toBe(TD_OLD);
  });

  it('unchanged: only a setting changes and ECS starts no deployment', async () => {
    const s = await step({ cluster: 'prod', service: 'web', 'desired-count': '3' });
    expectOutcome(s, 'unchanged', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['UpdateService']);
    expect(s.runner.failed).toBeUndefined();
    expect(s.runner.log).toContain('desired count 2 → 3');
  });

  it('unchanged: our revision is still rolling out from an earlier run and is followed, not updated again', async () => {
    aws.world.seedTaskDefinition({
      ...WEB,
      containerDefinitions: [{ ...(WEB.containerDefinitions as JsonObject[])[0], image: 'nginx:2' }],
    });
    aws.world.seedService(service([ours(), oldActive()]));
    const s = await step({ ...DEPLOY, 'wait-for-service-stability': 'false' });
    expectOutcome(s, 'unchanged', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(s.runner.outputs['deployment-id']).toBe(NEW);
  });

  it('planned: a dry run shows the diff and writes nothing', async () => {
    const s = await step({ ...DEPLOY, 'dry-run': 'true' });
    expectOutcome(s, 'planned', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(s.runner.log).toContain('nginx:2');
    expect(s.runner.outputs['task-definition-arn']).toBeUndefined();
  });

  it('registered: without a service the step registers and stops', async () => {
    const s = await step({ 'task-definition-family': 'web', image: 'nginx:2' });
    expectOutcome(s, 'registered', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition']);
    expect(s.runner.outputs['task-definition-arn']).toBe(tdArn('web', 9));
  });

  it('unchanged without a service: an identical revision is reused, nothing registered', async () => {
    const s = await step({ 'task-definition-family': 'web' });
    expectOutcome(s, 'unchanged', false);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('failures before a verdict', () => {
  function expectFailure(s: Step, message: RegExp): void {
    expect(s.runner.outputs.outcome).toBeUndefined();
    expect(s.runner.failed).toMatch(message);
    expect(s.runner.summaries[0]).toContain('Failed before a verdict');
  }

  it('bad inputs: every problem listed, nothing written', async () => {
    const s = await step({ ...DEPLOY, 'desired-count': 'many', 'on-timeout': 'sometimes' });
    expectFailure(s, /action inputs are not valid/);
    expect(s.runner.texts('error')).toHaveLength(2);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(s.runner.summaries[0]).toContain('Nothing was written to AWS.');
  });

  it('problems of different stages come out in one run: a bad input does not hide the template', async () => {
    aws.world.seedTaskDefinition({
      family: 'bad',
      containerDefinitions: [{ name: 'app', image: 'nginx:1', healthcheck: { command: ['true'] } }],
    });
    const s = await step({
      'task-definition-family': 'bad',
      'desired-count': 'many',
      cluster: 'prod',
      service: 'web',
    });
    expectFailure(s, /stopped before anything was written to AWS/);
    const errors = s.runner.lines.filter((l) => l.kind === 'error').map((l) => l.text);
    expect(errors.some((e) => e.includes("input 'desired-count'"))).toBe(true);
    expect(errors.some((e) => e.includes('healthcheck'))).toBe(true);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a service input with a problem is not looked up; the template is still checked', async () => {
    const s = await step({ 'task-definition-family': 'web', service: 'bad name!', image: 'nginx:2' });
    expectFailure(s, /action inputs are not valid/);
    expect(operationsOf(aws.ecs)).not.toContain('DescribeServices');
    expect(operationsOf(aws.ecs)).toContain('DescribeTaskDefinition');
  });

  it('a missing service stops the step before anything is registered', async () => {
    const s = await step({ ...DEPLOY, service: 'nope' });
    expectFailure(s, /Service 'nope' was not found/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a CODE_DEPLOY service without its AppSpec or CodeDeploy application is refused before anything is registered', async () => {
    aws.world.seedService(steady({ deploymentController: { type: 'CODE_DEPLOY' } }));
    // Issue 12: CodeDeploy deploys such a service; with no appspec.yaml and no application it cannot.
    aws.codedeploy.script.getDeploymentGroup = async () => ({ missing: 'application' });
    const s = await step(DEPLOY);
    expectFailure(s, /CODE_DEPLOY deployment controller/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a task definition family that does not exist is named with its input', async () => {
    const s = await step({ 'task-definition-family': 'nothing', image: 'nginx:2' });
    expectFailure(s, /before anything was written/);
    expect(s.runner.texts('error').join('\n')).toContain("input 'task-definition-family'");
  });

  it('a render that breaks ECS rules lists its problems and registers nothing', async () => {
    const s = await step({ ...DEPLOY, 'container-name': 'sidecar' });
    expectFailure(s, /nothing was registered|not valid|problem/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('registration refused: the cause is named, the service is untouched', async () => {
    aws.world.fail(
      'RegisterTaskDefinition',
      new AwsCallError('RegisterTaskDefinition was denied: ecs:RegisterTaskDefinition is not allowed.', {
        kind: 'access-denied',
        operation: 'RegisterTaskDefinition',
      }),
    );
    const s = await step(DEPLOY);
    expectFailure(s, /ecs:RegisterTaskDefinition/);
    expect(operationsOf(aws.ecs)).not.toContain('UpdateService');
  });

  it('UpdateService refused: the registered revision is still reported', async () => {
    aws.world.fail(
      'UpdateService',
      new AwsCallError('UpdateService was denied.', { kind: 'access-denied', operation: 'UpdateService' }),
    );
    const s = await step(DEPLOY);
    expectFailure(s, /UpdateService was denied/);
    expect(s.runner.outputs['task-definition-arn']).toBe(TD_NEW);
    expect(s.runner.summaries[0]).toContain('Registered `web:9`');
  });

  it('an error while following that is not transient ends the step, keeping the deployment id', async () => {
    aws.world.timeline = healthy;
    // The service check passes; once the service is updated, the credentials have expired.
    const describe = aws.ecs.script.describeService!;
    aws.ecs.script.describeService = async (...args) => {
      if (aws.ecs.callsOf('updateService').length === 0) return describe(...args);
      throw new AwsCallError('DescribeServices failed: the security token expired.', {
        kind: 'credentials-expired',
        operation: 'DescribeServices',
      });
    };
    const s = await step(DEPLOY);
    expectFailure(s, /security token expired/);
    expect(s.runner.outputs['deployment-id']).toBe(NEW);
    expect(s.runner.summaries[0]).toContain(`Deployment \`${NEW}\` had started`);
  });

  it('a template that does not exist is named, nothing written', async () => {
    const s = await step({ ...DEPLOY, 'task-definition': join(tmpdir(), 'no-such-template.json') });
    expectFailure(s, /before anything was written/);
    expect(s.runner.texts('error').join('\n')).toMatch(/no-such-template\.json.*does not exist/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a misspelt field in a template is refused at its line with the name meant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-template-'));
    const file = join(dir, 'web.json');
    writeFileSync(file, JSON.stringify({ ...WEB, taskRoleARN: 'arn:aws:iam::123456789012:role/x' }, null, 2));
    const s = await step({ ...DEPLOY, 'task-definition': file, 'container-name': 'app' });
    expectFailure(s, /breaks ECS rules/);
    const error = s.runner.lines.find((l) => l.kind === 'error' && l.text.includes('taskRoleARN'));
    expect(error?.text).toMatch(/taskRoleArn/);
    expect(error?.properties).toMatchObject({ file, startLine: expect.any(Number) });
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('the service check refused (access denied) names the IAM action, nothing written', async () => {
    aws.world.fail(
      'DescribeServices',
      new AwsCallError('DescribeServices was denied: ecs:DescribeServices is not allowed.', {
        kind: 'access-denied',
        operation: 'DescribeServices',
      }),
    );
    const s = await step(DEPLOY);
    expectFailure(s, /ecs:DescribeServices/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a cancel between registering and updating stops before the update, reporting the revision', async () => {
    const cancel = new AbortController();
    const register = aws.ecs.script.registerTaskDefinition!;
    aws.ecs.script.registerTaskDefinition = async (td, options) => {
      const out = await register(td, options);
      cancel.abort();
      return out;
    };
    const runner = new FakeRunner(DEPLOY, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) });
    await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
    expect(runner.failed).toMatch(/cancelled before updating service web/);
    expect(mutatingCallsOf(aws.ecs)).toEqual(['RegisterTaskDefinition']);
    expect(runner.outputs['task-definition-arn']).toBe(TD_NEW);
  });

  it('no region: the step says how to set one, after the inputs are checked', async () => {
    const runner = new FakeRunner(DEPLOY, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) });
    // As main.ts builds it: AWS is created on first use, so a missing region comes after the inputs.
    await runStep({
      get aws(): never {
        throw new Error('No AWS region: set AWS_REGION or AWS_DEFAULT_REGION.');
      },
      runner,
      clock,
      signal: new AbortController().signal,
      startedAt: clock.now(),
    });
    expect(runner.failed).toMatch(/No AWS region/);
    expect(runner.outputs.outcome).toBeUndefined();
  });

  it('a cancel before the first write stops the step there', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const runner = new FakeRunner(DEPLOY, { RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-')) });
    await runStep({ aws, runner, clock, signal: cancel.signal, startedAt: clock.now() });
    expect(runner.failed).toMatch(/cancelled before registering/);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });
});

describe('preflight', () => {
  const ECR_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2';

  it('a missing image stops the step before anything is registered, a dry run too', async () => {
    aws.ecr.script.describeImage = async () => ({ missing: 'image' });
    for (const inputs of [
      { ...DEPLOY, image: ECR_IMAGE },
      { ...DEPLOY, image: ECR_IMAGE, 'dry-run': 'true' },
    ]) {
      const s = await step(inputs);
      expect(s.runner.outputs.outcome).toBeUndefined();
      expect(s.runner.failed).toMatch(
        /^Preflight found .* nothing was written to AWS: 1 problem, each listed above\.$/,
      );
      expect(s.runner.texts('error').join('\n')).toContain(
        `Container 'app': image ${ECR_IMAGE} does not exist`,
      );
      expect(s.runner.summaries[0]).toContain('### Preflight');
    }
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('a denied check warns and the step deploys; the summary lists it as not checked', async () => {
    aws.world.timeline = healthy;
    aws.ecr.script.describeImage = async () => {
      throw new AwsCallError('denied', { kind: 'access-denied', operation: 'DescribeImages' });
    };
    const s = await step({ ...DEPLOY, image: ECR_IMAGE });
    expectOutcome(s, 'succeeded', false);
    expect(s.runner.texts('warning').join('\n')).toContain('ecr:DescribeImages');
    expect(s.runner.summaries[0]).toMatch(/### Preflight[\s\S]*not checked[\s\S]*### Warnings/);
  });

  it('preflight: false makes no preflight call', async () => {
    aws.world.timeline = healthy;
    const s = await step({ ...DEPLOY, image: ECR_IMAGE, preflight: 'false' });
    expectOutcome(s, 'succeeded', false);
    expect(aws.ecr.calls).toEqual([]);
    expect(s.runner.summaries[0]).toContain('Skipped: preflight is false.');
  });
});
