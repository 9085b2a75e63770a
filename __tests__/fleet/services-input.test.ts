// `service` with several lines and `on-service-failure` (issue 13): one line is as before; several
// give every service with its cluster, in the order given; bad lines are named by number.
import { describe, expect, test } from '@jest/globals';
import { parseInputs } from '../../src/inputs/index.js';
import { ProblemsError, type Problem } from '../../src/lib/problems.js';
import type { DeployRequest } from '../../src/lib/request.js';

type Inputs = Record<string, string>;
const BASE: Inputs = { 'task-definition': 'ecs/web.json' };

const parse = (inputs: Inputs): DeployRequest => parseInputs((name) => ({ ...BASE, ...inputs })[name] ?? '');

function problemsOf(inputs: Inputs): [string | undefined, string][] {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems.map((p: Problem) => [p.input, p.message]);
    throw error;
  }
  throw new Error('expected a ProblemsError');
}

describe('service: several lines', () => {
  test('one line: service and cluster as always, and one entry in services', () => {
    const r = parse({ service: 'web', cluster: 'prod' });
    expect([r.service, r.cluster, r.services]).toEqual([
      'web',
      'prod',
      [{ cluster: 'prod', service: 'web' }],
    ]);
    expect(r.onServiceFailure).toBe('continue');
  });

  test.each([
    ['LF', 'web\napi\nworker'],
    ['CRLF', 'web\r\napi\r\nworker'],
    ['CR', 'web\rapi\rworker'],
  ])('%s line ends; blank lines and comments skipped', (_name, value) => {
    const r = parse({ service: `${value}\n\n# the scheduler is deployed elsewhere`, cluster: 'prod' });
    expect(r.services).toEqual([
      { cluster: 'prod', service: 'web' },
      { cluster: 'prod', service: 'api' },
      { cluster: 'prod', service: 'worker' },
    ]);
    expect(r.service).toBe('web');
  });

  test('cluster/name: a service of another cluster than the cluster input', () => {
    const r = parse({ service: 'web\nbatch/worker', cluster: 'prod' });
    expect(r.services).toEqual([
      { cluster: 'prod', service: 'web' },
      { cluster: 'batch', service: 'worker' },
    ]);
    expect(r.cluster).toBe('prod');
  });

  test('a single cluster/name line names the step cluster', () => {
    const r = parse({ service: 'batch/worker' });
    expect([r.service, r.cluster]).toEqual(['worker', 'batch']);
  });

  test('bad lines are named by number, each one', () => {
    expect(problemsOf({ service: 'web\nap i\nprod/', cluster: 'prod' })).toEqual([
      [
        'service',
        'line 2: "ap i" is not a service name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores.',
      ],
      [
        'service',
        'line 3: "" is not a service name or ARN; a name is 1 to 255 letters, digits, hyphens and underscores. A line is a service name or cluster/name.',
      ],
    ]);
  });

  test('a service listed twice (also as cluster/name of the same cluster) is a problem', () => {
    expect(problemsOf({ service: 'web\napi\nprod/web', cluster: 'prod' })).toEqual([
      ['service', 'line 3: service web of cluster prod is already listed on line 1; list each service once.'],
    ]);
    // The same name in another cluster is another service.
    expect(parse({ service: 'web\nother/web', cluster: 'prod' }).services).toHaveLength(2);
  });

  test('a cluster ARN and its name, a service ARN and its name, are the same service', () => {
    const clusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
    expect(problemsOf({ service: 'web\nprod/web', cluster: clusterArn })).toEqual([
      ['service', 'line 2: service web of cluster prod is already listed on line 1; list each service once.'],
    ]);
    const serviceArn = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
    expect(problemsOf({ service: `prod/web\n${serviceArn}`, cluster: clusterArn })).toEqual([
      ['service', 'line 2: service web of cluster prod is already listed on line 1; list each service once.'],
    ]);
    // A service ARN names its own cluster: the same name there is another service.
    const other = 'arn:aws:ecs:us-east-1:123456789012:service/staging/web';
    expect(parse({ service: `web\n${other}`, cluster: 'prod' }).services).toHaveLength(2);
  });
});

describe('on-service-failure', () => {
  test('continue (default) or rollback, any letter case', () => {
    expect(parse({ service: 'web\napi', 'on-service-failure': 'ROLLBACK' }).onServiceFailure).toBe(
      'rollback',
    );
  });

  test('anything else is a problem naming the input', () => {
    expect(problemsOf({ service: 'web\napi', 'on-service-failure': 'stop' })).toEqual([
      ['on-service-failure', '"stop" is not valid; use continue or rollback.'],
    ]);
  });

  test('needs a service', () => {
    expect(problemsOf({ 'on-service-failure': 'rollback' })).toEqual([
      ['on-service-failure', 'on-service-failure applies to a service deployment, but service is not set.'],
    ]);
  });
});
