// A tiny ECS world to script the fake ECS port (./aws.ts) with, for tests that run a whole step:
// task definitions and services, and a scripted rollout: after UpdateService, DescribeServices
// answers the timeline's state for the seconds since the update. The fake port records every
// call; the world answers them.
import { fakeCodeDeploy, type FakeCodeDeploy } from './codedeploy.js';
import type {
  RunTaskCommandInput,
  Service,
  ServiceDeployment,
  Tag,
  Task,
  TaskDefinitionStatus,
  UpdateServiceCommandInput,
  CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { AwsCallError } from '../../src/aws/errors.js';
import type {
  CallOptions,
  DescribedServiceDeployments,
  DescribedServices,
  DescribedTaskDefinition,
  DeletedTaskDefinitions,
  DescribedTasks,
  EcrPort,
  EcsPort,
  ListServiceDeploymentsQuery,
  ListTaskDefinitionsQuery,
  RegisteredTaskDefinition,
  S3Port,
  SecretsPort,
  SsmPort,
  StartedTasks,
  StoppedTasksQuery,
} from '../../src/aws/ports.js';
import type { JsonObject } from '../../src/lib/json.js';
import { fakeEcs, fakeLogs, fakeReferences, type Fake, type FakeEcs, type FakeLogs } from './aws.js';
import type { FakeClock } from './clock.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const tdArn = (family: string, revision: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;

/** `[seconds since UpdateService, what DescribeServices answers from then on]`, in time order. */
export type Timeline = [number, Service][];

interface StoredTaskDefinition {
  arn: string;
  doc: JsonObject;
  tags: Tag[];
  status: TaskDefinitionStatus;
}

const MUTATING = /^(Register|Update|Create|Delete|Deregister|Stop|Run|Tag|Untag|Continue)/;

export class EcsWorld implements EcsPort {
  private readonly taskDefinitions: StoredTaskDefinition[] = [];
  private readonly services = new Map<string, Service>();
  private readonly failures = new Map<string, Error>();
  private updatedAt?: number;
  /** What DescribeServices answers after UpdateService (see Timeline). */
  timeline: Timeline = [];
  /** What DescribeServiceDeployments answers for any ARN, by seconds since UpdateService. */
  serviceDeployments: [number, ServiceDeployment][] = [];
  stoppedTasks: Task[] = [];
  /**
   * How a one-off task started by runTask ends: its containers' exit codes after `runsForSeconds`
   * (a container left out never gets one: it never started). `failures` makes RunTask place none.
   */
  taskScript: {
    exitCodes: Record<string, number>;
    runsForSeconds: number;
    failures?: { arn?: string; reason?: string; detail?: string }[];
    stopCode?: string;
    stoppedReason?: string;
  } = { exitCodes: {}, runsForSeconds: 10 };
  /** The tasks runTask started, with the RunTask input and the clock time. */
  runTasks: { input: RunTaskCommandInput; arn: string; at: number; stoppedAt?: number }[] = [];
  /** Tags by resource ARN (TagResource, UntagResource, ListTagsForResource). */
  readonly tags = new Map<string, Tag[]>();

  constructor(private readonly clock: FakeClock) {}

  /** Registers a revision as if an earlier run had, without recording a call. */
  seedTaskDefinition(doc: JsonObject, options: { tags?: Tag[]; status?: TaskDefinitionStatus } = {}): string {
    return this.store(doc, options.tags ?? [], options.status ?? 'ACTIVE');
  }
  seedService(service: Service): void {
    this.services.set(service.serviceName ?? '', service);
  }
  /** The next call of `operation` throws `error` (every call when `always`). */
  fail(operation: string, error: Error): void {
    this.failures.set(operation, error);
  }
  async describeServices(cluster: string, names: string[]): Promise<DescribedServices> {
    this.record('DescribeServices', { cluster, names });
    // A service ARN names the service after its last '/'.
    names = names.map((n) => (n.startsWith('arn:') ? n.slice(n.lastIndexOf('/') + 1) : n));
    const found = names.map((n) => this.currentService(n)).filter((s): s is Service => !!s);
    const failures = names
      .filter((n) => !this.services.has(n))
      .map((n) => ({ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${n}`, reason: 'MISSING' }));
    return { services: found, failures };
  }

  async describeService(cluster: string, name: string, options?: CallOptions): Promise<Service> {
    const { services } = await this.describeServices(cluster, [name]);
    void options;
    const found = services[0];
    if (!found) {
      throw new AwsCallError(
        `Service '${name}' was not found in cluster '${cluster}'. Check the service and cluster inputs (and the region).`,
        { kind: 'other', operation: 'DescribeServices' },
      );
    }
    return found;
  }

  async describeTaskDefinition(ref: string): Promise<DescribedTaskDefinition> {
    this.record('DescribeTaskDefinition', { ref });
    const td = this.findTaskDefinition(ref);
    if (!td) {
      throw new AwsCallError('DescribeTaskDefinition failed: Unable to describe task definition.', {
        kind: 'other',
        operation: 'DescribeTaskDefinition',
        awsName: 'ClientException',
        cause: new Error('Unable to describe task definition.'),
      });
    }
    return { taskDefinition: structuredClone(td.doc), tags: td.tags, arn: td.arn, status: td.status };
  }

  async registerTaskDefinition(
    td: JsonObject,
    options: { tags?: Tag[] } = {},
  ): Promise<RegisteredTaskDefinition> {
    const tags = options.tags;
    this.record('RegisterTaskDefinition', { td, tags });
    const arn = this.store(td, tags ?? [], 'ACTIVE');
    const [family, revision] = arn.slice(arn.lastIndexOf('/') + 1).split(':');
    return { arn, family, revision: Number(revision) };
  }

  async updateService(input: UpdateServiceCommandInput): Promise<Service> {
    this.record('UpdateService', input);
    this.updatedAt = this.clock.now();
    const name = input.service ?? '';
    const before = this.services.get(name);
    if (!before) throw new Error(`fake: no service ${name}`);
    const after = this.timeline[0]?.[1] ?? {
      ...before,
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
    };
    return after;
  }

  /** The service as created, steady on its first deployment unless a timeline says otherwise. */
  async createService(input: CreateServiceCommandInput): Promise<Service> {
    this.record('CreateService', input);
    this.updatedAt = this.clock.now();
    const name = input.serviceName ?? '';
    const deployment = {
      id: 'ecs-svc/1',
      status: 'PRIMARY',
      taskDefinition: input.taskDefinition,
      desiredCount: input.desiredCount,
      runningCount: 0,
      rolloutState: 'IN_PROGRESS' as const,
      createdAt: new Date(this.clock.now()),
    };
    const created: Service = {
      serviceName: name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${input.cluster ?? 'default'}/${name}`,
      status: 'ACTIVE',
      desiredCount: input.desiredCount,
      taskDefinition: input.taskDefinition,
      loadBalancers: input.loadBalancers,
      deployments: [deployment],
    };
    this.services.set(name, created);
    return this.timeline[0]?.[1] ?? created;
  }

  async listTagsForResource(arn: string): Promise<Tag[]> {
    this.record('ListTagsForResource', { arn });
    return this.tags.get(arn) ?? [];
  }

  async tagResource(arn: string, tags: Tag[]): Promise<void> {
    this.record('TagResource', { arn, tags });
    const kept = (this.tags.get(arn) ?? []).filter((t) => !tags.some((n) => n.key === t.key));
    this.tags.set(arn, [...kept, ...tags]);
  }

  async untagResource(arn: string, keys: string[]): Promise<void> {
    this.record('UntagResource', { arn, keys });
    this.tags.set(
      arn,
      (this.tags.get(arn) ?? []).filter((t) => !keys.includes(t.key ?? '')),
    );
  }

  /** Service deployments listed after ours (another UpdateService while a step follows ours). */
  newerServiceDeployments: {
    serviceDeploymentArn: string;
    targetServiceRevisionArn: string;
    createdAt: Date;
  }[] = [];

  async listServiceDeployments(query: ListServiceDeploymentsQuery) {
    this.record('ListServiceDeployments', query);
    const sd = this.serviceDeploymentNow();
    return sd
      ? [
          ...this.newerServiceDeployments,
          {
            serviceDeploymentArn: sd.serviceDeploymentArn,
            targetServiceRevisionArn: sd.targetServiceRevision?.arn,
            createdAt: sd.createdAt,
          },
        ]
      : [];
  }

  async describeServiceDeployments(arns: string[]): Promise<DescribedServiceDeployments> {
    this.record('DescribeServiceDeployments', { arns });
    const sd = this.serviceDeploymentNow();
    return sd
      ? { serviceDeployments: [sd], failures: [] }
      : { serviceDeployments: [], failures: arns.map((arn) => ({ arn, reason: 'MISSING' })) };
  }

  async stopServiceDeployment(arn: string, stopType: string): Promise<string> {
    this.record('StopServiceDeployment', { arn, stopType });
    return arn;
  }

  /** ContinueServiceDeployment calls, and what DescribeServiceDeployments answers after one (by seconds since it). */
  continued: { serviceDeploymentArn: string; hookId: string; action: string }[] = [];
  afterContinue?: [number, ServiceDeployment][];

  async continueServiceDeployment(request: {
    serviceDeploymentArn: string;
    hookId: string;
    action: string;
  }): Promise<string> {
    this.record('ContinueServiceDeployment', request);
    this.continued.push(request);
    if (this.afterContinue) {
      this.serviceDeployments = this.afterContinue;
      this.updatedAt = this.clock.now();
    }
    return request.serviceDeploymentArn;
  }

  /** Starts the scripted timelines without an UpdateService (a continue step makes none). */
  startTimeline(): void {
    this.updatedAt = this.clock.now();
  }

  async listStoppedTasks(query: StoppedTasksQuery): Promise<Task[]> {
    this.record('ListTasks', query);
    return this.stoppedTasks.filter((t) => t.startedBy === query.deploymentId);
  }

  async runTask(input: RunTaskCommandInput): Promise<StartedTasks> {
    this.record('RunTask', input);
    if (this.taskScript.failures) return { tasks: [], failures: this.taskScript.failures };
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${input.cluster ?? 'default'}/${String(this.runTasks.length + 1).padStart(32, '0')}`;
    this.runTasks.push({ input, arn, at: this.clock.now() });
    return { tasks: [this.taskNow(arn)], failures: [] };
  }

  async describeTasks(cluster: string, arns: string[]): Promise<DescribedTasks> {
    this.record('DescribeTasks', { cluster, arns });
    return { tasks: arns.map((arn) => this.taskNow(arn)), failures: [] };
  }

  async stopTask(cluster: string, arn: string, reason: string): Promise<Task | undefined> {
    this.record('StopTask', { cluster, arn, reason });
    const run = this.runTasks.find((t) => t.arn === arn);
    if (run) run.stoppedAt = this.clock.now();
    return this.taskNow(arn);
  }

  // ---- cleanup of old revisions ----
  async listTaskDefinitions(query: ListTaskDefinitionsQuery): Promise<string[]> {
    this.record('ListTaskDefinitions', query);
    const status = query.status ?? 'ACTIVE';
    const arns = this.taskDefinitions
      .filter((t) => t.doc.family === query.family && t.status === status)
      .map((t) => t.arn);
    return query.sort === 'DESC' ? arns.reverse() : arns;
  }

  async listServices(cluster: string): Promise<string[]> {
    this.record('ListServices', { cluster });
    return [...this.services.values()].map(
      (s) => s.serviceArn ?? `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${s.serviceName ?? ''}`,
    );
  }

  async deregisterTaskDefinition(ref: string): Promise<string> {
    this.record('DeregisterTaskDefinition', { ref });
    const td = this.findTaskDefinition(ref);
    if (!td) throw new Error(`fake: no task definition ${ref}`);
    if (td.status === 'ACTIVE') td.status = 'INACTIVE';
    return td.arn;
  }

  async deleteTaskDefinitions(refs: string[]): Promise<DeletedTaskDefinitions> {
    this.record('DeleteTaskDefinitions', { refs });
    const result: DeletedTaskDefinitions = { deleted: [], failures: [] };
    for (const ref of refs) {
      const td = this.findTaskDefinition(ref);
      if (td?.status === 'INACTIVE') {
        td.status = 'DELETE_IN_PROGRESS';
        result.deleted.push(td.arn);
      } else {
        result.failures.push({ arn: ref, reason: 'The specified task definition is not INACTIVE.' });
      }
    }
    return result;
  }

  /** A revision's status now (for assertions). */
  statusOf(arn: string): TaskDefinitionStatus | undefined {
    return this.findTaskDefinition(arn)?.status;
  }

  /** A one-off task as the script says it stands now. */
  private taskNow(arn: string): Task {
    const run = this.runTasks.find((t) => t.arn === arn);
    const elapsed = run ? (this.clock.now() - run.at) / 1000 : 0;
    const { exitCodes, runsForSeconds, stopCode, stoppedReason } = this.taskScript;
    const stoppedByUser = run?.stoppedAt !== undefined;
    const ended = elapsed >= runsForSeconds || stoppedByUser;
    const names = Object.keys(exitCodes);
    const neverRan = stopCode === 'TaskFailedToStart';
    return {
      taskArn: arn,
      lastStatus: ended ? 'STOPPED' : 'RUNNING',
      ...(neverRan ? {} : { startedAt: new Date(run?.at ?? 0) }),
      ...(ended
        ? {
            stopCode: stoppedByUser ? 'UserInitiated' : (stopCode ?? 'EssentialContainerExited'),
            stoppedReason: stoppedByUser
              ? 'Task stopped by user'
              : (stoppedReason ?? 'Essential container in task exited'),
          }
        : {}),
      containers: names.map((name) => ({
        name,
        lastStatus: ended ? 'STOPPED' : 'RUNNING',
        ...(ended && !neverRan ? { exitCode: stoppedByUser ? 0 : exitCodes[name] } : {}),
      })),
    } as Task;
  }

  /** The port records the call; the world only plays a scripted failure. */
  private record(operation: string, input: unknown): void {
    void input;
    const failure = this.failures.get(operation);
    if (failure) {
      this.failures.delete(operation);
      throw failure;
    }
  }

  private elapsed(): number | undefined {
    return this.updatedAt === undefined ? undefined : (this.clock.now() - this.updatedAt) / 1000;
  }

  private currentService(name: string): Service | undefined {
    const seeded = this.services.get(name);
    const elapsed = this.elapsed();
    if (!seeded || elapsed === undefined || this.timeline.length === 0) return seeded;
    const now = latest(this.timeline, elapsed);
    // The timeline is the deployed service's; another service of the cluster stays as seeded.
    return now && (now.serviceName ?? name) === name ? now : seeded;
  }

  private serviceDeploymentNow(): ServiceDeployment | undefined {
    const elapsed = this.elapsed();
    return elapsed === undefined ? undefined : latest(this.serviceDeployments, elapsed);
  }

  private store(doc: JsonObject, tags: Tag[], status: TaskDefinitionStatus): string {
    const family = String(doc.family);
    const revision = this.taskDefinitions.filter((t) => t.doc.family === family).length + 1;
    const arn = tdArn(family, revision);
    this.taskDefinitions.push({ arn, doc: structuredClone(doc), tags, status });
    return arn;
  }

  private findTaskDefinition(ref: string): StoredTaskDefinition | undefined {
    const short = ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
    if (short.includes(':')) return this.taskDefinitions.find((t) => t.arn.endsWith(`/${short}`));
    const active = this.taskDefinitions.filter((t) => t.doc.family === short && t.status === 'ACTIVE');
    return active.at(-1);
  }
}

function latest<T>(timeline: [number, T][], elapsed: number): T | undefined {
  let found: T | undefined;
  for (const [at, value] of timeline) if (at <= elapsed) found = value;
  return found;
}

/** Port method → the ECS operation it calls, for assertions that read like the request log. */
const OPERATIONS: Record<string, string> = {
  describeService: 'DescribeServices',
  listStoppedTasks: 'ListTasks',
};

export function operationsOf(ecs: FakeEcs): string[] {
  return ecs.calls.map((c) => OPERATIONS[c.method] ?? c.method[0].toUpperCase() + c.method.slice(1));
}

export function mutatingCallsOf(ecs: FakeEcs): string[] {
  return operationsOf(ecs).filter((op) => MUTATING.test(op));
}

export interface WorldAws {
  region: string;
  ecs: FakeEcs;
  logs: FakeLogs;
  ecr: Fake<EcrPort>;
  s3: Fake<S3Port>;
  ssm: Fake<SsmPort>;
  secrets: Fake<SecretsPort>;
  codedeploy: FakeCodeDeploy;
  world: EcsWorld;
  /** Log lines by `group stream`. */
  streams: Map<string, string[]>;
}

/** The fake ports, scripted by one ECS world and a map of log streams. */
export function fakeAws(clock: FakeClock): WorldAws {
  const world = new EcsWorld(clock);
  const streams = new Map<string, string[]>();
  const script: Partial<EcsPort> = {};
  for (const method of Object.getOwnPropertyNames(EcsWorld.prototype)) {
    const fn = (world as unknown as Record<string, unknown>)[method];
    if (method !== 'constructor' && typeof fn === 'function') {
      (script as Record<string, unknown>)[method] = fn.bind(world);
    }
  }
  const logs = fakeLogs({
    getLogTail: async (query) => (streams.get(`${query.group} ${query.stream}`) ?? []).slice(-query.lines),
    logGroupExists: async () => true,
    // Tokens are positions in the stream; at its end the same token comes back, as in CloudWatch Logs.
    getLogPage: async (query) => {
      const lines = streams.get(`${query.group} ${query.stream}`);
      if (!lines) return { lines: [], nextForwardToken: query.nextToken, exists: false };
      const from = Number(query.nextToken ?? 0);
      return { lines: lines.slice(from), nextForwardToken: String(lines.length), exists: true };
    },
  });
  const codedeploy = fakeCodeDeploy();
  return { region: REGION, ecs: fakeEcs(script), logs, world, streams, codedeploy, ...fakeReferences() };
}
