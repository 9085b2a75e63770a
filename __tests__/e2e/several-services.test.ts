// Several services in one step, end to end (issue 13): three services of cluster prod get one
// build; one fails and the others finish (on-service-failure continue) or are rolled back
// (rollback). The request log shows the followers polled together: DescribeServices calls that
// name several services, not one call per service.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { RequestLogEntry } from '../../emulator/index.js';
import {
  baseSeed,
  CLUSTER,
  deployInputs,
  expectOutcome,
  REGISTRY,
  runOf,
  runScenarios,
  serviceSeed,
  taskDefinitionWith,
  type Scenario,
  type ScenarioRun,
} from './scenarios.js';

const SERVICES = ['web', 'api', 'worker'];

interface ServicesOutput {
  [service: string]: {
    'deployment-id': string | null;
    outcome: string;
    'previous-task-definition-arn': string | null;
  };
}

function servicesOf(run: ScenarioRun): ServicesOutput {
  return JSON.parse(run.result.outputs.services ?? '{}') as ServicesOutput;
}

/** The DescribeServices calls made while following (after the first UpdateService), by the services each named. */
function polls(requests: RequestLogEntry[]): string[][] {
  const firstUpdate = requests.findIndex((r) => r.operation === 'UpdateService');
  return requests
    .slice(firstUpdate)
    .filter((r) => r.operation === 'DescribeServices')
    .map((r) => (r.target ?? '').split(','));
}

function expectBatchedPolling(run: ScenarioRun): void {
  const named = polls(run.requests);
  // The followers' polls went out together: calls naming all three services...
  expect(named.filter((n) => n.length === SERVICES.length).length).toBeGreaterThanOrEqual(1);
  expect(named.filter((n) => n.length > 1).length).toBeGreaterThanOrEqual(2);
  // ...and far fewer calls than one per service per poll would make.
  const servicePolls = named.reduce((sum, n) => sum + n.length, 0);
  expect(named.length).toBeLessThan(servicePolls);
  // ListServiceDeployments is not called per service: DescribeServices names each one's deployment.
  const lists = run.requests.filter((r) => r.operation === 'ListServiceDeployments');
  expect(lists.length).toBeLessThan(SERVICES.length);
}

const threeServices = (revisions = [taskDefinitionWith('1.0')], worker: Record<string, unknown> = {}) => {
  const seed = baseSeed({ revisions });
  seed.services = [
    serviceSeed(),
    serviceSeed({ serviceName: 'api' }),
    serviceSeed({ serviceName: 'worker', ...worker }),
  ];
  return seed;
};

const continueScenario: Scenario = {
  name: 'several services, continue: worker superseded while followed, web and api succeed',
  seed: threeServices(),
  inputs: deployInputs('1.1', { service: SERVICES.join('\n') }),
  during: {
    when: /Following deployment ecs-svc\/\S+ of service worker/,
    async act({ ecs }) {
      await ecs.send(
        // Another revision, not ours (so not followed on): ours is superseded.
        new UpdateServiceCommand({ cluster: CLUSTER, service: 'worker', taskDefinition: 'web:1' }),
      );
      return { superseded: 'worker' };
    },
  },
  verify(run) {
    expectOutcome(run, 'superseded', 1);
    const services = servicesOf(run);
    expect(Object.keys(services)).toEqual(SERVICES);
    expect(services.web.outcome).toBe('succeeded');
    expect(services.api.outcome).toBe('succeeded');
    expect(services.worker.outcome).toBe('superseded');
    for (const name of SERVICES) {
      expect(services[name]['deployment-id']).toMatch(/^ecs-svc\//);
      expect(services[name]['previous-task-definition-arn']).toMatch(/task-definition\/web:1$/);
    }
    // One registration for the three services.
    expect(run.requests.filter((r) => r.operation === 'RegisterTaskDefinition')).toHaveLength(1);
    expect(run.requests.filter((r) => r.operation === 'StopServiceDeployment')).toHaveLength(0);
    expectBatchedPolling(run);
    expect(run.result.summary).toContain('### Services');
    expect(run.result.summary).toMatch(/\| \[`worker`\].*superseded/);
  },
};

/**
 * The same step with on-service-failure rollback (issue 13): worker is superseded while followed,
 * and by then ECS has marked web's and api's deployments SUCCESSFUL or is about to (their followers
 * may not have seen it yet), so StopServiceDeployment may be refused (terminal state). Either way
 * web and api end on their previous revision, by a stop or an UpdateService back, and rolled-back.
 */
const continueRolledBackScenario: Scenario = {
  name: 'several services, rollback: worker superseded while followed, web and api end on their previous revision',
  // worker replaces one task at a time, so it is still rolling out when web and api have finished.
  seed: threeServices(undefined, {
    deploymentConfiguration: {
      minimumHealthyPercent: 50,
      maximumPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  }),
  inputs: deployInputs('1.1', { service: SERVICES.join('\n'), 'on-service-failure': 'rollback' }),
  during: {
    when: /Following deployment ecs-svc\/\S+ of service worker/,
    async act({ ecs }) {
      // ECS marks web's and api's deployments finished first; worker is superseded right after,
      // before (or as) their followers see it: StopServiceDeployment then meets a finished one.
      for (let tries = 0; tries < 600; tries++) {
        const out = await ecs.send(
          new DescribeServicesCommand({ cluster: CLUSTER, services: ['web', 'api'] }),
        );
        const done = (out.services ?? []).every((s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
        if (done) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await ecs.send(
        new UpdateServiceCommand({ cluster: CLUSTER, service: 'worker', taskDefinition: 'web:1' }),
      );
      return { superseded: 'worker' };
    },
  },
  timeoutMs: 120_000,
  verify(run) {
    const services = servicesOf(run);
    expect(services.worker.outcome).toBe('superseded');
    expect(services.web.outcome).toBe('rolled-back');
    expect(services.api.outcome).toBe('rolled-back');
    // The rule of services-outcome.ts: the first service, in the order given, that did not succeed.
    expectOutcome(run, 'rolled-back', 1);
    // ECS's final state: web and api back on web:1 (their previous revision), every deployment over.
    for (const name of ['web', 'api']) {
      const service = run.cluster[name];
      expect(service.taskDefinition).toMatch(/task-definition\/web:1$/);
      expect(service.deployments?.map((d) => d.status)).toEqual(['PRIMARY']);
      expect(service.deployments?.[0].rolloutState).toBe('COMPLETED');
    }
    // worker runs what the other deployment put there.
    expect(run.cluster.worker.taskDefinition).toMatch(/task-definition\/web:1$/);
    expect(run.result.log).not.toMatch(/web: .*left on web:2|api: .*left on web:2/);
    expect(run.result.summary).toMatch(/Rolled back because service worker was superseded/);
  },
};

/** worker runs its own revision: the app and an essential sidecar whose image cannot be pulled. */
function workerRevision(): Record<string, unknown> {
  const td = taskDefinitionWith('1.0') as { family: string; containerDefinitions: Record<string, unknown>[] };
  const sidecar = {
    ...td.containerDefinitions[0],
    name: 'sidecar',
    image: `${REGISTRY}/web:pull-error`,
    portMappings: [],
  };
  return { ...td, family: 'worker', containerDefinitions: [...td.containerDefinitions, sidecar] };
}

const rollbackScenario: Scenario = {
  name: 'several services, rollback: worker rendered from its own base fails (its sidecar), web and api rolled back',
  seed: threeServices([taskDefinitionWith('1.0'), workerRevision()], { taskDefinition: 'worker:1' }),
  inputs: {
    // No template: each service's base is what it runs; worker's differs in more than `web`.
    'container-name': 'web',
    image: `${REGISTRY}/web:slow`,
    cluster: CLUSTER,
    service: SERVICES.join('\r\n'),
    'on-service-failure': 'rollback',
  },
  timeoutMs: 120_000,
  verify(run) {
    expectOutcome(run, 'rolled-back', 1);
    const services = servicesOf(run);
    expect(services.worker.outcome).toBe('rolled-back');
    expect(services.web.outcome).toBe('rolled-back');
    expect(services.api.outcome).toBe('rolled-back');
    expect(services.worker['previous-task-definition-arn']).toMatch(/task-definition\/worker:1$/);
    // The shared revision and worker's own.
    const registered = run.requests.filter((r) => r.operation === 'RegisterTaskDefinition');
    expect(registered.map((r) => r.target).sort()).toEqual(['web', 'worker']);
    expect(run.result.log).toMatch(/Service worker runs worker:1, which differs .* registered on its own/);
    // web and api were still rolling out (:slow) when worker failed: both rolled back by the step.
    expect(
      run.requests.filter((r) => r.operation === 'StopServiceDeployment' && r.status === 200),
    ).toHaveLength(2);
    expect(run.result.log).toMatch(/web: rolling back ecs-svc\/\S+ because service worker rolled-back/);
    expectBatchedPolling(run);
  },
};

const SCENARIOS = [rollbackScenario, continueScenario, continueRolledBackScenario];
let runs: Map<string, PromiseSettledResult<ScenarioRun>> | undefined;

beforeAll(async () => {
  runs = await runScenarios(SCENARIOS, {}, 2);
}, 240_000);

describe('several services', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
    scenario.verify(runOf(runs, name));
  });
});
