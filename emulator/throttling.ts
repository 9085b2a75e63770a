// ECS API throttling: the documented per-account token buckets (docs/ecs-behaviour.md, "Throttling").
// Buckets refill in REAL time, not simulated time: throttling is about how fast the client calls,
// and the SDK's retry back-off sleeps in real time.

interface BucketSpec {
  burst: number;
  perSecond: number;
  actions: string[];
}

export const ECS_BUCKETS: Record<string, BucketSpec> = {
  'service-modify': { burst: 50, perSecond: 5, actions: ['CreateService', 'DeleteService', 'UpdateService'] },
  'service-read': { burst: 100, perSecond: 20, actions: ['DescribeServices', 'ListServices'] },
  'service-deployment': {
    burst: 50,
    perSecond: 20,
    actions: ['DescribeServiceDeployments', 'ListServiceDeployments'],
  },
  'service-revision': { burst: 50, perSecond: 20, actions: ['DescribeServiceRevisions'] },
  'task-definition-modify': {
    burst: 20,
    perSecond: 1,
    actions: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'],
  },
  'task-definition-read': {
    burst: 50,
    perSecond: 20,
    actions: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'],
  },
  'task-definition-deletion': { burst: 5, perSecond: 1, actions: ['DeleteTaskDefinitions'] },
  'cluster-resource-read': {
    burst: 100,
    perSecond: 20,
    actions: [
      'DescribeTasks',
      'ListTasks',
      'DescribeContainerInstances',
      'ListContainerInstances',
      'ListAttributes',
    ],
  },
  'cluster-resource-modify': { burst: 100, perSecond: 40, actions: ['RunTask', 'StartTask', 'StopTask'] },
  'cluster-read': { burst: 50, perSecond: 20, actions: ['DescribeClusters', 'ListClusters'] },
  'tag-modify': { burst: 20, perSecond: 10, actions: ['TagResource', 'UntagResource'] },
  'tag-read': { burst: 50, perSecond: 20, actions: ['ListTagsForResource'] },
};

export interface Throttler {
  /** Take a token for an ECS operation; false means "answer ThrottlingException". */
  take(operation: string): boolean;
}

export function createEcsThrottler(realNow: () => number = Date.now): Throttler {
  const byAction = new Map<string, { spec: BucketSpec; tokens: number; at: number }>();
  for (const spec of Object.values(ECS_BUCKETS)) {
    const bucket = { spec, tokens: spec.burst, at: realNow() };
    for (const action of spec.actions) byAction.set(action, bucket); // actions share their bucket
  }
  return {
    take(operation) {
      const bucket = byAction.get(operation);
      if (!bucket) return true; // operations outside the documented categories are not throttled
      const now = realNow();
      bucket.tokens = Math.min(
        bucket.spec.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * bucket.spec.perSecond,
      );
      bucket.at = now;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
