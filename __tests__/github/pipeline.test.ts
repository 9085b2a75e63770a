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
  T0,
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
      description: 'Deploy web:9 to ECS service web (cluster prod)',
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
    expect(github.made[0]).toEqual({ token: TOKEN, apiUrl: ENV.GITHUB_API_URL });
    expect(runner.outputs['github-deployment-id']).toBe('1');
  });

  it('in_progress is set only once the service update is made', async () => {
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
    expect(registeredWhenCreated).toBe(1);
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
