// Groups of inputs that several places name together: the stages that depend on them (a stage
// does not run while one has a problem) and the continue step (which refuses what shapes a new
// deployment).
import type { InputName } from './table.js';

/** Where the task definition comes from. */
export const SOURCE_INPUTS: readonly InputName[] = [
  'task-definition',
  'task-definition-arn',
  'task-definition-family',
  'task-definition-revision',
  'vars',
];

/** What is rendered into the task definition. */
export const RENDER_INPUTS: readonly InputName[] = [
  'container-name',
  'image',
  'images',
  'environment-variables',
  'environment-variables-mode',
  'secrets',
  'env-files',
  'docker-labels',
  'command',
  'task-role-arn',
  'execution-role-arn',
  'log-configuration-log-driver',
  'log-configuration-options',
];
