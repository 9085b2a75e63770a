// The documented examples of the official deploy action (aws-actions/amazon-ecs-deploy-task-definition
// v2.6.3, every workflow example of its README, kept in __tests__/fixtures/official/examples/) run
// unchanged against this action: each workflow's steps are read from the fixture, the steps that
// are not the deploy action are played as the runner would (credentials, ECR login, the build's
// output, the official render action), and every step that `uses:` the official action runs
// `node dist/index.js` with its `with:` inputs as written, against an emulator seeded with the
// names the examples use (cluster my-cluster, service my-service, task-definition.json). Each test
// asserts the effect the official action has: what is registered, what is updated or run, and
// which of its outputs are set.
//
// The CodeDeploy example runs against the emulator's CodeDeploy: its application and deployment
// group are created with the names the example gives, and the deployment is followed to its end.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { parse as parseYaml } from 'yaml';

import {
  mutatingCalls,
  startEmulator,
  type Emulator,
  type EmulatorSeed,
  type FaultRule,
} from '../../emulator/index.js';
import {
  runAction,
  unexpectedStderr,
  PROJECT_ROOT,
  type RunActionResult,
} from '../../emulator/run-action.js';
import { ACCOUNT, SPEED } from './scenarios.js';

const EXAMPLES_DIR = path.join(PROJECT_ROOT, '__tests__/fixtures/official/examples');
const OFFICIAL = 'aws-actions/amazon-ecs-deploy-task-definition@';
/** run-action.ts's GITHUB_SHA. */
const SHA = '0123456789abcdef0123456789abcdef01234567';
const CLUSTER = 'my-cluster';
const SERVICE = 'my-service';
const FAMILY = 'my-task-definition-family';
const registry = (region: string): string => `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
const tdArn = (region: string, revision: number): string =>
  `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${FAMILY}:${revision}`;
const TARGET_GROUP = (name: string): string =>
  `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`;
const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'], securityGroups: ['sg-0123456789abcdef0'] },
};

// ---- the user's files: task-definition.json as the examples expect it ----

/** A Fargate task definition of family my-task-definition-family, container my-container. */
function template(
  region: string,
  tag: string,
  changes: Record<string, unknown> = {},
): Record<string, unknown> {
  const { container = {}, ...rest } = changes as { container?: Record<string, unknown> };
  return {
    family: FAMILY,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'my-container',
        image: `${registry(region)}/web:${tag}`,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-region': region, 'awslogs-stream-prefix': 'web' },
        },
        ...container,
      },
    ],
    ...rest,
  };
}

const EBS_VOLUME = { volumes: [{ name: 'ebs1', configuredAtLaunch: true }] };
const MIGRATION = { container: { command: ['./migrate', 'exit-0'] } };

// ---- a small runner for the example workflows ----

interface StepDoc {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  run?: string;
}

interface WorkflowState {
  region: string;
  workspace: string;
  temp: string;
  outputs: Record<string, Record<string, string>>;
}

/** `${{ … }}` expressions as the runner evaluates the ones the examples use. */
function evaluate(value: unknown, state: WorkflowState): string {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.sha') return SHA;
    if (expr.startsWith('secrets.')) return 'not-a-real-secret';
    const m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    const out = m ? state.outputs[m[1]]?.[m[2]] : undefined;
    if (out === undefined) throw new Error(`cannot evaluate \${{ ${expr} }}`);
    return out;
  });
}

function stepsOf(doc: unknown): StepDoc[] {
  const jobs = (doc as { jobs: Record<string, { steps: StepDoc[] }> }).jobs;
  return Object.values(jobs).flatMap((job) => job.steps);
}

/** The official render action: the container's image set in a copy of the file, in RUNNER_TEMP. */
async function renderStep(
  inputs: Record<string, string>,
  state: WorkflowState,
): Promise<Record<string, string>> {
  const file = path.resolve(state.workspace, inputs['task-definition']);
  const td = JSON.parse(await readFile(file, 'utf8')) as {
    containerDefinitions: { name: string; image: string }[];
  };
  const container = td.containerDefinitions.find((c) => c.name === inputs['container-name']);
  if (!container) throw new Error(`no container ${inputs['container-name']}`);
  container.image = inputs.image;
  const rendered = path.join(state.temp, 'task-definition-rendered.json');
  await writeFile(rendered, JSON.stringify(td, null, 2));
  return { 'task-definition': rendered };
}

/** A `run:` step: only its `echo "name=value" >> $GITHUB_OUTPUT` lines matter here. */
function runStep(step: StepDoc, state: WorkflowState): Record<string, string> {
  const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, state)]));
  const outputs: Record<string, string> = {};
  for (const m of (step.run ?? '').matchAll(/^\s*echo "([\w-]+)=(.*)" >> \$GITHUB_OUTPUT\s*$/gm)) {
    outputs[m[1]] = m[2].replace(/\$(\w+)/g, (_, name: string) => env[name] ?? '');
  }
  return outputs;
}

interface ExampleRun {
  /** One result per step that uses the official action, in order. */
  results: RunActionResult[];
  region: string;
  service?: Service;
  registered?: TaskDefinition;
  tasks: Task[];
  /** Inputs of the UpdateService calls the emulator received. */
  updateServiceInputs: Record<string, unknown>[];
  requests: Emulator['requests'];
  notes: Record<string, unknown>;
}

interface Example {
  file: string;
  /** task-definition.json of the workspace. */
  template: (region: string) => Record<string, unknown>;
  /** Changes to the seeded service; null: no service. */
  service?: Record<string, unknown> | null;
  files?: Record<string, string>;
  faults?: FaultRule[];
  /** A change to the workflow's text (tests beyond the examples only). */
  edit?: (text: string) => string;
  setup?(emulator: Emulator, region: string): Promise<void>;
  inspect?(emulator: Emulator, run: ExampleRun): Promise<Record<string, unknown>>;
  verify(run: ExampleRun): void;
}

function seedFor(example: Example, region: string): EmulatorSeed {
  return {
    clusters: [{ name: CLUSTER }],
    taskDefinitions: [template(region, '1.2')],
    services:
      example.service === null
        ? []
        : [
            {
              cluster: CLUSTER,
              serviceName: SERVICE,
              taskDefinition: `${FAMILY}:1`,
              desiredCount: 2,
              launchType: 'FARGATE',
              networkConfiguration: NETWORK,
              deploymentConfiguration: {
                minimumHealthyPercent: 100,
                maximumPercent: 200,
                deploymentCircuitBreaker: { enable: true, rollback: true },
              },
              ...example.service,
            },
          ],
    images: [
      ...['1.2', '1.3'].map((tag) => ({ repository: 'web', tag })),
      { repository: 'my-ecr-repo', tag: SHA },
    ],
    logGroups: [{ name: '/ecs/web' }],
  };
}

function ecsClient(emulator: Emulator, region: string): ECSClient {
  return new ECSClient({
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** The region the workflow's credentials step sets, else the runner's default of run-action.ts. */
function regionOf(steps: StepDoc[]): string {
  const creds = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
  return creds?.with?.['aws-region'] !== undefined ? String(creds.with['aws-region']) : 'us-east-1';
}

async function runExample(example: Example): Promise<ExampleRun> {
  const text = await readFile(path.join(EXAMPLES_DIR, example.file), 'utf8');
  const steps = stepsOf(parseYaml(example.edit ? example.edit(text) : text));
  const region = regionOf(steps);
  const emulator = await startEmulator({ speed: SPEED, seed: seedFor(example, region), region });
  const workspace = await mkdtemp(path.join(tmpdir(), 'official-example-'));
  const state: WorkflowState = { region, workspace, temp: path.join(workspace, '.runner-temp'), outputs: {} };
  await mkdir(state.temp);
  const ecs = ecsClient(emulator, region);
  try {
    await writeFile(
      path.join(workspace, 'task-definition.json'),
      JSON.stringify(example.template(region), null, 2),
    );
    for (const [name, text] of Object.entries(example.files ?? {}))
      await writeFile(path.join(workspace, name), text);
    await example.setup?.(emulator, region);
    const updateServiceInputs = recordUpdateService(emulator);
    emulator.setFaults(example.faults ?? []);
    const mark = emulator.requests.length;
    const results: RunActionResult[] = [];
    for (const step of steps) {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(v, state)]),
      );
      let outputs: Record<string, string> = {};
      if (step.uses?.startsWith(OFFICIAL)) {
        const result = await runAction({
          endpoint: emulator.url,
          inputs,
          workspace,
          region,
          timeoutMs: 90_000,
        });
        results.push(result);
        outputs = result.outputs;
      } else if (step.uses?.startsWith('aws-actions/amazon-ecr-login@')) {
        outputs = { registry: registry(region) };
      } else if (step.uses?.startsWith('aws-actions/amazon-ecs-render-task-definition@')) {
        outputs = await renderStep(inputs, state);
      } else if (step.run) {
        outputs = runStep(step, state);
      }
      if (step.id) state.outputs[step.id] = outputs;
    }
    emulator.setFaults([]);
    const requests = emulator.requests.slice(mark);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
      .services?.[0];
    const arn = results.at(-1)?.outputs['task-definition-arn'];
    const registered = arn
      ? (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition
      : undefined;
    const taskArns = results.flatMap((r) => JSON.parse(r.outputs['run-task-arn'] ?? '[]') as string[]);
    const tasks = taskArns.length
      ? ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns, include: ['TAGS'] })))
          .tasks ?? [])
      : [];
    const run: ExampleRun = {
      results,
      region,
      service,
      registered,
      tasks,
      updateServiceInputs,
      requests,
      notes: {},
    };
    run.notes = (await example.inspect?.(emulator, run)) ?? {};
    return run;
  } finally {
    ecs.destroy();
    await emulator.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

/** Records every UpdateService input the emulator receives. */
function recordUpdateService(emulator: Emulator): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  const handlers = emulator.ecs.handlers as Record<string, (input: unknown, ctx: unknown) => unknown>;
  const original = handlers.UpdateService;
  handlers.UpdateService = (input, ctx) => {
    seen.push(structuredClone(input) as Record<string, unknown>);
    return original(input, ctx);
  };
  return seen;
}

// ---- the checks every example shares ----

/** The one deploy step's result, after checking it ran cleanly to `outcome`. */
function deployResult(run: ExampleRun, outcome: string, exitCode = 0): RunActionResult {
  expect(run.results).toHaveLength(1);
  const [result] = run.results;
  if (result.outputs.outcome !== outcome || result.exitCode !== exitCode) {
    throw new Error(
      `expected outcome ${outcome} and exit code ${exitCode}, got ${result.outputs.outcome} and ${result.exitCode}; step log:\n${result.log}`,
    );
  }
  expect(unexpectedStderr(result.stderr)).toBe('');
  return result;
}

/** As the official action: revision 2 registered from the file, the output set, the service on it. */
function expectRegisteredAndDeployed(run: ExampleRun, image: string): RunActionResult {
  const result = deployResult(run, 'succeeded');
  expect(result.outputs['task-definition-arn']).toBe(tdArn(run.region, 2));
  expect(run.registered?.containerDefinitions?.[0]?.image).toBe(image);
  expect(run.service?.taskDefinition).toBe(tdArn(run.region, 2));
  const primary = run.service?.deployments?.find((d) => d.status === 'PRIMARY');
  expect(primary?.rolloutState).toBe('COMPLETED');
  expect(run.updateServiceInputs).toHaveLength(1);
  return result;
}

/** The inputs of the official action that has no such line: its debug line is printed. */
function expectDebugLine(result: RunActionResult, pattern: RegExp): void {
  const debug = result.log.split('\n').filter((l) => l.startsWith('::debug::'));
  expect(debug.some((l) => pattern.test(l))).toBe(true);
}

const web = (region: string, tag: string): string => `${registry(region)}/web:${tag}`;

const EXAMPLES: Example[] = [
  {
    file: 'usage.yml',
    template: (region) => template(region, '1.3'),
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      // Unlike the official action, no volume configuration is sent when none is given.
      expect(run.updateServiceInputs[0]).not.toHaveProperty('volumeConfigurations');
    },
  },
  {
    file: 'render-and-deploy.yml',
    template: (region) => template(region, '1.2'),
    verify(run) {
      expect(run.region).toBe('us-east-2');
      expectRegisteredAndDeployed(run, `${registry('us-east-2')}/my-ecr-repo:${SHA}`);
    },
  },
  {
    file: 'ecs-managed-tags.yml',
    template: (region) => template(region, '1.3'),
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      expect(run.updateServiceInputs[0]).toMatchObject({ enableECSManagedTags: true });
      expect(run.service?.enableECSManagedTags).toBe(true);
    },
  },
  {
    file: 'propagate-tags.yml',
    template: (region) => template(region, '1.3'),
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      expect(run.updateServiceInputs[0]).toMatchObject({ propagateTags: 'SERVICE' });
      expect(run.service?.propagateTags).toBe('SERVICE');
    },
  },
  {
    file: 'service-ebs-volume.yml',
    template: (region) => template(region, '1.3', EBS_VOLUME),
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      const volume = {
        name: 'ebs1',
        managedEBSVolume: {
          sizeInGiB: 30,
          volumeType: 'gp3',
          encrypted: true,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/ebs-role`,
        },
      };
      expect(run.updateServiceInputs[0].volumeConfigurations).toEqual([volume]);
      const primary = run.service?.deployments?.find((d) => d.status === 'PRIMARY');
      expect(primary?.volumeConfigurations).toEqual([volume]);
    },
  },
  {
    file: 'run-task-ebs-volume.yml',
    service: null,
    template: (region) =>
      template(region, '1.3', {
        ...EBS_VOLUME,
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        ...MIGRATION,
      }),
    verify(run) {
      // This action follows a batch job's task to its end (the official one leaves it running).
      const result = deployResult(run, 'succeeded');
      expect(result.outputs['task-definition-arn']).toBe(tdArn(run.region, 2));
      expect(JSON.parse(result.outputs['run-task-arn'])).toHaveLength(1);
      const [task] = run.tasks;
      expect(task.launchType).toBe('EC2');
      expect(task.taskDefinitionArn).toBe(tdArn(run.region, 2));
      const details = task.attachments?.flatMap((a) => a.details ?? []) ?? [];
      expect(details).toContainEqual({ name: 'volumeName', value: 'ebs1' });
      expect(run.updateServiceInputs).toHaveLength(0);
    },
  },
  {
    file: 'codedeploy.yml',
    service: {
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [
        { targetGroupArn: TARGET_GROUP('blue'), containerName: 'my-container', containerPort: 8080 },
      ],
    },
    template: (region) => template(region, '1.3'),
    files: {
      'appspec.json': JSON.stringify({
        version: 0.0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: '<TASK_DEFINITION>',
                LoadBalancerInfo: { ContainerName: 'my-container', ContainerPort: 8080 },
              },
            },
          },
        ],
      }),
    },
    setup: createCodeDeployGroup,
    inspect: codeDeployDeployment,
    verify(run) {
      const result = deployResult(run, 'succeeded');
      expect(result.outputs['task-definition-arn']).toBe(tdArn(run.region, 2));
      const id = result.outputs['codedeploy-deployment-id'];
      expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
      expect(run.notes.deployment).toMatchObject({
        deploymentId: id,
        applicationName: 'my-codedeploy-application',
        deploymentGroupName: 'my-codedeploy-deployment-group',
        status: 'Succeeded',
      });
      // A CODE_DEPLOY service is never updated with UpdateService.
      expect(run.updateServiceInputs).toHaveLength(0);
    },
  },
  {
    file: 'run-task.yml',
    template: (region) => template(region, '1.3', MIGRATION),
    verify(run) {
      const result = expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      const [task] = run.tasks;
      expect(JSON.parse(result.outputs['run-task-arn'])).toEqual([task.taskArn]);
      expect(task.lastStatus).toBe('STOPPED');
      expect(task.containers?.map((c) => c.exitCode)).toEqual([0]);
      // The task ran (and ended) before the service was updated.
      const ops = run.requests.map((r) => r.operation);
      expect(ops.indexOf('RunTask')).toBeLessThan(ops.indexOf('UpdateService'));
    },
  },
  {
    file: 'run-task-tags.yml',
    template: (region) => template(region, '1.3', MIGRATION),
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      const [task] = run.tasks;
      expect(task.tags).toEqual(
        expect.arrayContaining([
          { key: 'project', value: 'myproject' },
          { key: 'aws:ecs:clusterName', value: CLUSTER },
        ]),
      );
      expect(run.service?.enableECSManagedTags).toBe(true);
    },
  },
  {
    file: 'keep-null-value-keys.yml',
    template: (region) => template(region, '1.3', { placementConstraints: [] }),
    verify(run) {
      const result = expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      expectDebugLine(result, /keep-null-value-keys tag, command, placementConstraints: accepted/);
      expect(run.registered?.placementConstraints).toEqual([]);
    },
  },
  {
    file: 'wait-max-delay-seconds.yml',
    template: (region) => template(region, '1.3'),
    verify(run) {
      const result = expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      expectDebugLine(result, /wait-max-delay-seconds 15: accepted .* at most 4 seconds apart/);
    },
  },
  {
    file: 'max-retries.yml',
    template: (region) => template(region, '1.3'),
    // Four throttled attempts: the fifth, within max-retries: 5, succeeds (as with the official action).
    faults: [{ operation: 'RegisterTaskDefinition', kind: 'throttle', rate: 1, count: 4 }],
    verify(run) {
      expectRegisteredAndDeployed(run, web(run.region, '1.3'));
      const registers = run.requests.filter((r) => r.operation === 'RegisterTaskDefinition');
      expect(registers.map((r) => r.error ?? r.status)).toEqual([
        'ThrottlingException',
        'ThrottlingException',
        'ThrottlingException',
        'ThrottlingException',
        200,
      ]);
    },
  },
];

/** The CodeDeploy application and deployment group of the example, created through the CodeDeploy API. */
async function createCodeDeployGroup(emulator: Emulator, region: string): Promise<void> {
  const cd = await import('@aws-sdk/client-codedeploy');
  const client = new cd.CodeDeployClient({
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await client.send(
      new cd.CreateApplicationCommand({
        applicationName: 'my-codedeploy-application',
        computePlatform: 'ECS',
      }),
    );
    await client.send(
      new cd.CreateDeploymentGroupCommand({
        applicationName: 'my-codedeploy-application',
        deploymentGroupName: 'my-codedeploy-deployment-group',
        serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsCodeDeployRole`,
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: CLUSTER, serviceName: SERVICE }],
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
        },
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: 'blue' }, { name: 'green' }],
              prodTrafficRoute: {
                listenerArns: [
                  `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener/app/web/0123456789abcdef/0123456789abcdef`,
                ],
              },
            },
          ],
        },
      }),
    );
  } finally {
    client.destroy();
  }
}

async function codeDeployDeployment(emulator: Emulator, run: ExampleRun): Promise<Record<string, unknown>> {
  const id = run.results[0]?.outputs['codedeploy-deployment-id'];
  if (!id) return {};
  const cd = await import('@aws-sdk/client-codedeploy');
  const client = new cd.CodeDeployClient({
    endpoint: emulator.url,
    region: run.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    return {
      deployment: (await client.send(new cd.GetDeploymentCommand({ deploymentId: id }))).deploymentInfo,
    };
  } finally {
    client.destroy();
  }
}

// ---- beyond the official action ----

/** A service whose managed EBS volume was configured elsewhere keeps it through a deploy without the volume inputs. */
const KEEPS_VOLUME: Example = {
  file: 'usage.yml',
  template: (region) => template(region, '1.3', EBS_VOLUME),
  service: {
    volumeConfigurations: [
      { name: 'ebs1', managedEBSVolume: { sizeInGiB: 50, roleArn: `arn:aws:iam::${ACCOUNT}:role/ebs-role` } },
    ],
  },
  verify(run) {
    expectRegisteredAndDeployed(run, web(run.region, '1.3'));
    expect(run.updateServiceInputs[0]).not.toHaveProperty('volumeConfigurations');
    const primary = run.service?.deployments?.find((d) => d.status === 'PRIMARY');
    expect(primary?.volumeConfigurations).toEqual([
      { name: 'ebs1', managedEBSVolume: { sizeInGiB: 50, roleArn: `arn:aws:iam::${ACCOUNT}:role/ebs-role` } },
    ]);
  },
};

/** A volume the task definition does not have: refused before anything is written, naming the input. */
const BAD_VOLUME: Example = {
  file: 'service-ebs-volume.yml',
  template: (region) => template(region, '1.3'),
  verify(run) {
    const [result] = run.results;
    expect(result.exitCode).toBe(1);
    expect(result.outputs.outcome).toBeUndefined();
    expect(result.annotations.map((a) => a.message).join('\n')).toContain(
      `input 'service-managed-ebs-volume-name': "ebs1" is not a volume of the task definition (it has none).`,
    );
    expect(mutatingCalls(run.requests)).toEqual([]);
    expect(run.service?.taskDefinition).toBe(tdArn(run.region, 1));
  },
};

/** max-retries: 0 means one attempt: a throttled RegisterTaskDefinition fails the step. */
const NO_RETRY: Example = {
  file: 'max-retries.yml',
  edit: (text) => text.replace('max-retries: 5', 'max-retries: 0'),
  template: (region) => template(region, '1.3'),
  faults: [{ operation: 'RegisterTaskDefinition', kind: 'throttle', rate: 1, count: 1 }],
  verify(run) {
    expect(run.results).toHaveLength(1);
    const [result] = run.results;
    expect(result.exitCode).toBe(1);
    const registers = run.requests.filter((r) => r.operation === 'RegisterTaskDefinition');
    expect(registers.map((r) => r.error)).toEqual(['ThrottlingException']);
    expect(run.updateServiceInputs).toHaveLength(0);
    expect(run.service?.taskDefinition).toBe(tdArn(run.region, 1));
  },
};

const runs = new Map<string, Promise<ExampleRun>>();

/** Runs every example, at most `concurrency` at a time; a failed run fails its own test only. */
async function runAll(examples: [string, Example][], concurrency: number): Promise<void> {
  const queue = [...examples];
  const settled = new Map<string, PromiseSettledResult<ExampleRun>>();
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, example] = next;
      try {
        settled.set(name, { status: 'fulfilled', value: await runExample(example) });
      } catch (reason) {
        settled.set(name, { status: 'rejected', reason });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  for (const [name, r] of settled) {
    const p = r.status === 'fulfilled' ? Promise.resolve(r.value) : Promise.reject(r.reason as Error);
    p.catch(() => undefined);
    runs.set(name, p);
  }
}

beforeAll(async () => {
  await runAll(
    [
      ...EXAMPLES.map((e) => [e.file, e] as [string, Example]),
      ['keeps-volume', KEEPS_VOLUME],
      ['no-retry', NO_RETRY],
      ['bad-volume', BAD_VOLUME],
    ],
    4,
  );
}, 300_000);

describe("the official action's README examples, run unchanged", () => {
  test('every example of the fixtures has a test, and every test a fixture', async () => {
    const files = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(EXAMPLES.map((e) => e.file).sort());
  });

  test.each(EXAMPLES.map((e) => [e.file, e] as const))('%s', async (file, example) => {
    example.verify(await runs.get(file)!);
  });
});

describe('beyond the official action', () => {
  test('a volume configuration set elsewhere is kept when the volume inputs are not given', async () => {
    KEEPS_VOLUME.verify(await runs.get('keeps-volume')!);
  });

  test('a volume the task definition does not configure at launch is refused before any write', async () => {
    BAD_VOLUME.verify(await runs.get('bad-volume')!);
  });

  test('max-retries: 0 makes one attempt', async () => {
    NO_RETRY.verify(await runs.get('no-retry')!);
  });
});
