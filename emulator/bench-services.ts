// The several-services figures of `npm run bench` (issue 13): 1, 10 and 30 services of cluster
// demo followed in one step while a `:slow` rollout runs (about 66 s real), each service on web:1
// as the demo seed's. For each count: the most requests in any 60 s of following (after the last
// UpdateService), the average per minute, the DescribeServices calls, and the verdict latency (the
// real moment the last service's deployment completed in the ECS model -> the action exited).
// Targets: requests per minute for 30 services at most three times those for one (ten services
// per DescribeServices call), each verdict latency within 5 s.
import { startEmulator, type Emulator, type RequestLogEntry } from './index.js';
import path from 'node:path';
import { PROJECT_ROOT, runAction } from './run-action.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const CLUSTER = 'demo';
export const SERVICE_COUNTS = [1, 10, 30] as const;

export interface ServicesFigures {
  services: number;
  maxPerWindow: number;
  perMinute: number;
  describeServicesCalls: number;
  followMs: number;
  latencyMs: number;
  byOperation: Record<string, number>;
}

const names = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? 'web' : `web-${i + 1}`));

function serviceSeed(name: string): Record<string, unknown> {
  return {
    cluster: CLUSTER,
    serviceName: name,
    taskDefinition: 'web:1',
    desiredCount: 2,
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0123456789abcdef0'],
        securityGroups: ['sg-0123456789abcdef0'],
      },
    },
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  };
}

/** When (simulated ms) each of our deployments completed, from the model itself. */
function completedAt(emulator: Emulator, deployments: Record<string, string>): number[] {
  const out: number[] = [];
  const services = Object.keys(deployments);
  for (let i = 0; i < services.length; i += 10) {
    const answer = emulator.ecs.handlers.DescribeServices(
      { cluster: CLUSTER, services: services.slice(i, i + 10) },
      { service: 'ecs', operation: 'DescribeServices', region: 'us-east-1', accountId: '123456789012' },
    ) as { services?: { serviceName?: string; events?: { createdAt?: Date; message?: string }[] }[] };
    for (const svc of answer.services ?? []) {
      const id = deployments[svc.serviceName ?? ''];
      const event = svc.events?.find((e) => e.message?.includes(`(deployment ${id}) deployment completed.`));
      if (!event?.createdAt) throw new Error(`no completion event for ${svc.serviceName} (${id})`);
      out.push(event.createdAt.getTime());
    }
  }
  return out;
}

function maxInWindow(requests: RequestLogEntry[]): number {
  const times = requests.map((r) => r.time).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j] <= times[i] - 60_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

/** One step following `count` services; `speed` simulated ms per real ms. */
export async function measureServices(
  count: number,
  speed: number,
  randomSeed = 1,
): Promise<ServicesFigures> {
  const emulator = await startEmulator({
    speed,
    seed: path.join(PROJECT_ROOT, 'examples/demo/seed.yaml'),
    randomSeed,
  });
  try {
    const services = names(count);
    await emulator.seed({
      images: [{ repository: 'web', tag: 'slow' }],
      services: services.slice(1).map(serviceSeed),
    });
    const result = await runAction({
      endpoint: emulator.url,
      timeoutMs: 10 * 60_000,
      inputs: {
        'task-definition': 'examples/templates/web.json',
        'container-name': 'web',
        image: `${REGISTRY}/web:slow`,
        cluster: CLUSTER,
        service: services.join('\n'),
        'wait-for-minutes': '10',
      },
    });
    const exitedAt = Date.now();
    if (result.outputs.outcome !== 'succeeded') {
      throw new Error(`${count} services: outcome ${result.outputs.outcome ?? '(none)'}\n${result.log}`);
    }
    const rows = JSON.parse(result.outputs.services ?? '{}') as Record<string, { 'deployment-id': string }>;
    const deployments = Object.fromEntries(
      Object.entries(rows).map(([name, row]) => [name, row['deployment-id']]),
    );
    const lastVerdictSim = Math.max(...completedAt(emulator, deployments));
    const lastVerdictReal = Date.now() - (emulator.clock.now() - lastVerdictSim) / emulator.clock.speed;
    const requests = [...emulator.requests];
    const lastUpdate = requests.map((r) => r.operation).lastIndexOf('UpdateService');
    const follow = requests.slice(lastUpdate + 1);
    const followMs = exitedAt - requests[lastUpdate].time;
    const byOperation: Record<string, number> = {};
    for (const r of follow) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
    return {
      services: count,
      maxPerWindow: maxInWindow(follow),
      perMinute: (follow.length / followMs) * 60_000,
      describeServicesCalls: byOperation.DescribeServices ?? 0,
      followMs,
      latencyMs: exitedAt - lastVerdictReal,
      byOperation,
    };
  } finally {
    await emulator.stop();
  }
}
