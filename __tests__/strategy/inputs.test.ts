// The blue/green inputs: parsed in the API's words, with their ranges, and the rules between them
// and the other inputs (a continue step deploys nothing).
import { describe, expect, test } from '@jest/globals';
import { readInputs } from '../../src/inputs/index.js';
import { SD_ARN } from '../rollout/ecs-fixtures.js';

function read(inputs: Record<string, string>) {
  return readInputs((name) => inputs[name] ?? '', { region: 'us-east-1' });
}
const messages = (inputs: Record<string, string>) =>
  read(inputs).problems.map((p) => `${p.input}: ${p.message}`);

describe('strategy inputs', () => {
  test('parsed in the API words, any letter case', () => {
    const { request, problems } = read({
      service: 'web',
      'deployment-strategy': 'canary',
      'bake-time-in-minutes': '5',
      'canary-percent': '10.5',
      'canary-bake-time-in-minutes': '2',
      'wait-until-stage': 'post_test_traffic_shift',
      'continue-on-pause': 'true',
    });
    expect(problems).toEqual([]);
    expect(request).toMatchObject({
      deploymentStrategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryPercent: 10.5,
      canaryBakeTimeInMinutes: 2,
      waitUntilStage: 'POST_TEST_TRAFFIC_SHIFT',
      continueOnPause: true,
    });
  });

  test('a request without them has none of their fields', () => {
    const { request } = read({ service: 'web' });
    expect(request.deploymentStrategy).toBeUndefined();
    expect(request.continueOnPause).toBeUndefined();
    expect(request.continueAction).toBeUndefined();
  });

  test('out of range values are named with their input', () => {
    expect(
      messages({
        service: 'web',
        'deployment-strategy': 'RED_BLACK',
        'bake-time-in-minutes': '1441',
        'canary-percent': '0.05',
        'linear-step-percent': '2',
        'wait-until-stage': 'SOMEWHERE',
      }),
    ).toEqual([
      'deployment-strategy: "RED_BLACK" is not valid; use ROLLING, BLUE_GREEN, LINEAR or CANARY.',
      'bake-time-in-minutes: "1441" is not a whole number of minutes from 0 to 1440.',
      'canary-percent: "0.05" is not a percentage from 0.1 to 100 in steps of 0.1.',
      'linear-step-percent: "2" is not a percentage from 3 to 100 in steps of 0.1.',
      expect.stringMatching(
        /^wait-until-stage: "SOMEWHERE" is not an ECS lifecycle stage; use RECONCILE_SERVICE, /,
      ),
    ]);
  });

  test('numbers of another strategy than the one given are errors', () => {
    expect(messages({ service: 'web', 'deployment-strategy': 'LINEAR', 'canary-percent': '5' })).toEqual([
      'canary-percent: canary-percent applies to the CANARY strategy, but deployment-strategy is LINEAR.',
    ]);
    expect(
      messages({ service: 'web', 'deployment-strategy': 'ROLLING', 'wait-until-stage': 'BAKE_TIME' }),
    ).toEqual([
      'wait-until-stage: wait-until-stage applies to BLUE_GREEN, LINEAR and CANARY deployments, but deployment-strategy is ROLLING.',
    ]);
  });

  test('they need a service', () => {
    expect(messages({ 'task-definition': 'td.json', 'deployment-strategy': 'BLUE_GREEN' })).toEqual([
      'deployment-strategy: deployment-strategy applies to a service deployment, but service is not set.',
    ]);
  });
});

describe('continue step', () => {
  test('continue-deployment names the cluster and service; no task definition is needed', () => {
    const { request, problems } = read({ 'continue-deployment': SD_ARN, 'continue-action': 'rollback' });
    expect(problems).toEqual([]);
    expect(request).toMatchObject({
      continueDeployment: SD_ARN,
      continueAction: 'ROLLBACK',
      service: 'web',
      cluster: 'prod',
    });
  });

  test('an ARN that is not a service deployment, or of another service, is an error', () => {
    expect(messages({ 'continue-deployment': 'ecs-svc/123' })).toEqual([
      expect.stringMatching(/^continue-deployment: "ecs-svc\/123" is not a service deployment ARN/),
    ]);
    expect(messages({ service: 'api', 'continue-deployment': SD_ARN })).toEqual([
      'service: service is "api", but continue-deployment is a deployment of "web".',
    ]);
  });

  test('inputs that shape a new deployment cannot be given with it', () => {
    expect(
      messages({
        'continue-deployment': SD_ARN,
        'task-definition': 'td.json',
        image: 'web:2',
        'force-new-deployment': 'true',
      }),
    ).toEqual([
      'task-definition: task-definition shapes a new deployment, but continue-deployment continues one already started: remove task-definition, or continue-deployment.',
      'image: image shapes a new deployment, but continue-deployment continues one already started: remove image, or continue-deployment.',
      'force-new-deployment: force-new-deployment cannot be used with continue-deployment, which continues a deployment already started.',
    ]);
  });

  test('continue-action needs continue-deployment', () => {
    expect(messages({ service: 'web', 'continue-action': 'CONTINUE' })).toEqual([
      'continue-action: continue-action needs continue-deployment: the service deployment ARN to continue.',
    ]);
  });
});
