// A scripted fake of the CodeDeploy port (src/aws/ports.ts), as the other fakes in aws.ts: each
// test scripts the methods it expects, every call is recorded, and an unscripted method throws.
// `codeDeployWorld` scripts the whole port with one deployment that moves along a timeline of
// the fake clock, for tests of the follower and of the whole step.

import type { DeploymentGroupInfo, DeploymentInfo, ECSTarget } from '@aws-sdk/client-codedeploy';
import type { CallOptions, CodeDeployPort } from '../../src/aws/ports.js';
import type { FakeClock } from './clock.js';
import type { RecordedCall } from './aws.js';

export type FakeCodeDeploy = CodeDeployPort & {
  calls: RecordedCall[];
  script: Partial<CodeDeployPort>;
  callsOf(method: keyof CodeDeployPort): RecordedCall[];
};

const METHODS: (keyof CodeDeployPort)[] = [
  'getDeploymentGroup',
  'getDeploymentConfig',
  'createDeployment',
  'getDeployment',
  'getEcsTarget',
  'listActiveDeployments',
  'stopDeployment',
];

function signalOf(args: unknown[]): AbortSignal | undefined {
  const last = args.at(-1) as CallOptions | undefined;
  return typeof last === 'object' && last !== null && 'signal' in last ? last.signal : undefined;
}

export function fakeCodeDeploy(script: Partial<CodeDeployPort> = {}): FakeCodeDeploy {
  const calls: RecordedCall[] = [];
  const port = { calls, script } as Record<string, unknown>;
  for (const method of METHODS) {
    port[method] = (...args: unknown[]) => {
      const signal = signalOf(args);
      calls.push({ method, args, ...(signal ? { signal } : {}) });
      const scripted = script[method] as ((...a: unknown[]) => unknown) | undefined;
      if (!scripted) return Promise.reject(new Error(`fake CodeDeployPort: ${method} was not scripted`));
      return scripted(...args);
    };
  }
  const fake = port as unknown as FakeCodeDeploy;
  fake.callsOf = (method) => calls.filter((c) => c.method === method);
  return fake;
}

/** A blue/green deployment group with the given ready and termination waits (minutes). */
export function blueGreenGroup(ready = 0, termination = 5): DeploymentGroupInfo {
  return {
    applicationName: 'AppECS-prod-web',
    deploymentGroupName: 'DgpECS-prod-web',
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    computePlatform: 'ECS',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: ready },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: termination,
      },
    },
    ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
  };
}

/** What GetDeployment and GetDeploymentTarget say from a second of the fake clock on. */
export interface CodeDeployMoment {
  info: Partial<DeploymentInfo>;
  target?: Partial<ECSTarget>;
}

/** Seconds since CreateDeployment → what CodeDeploy says from then on. */
export type CodeDeployTimeline = [number, CodeDeployMoment][];

export const DEPLOYMENT_ID = 'd-ABCDEF123';

export interface CodeDeployWorldOptions {
  /**
   * What GetDeployment says of any other deployment id (the rollback deployment), by seconds
   * since CreateDeployment (Created before its first moment); by default it Succeeded at once.
   */
  rollback?: CodeDeployTimeline;
  /** The group's active deployments, as listActiveDeployments answers before the gate. */
  active?: string[];
}

/**
 * The port over one deployment: CreateDeployment starts the timeline; StopDeployment with
 * rollback makes the deployment Stopped and rolled back from then on.
 */
export function codeDeployWorld(
  clock: FakeClock,
  timeline: CodeDeployTimeline,
  group: DeploymentGroupInfo = blueGreenGroup(),
  options: CodeDeployWorldOptions = {},
): FakeCodeDeploy {
  let startedAt: number | undefined;
  let stopped: CodeDeployMoment | undefined;
  const at = (line: CodeDeployTimeline, first: CodeDeployMoment): CodeDeployMoment => {
    const elapsed = startedAt === undefined ? 0 : (clock.now() - startedAt) / 1000;
    let found = first;
    for (const [second, moment] of line) if (second <= elapsed) found = moment;
    return found;
  };
  const now = (): CodeDeployMoment => stopped ?? at(timeline, { info: { status: 'Created' } });
  const rollback = (id: string): Partial<DeploymentInfo> => ({
    creator: 'codeDeployRollback',
    ...(options.rollback
      ? at(options.rollback, { info: { status: 'Created' } }).info
      : { status: 'Succeeded' as const }),
    deploymentId: id,
  });
  return fakeCodeDeploy({
    getDeploymentGroup: async () => ({ group }),
    getDeploymentConfig: async (name) => ({ deploymentConfigName: name, computePlatform: 'ECS' }),
    listActiveDeployments: async () => options.active ?? [],
    createDeployment: async () => {
      startedAt = clock.now();
      return DEPLOYMENT_ID;
    },
    getDeployment: async (id) =>
      id === DEPLOYMENT_ID ? { deploymentId: DEPLOYMENT_ID, ...now().info } : rollback(id),
    getEcsTarget: async (q) => {
      const target = now().target;
      return target ? { deploymentId: DEPLOYMENT_ID, targetId: q.targetId, ...target } : undefined;
    },
    stopDeployment: async (q) => {
      stopped = {
        info: {
          status: 'Stopped',
          errorInformation: { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user.' },
          ...(q.autoRollbackEnabled
            ? { rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'Rolled back.' } }
            : {}),
        },
        target: now().target,
      };
      return { status: 'Pending', statusMessage: 'Stopping' };
    },
  });
}
