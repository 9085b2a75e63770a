import { describe, expect, it } from '@jest/globals';
import { renderFailureSummary } from '../../src/report/failure.js';

describe('renderFailureSummary', () => {
  it('lists every problem and says nothing was written when nothing was', () => {
    const md = renderFailureSummary({
      message:
        'The action inputs are not valid, so nothing was written to AWS: 2 problems, each listed above.',
      problems: [
        { severity: 'error', input: 'wait-for-minutes', message: '"soon" is not a number of minutes.' },
        {
          severity: 'error',
          file: 'td.json',
          line: 3,
          column: 5,
          path: 'family',
          message: 'family is required.',
        },
        { severity: 'warning', message: 'a warning is not a problem of the failure' },
      ],
      service: 'web',
      registered: false,
      serviceUpdated: false,
    });
    expect(md).toContain('## ❌ Failed before a verdict · web');
    expect(md).toContain('### Problems (2)');
    expect(md).toContain("input 'wait-for-minutes'");
    expect(md).toContain('td.json:3:5 family: family is required.');
    expect(md).not.toContain('a warning is not');
    expect(md).toContain('Nothing was written to AWS.');
  });

  it('says what had already happened: the registered revision and a started deployment', () => {
    const md = renderFailureSummary({
      message: 'DescribeServices was denied: the role needs ecs:DescribeServices.',
      problems: [],
      service: 'web',
      cluster: 'prod',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
      deploymentId: 'ecs-svc/1234567890123456789',
      registered: true,
      serviceUpdated: true,
    });
    expect(md).toContain('### What had happened');
    expect(md).toContain('- Registered `web:7`.');
    expect(md).toContain('Deployment `ecs-svc/1234567890123456789` had started; ECS carries on with it.');
    expect(md).not.toContain('Nothing was written to AWS.');
  });

  it('after a refused UpdateService: registered, and the service still runs the old revision', () => {
    const md = renderFailureSummary({
      message: 'UpdateService was denied: the role needs ecs:UpdateService.',
      problems: [],
      service: 'web',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      previousTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      registered: true,
      serviceUpdated: false,
    });
    expect(md).toContain('- Registered `web:2`.');
    expect(md).toContain('- The service was not updated; it still runs `web:1`.');
  });

  it('a reused revision is not reported as written', () => {
    const md = renderFailureSummary({
      message: 'x',
      problems: [],
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      registered: false,
      serviceUpdated: false,
    });
    expect(md).toContain('Nothing was written to AWS.');
    expect(md).not.toContain('web:1');
  });

  it('never shows a secret that an error message quoted', () => {
    const md = renderFailureSummary({
      message: 'failed: DB_PASSWORD=hunter2 was rejected',
      problems: [],
      registered: false,
      serviceUpdated: false,
    });
    expect(md).not.toContain('hunter2');
  });
});
