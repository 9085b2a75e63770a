// Every action input, declared once, in action.yml order. The list of names, the defaults, the
// deploy-only rule and the parsing all come from this table, and __tests__/docs.test.ts checks it
// against action.yml. Adding an input is one entry here plus its parser (and its field in
// DeployRequest, src/lib/request.ts).

import type { InputParser } from './context.js';
import { DEFAULT_WAIT_MINUTES } from './numbers.js';
import {
  parseCommandInput,
  parseContainerNames,
  parseDockerLabels,
  parseExecutionRoleArn,
  parseImage,
  parseImages,
  parseLogDriver,
  parseLogOptions,
  parseTaskRoleArn,
} from './parse-container.js';
import {
  parseCircuitBreaker,
  parseCluster,
  parseDesiredCount,
  parseDryRun,
  parseForceNewDeployment,
  parseManagedTags,
  parseOnTimeout,
  parsePropagateTags,
  parseService,
  parseWaitForMinutes,
  parseWaitForStability,
} from './parse-deploy.js';
import { parseDeleteDeregistered, parseKeepRevisions } from './parse-cleanup.js';
import { parseOnServiceFailure } from './parse-services.js';
import { parseCreateService, parseServiceDefinition } from './parse-service-definition.js';
import {
  parseKeepNullValueKeys,
  parseMaxRetries,
  parseServiceEbsVolume,
  parseServiceEbsVolumeName,
  parseWaitMaxDelaySeconds,
} from './parse-official.js';
import {
  parseBakeTime,
  parseCanaryBakeTime,
  parseCanaryPercent,
  parseContinueAction,
  parseContinueDeployment,
  parseContinueOnPause,
  parseDeploymentStrategy,
  parseLinearStepBakeTime,
  parseLinearStepPercent,
  parseWaitUntilStage,
} from './parse-strategy.js';
import { parseFailOnScanFindings, parsePinImageDigest, parsePreflight } from './parse-preflight.js';
import {
  parseAssignPublicIp,
  parseCapacityProviderStrategy,
  parseContainerOverrides,
  parseEbsVolume,
  parseEbsVolumeName,
  parseRunTask,
  parseRunTaskCommand,
  parseRunTaskLaunchType,
  parseRunTaskTags,
  parseSecurityGroups,
  parseStartedBy,
  parseStopTaskOnTimeout,
  parseSubnets,
  parseWaitForTaskStopped,
} from './parse-run-task.js';
import {
  parseEnvironmentUrl,
  parseGitHubEnvironment,
  parseGitHubToken,
  WORKFLOW_TOKEN_DEFAULT,
} from './parse-github.js';
import {
  DEFAULT_APPSPEC,
  parseAppSpecPath,
  parseCodeDeployApplication,
  parseCodeDeployConfig,
  parseCodeDeployDescription,
  parseCodeDeployGroup,
} from './parse-codedeploy.js';
import { parseEnvFiles, parseEnvironment, parseEnvironmentMode, parseSecrets } from './parse-environment.js';
import {
  parseFamily,
  parseRevision,
  parseTaskDefinitionArn,
  parseTemplatePath,
  parseVars,
} from './parse-source.js';

export interface InputSpec<Name extends string = string> {
  name: Name;
  /** action.yml's default. Applied here too: a caller (or a test) may pass '' for an unset input. */
  default?: string;
  /**
   * Set for inputs that only mean something when a service is deployed: without `service`, a
   * value that differs from the default is an error (an unset input cannot be told from one
   * set to its default, because the runner fills defaults in).
   */
  deployOnly?: true;
  /** A deploy-only input that also applies to the one-off task, so `run-task: true` allows it. */
  alsoForRunTask?: true;
  /**
   * Parsed before the others (still read in table order): other inputs' rules depend on it, and
   * its problems come first. Only `service` needs this.
   */
  parseFirst?: true;
  /** Whether a given value equals the default; case-insensitive text unless the input says otherwise. */
  isDefault?: (value: string) => boolean;
  parse: InputParser;
}

/** Defines the table so that each name is checked as a literal and InputName is their union. */
const table = <const Name extends string>(specs: InputSpec<Name>[]): InputSpec<Name>[] => specs;

export const INPUTS = table([
  // ---- where the task definition comes from ----
  { name: 'task-definition', parse: parseTemplatePath },
  { name: 'task-definition-arn', parse: parseTaskDefinitionArn },
  { name: 'task-definition-family', parse: parseFamily },
  { name: 'task-definition-revision', parse: parseRevision },
  { name: 'vars', parse: parseVars },
  // ---- render ----
  { name: 'container-name', parse: parseContainerNames },
  { name: 'image', parse: parseImage },
  { name: 'images', parse: parseImages },
  { name: 'environment-variables', parse: parseEnvironment },
  { name: 'environment-variables-mode', default: 'merge', parse: parseEnvironmentMode },
  { name: 'secrets', parse: parseSecrets },
  { name: 'env-files', parse: parseEnvFiles },
  { name: 'docker-labels', parse: parseDockerLabels },
  { name: 'command', parse: parseCommandInput },
  { name: 'task-role-arn', parse: parseTaskRoleArn },
  { name: 'execution-role-arn', parse: parseExecutionRoleArn },
  { name: 'log-configuration-log-driver', parse: parseLogDriver },
  { name: 'log-configuration-options', parse: parseLogOptions },
  // ---- deploy ----
  { name: 'cluster', default: 'default', deployOnly: true, alsoForRunTask: true, parse: parseCluster },
  { name: 'service', parseFirst: true, parse: parseService },
  { name: 'service-definition', parse: parseServiceDefinition },
  { name: 'create-service', default: 'false', parse: parseCreateService },
  { name: 'wait-for-service-stability', default: 'true', deployOnly: true, parse: parseWaitForStability },
  {
    name: 'wait-for-minutes',
    default: String(DEFAULT_WAIT_MINUTES),
    deployOnly: true,
    alsoForRunTask: true,
    isDefault: (value) => Number(value) === DEFAULT_WAIT_MINUTES,
    parse: parseWaitForMinutes,
  },
  { name: 'force-new-deployment', default: 'false', deployOnly: true, parse: parseForceNewDeployment },
  { name: 'desired-count', deployOnly: true, parse: parseDesiredCount },
  { name: 'enable-ecs-managed-tags', deployOnly: true, alsoForRunTask: true, parse: parseManagedTags },
  { name: 'propagate-tags', deployOnly: true, parse: parsePropagateTags },
  { name: 'circuit-breaker', deployOnly: true, parse: parseCircuitBreaker },
  { name: 'on-timeout', default: 'fail', deployOnly: true, parse: parseOnTimeout },
  { name: 'on-service-failure', default: 'continue', deployOnly: true, parse: parseOnServiceFailure },
  { name: 'dry-run', default: 'false', parse: parseDryRun },
  // ---- ECS-native blue/green, linear and canary ----
  { name: 'deployment-strategy', deployOnly: true, parse: parseDeploymentStrategy },
  { name: 'bake-time-in-minutes', deployOnly: true, parse: parseBakeTime },
  { name: 'canary-percent', deployOnly: true, parse: parseCanaryPercent },
  { name: 'canary-bake-time-in-minutes', deployOnly: true, parse: parseCanaryBakeTime },
  { name: 'linear-step-percent', deployOnly: true, parse: parseLinearStepPercent },
  { name: 'linear-step-bake-time-in-minutes', deployOnly: true, parse: parseLinearStepBakeTime },
  { name: 'wait-until-stage', deployOnly: true, parse: parseWaitUntilStage },
  { name: 'continue-on-pause', default: 'false', deployOnly: true, parse: parseContinueOnPause },
  { name: 'continue-deployment', parse: parseContinueDeployment },
  { name: 'continue-action', parse: parseContinueAction },
  // ---- preflight ----
  { name: 'preflight', default: 'true', parse: parsePreflight },
  { name: 'pin-image-digest', default: 'false', parse: parsePinImageDigest },
  { name: 'fail-on-scan-findings', parse: parseFailOnScanFindings },
  // ---- one-off task: the official action's run-task inputs, then ours ----
  { name: 'run-task', default: 'false', parse: parseRunTask },
  { name: 'run-task-container-overrides', parse: parseContainerOverrides },
  { name: 'run-task-subnets', parse: parseSubnets },
  { name: 'run-task-security-groups', parse: parseSecurityGroups },
  { name: 'run-task-assign-public-IP', parse: parseAssignPublicIp },
  { name: 'run-task-capacity-provider-strategy', parse: parseCapacityProviderStrategy },
  { name: 'run-task-launch-type', parse: parseRunTaskLaunchType },
  { name: 'run-task-started-by', default: 'GitHub-Actions', parse: parseStartedBy },
  { name: 'run-task-tags', parse: parseRunTaskTags },
  { name: 'run-task-managed-ebs-volume-name', parse: parseEbsVolumeName },
  { name: 'run-task-managed-ebs-volume', parse: parseEbsVolume },
  { name: 'wait-for-task-stopped', default: 'false', parse: parseWaitForTaskStopped },
  { name: 'run-task-command', parse: parseRunTaskCommand },
  { name: 'stop-task-on-timeout', default: 'false', parse: parseStopTaskOnTimeout },
  // ---- GitHub deployment record ----
  { name: 'github-environment', deployOnly: true, parse: parseGitHubEnvironment },
  { name: 'github-token', default: WORKFLOW_TOKEN_DEFAULT, parse: parseGitHubToken },
  { name: 'environment-url', deployOnly: true, parse: parseEnvironmentUrl },
  // ---- the official action's other inputs (src/inputs/parse-official.ts) ----
  { name: 'wait-max-delay-seconds', parse: parseWaitMaxDelaySeconds },
  { name: 'service-managed-ebs-volume-name', deployOnly: true, parse: parseServiceEbsVolumeName },
  { name: 'service-managed-ebs-volume', deployOnly: true, parse: parseServiceEbsVolume },
  { name: 'keep-null-value-keys', parse: parseKeepNullValueKeys },
  { name: 'max-retries', parse: parseMaxRetries },
  // ---- old revisions cleaned up after a successful deploy ----
  { name: 'keep-revisions', deployOnly: true, parse: parseKeepRevisions },
  { name: 'delete-deregistered', default: 'false', deployOnly: true, parse: parseDeleteDeregistered },
  // ---- CodeDeploy blue/green (a service whose deployment controller is CODE_DEPLOY) ----
  { name: 'codedeploy-appspec', default: DEFAULT_APPSPEC, deployOnly: true, parse: parseAppSpecPath },
  { name: 'codedeploy-application', deployOnly: true, parse: parseCodeDeployApplication },
  { name: 'codedeploy-deployment-group', deployOnly: true, parse: parseCodeDeployGroup },
  { name: 'codedeploy-deployment-description', deployOnly: true, parse: parseCodeDeployDescription },
  { name: 'codedeploy-deployment-config', deployOnly: true, parse: parseCodeDeployConfig },
]);

export type InputName = (typeof INPUTS)[number]['name'];

/** The order the parsers run in: the table's, except that `parseFirst` inputs go first. */
export const PARSE_ORDER: readonly InputSpec<InputName>[] = [
  ...INPUTS.filter((spec) => spec.parseFirst),
  ...INPUTS.filter((spec) => !spec.parseFirst),
];

/** Every input the action reads, in action.yml order. */
export const INPUT_NAMES: readonly InputName[] = INPUTS.map((spec) => spec.name);

/** The defaults, as action.yml declares them. */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = Object.fromEntries(
  INPUTS.flatMap((spec) => (spec.default === undefined ? [] : [[spec.name, spec.default]])),
);
