// Console links go to the console of the Region's partition: commercial, China or GovCloud.
import { describe, expect, it } from '@jest/globals';
import { codeDeployConsoleUrl, serviceConsoleUrl, taskDefinitionConsoleUrl } from '../../src/report/links.js';

const PARTITION = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
const TD = (region: string) => `arn:${PARTITION(region)}:ecs:${region}:123456789012:task-definition/web:7`;

describe('console links by partition', () => {
  it.each([
    ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com'],
    ['cn-north-1', 'https://console.amazonaws.cn'],
    ['cn-northwest-1', 'https://console.amazonaws.cn'],
    ['us-gov-west-1', 'https://console.amazonaws-us-gov.com'],
    ['us-gov-east-1', 'https://console.amazonaws-us-gov.com'],
  ])('%s: %s, the Region in ?region=', (region, origin) => {
    expect(serviceConsoleUrl(region, 'prod', 'web')).toBe(
      `${origin}/ecs/v2/clusters/prod/services/web/deployments?region=${region}`,
    );
    expect(taskDefinitionConsoleUrl(region, TD(region))).toBe(
      `${origin}/ecs/v2/task-definitions/web/7?region=${region}`,
    );
    expect(codeDeployConsoleUrl(region, 'd-ABC')).toBe(
      `${origin}/codesuite/codedeploy/deployments/d-ABC?region=${region}`,
    );
  });
});
