// The GitHub deployment record through the whole step, in-process: the stages of
// src/stages/pipeline.ts against the fake ECS world, runner and clock, with the fake GitHub port
// (__tests__/fakes/github.ts) recording what the step asked GitHub for.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type { JsonObject } from '../../src/lib/json.js';
import { runStep } from '../../src/stages/pipeline.js';
import { FakeClock } from '../fakes/clock.js';
import { fakeAws, mutatingCallsOf, operationsOf, type Timeline, type WorldAws } from '../fakes/ecs-world.js';
import { FakeGitHub } from '../fakes/github.js';
import { FakeRunner } from '../fakes/runner.js';
import {
  BREAKER_TRIPPED,
  NEW,
  OLD,
  SD_ARN,
  T0,
  at,
  event,
  newer,
  oldActive,
  ours,
  rollingBackReason,
  service,
  serviceDeployment,
} from '../rollout/ecs-fixtures.js';

const WEB: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, memory: 512 }],
};
const TOKEN = 'ghs_pipelineTestToken1234567890';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const DEPLOY = {
  cluster: 'prod',
  service: 'web',
  image: 'nginx:2',
  'github-environment': 'staging',
  'github-token': TOKEN,
};
const ENV = {
  GITHUB_REPOSITORY: 'acme/web',
  GITHUB_SHA: SHA,
  GITHUB_SERVER_URL: 'https://github.example.com',
  GITHUB_API_URL: 'https://github.example.com/api/v3',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
};
const RUN_URL = 'https://github.example.com/acme/web/actions/runs/4242';

const steady = (extra: Partial<Service> = {}): Service => ({
  ...service([oldActive({ status: 'PRIMARY' })]),
  ...extra,
});
const healthy: Timeline = [
  [0, service([ours(), oldActive()])],
  [10, service([ours({ runningCount: 1, pendingCount: 1 }), oldActive()])],
  [45, service([ours({ runningCount: 2, rolloutState: 'COMPLETED', rolloutStateReason: 'done' })])],
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

let aws: WorldAws;
let clock: FakeClock;
let github: FakeGitHub;

beforeEach(() => {
  clock = new FakeClock(T0.getTime());
  aws = fakeAws(clock);
  for (let i = 0; i < 8; i++) aws.world.seedTaskDefinition(WEB);
  aws.world.seedService(steady());
  github = new FakeGitHub();
});

async function step(
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; cancelAt?: number; noGitHub?: boolean } = {},
): Promise<FakeRunner> {
  const runner = new FakeRunner(inputs, {
    RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pipeline-gh-')),
    ...ENV,
    ...options.env,
  });
  const cancel = new AbortController();
  if (options.cancelAt !== undefined) {
    const when = T0.getTime() + options.cancelAt * 1000;
    clock.onSleep = (now) => {
      if (now >= when) cancel.abort();
    };
  }
  await runStep({
    aws,
    runner,
    clock,
    signal: cancel.signal,
    startedAt: clock.now(),
    ...(options.noGitHub ? {} : { github: github.factory }),
  });
  return runner;
}

describe('GitHub deployment record', () => {
  it('succeeded: one deployment of the commit, in_progress after UpdateService, then success, with the URLs', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ ...DEPLOY, 'environment-url': 'https://staging.example.com' });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(github.calls.map((c) => c.operation)).toEqual([
      'createDeployment',
      'createDeploymentStatus',
      'createDeploymentStatus',
    ]);
    expect(github.calls[0].input).toEqual({
      owner: 'acme',
      repo: 'web',
      ref: SHA,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      // Created before RegisterTaskDefinition: the family and "a new revision".
      description: 'Deploy a new revision of web to ECS service web (cluster prod)',
    });
    expect(github.states).toEqual(['in_progress', 'success']);
    for (const status of github.statuses) {
      expect(status).toMatchObject({
        owner: 'acme',
        repo: 'web',
        deployment_id: 1,
        log_url: RUN_URL,
        environment_url: 'https://staging.example.com',
      });
      expect(status.description.length).toBeLessThanOrEqual(140);
    }
    expect(github.statuses[0].description).toContain(NEW);
    expect(github.statuses[1].description).toMatch(/^Succeeded: /);
    // The final status names the revision the record could not name when it was created.
    expect(github.statuses[1].description).toMatch(/^Succeeded: web:9\. /);
    expect(github.made[0]).toEqual({ token: TOKEN, apiUrl: ENV.GITHUB_API_URL });
    expect(runner.outputs['github-deployment-id']).toBe('1');
  });

  it('the deployment is created before RegisterTaskDefinition; in_progress only once the service update is made', async () => {
    aws.world.timeline = healthy;
    let updatesWhenInProgress = -1;
    const create = github.createDeploymentStatus.bind(github);
    github.createDeploymentStatus = async (input) => {
      if (input.state === 'in_progress') updatesWhenInProgress = aws.ecs.callsOf('updateService').length;
      return create(input);
    };
    let registeredWhenCreated = -1;
    const createDeployment = github.createDeployment.bind(github);
    github.createDeployment = async (input) => {
      registeredWhenCreated = operationsOf(aws.ecs).filter((o) => o === 'RegisterTaskDefinition').length;
      return createDeployment(input);
    };
    await step(DEPLOY);
    expect(updatesWhenInProgress).toBe(1);
    // Right after the gate, before the first write (issue 13 review: a register failure left no record).
    expect(registeredWhenCreated).toBe(0);
  });

  it('rolled back: failure, and the description says it was rolled back', async () => {
    aws.world.timeline = rolledBack;
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(github.states).toEqual(['in_progress', 'failure']);
    expect(github.statuses[1].description).toMatch(/^Rolled back: /);
    expect(github.statuses[1].description.length).toBeLessThanOrEqual(140);
  });

  it('superseded: failure, and the description says so', async () => {
    aws.world.timeline = [
      [0, service([ours(), oldActive()])],
      [
        25,
        service([newer({ createdAt: at(25) }), ours({ status: 'ACTIVE' }), oldActive({ desiredCount: 0 })]),
      ],
    ];
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('superseded');
    expect(github.states).toEqual(['in_progress', 'failure']);
    expect(github.statuses[1].description).toMatch(/^Superseded/);
  });

  it('timed out: error (no verdict)', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(github.states).toEqual(['in_progress', 'error']);
    expect(github.statuses[1].description).toMatch(/^Timed out: /);
  });

  it('cancelled: error, written although the step was cancelled', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    const runner = await step(DEPLOY, { cancelAt: 10 });
    expect(runner.outputs.outcome).toBe('cancelled');
    expect(github.states).toEqual(['in_progress', 'error']);
  });

  it('AWS refuses UpdateService after the record exists: error, with the cause', async () => {
    aws.world.fail(
      'UpdateService',
      new AwsCallError('UpdateService was denied.', { kind: 'access-denied', operation: 'UpdateService' }),
    );
    const runner = await step(DEPLOY);
    expect(runner.failed).toMatch(/UpdateService was denied/);
    expect(github.states).toEqual(['error']);
    expect(github.statuses[0].description).toMatch(/^Error: UpdateService was denied/);
    expect(runner.outputs['github-deployment-id']).toBe('1');
  });

  it('a 403 from GitHub is a warning naming deployments: write; the deploy succeeds and GitHub is not asked again', async () => {
    aws.world.timeline = healthy;
    github.refuse = { status: 403 };
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.failed).toBeUndefined();
    expect(github.calls.map((c) => c.operation)).toEqual(['createDeployment']);
    const warnings = runner.texts('warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/403/);
    expect(warnings[0]).toContain('deployments: write');
    expect(runner.outputs['github-deployment-id']).toBeUndefined();
  });

  it('a 404 on a status is a warning naming the permission, and no later status is tried', async () => {
    aws.world.timeline = healthy;
    github.refuse = { operation: 'createDeploymentStatus', status: 404, message: 'Not Found' };
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(github.states).toEqual(['in_progress']);
    expect(runner.texts('warning').join('\n')).toContain('deployments: write');
  });

  it('another GitHub error is a warning too; the step goes on and still tries the verdict', async () => {
    aws.world.timeline = rolledBack;
    github.refuse = { operation: 'createDeploymentStatus', status: 502, message: 'Bad Gateway' };
    const runner = await step(DEPLOY);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(github.states).toEqual(['in_progress', 'failure']);
    expect(runner.texts('warning')).toHaveLength(2);
    expect(runner.texts('warning')[0]).toMatch(/502.*Bad Gateway/);
  });

  it('a dry run creates nothing and says what it would create', async () => {
    const runner = await step({ ...DEPLOY, 'dry-run': 'true' });
    expect(runner.outputs.outcome).toBe('planned');
    expect(github.calls).toEqual([]);
    expect(github.made).toEqual([]);
    expect(runner.texts('info').join('\n')).toMatch(
      /Dry run: would create a GitHub deployment of 0123456789ab.* "staging"/,
    );
  });

  it('without github-environment GitHub is never asked', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ cluster: 'prod', service: 'web', image: 'nginx:2', 'github-token': TOKEN });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(github.made).toEqual([]);
    expect(github.calls).toEqual([]);
    expect(runner.outputs['github-deployment-id']).toBeUndefined();
  });

  it('a bad input creates no record (the gate comes first)', async () => {
    const runner = await step({ ...DEPLOY, 'desired-count': '-1' });
    expect(runner.failed).toBeDefined();
    expect(github.calls).toEqual([]);
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
  });

  it('the token is masked and never printed', async () => {
    aws.world.timeline = healthy;
    github.refuse = { status: 401, message: 'Bad credentials' };
    const runner = await step(DEPLOY);
    expect(runner.secrets).toContain(TOKEN);
    expect(runner.log).not.toContain(TOKEN);
    expect(runner.summaries.join('\n')).not.toContain(TOKEN);
  });

  it('wait-for-service-stability false leaves the record in_progress', async () => {
    aws.world.timeline = healthy;
    const runner = await step({ ...DEPLOY, 'wait-for-service-stability': 'false' });
    expect(runner.outputs.outcome).toBe('started');
    expect(github.states).toEqual(['in_progress']);
    expect(runner.log).toMatch(/left in_progress/);
  });

  it('outside a workflow run (no GITHUB_SHA) the record is not made, with a warning; the deploy goes on', async () => {
    aws.world.timeline = healthy;
    const runner = await step(DEPLOY, { env: { GITHUB_SHA: '' } });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(github.calls).toEqual([]);
    expect(runner.texts('warning').join('\n')).toMatch(/GITHUB_SHA is not set/);
  });

  it('without a GitHub client in the context the record is not made, with a warning', async () => {
    aws.world.timeline = healthy;
    const runner = await step(DEPLOY, { noGitHub: true });
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(runner.texts('warning').join('\n')).toMatch(/not recorded/);
  });
});

describe('GitHub deployment record: what the review of issue 13 found', () => {
  it('rolled back on timeout (on-timeout rollback, completed): failure, the headline first', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    aws.world.serviceDeployments = [
      [0, serviceDeployment('IN_PROGRESS')],
      [70, serviceDeployment('ROLLBACK_SUCCESSFUL', { rollback: { reason: 'Stopped', startedAt: at(61) } })],
    ];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(aws.ecs.callsOf('stopServiceDeployment').map((c) => c.args[0])).toEqual([SD_ARN]);
    expect(github.states).toEqual(['in_progress', 'failure']);
    const final = github.statuses[1].description;
    expect(final).toMatch(/^Rolled back on timeout: web:9\. ECS rolled back; the rollback completed\. /);
    expect(final.length).toBeLessThanOrEqual(140);
  });

  it('timed out with on-timeout rollback whose rollback did not finish: still error (no verdict)', async () => {
    aws.world.timeline = [[0, service([ours(), oldActive()])]];
    aws.world.serviceDeployments = [[0, serviceDeployment('IN_PROGRESS')]];
    const runner = await step({ ...DEPLOY, 'wait-for-minutes': '1', 'on-timeout': 'rollback' });
    expect(runner.outputs.outcome).toBe('timed-out');
    expect(github.states).toEqual(['in_progress', 'error']);
    expect(github.statuses[1].description).toMatch(/^Timed out: /);
  });

  it('RegisterTaskDefinition refused: the record exists (created after the gate) and ends in error', async () => {
    aws.world.fail(
      'RegisterTaskDefinition',
      new AwsCallError('RegisterTaskDefinition was denied.', {
        kind: 'access-denied',
        operation: 'RegisterTaskDefinition',
      }),
    );
    const runner = await step(DEPLOY);
    expect(runner.failed).toMatch(/RegisterTaskDefinition was denied/);
    expect(github.calls.map((c) => c.operation)).toEqual(['createDeployment', 'createDeploymentStatus']);
    expect(github.calls[0].input).toMatchObject({
      description: 'Deploy a new revision of web to ECS service web (cluster prod)',
    });
    expect(github.states).toEqual(['error']);
    expect(github.statuses[0].description).toMatch(/^Error: RegisterTaskDefinition was denied/);
    expect(runner.outputs['github-deployment-id']).toBe('1');
    // The job summary of the failure has the record's line too.
    expect(runner.summaries[0]).toContain(
      '**GitHub deployment:** `1` in environment `staging`, final state `error`.',
    );
  });

  it('unchanged (nothing deployed, no UpdateService): no in_progress; success, "Unchanged", naming the reused revision', async () => {
    const runner = await step({ ...DEPLOY, image: '' });
    expect(runner.outputs.outcome).toBe('unchanged');
    expect(mutatingCallsOf(aws.ecs)).toEqual([]);
    expect(github.calls[0].input).toMatchObject({
      description: 'Deploy web:8 to ECS service web (cluster prod)',
    });
    expect(github.states).toEqual(['success']);
    expect(github.statuses[0].description).toMatch(/^Unchanged: /);
  });

  it('the job summary has one line for the record: id, environment and final state', async () => {
    aws.world.timeline = healthy;
    const runner = await step(DEPLOY);
    expect(runner.summaries[0]).toContain(
      '**GitHub deployment:** `1` in environment `staging`, final state `success`.',
    );
  });

  it('the job summary says why there is no record', async () => {
    aws.world.timeline = healthy;
    github.refuse = { status: 403 };
    const refused = await step(DEPLOY);
    expect(refused.summaries[0]).toMatch(/\*\*GitHub deployment:\*\* not recorded\. GitHub refused/);
    github = new FakeGitHub();
    const without = await step({ cluster: 'prod', service: 'web', image: 'nginx:2' });
    expect(without.summaries.join('\n')).not.toContain('GitHub deployment');
  });
});

describe('GitHub deployment record with several services', () => {
  const API_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/api';
  const asApi = (s: Service): Service => ({ ...s, serviceName: 'api', serviceArn: API_ARN });

  /** A second service, `api`, with its own timeline after its UpdateService (the world's is web's). */
  function seedApi(timeline: Timeline): void {
    aws.world.seedService(asApi(steady()));
    let updatedAt: number | undefined;
    const update = aws.ecs.script.updateService!;
    aws.ecs.script.updateService = async (input, ...rest) => {
      if (input.service !== 'api') return update(input, ...rest);
      updatedAt = clock.now();
      return asApi(timeline[0][1]);
    };
    const describe = aws.ecs.script.describeServices!;
    aws.ecs.script.describeServices = async (cluster, names, ...rest) => {
      const answer = await describe(cluster, names, ...rest);
      if (updatedAt === undefined) return answer;
      const elapsed = (clock.now() - updatedAt) / 1000;
      const now = [...timeline].reverse().find(([t]) => t <= elapsed)?.[1];
      return {
        ...answer,
        services: answer.services.map((s) => (s.serviceName === 'api' && now ? asApi(now) : s)),
      };
    };
  }

  const BOTH = { ...DEPLOY, service: 'web\napi' };

  it('one deployment for the step, naming both; success when every service succeeded', async () => {
    aws.world.timeline = healthy;
    seedApi(healthy);
    const runner = await step(BOTH);
    expect(runner.outputs.outcome).toBe('succeeded');
    expect(github.calls.filter((c) => c.operation === 'createDeployment')).toHaveLength(1);
    expect(github.calls[0].input).toMatchObject({
      description: 'Deploy a new revision of web to ECS services web, api (cluster prod)',
    });
    expect(github.states).toEqual(['in_progress', 'success']);
    expect(github.statuses[1].description).toMatch(/^Succeeded: /);
    // The revision deployed, named as with one service (issue 13).
    expect(github.statuses[1].description).toMatch(
      /^Succeeded: web:\d+\. All 2 services succeeded: web, api\.$/,
    );
    // in_progress names both ECS deployments, not only the first service's (this fake's api
    // answers with web's deployment id, so the two ids are the same here).
    expect(github.statuses[0].description).toMatch(
      /^Rolling out a new revision of web to web, api \(ECS deployments ecs-svc\/\d+, ecs-svc\/\d+\)$/,
    );
  });

  it("failure when one service failed although the other succeeded (the step's outcome)", async () => {
    aws.world.timeline = healthy;
    seedApi(rolledBack);
    const runner = await step(BOTH);
    expect(runner.outputs.outcome).toBe('rolled-back');
    expect(github.calls.filter((c) => c.operation === 'createDeployment')).toHaveLength(1);
    expect(github.states).toEqual(['in_progress', 'failure']);
    expect(github.statuses[1].description).toMatch(/^Rolled back: Service api: /);
  });
});
