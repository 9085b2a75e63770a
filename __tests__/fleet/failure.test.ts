// A step with several services that stops before a verdict (a cancel after the updates were made)
// lists every later service's started deployment in its failure report, not only the first's.
import { describe, expect, it } from '@jest/globals';
import type { DeployRequest } from '../../src/lib/request.js';
import { renderFailureSummary } from '../../src/report/failure.js';
import type { ServiceUpdate, StepRecord } from '../../src/stages/context.js';
import { describeFailure } from '../../src/stages/failure.js';

const started = (id: string): ServiceUpdate => ({
  kind: 'started',
  deploymentId: id,
  startedAt: new Date(0),
  created: true,
  settings: [],
});

describe('the failure report of several services', () => {
  it("lists each later service's started deployment with its id", () => {
    const request = { cluster: 'prod', service: 'web' } as DeployRequest;
    const record: StepRecord = {
      request,
      registration: {
        kind: 'done',
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:9',
        registered: true,
      },
      update: started('ecs-svc/1'),
      fleet: {
        problems: [],
        members: [
          {
            target: { cluster: 'staging', service: 'web' },
            label: 'staging/web',
            request: { ...request, cluster: 'staging' },
            check: {},
            update: started('ecs-svc/2'),
          },
          { target: { cluster: 'prod', service: 'api' }, request, check: {} },
        ],
      },
    };
    const failure = describeFailure(new Error('Request aborted'), record, { cancelled: true });
    const md = renderFailureSummary(failure.summary);
    expect(md).toContain('- Deployment `ecs-svc/1` had started');
    expect(md).toContain(
      '- Service `staging/web` (cluster `staging`): deployment `ecs-svc/2` had started; ECS carries on with it.',
    );
    expect(md).not.toContain('`api`');
  });
});
