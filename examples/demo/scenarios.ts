// The demo's scenarios, in the order they run against one emulated account (seed.yaml): each is
// one or more steps of the action, as a workflow would run them, with the outcome each step must
// end with and any further checks of what it did. They run one after another on purpose: the
// later ones build on what the earlier ones left (the revisions of family web that the cleanup
// of scenario 4 finds).
import type { GitHubRequestLogEntry } from '../../emulator/index.js';
import type { RunActionResult } from '../../emulator/run-action.js';
import { stageTimeline } from './report.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const TEMPLATE = 'examples/templates/web.json';
const SERVICES = ['web', 'api', 'worker'];

/** What a step's checks see: its result, the earlier steps of its scenario, what GitHub was asked. */
export interface StepContext {
  result: RunActionResult;
  earlier: RunActionResult[];
  github: GitHubRequestLogEntry[];
}

export interface DemoStep {
  title: string;
  /** The step's inputs; a function when they use an earlier step's outputs. */
  inputs: Record<string, string> | ((earlier: RunActionResult[]) => Record<string, string>);
  /** The `outcome` output the step must end with (and exit 0 exactly when it is a success). */
  expected: string;
  /** Problems beyond the outcome and the exit code; none means the step did what it should. */
  check?(ctx: StepContext): string[];
  /** Lines to print after the step's summary: what this step is there to show. */
  highlights?(ctx: StepContext): string[];
}

export interface DemoScenario {
  title: string;
  steps: DemoStep[];
}

/** The outcomes that end a step successfully (README, "Outcomes"). */
export const SUCCESS_OUTCOMES = new Set(['succeeded', 'unchanged', 'paused', 'stage-reached']);

const webDeploy = (tag: string): Record<string, string> => ({
  'task-definition': TEMPLATE,
  'container-name': 'web',
  image: `${REGISTRY}/web:${tag}`,
  'environment-variables': 'LOG_LEVEL=debug\nGREETING=hello=world',
  cluster: 'demo',
  service: 'web',
  'wait-for-minutes': '10',
});

const rolling: DemoScenario = {
  title: 'Rolling update of web:1.1 (a healthy image)',
  steps: [{ title: 'deploy web:1.1', inputs: webDeploy('1.1'), expected: 'succeeded' }],
};

const rollback: DemoScenario = {
  title: 'Rolling update of web:crash (the container exits on start; the circuit breaker rolls back)',
  steps: [{ title: 'deploy web:crash', inputs: webDeploy('crash'), expected: 'rolled-back' }],
};

/** `name = value` problems for outputs that must be there. */
function missingOutputs(result: RunActionResult, names: string[]): string[] {
  return names.filter((n) => !result.outputs[n]).map((n) => `output ${n} is missing`);
}

function timelineLines(result: RunActionResult): string[] {
  const timeline = stageTimeline(result.summary);
  return timeline.length ? ['Stage timeline (from the job summary):', ...timeline] : ['(no stage timeline)'];
}

const canary: DemoScenario = {
  title: 'Canary deploy of storefront with a test gate: paused at a PAUSE hook, then continued',
  steps: [
    {
      title: 'deploy web:1.2 as a canary, stop at the test gate',
      inputs: {
        'task-definition': TEMPLATE,
        'container-name': 'web',
        image: `${REGISTRY}/web:1.2`,
        cluster: 'demo',
        service: 'storefront',
        'deployment-strategy': 'CANARY',
        'canary-percent': '20',
        // Long enough (4 and 6 s at the demo's speed) for the follower, which polls a few
        // seconds apart, to see the canary's traffic split and the bake in the timeline.
        'canary-bake-time-in-minutes': '2',
        'bake-time-in-minutes': '3',
        'wait-for-minutes': '10',
      },
      expected: 'paused',
      check: ({ result }) => missingOutputs(result, ['service-deployment-arn', 'paused-hook-id']),
      highlights: ({ result }) => [
        `Paused at hook ${result.outputs['paused-hook-id']}: the workflow's smoke tests would run here,`,
        'against the test listener, before the next step lets production traffic move.',
        ...timelineLines(result),
      ],
    },
    {
      title: 'continue the paused deployment (continue-action CONTINUE)',
      inputs: (earlier) => ({
        'continue-deployment': earlier[0]?.outputs['service-deployment-arn'] ?? '',
        'continue-action': 'CONTINUE',
        'wait-for-minutes': '10',
      }),
      expected: 'succeeded',
      check: ({ result, earlier }) => {
        const problems: string[] = [];
        const arn = earlier[0]?.outputs['service-deployment-arn'];
        if (result.outputs['service-deployment-arn'] !== arn)
          problems.push(`followed ${result.outputs['service-deployment-arn']}, not the paused ${arn}`);
        const stages = stageTimeline(result.summary).join('\n');
        for (const stage of ['PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME'])
          if (!stages.includes(stage)) problems.push(`the stage timeline has no ${stage}`);
        return problems;
      },
      highlights: ({ result }) => timelineLines(result),
    },
  ],
};

interface ServiceVerdict {
  outcome?: string;
}

/** The `services` output, parsed; an empty object when it is missing or not JSON. */
function servicesOutput(result: RunActionResult): Record<string, ServiceVerdict> {
  try {
    return JSON.parse(result.outputs.services ?? '{}') as Record<string, ServiceVerdict>;
  } catch {
    return {};
  }
}

const statesRecorded = (github: GitHubRequestLogEntry[]): string[] =>
  github.filter((e) => e.operation === 'createDeploymentStatus').map((e) => String(e.body?.state));

function deregistered(result: RunActionResult): string[] {
  try {
    return JSON.parse(result.outputs['deregistered-task-definitions'] ?? '[]') as string[];
  } catch {
    return [];
  }
}

function checkSeveral({ result, github }: StepContext): string[] {
  const problems: string[] = [];
  const services = servicesOutput(result);
  for (const name of SERVICES) {
    if (services[name]?.outcome !== 'succeeded')
      problems.push(`service ${name}: ${services[name]?.outcome ?? 'not in the services output'}`);
  }
  const created = github.filter((e) => e.operation === 'createDeployment' && e.status === 201);
  if (created.length !== 1) problems.push(`${created.length} GitHub deployments created, not 1`);
  const states = statesRecorded(github).join(' → ');
  if (states !== 'in_progress → success') problems.push(`GitHub statuses ${states || '(none)'}`);
  // web:3 (the crashed image of scenario 2) is neither among the newest two nor run by a service.
  if (!deregistered(result).some((arn) => arn.endsWith(':task-definition/web:3')))
    problems.push('keep-revisions did not deregister web:3');
  return problems;
}

function severalHighlights({ result, github }: StepContext): string[] {
  const lines = ['What the loopback GitHub API recorded:'];
  for (const e of github) {
    const body = e.body ?? {};
    const what =
      e.operation === 'createDeployment'
        ? `environment ${String(body.environment)}: ${String(body.description)}`
        : `${String(body.state)}${body.description ? `: ${String(body.description)}` : ''}`;
    lines.push(`  ${e.method} ${e.path} → ${e.status}  ${what}`);
  }
  const verdicts = Object.entries(servicesOutput(result)).map(([name, v]) => `${name} ${v.outcome}`);
  lines.push(`Services: ${verdicts.join(', ')}`);
  lines.push(`Deregistered by keep-revisions: ${deregistered(result).join(', ') || '(none)'}`);
  return lines;
}

const several: DemoScenario = {
  title: 'One step, three services (web, api, worker), a GitHub deployment record and keep-revisions 2',
  steps: [
    {
      title: 'deploy web:2.0 to web, api and worker',
      inputs: {
        'task-definition': TEMPLATE,
        'container-name': 'web',
        image: `${REGISTRY}/web:2.0`,
        cluster: 'demo',
        service: SERVICES.join('\n'),
        'github-environment': 'production',
        'environment-url': 'https://www.example.com',
        'keep-revisions': '2',
        'wait-for-minutes': '10',
      },
      expected: 'succeeded',
      check: checkSeveral,
      highlights: severalHighlights,
    },
  ],
};

export const SCENARIOS: DemoScenario[] = [rolling, rollback, canary, several];
