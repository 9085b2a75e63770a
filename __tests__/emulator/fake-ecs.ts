// A tiny stand-in for the ECS model, so the HTTP layer is tested on its own: a few handlers, an
// advance() that counts calls, and a log line written through the sink.
import { AwsError, type EcsModel, type EcsModelOptions, type EcsSeed } from '../../emulator/core.js';

export interface FakeEcs extends EcsModel {
  advances: number;
  seeds: EcsSeed[];
  options: EcsModelOptions;
}

export function createFakeEcs(options: EcsModelOptions): FakeEcs {
  const clusters = new Map<string, { createdAt: Date }>();
  const model: FakeEcs = {
    advances: 0,
    seeds: [],
    options,
    handlers: {
      CreateCluster(input: { clusterName?: string }) {
        const name = input.clusterName ?? 'default';
        clusters.set(name, { createdAt: new Date(options.clock.now()) });
        return { cluster: { clusterName: name, status: 'ACTIVE' } };
      },
      DescribeClusters(input: { clusters?: string[] }) {
        const names = input.clusters ?? ['default'];
        return {
          clusters: names.filter((n) => clusters.has(n)).map((n) => ({ clusterName: n, status: 'ACTIVE' })),
          failures: names.filter((n) => !clusters.has(n)).map((n) => ({ arn: n, reason: 'MISSING' })),
        };
      },
      UpdateService(input: { cluster?: string; service?: string }) {
        if (!clusters.has(input.cluster ?? 'default')) {
          throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
        }
        options.logSink?.('/ecs/web', 'web/app/1', [{ timestamp: options.clock.now(), message: 'updated' }]);
        return { service: { serviceName: input.service, createdAt: new Date(options.clock.now()) } };
      },
      RegisterTaskDefinition(input: { family?: string }) {
        return { taskDefinition: { family: input.family, revision: 1 } };
      },
      DescribeServices() {
        throw new Error('boom: model bug');
      },
    },
    advance() {
      model.advances++;
    },
    seed(seed) {
      model.seeds.push(seed);
      for (const c of seed.clusters ?? []) clusters.set(c.name, { createdAt: new Date(options.clock.now()) });
    },
  };
  return model;
}
