// Parsers for CodeDeploy blue/green, for a service whose deployment controller is CODE_DEPLOY.
// Same names, defaults and meaning as the official action (aws-actions/amazon-ecs-deploy-task-
// definition): the application and deployment group default to the names the ECS console gives
// them (`AppECS-{cluster}-{service}`, `DgpECS-{cluster}-{service}`), applied where the service is
// known (src/codedeploy/names.ts); the AppSpec file is read and checked by src/codedeploy/.

import type { InputParser } from './context.js';

/** Default of `codedeploy-appspec`, as in the official action. */
export const DEFAULT_APPSPEC = 'appspec.yaml';

/**
 * CodeDeploy's limit on an application, deployment group or deployment configuration name
 * (AWS CodeDeploy API Reference: CreateApplication, CreateDeploymentGroup, CreateDeploymentConfig:
 * "Length Constraints: Minimum length of 1. Maximum length of 100").
 */
export const MAX_CODEDEPLOY_NAME = 100;

/**
 * CreateDeployment's `description` holds at most 512 characters (AWS CodeDeploy API Reference,
 * CreateDeployment). A longer one is cut as the official action cuts it: 511 characters and `…`.
 */
export const MAX_DESCRIPTION = 512;

/** The description as it is sent: unchanged up to 512 characters, else 511 and `…`. */
export function cutDescription(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

function nameProblem(value: string, what: string): string | undefined {
  return value.length > MAX_CODEDEPLOY_NAME
    ? `"${value.slice(0, 20)}…" is ${value.length} characters; a CodeDeploy ${what} name has at most ${MAX_CODEDEPLOY_NAME}.`
    : undefined;
}

export const parseAppSpecPath: InputParser = (value) => ({ codeDeployAppSpec: value || DEFAULT_APPSPEC });

export const parseCodeDeployApplication: InputParser = (value, ctx) => {
  const problem = nameProblem(value, 'application');
  if (problem) ctx.fail(problem);
  return { codeDeployApplication: value || undefined };
};

export const parseCodeDeployGroup: InputParser = (value, ctx) => {
  const problem = nameProblem(value, 'deployment group');
  if (problem) ctx.fail(problem);
  return { codeDeployDeploymentGroup: value || undefined };
};

/** Kept as given (multi-line too), cut to CodeDeploy's limit; only its surrounding blanks go. */
export const parseCodeDeployDescription: InputParser = (value) => ({
  codeDeployDescription: value ? cutDescription(value) : undefined,
});

export const parseCodeDeployConfig: InputParser = (value, ctx) => {
  const problem = nameProblem(value, 'deployment configuration');
  if (problem) ctx.fail(problem);
  return { codeDeployConfig: value || undefined };
};
