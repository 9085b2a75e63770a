// Where the task definition to render comes from (docs/architecture.md, "The flow of one step": stage "base"):
// - a template file (`task-definition`), with its `${VAR}` placeholders filled in;
// - a registered revision (`task-definition-arn`, or `task-definition-family[/-revision]`);
// - with neither, the revision the service runs now (the "deploy tag X" redeploy).
// A registered base keeps its ARN, tags and status, so an unchanged render of an ACTIVE revision
// can be deployed as is instead of registering a copy (src/taskdef/compare.ts decides).
import type { Tag, TaskDefinitionStatus } from '@aws-sdk/client-ecs';
import type { DescribedTaskDefinition } from '../aws/ports.js';
import { AwsCallError } from '../aws/errors.js';
import { ProblemsError, type Problem } from '../lib/problems.js';
import type { DeployRequest } from '../lib/request.js';
import type { JsonObject } from '../lib/json.js';
import { loadTemplate, type LoadedTemplate } from './load.js';
import { fillPlaceholders } from './placeholders.js';

export type BaseSource = 'template' | 'revision' | 'service';

export interface Base {
  source: BaseSource;
  /** The task definition to render, in the RegisterTaskDefinition shape. */
  doc: JsonObject;
  /** The template it came from, for line and column in problems. */
  template?: LoadedTemplate;
  /** The registered revision `doc` is, for a registered base. */
  arn?: string;
  /** Tags of the registered revision, carried over when a changed copy is registered. */
  tags: Tag[];
  /** The registered revision's status, for a registered base: an INACTIVE one is never reused. */
  status?: TaskDefinitionStatus;
}

export interface BaseDeps {
  describeTaskDefinition(ref: string): Promise<DescribedTaskDefinition>;
  env: Record<string, string | undefined>;
}

/**
 * `currentTaskDefinitionArn` is what the service runs (when a service is given); it is the base
 * when neither a template nor a revision is named. Relative template paths are read from the
 * working directory, which the runner sets to the workspace.
 */
export interface FoundBase {
  /** Undefined when there is nothing to render (a template that cannot be read or parsed). */
  base?: Base;
  /** The template's and the named revision's problems; none of AWS's (those are thrown). */
  problems: Problem[];
  /** Placeholders that could not be filled are left in `base.doc` as written. */
  unresolved: boolean;
}

/**
 * The base, with the user's problems returned instead of thrown: a template whose placeholders
 * cannot all be filled still gives a base (the placeholders left as written), so the rest can be
 * rendered and validated in the same round.
 */
export async function findBase(
  request: Pick<DeployRequest, 'templatePath' | 'taskDefinitionRef' | 'vars'>,
  currentTaskDefinitionArn: string | undefined,
  deps: BaseDeps,
): Promise<FoundBase> {
  try {
    if (request.templatePath) {
      const template = await loadTemplate(request.templatePath);
      const { doc, problems } = fillPlaceholders(template, request.vars, deps.env);
      return {
        base: { source: 'template', doc, template, tags: [] },
        problems,
        unresolved: problems.length > 0,
      };
    }
    const ref = request.taskDefinitionRef ?? currentTaskDefinitionArn;
    if (!ref) {
      // parseInputs rejects this combination; kept as a guard for callers that build requests.
      throw new Error(
        'No task definition to deploy: give task-definition, task-definition-arn or a service.',
      );
    }
    const described = await describeRef(ref, request.taskDefinitionRef !== undefined, deps);
    const base: Base = {
      source: request.taskDefinitionRef ? 'revision' : 'service',
      doc: described.taskDefinition,
      arn: described.arn,
      tags: described.tags,
      status: described.status,
    };
    return { base, problems: [], unresolved: false };
  } catch (err) {
    if (err instanceof ProblemsError) return { problems: err.problems, unresolved: false };
    throw err;
  }
}

/**
 * A revision named by an input that does not exist is a problem of that input: ECS only says
 * "ClientException: Unable to describe task definition.", which names neither the input nor the revision.
 */
async function describeRef(
  ref: string,
  fromInput: boolean,
  deps: BaseDeps,
): Promise<DescribedTaskDefinition> {
  try {
    return await deps.describeTaskDefinition(ref);
  } catch (err) {
    if (!fromInput || !(err instanceof AwsCallError) || err.awsName !== 'ClientException') throw err;
    const cause = err.cause instanceof Error ? err.cause.message : undefined;
    const awsMessage = (cause || err.message).replace(/\.$/, '');
    const input = ref.startsWith('arn:') ? 'task-definition-arn' : 'task-definition-family';
    const check =
      input === 'task-definition-arn'
        ? 'check the ARN, and that its region and account are the ones this step deploys to'
        : ref.includes(':')
          ? 'check task-definition-family and task-definition-revision, and the region'
          : 'check the family name and the region; the family needs at least one ACTIVE revision';
    throw new ProblemsError([
      {
        severity: 'error',
        input,
        message: `Task definition '${ref}' was not found (ECS said: ${awsMessage}); ${check}.`,
      },
    ]);
  }
}
