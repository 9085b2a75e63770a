// The preflight figure of `npm run bench`: a task of ten containers, ten secrets (five SSM
// parameters, five Secrets Manager secrets) and two env files, rendered and checked as a dry run
// against the emulator, with preflight on and off. The action logs how long its checks took
// ("Preflight: N references checked in X s"); the difference of the whole runs is printed too.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type EmulatorSeed } from './index.js';
import { runAction } from './run-action.js';

const ACCOUNT = '123456789012';
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const CONTAINERS = 10;

function template(secretArns: string[]): Record<string, unknown> {
  const containers = Array.from({ length: CONTAINERS }, (_, i) => ({
    name: `app${i}`,
    image: `${REGISTRY}/app${i}:1.0`,
    essential: i === 0,
    memory: 256,
    secrets: [
      i < 5
        ? { name: 'DB_URL', valueFrom: `/bench/app${i}/db-url` }
        : { name: 'PASSWORD', valueFrom: secretArns[i - 5] },
    ],
    ...(i < 2 ? { environmentFiles: [{ value: `arn:aws:s3:::bench-config/app${i}.env`, type: 's3' }] } : {}),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '/ecs/bench',
        'awslogs-region': 'us-east-1',
        'awslogs-stream-prefix': `app${i}`,
      },
    },
  }));
  return {
    family: 'bench',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '4096',
    memory: '8192',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: containers,
  };
}

const SEED: EmulatorSeed = {
  images: Array.from({ length: CONTAINERS }, (_, i) => ({ repository: `app${i}`, tag: '1.0' })),
  parameters: Array.from({ length: 5 }, (_, i) => ({
    name: `/bench/app${i}/db-url`,
    value: 'postgres://db',
  })),
  secrets: Array.from({ length: 5 }, (_, i) => ({ name: `bench/app${i + 5}/password`, value: 'pw' })),
  objects: [0, 1].map((i) => ({ bucket: 'bench-config', key: `app${i}.env`, body: 'A=1\n' })),
  logGroups: [{ name: '/ecs/bench' }],
};

export interface PreflightFigures {
  /** What the action logged for its checks, ms. */
  checksMs: number[];
  /** Whole dry runs, spawn to exit, with and without preflight, ms. */
  withMs: number[];
  withoutMs: number[];
  references: number;
}

/** `runs` dry runs with preflight and `runs` without, alternating. */
export async function measurePreflight(runs: number): Promise<PreflightFigures> {
  const emulator = await startEmulator({ speed: 60, seed: SEED });
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'bench-preflight-'));
  const figures: PreflightFigures = { checksMs: [], withMs: [], withoutMs: [], references: 0 };
  try {
    const arns = Array.from({ length: 5 }, (_, i) =>
      emulator.models.secretsmanager.arnOf(`bench/app${i + 5}/password`)!,
    );
    await writeFile(path.join(workspace, 'bench.json'), JSON.stringify(template(arns)));
    for (let i = 0; i < runs; i++) {
      for (const preflight of ['true', 'false']) {
        const started = Date.now();
        const result = await runAction({
          endpoint: emulator.url,
          workspace,
          inputs: { 'task-definition': 'bench.json', 'dry-run': 'true', preflight },
        });
        const ms = Date.now() - started;
        if (result.exitCode !== 0) throw new Error(`preflight bench run failed:\n${result.log}`);
        if (preflight === 'false') {
          figures.withoutMs.push(ms);
          continue;
        }
        figures.withMs.push(ms);
        const m = /Preflight: (\d+) references? checked in (\d+\.\d+) s/.exec(result.log);
        if (!m) throw new Error(`no preflight line in the log:\n${result.log}`);
        figures.references = Number(m[1]);
        figures.checksMs.push(Number(m[2]) * 1000);
      }
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
    await emulator.stop();
  }
  return figures;
}
