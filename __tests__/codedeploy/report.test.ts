// The CodeDeploy part of the report: the output, the summary section with the console links,
// and the example AppSpec, which must pass the checks against the example task definition.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAppSpec } from '../../src/codedeploy/appspec.js';
import { checkAppSpecAgainst, checkAppSpecShape } from '../../src/codedeploy/appspec-checks.js';
import type { CodeDeployResult } from '../../src/codedeploy/types.js';
import { codeDeployHeadline, renderCodeDeploySection } from '../../src/report/codedeploy.js';
import { actionOutputs } from '../../src/report/outputs.js';
import { renderSummary } from '../../src/report/summary.js';
import { parseTemplate } from '../../src/taskdef/load.js';

const ROOT = join(import.meta.dirname, '../..');

const RESULT: CodeDeployResult = {
  outcome: 'rolled-back',
  reason:
    'CodeDeploy deployment d-1 failed and CodeDeploy rolled the service back (rollback deployment d-2): the AfterAllowTestTraffic hook (Lambda function smoke-fail) failed.',
  deploymentId: 'd-1',
  status: 'Failed',
  cause: {
    text: 'x',
    failedEvent: { name: 'AfterAllowTestTraffic', hook: 'smoke-fail', message: 'Hook said no' },
  },
  rollbackDeploymentId: 'd-2',
  lifecycleEvents: [
    { name: 'AfterAllowTestTraffic', status: 'Failed', hook: 'smoke-fail', message: 'Hook said no' },
  ],
  taskSets: [{ label: 'Blue', status: 'PRIMARY', trafficWeight: 100, running: 2, desired: 2 }],
  progress: [],
  wait: { minutes: 35, readyMinutes: 0, terminationMinutes: 5, waitForMinutes: 30 },
  startedAt: new Date(0),
  finishedAt: new Date(60_000),
};

describe('CodeDeploy report', () => {
  it('the output codedeploy-deployment-id', () => {
    expect(actionOutputs({ outcome: 'succeeded', codeDeployDeploymentId: 'd-1' })).toEqual({
      outcome: 'succeeded',
      'codedeploy-deployment-id': 'd-1',
    });
  });

  it('the section: console links, the failed hook, the events, the task sets, the wait', () => {
    const section = renderCodeDeploySection('eu-west-1', {
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      deploymentId: 'd-1',
      appSpec: { doc: { version: 0 }, sent: true },
      result: RESULT,
    });
    expect(section).toContain(
      '[`d-1`](https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=eu-west-1)',
    );
    expect(section).toContain(
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-2?region=eu-west-1',
    );
    expect(section).toContain('(hook `smoke-fail`)');
    expect(section).toContain('| `AfterAllowTestTraffic` | `smoke-fail` | `Failed` | Hook said no |');
    expect(section).toContain('| Blue | PRIMARY | 100% | 2/2 |');
    expect(section).toContain(
      '35 min (wait-for-minutes 30 + ready wait 0 + termination wait 5, at most 360)',
    );
    expect(section).toContain('AppSpec sent to CodeDeploy');
  });

  it('the summary leads with what CodeDeploy did and links the deployment', () => {
    const summary = renderSummary({
      outcome: 'rolled-back',
      reason: RESULT.reason,
      region: 'us-east-1',
      cluster: 'prod',
      service: 'web',
      images: [],
      warnings: [],
      dryRun: false,
      durationMs: 60_000,
      codeDeploy: { applicationName: 'a', deploymentGroupName: 'g', deploymentId: 'd-1', result: RESULT },
    });
    expect(summary).toContain('CodeDeploy rolled the service back (rollback deployment `d-2`)');
    expect(summary).not.toContain('ECS rolled the service back');
    expect(summary).toContain(
      '- [CodeDeploy deployment in the console](https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=us-east-1)',
    );
  });

  it('the headline says what happened to the rollback: failed too, or still in progress', () => {
    const rollback = (status: string) => ({
      applicationName: 'a',
      deploymentGroupName: 'g',
      deploymentId: 'd-1',
      result: { ...RESULT, rollback: { deploymentId: 'd-2', status } },
    });
    expect(codeDeployHeadline('failed', rollback('Failed'))).toBe(
      '**The deployment failed, and the rollback failed too** (rollback deployment `d-2`: `Failed`). Production traffic may still be on the replacement task set: see both deployments in the CodeDeploy console.',
    );
    expect(codeDeployHeadline('timed-out', rollback('InProgress'))).toContain(
      'CodeDeploy is rolling the service back** (rollback deployment `d-2`, `InProgress` when the wait ended)',
    );
    expect(codeDeployHeadline('timed-out', rollback('InProgress'))).not.toContain('original task set');
    const section = renderCodeDeploySection('us-east-1', rollback('Succeeded'));
    expect(section).toMatch(/\| Rollback deployment \| \[`d-2`\]\([^)]+\) `Succeeded` \|/);
  });

  it('the example AppSpec passes the checks against the example task definition', () => {
    const file = 'examples/codedeploy/appspec.yaml';
    const spec = parseAppSpec(readFileSync(join(ROOT, file), 'utf8'), file).appSpec!;
    const td = parseTemplate(readFileSync(join(ROOT, 'examples/templates/web.json'), 'utf8'), 'web.json').doc;
    expect([...checkAppSpecShape(spec), ...checkAppSpecAgainst(spec, td)]).toEqual([]);
  });
});
