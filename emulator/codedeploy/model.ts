// The CodeDeploy model: the AWS JSON 1.1 operations the deploy action calls
// (`X-Amz-Target: CodeDeploy_20141006.<Operation>`), over applications, deployment groups,
// deployment configurations and ECS blue/green deployments that drive the ECS model's task sets
// (docs/ecs-behaviour.md, "CodeDeploy blue/green for ECS"). Every operation first runs the
// deployments up to the clock; `advance()` does the same for the emulator's timer and tests.
import type { Clock, ServiceHandlers } from '../core.js';
import type { TaskSetApi } from '../ecs/task-sets.js';
import { randomChars, randomUuid } from '../random.js';
import { parseEcsAppSpec, revisionContent } from './appspec.js';
import { configOutput, newConfig, predefinedConfigs, type ConfigRec } from './configs.js';
import {
  advanceDeployment,
  endDeployment,
  initialRun,
  rollbackDeployment,
  TERMINAL,
  type Engine,
} from './engine.js';
import { CD_ERRORS, CD_FAILURES } from './errors.js';
import { autoRollback, groupOutput, newApplication, newGroup, requireName } from './groups.js';
import { deploymentOutput, targetIdOf, targetOutput } from './output.js';
import type { ApplicationRec, DeploymentRec, GroupRec } from './state.js';
import { ALARM_AFTER_MS, START_MS } from './timings.js';

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export interface CodeDeploySeed {
  /** CreateApplication inputs: `{ applicationName, computePlatform }` (default platform ECS when seeded). */
  applications?: Loose[];
  /** CreateDeploymentGroup inputs; a missing application is created (ECS). */
  deploymentGroups?: Loose[];
}

export interface CodeDeployModel {
  handlers: ServiceHandlers;
  advance(): void;
  seed(seed: CodeDeploySeed): void;
}

export interface CodeDeployModelOptions {
  clock: Clock;
  region: string;
  accountId: string;
  random: () => number;
  /** The ECS model's task sets; without it (a fake ECS model) deployments cannot start. */
  ecs?: TaskSetApi;
}

export function createCodeDeployModel(opts: CodeDeployModelOptions): CodeDeployModel {
  const apps = new Map<string, ApplicationRec>();
  const groups = new Map<string, GroupRec>();
  const configs = new Map<string, ConfigRec>(predefinedConfigs().map((c) => [c.name, c]));
  const deployments = new Map<string, DeploymentRec>();
  const now = (): number => opts.clock.now();
  const ecs = (): TaskSetApi => {
    if (!opts.ecs) throw new Error('the CodeDeploy model needs the ECS model of the emulator');
    return opts.ecs;
  };
  const groupKey = (app: string, group: string): string => `${app}/${group}`;
  const newDeploymentId = (): string =>
    `d-${randomChars(opts.random, 9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`;

  const engine: Engine = {
    get ecs() {
      return ecs();
    },
    region: opts.region,
    accountId: opts.accountId,
    createRollback(failed, at) {
      const rb = rollbackDeployment(failed, {
        id: newDeploymentId(),
        at,
        config: configs.get('CodeDeployDefault.ECSAllAtOnce')!,
      });
      deployments.set(rb.id, rb);
      return rb;
    },
  };

  function advance(): void {
    const t = now();
    // Oldest first: a rollback created while advancing is run in the same pass.
    for (const d of deployments.values()) advanceDeployment(engine, d, t);
  }

  function findApp(name: string): ApplicationRec {
    const app = apps.get(name);
    if (!app) throw CD_ERRORS.applicationMissing(name);
    return app;
  }
  function findGroup(app: string, name: string): GroupRec {
    findApp(app);
    const g = groups.get(groupKey(app, name));
    if (!g) throw CD_ERRORS.groupMissing(name);
    return g;
  }
  function findDeployment(input: Loose): DeploymentRec {
    const id = str(input.deploymentId);
    if (id === undefined) throw CD_ERRORS.deploymentIdRequired();
    if (!/^d-[A-Z0-9]{9}$/.test(id)) throw CD_ERRORS.badDeploymentId(id);
    const d = deployments.get(id);
    if (!d) throw CD_ERRORS.deploymentMissing(id);
    return d;
  }
  function findConfig(name: string): ConfigRec {
    const c = configs.get(name);
    if (!c) throw CD_ERRORS.configMissing(name);
    return c;
  }

  function createApplication(input: Loose, seeded = false): ApplicationRec {
    const app = newApplication(
      seeded ? { computePlatform: 'ECS', ...input } : input,
      randomUuid(opts.random),
      now(),
    );
    if (apps.has(app.name)) throw CD_ERRORS.applicationExists(app.name);
    apps.set(app.name, app);
    return app;
  }

  function createGroup(input: Loose, seeded = false): GroupRec {
    const appName = requireName(input, 'applicationName');
    if (seeded && !apps.has(appName)) createApplication({ applicationName: appName }, true);
    const app = findApp(appName);
    const g = newGroup(input, {
      app,
      id: randomUuid(opts.random),
      ecs: ecs(),
      seeded,
      region: opts.region,
      accountId: opts.accountId,
      configExists: (name) => configs.has(name),
    });
    if (groups.has(groupKey(app.name, g.name))) throw CD_ERRORS.groupExists(g.name);
    groups.set(groupKey(app.name, g.name), g);
    return g;
  }

  function createDeployment(input: Loose): { deploymentId: string } {
    const app = findApp(requireName(input, 'applicationName'));
    const group = findGroup(app.name, requireName(input, 'deploymentGroupName'));
    const config = findConfig(str(input.deploymentConfigName) ?? group.deploymentConfigName);
    if (config.computePlatform !== app.computePlatform)
      throw CD_ERRORS.configForPlatform(config.name, app.computePlatform);
    if (app.computePlatform !== 'ECS') {
      throw CD_ERRORS.input(
        `This emulator deploys only to ECS; application ${app.name} is for ${app.computePlatform}`,
      );
    }
    const appSpec = parseEcsAppSpec(revisionContent(input.revision));
    const busy = [...deployments.values()].find((d) => d.group === group && !TERMINAL.has(d.status));
    if (busy) throw CD_ERRORS.groupBusy(group.name, busy.id);
    const description = str(input.description);
    if (description !== undefined && description.length > 512) {
      throw CD_ERRORS.descriptionTooLong();
    }
    const { clusterName, serviceName } = group.ecsServices[0]!;
    const original = ecs().primary(clusterName, serviceName);
    const at = now();
    const alarmsOn = group.alarmConfiguration.enabled === true;
    const firing = alarmsOn
      ? (group.alarmConfiguration.alarms ?? []).map((a) => a.name ?? '').filter((n) => n.includes('firing'))
      : [];
    const d: DeploymentRec = {
      ...initialRun(),
      id: newDeploymentId(),
      applicationName: app.name,
      group,
      config,
      creator: 'user',
      createTime: at,
      ...(description !== undefined ? { description } : {}),
      revision: input.revision as DeploymentRec['revision'],
      appSpec,
      autoRollback:
        input.autoRollbackConfiguration !== undefined
          ? autoRollback(input.autoRollbackConfiguration)
          : group.autoRollbackConfiguration,
      alarms: group.alarmConfiguration,
      cluster: clusterName,
      service: serviceName,
      originalTaskSetId: original.id,
      replacementWeight: 0,
      blueTargetGroup: group.liveTargetGroup,
      firingAlarms: firing,
      ...(firing.length ? { alarmAt: at + ALARM_AFTER_MS } : {}),
      wakeAt: at + START_MS,
      lastUpdatedAt: at,
      instanceTerminationWaitTimeStarted: false,
    };
    deployments.set(d.id, d);
    group.lastAttemptedDeployment = { id: d.id, status: 'Created', createTime: at };
    return { deploymentId: d.id };
  }

  function stopDeployment(input: Loose): { status: string; statusMessage: string } {
    const d = findDeployment(input);
    if (TERMINAL.has(d.status)) throw CD_ERRORS.completed(d.id);
    const rollback = typeof input.autoRollbackEnabled === 'boolean' ? input.autoRollbackEnabled : undefined;
    endDeployment(engine, d, now(), {
      status: 'Stopped',
      code: 'MANUAL_STOP',
      message: CD_FAILURES.manual,
      rollbackEvent: 'DEPLOYMENT_STOP_ON_REQUEST',
      ...(rollback !== undefined ? { rollback } : {}),
    });
    return { status: 'Succeeded', statusMessage: `Deployment ${d.id} was stopped` };
  }

  function continueDeployment(input: Loose): Record<string, never> {
    const d = findDeployment(input);
    const type = str(input.deploymentWaitType) ?? 'READY_WAIT';
    if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT') throw CD_ERRORS.badWaitType(type);
    const stage = type === 'READY_WAIT' ? 'ready-wait' : 'termination-wait';
    if (TERMINAL.has(d.status) || d.stage !== stage) throw CD_ERRORS.notWaiting(d.id);
    d.continued = true;
    d.wakeAt = now();
    advanceDeployment(engine, d, now());
    return {};
  }

  function target(input: Loose) {
    const d = findDeployment(input);
    const id = str(input.targetId);
    if (id === undefined) throw CD_ERRORS.targetIdRequired();
    // CodeDeploy has no target before the deployment starts (docs/ecs-behaviour.md, "Statuses and
    // lifecycle events").
    if (d.status === 'Created' || d.status === 'Queued') throw CD_ERRORS.notStarted(d.id);
    if (id !== targetIdOf(d)) throw CD_ERRORS.targetMissing(id);
    const svc = ecs().service(d.cluster, d.service);
    const arn = svc?.arn ?? `arn:aws:ecs:${opts.region}:${opts.accountId}:service/${d.cluster}/${d.service}`;
    return targetOutput(d, ecs(), arn);
  }

  const op =
    <T>(fn: (input: Loose) => T) =>
    (input: unknown): T => {
      advance();
      return fn((input ?? {}) as Loose);
    };

  const handlers: ServiceHandlers = {
    CreateApplication: op((i) => ({ applicationId: createApplication(i).id })),
    GetApplication: op((i) => {
      const a = findApp(requireName(i, 'applicationName'));
      return {
        application: {
          applicationId: a.id,
          applicationName: a.name,
          createTime: new Date(a.createTime),
          linkedToGitHub: false,
          computePlatform: a.computePlatform,
        },
      };
    }),
    ListApplications: op(() => ({ applications: [...apps.keys()] })),
    CreateDeploymentGroup: op((i) => ({ deploymentGroupId: createGroup(i).id })),
    GetDeploymentGroup: op((i) => ({
      deploymentGroupInfo: groupOutput(
        findGroup(requireName(i, 'applicationName'), requireName(i, 'deploymentGroupName')),
      ),
    })),
    ListDeploymentGroups: op((i) => {
      const app = findApp(requireName(i, 'applicationName'));
      return {
        applicationName: app.name,
        deploymentGroups: [...groups.values()]
          .filter((g) => g.applicationName === app.name)
          .map((g) => g.name),
      };
    }),
    GetDeploymentConfig: op((i) => {
      const name = str(i.deploymentConfigName);
      if (name === undefined) throw CD_ERRORS.configNameRequired();
      return { deploymentConfigInfo: configOutput(findConfig(name)) };
    }),
    ListDeploymentConfigs: op(() => ({ deploymentConfigsList: [...configs.keys()] })),
    CreateDeploymentConfig: op((i) => ({ deploymentConfigId: createConfig(i).id })),
    CreateDeployment: op(createDeployment),
    GetDeployment: op((i) => ({ deploymentInfo: deploymentOutput(findDeployment(i)) })),
    BatchGetDeployments: op((i) => ({
      deploymentsInfo: (Array.isArray(i.deploymentIds) ? i.deploymentIds : [])
        .map((id) => deployments.get(String(id)))
        .filter((d): d is DeploymentRec => d !== undefined)
        .map(deploymentOutput),
    })),
    ListDeployments: op((i) => {
      const app = str(i.applicationName);
      const group = str(i.deploymentGroupName);
      // A group is named within its application: CodeDeploy takes both or neither
      // (AWS CodeDeploy API Reference, ListDeployments).
      if (group !== undefined && app === undefined) throw CD_ERRORS.applicationNameRequired();
      if (app !== undefined && group === undefined) throw CD_ERRORS.groupNameRequired();
      if (app !== undefined) findApp(app);
      if (app !== undefined && group !== undefined) findGroup(app, group);
      const only = Array.isArray(i.includeOnlyStatuses) ? i.includeOnlyStatuses.map(String) : [];
      return {
        deployments: [...deployments.values()]
          .filter(
            (d) =>
              (app === undefined || d.applicationName === app) &&
              (group === undefined || d.group.name === group) &&
              (only.length === 0 || only.includes(d.status)),
          )
          .map((d) => d.id)
          .reverse(),
      };
    }),
    StopDeployment: op(stopDeployment),
    ContinueDeployment: op(continueDeployment),
    ListDeploymentTargets: op((i) => ({ targetIds: [targetIdOf(findDeployment(i))] })),
    GetDeploymentTarget: op((i) => ({ deploymentTarget: target(i) })),
    BatchGetDeploymentTargets: op((i) => ({
      deploymentTargets: (Array.isArray(i.targetIds) ? i.targetIds : []).map((targetId) =>
        target({ ...i, targetId }),
      ),
    })),
  };

  function createConfig(input: Loose): ConfigRec {
    const c = newConfig(input, { id: randomUuid(opts.random), now: now(), exists: (n) => configs.has(n) });
    configs.set(c.name, c);
    return c;
  }

  function seed(s: CodeDeploySeed): void {
    advance();
    for (const a of s.applications ?? []) createApplication(a, true);
    for (const g of s.deploymentGroups ?? []) createGroup(g, true);
  }

  return { handlers, advance, seed };
}
