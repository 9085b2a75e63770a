// The AppSpec: parsed from JSON or YAML, checked for its shape and against the task definition
// (each problem at its line), and sent with the new revision's ARN, as the official action sends it.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appSpecLocation,
  hooksOf,
  loadAppSpec,
  parseAppSpec,
  type AppSpecFile,
} from '../../src/codedeploy/appspec.js';
import {
  checkAppSpecAgainst,
  checkAppSpecShape,
  isLambdaFunction,
} from '../../src/codedeploy/appspec-checks.js';
import { appSpecContent } from '../../src/codedeploy/content.js';
import type { JsonObject } from '../../src/lib/json.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const YAML = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "placeholder"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
        PlatformVersion: "LATEST"
Hooks:
  - BeforeInstall: "LambdaFunctionToValidateBeforeInstall"
  - AfterAllowTestTraffic: "arn:aws:lambda:us-east-1:123456789012:function:check:live"
`;
const TD: JsonObject = {
  family: 'web',
  containerDefinitions: [{ name: 'web', image: 'web:1', portMappings: [{ containerPort: 8080 }] }],
};

function spec(text: string, file = 'appspec.yaml'): AppSpecFile {
  const loaded = parseAppSpec(text, file);
  expect(loaded.problems).toEqual([]);
  return loaded.appSpec!;
}

const messages = (text: string, file?: string) => checkAppSpecShape(spec(text, file)).map((p) => p.message);

describe('loading', () => {
  it('a relative path is read from the workspace, an absolute one as it is', () => {
    expect(appSpecLocation('appspec.yaml', '/ws')).toBe('/ws/appspec.yaml');
    expect(appSpecLocation('/abs/a.json', '/ws')).toBe('/abs/a.json');
  });

  it('reads YAML and JSON alike; a missing file names the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appspec-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ version: 0.0, Resources: [] }));
    expect((await loadAppSpec('a.json', dir)).appSpec?.doc).toEqual({ version: 0, Resources: [] });
    const missing = await loadAppSpec('nope.yaml', dir);
    expect(missing.problems[0]).toMatchObject({ input: 'codedeploy-appspec' });
    expect(missing.problems[0].message).toContain("The AppSpec file 'nope.yaml' does not exist");
  });

  it('a syntax error names the file and line', () => {
    const loaded = parseAppSpec('version: 0.0\nResources: [\n', 'appspec.yaml');
    expect(loaded.appSpec).toBeUndefined();
    expect(loaded.problems[0]).toMatchObject({ input: 'codedeploy-appspec', file: 'appspec.yaml' });
    expect(loaded.problems[0].line).toBeGreaterThan(0);
  });

  it('every file is parsed as YAML, as the official action parses it: a .json AppSpec with a trailing comma or YAML text is accepted', () => {
    const trailing = parseAppSpec('{\n  "version": 0.0,\n  "Resources": [],\n}\n', 'appspec.json');
    expect(trailing.problems).toEqual([]);
    expect(trailing.appSpec?.doc).toEqual({ version: 0, Resources: [] });
    const yamlInJson = parseAppSpec(YAML, 'appspec.json');
    expect(yamlInJson.problems).toEqual([]);
    expect(hooksOf(yamlInJson.appSpec!.doc).BeforeInstall).toBe('LambdaFunctionToValidateBeforeInstall');
  });

  it('a .json AppSpec keeps the line of each value for later problems', () => {
    const text =
      '{\n  "version": 0.0,\n  "Resources": [\n    {"TargetService": {"Type": "AWS::ECS::Service"}},\n  ],\n}\n';
    const loaded = parseAppSpec(text, 'appspec.json');
    expect(loaded.problems).toEqual([]);
    expect(loaded.appSpec!.positionOf(['Resources', 0, 'TargetService'])).toMatchObject({ line: 4 });
  });

  it('a .json AppSpec that YAML cannot read either is an error at its line', () => {
    const loaded = parseAppSpec('{\n  "version": 0.0,\n  "Resources": [\n}\n', 'appspec.json');
    expect(loaded.appSpec).toBeUndefined();
    expect(loaded.problems[0]).toMatchObject({ input: 'codedeploy-appspec', file: 'appspec.json' });
    expect(loaded.problems[0].line).toBeGreaterThan(1);
  });

  it.each([
    ['', 'empty'],
    ['# only a comment\n', 'empty'],
    ['- version: 0.0\n', 'a list'],
    ['[]', 'a list'],
    ['hello', 'a single value'],
  ])("%j gets an AppSpec message, not the task definition's", (text, what) => {
    const loaded = parseAppSpec(text, 'appspec.yaml');
    expect(loaded.appSpec).toBeUndefined();
    expect(loaded.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        input: 'codedeploy-appspec',
        file: 'appspec.yaml',
        message: expect.stringMatching(
          new RegExp(
            `^The AppSpec file is ${what}, but an ECS AppSpec is a mapping with the sections version, Resources and Hooks`,
          ),
        ),
      }),
    ]);
    expect(loaded.problems[0].message).not.toContain('family');
  });

  it('a repeated key is an error; an unresolved tag is a warning and the value is read as text, as the official action reads it', () => {
    expect(parseAppSpec('version: 0.0\nversion: 1\n', 'appspec.yaml').problems[0]).toMatchObject({
      severity: 'error',
      line: 2,
      message: expect.stringContaining("'version' appears twice"),
    });
    const tagged = parseAppSpec(
      'version: 0.0\nResources: []\nHooks:\n  - BeforeInstall: !Ref fn\n',
      'appspec.yaml',
    );
    expect(tagged.problems).toEqual([
      expect.objectContaining({ severity: 'warning', line: 4, input: 'codedeploy-appspec' }),
    ]);
    expect(hooksOf(tagged.appSpec!.doc)).toEqual({ BeforeInstall: 'fn' });
  });

  it('hooks by lifecycle event', () => {
    expect(hooksOf(spec(YAML).doc)).toEqual({
      BeforeInstall: 'LambdaFunctionToValidateBeforeInstall',
      AfterAllowTestTraffic: 'arn:aws:lambda:us-east-1:123456789012:function:check:live',
    });
  });
});

describe('shape', () => {
  it("AWS's example passes", () => {
    expect(checkAppSpecShape(spec(YAML))).toEqual([]);
  });

  it('keys are matched in any letter case, as the official action does', () => {
    const lower = YAML.replace('Resources', 'resources')
      .replace('Properties', 'properties')
      .replace('TaskDefinition', 'taskDefinition');
    expect(checkAppSpecShape(spec(lower))).toEqual([]);
  });

  it('no Resources, or no TaskDefinition, as the official action says', () => {
    expect(messages('version: 0.0\n')).toContainEqual(
      expect.stringContaining("AppSpec file must include property 'resources'"),
    );
    expect(messages(YAML.replace('TaskDefinition: "placeholder"', 'Other: 1'))).toContainEqual(
      expect.stringContaining("AppSpec file must include property 'taskDefinition'"),
    );
  });

  it('the version, the type, the load balancer and the port', () => {
    const bad = YAML.replace('version: 0.0', 'version: 1')
      .replace('AWS::ECS::Service', 'AWS::Lambda::Function')
      .replace('ContainerPort: 8080', 'ContainerPort: "8080"');
    const found = checkAppSpecShape(spec(bad));
    expect(found.map((p) => p.message)).toEqual([
      'version is 1; CodeDeploy takes only 0.0.',
      'Type is "AWS::Lambda::Function"; an ECS AppSpec\'s resource is AWS::ECS::Service.',
      'LoadBalancerInfo must include ContainerPort, a port number from 1 to 65535 (not "8080").',
    ]);
    expect(found.map((p) => p.line)).toEqual([1, 4, 9]);
    expect(found.every((p) => p.file === 'appspec.yaml' && p.input === 'codedeploy-appspec')).toBe(true);
  });

  it('without a version: a warning, as the official action sends it as it is', () => {
    const found = checkAppSpecShape(spec(YAML.replace('version: 0.0\n', '')));
    expect(found.map((p) => [p.severity, p.message])).toEqual([
      ['warning', "The AppSpec has no 'version'; CodeDeploy's AppSpec reference asks for `version: 0.0`."],
    ]);
  });

  it('hook events in any letter case are the events CodeDeploy names', () => {
    const lower = YAML.replace('- BeforeInstall:', '- beforeinstall:');
    expect(checkAppSpecShape(spec(lower))).toEqual([]);
    expect(hooksOf(spec(lower).doc)).toMatchObject({
      BeforeInstall: 'LambdaFunctionToValidateBeforeInstall',
    });
  });

  it('exactly one resource', () => {
    const two = YAML.replace(
      'Hooks:',
      '  - Other:\n      Type: AWS::ECS::Service\n      Properties: {TaskDefinition: x, LoadBalancerInfo: {ContainerName: web, ContainerPort: 80}}\nHooks:',
    );
    expect(messages(two)).toContain(
      'Resources names 2 resources; an ECS AppSpec names exactly one, the service.',
    );
  });

  it('network configuration: subnets and AssignPublicIp', () => {
    const net = YAML.replace(
      '        PlatformVersion: "LATEST"',
      '        NetworkConfiguration:\n          AwsvpcConfiguration:\n            SecurityGroups: [sg-1]\n            AssignPublicIp: "YES"',
    );
    expect(messages(net)).toEqual([
      'AwsvpcConfiguration must include Subnets, a list of subnet ids.',
      'AssignPublicIp is "YES"; use ENABLED or DISABLED.',
    ]);
  });

  it('hooks: Lambda names or ARNs, on the events that take one, once each', () => {
    const hooks = `${YAML}  - Install: fn\n  - AfterInstall: "not a function"\n  - BeforeInstall: other\n  - Whenever: fn\n`;
    expect(messages(hooks)).toEqual([
      'Install is run by CodeDeploy itself and takes no hook; hooks go on BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic.',
      'The hook of AfterInstall must be a Lambda function name or ARN (arn:aws:lambda:<region>:<account>:function:<name>), not "not a function".',
      'BeforeInstall has a hook already; each lifecycle event takes one.',
      "'Whenever' is not a lifecycle event of an ECS deployment; hooks go on BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic.",
    ]);
    expect(messages('version: 0.0\nResources: []\nHooks: {BeforeInstall: fn}\n')).toContain(
      'Hooks must be a list, one `- <LifecycleEvent>: <Lambda function>` entry per hook.',
    );
  });

  it('Lambda function names and ARNs', () => {
    for (const ok of [
      'fn',
      'my_fn-1',
      'fn:live',
      'fn:$LATEST',
      'arn:aws:lambda:eu-west-1:123456789012:function:fn',
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn:3',
    ]) {
      expect([ok, isLambdaFunction(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      '',
      'two words',
      'a'.repeat(65),
      'arn:aws:s3:::bucket',
      'arn:aws:lambda:us-east-1:123:function:fn',
    ]) {
      expect([bad, isLambdaFunction(bad)]).toEqual([bad, false]);
    }
  });

  it('unknown sections and properties are warnings', () => {
    const found = checkAppSpecShape(spec(`${YAML}Extra: 1\n`.replace('PlatformVersion', 'Platform')));
    expect(found.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        "'Platform' is not a property of an ECS service resource (TaskDefinition, LoadBalancerInfo, PlatformVersion, NetworkConfiguration, CapacityProviderStrategy).",
      ],
      [
        'warning',
        "'Extra' is not a section of an ECS AppSpec (version, Resources, Hooks); it is sent as it is.",
      ],
    ]);
  });
});

describe('against the task definition', () => {
  it('the container and its port must be there', () => {
    expect(checkAppSpecAgainst(spec(YAML), TD)).toEqual([]);
    const port = checkAppSpecAgainst(spec(YAML.replace('8080', '9090')), TD);
    expect(port).toEqual([
      expect.objectContaining({
        message:
          "ContainerPort 9090 is not a port mapping of container 'web' in the task definition (its container ports: 8080).",
        line: 9,
        file: 'appspec.yaml',
      }),
    ]);
    const container = checkAppSpecAgainst(spec(YAML.replace('"web"', '"api"')), TD);
    expect(container.map((p) => [p.message, p.line])).toEqual([
      ["ContainerName 'api' is not a container of the task definition (web).", 8],
    ]);
  });
});

describe('what is sent', () => {
  it('every resource gets the new ARN, in the key as written; the text is JSON with its SHA-256', () => {
    const doc = spec(YAML.replace('TaskDefinition', 'taskdefinition')).doc;
    const sent = appSpecContent(doc, ARN);
    const parsed = JSON.parse(sent.content);
    expect(parsed.Resources[0].TargetService.Properties).toEqual({
      taskdefinition: ARN,
      LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
      PlatformVersion: 'LATEST',
    });
    expect(parsed.version).toBe(0);
    expect(sent.sha256).toBe(createHash('sha256').update(sent.content).digest('hex'));
    // The loaded document is not changed.
    expect((doc.Resources as JsonObject[])[0]).toMatchObject({
      TargetService: { Properties: { taskdefinition: 'placeholder' } },
    });
  });
});
