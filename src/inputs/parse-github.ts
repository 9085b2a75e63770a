// Parsers for the GitHub deployment record: the environment it is for, the token that writes it
// and the URL shown with it. Each needs `github-environment`: without it the step writes nothing
// to GitHub, so a token or URL given alone would silently do nothing.
import type { InputParser } from './context.js';

/** action.yml's default for github-token: the runner turns it into the workflow's token. */
export const WORKFLOW_TOKEN_DEFAULT = '${{ github.token }}';

/** GitHub's limit on an environment name ("Managing environments for deployment"). */
const MAX_ENVIRONMENT_NAME = 255;

export const parseGitHubEnvironment: InputParser = (value, ctx) => {
  if (value === '') return { githubEnvironment: undefined };
  if (/[\r\n]/.test(value)) ctx.fail('github-environment must be one environment name on one line.');
  else if (value.length > MAX_ENVIRONMENT_NAME) {
    ctx.fail(
      `github-environment is ${value.length} characters long; GitHub allows at most ${MAX_ENVIRONMENT_NAME}.`,
    );
  }
  return { githubEnvironment: value };
};

export const parseGitHubToken: InputParser = (value, ctx) => {
  // Outside a runner (or a caller that does not evaluate action.yml's expression) the default
  // arrives as written: that is no token.
  const token = value === WORKFLOW_TOKEN_DEFAULT ? '' : value;
  if (token === '' && ctx.request.githubEnvironment) {
    ctx.fail(
      'github-token is empty, so the GitHub deployment cannot be recorded; leave github-token out to use the workflow token, or give a token with the "deployments: write" permission.',
    );
  }
  if (/\s/.test(token)) ctx.fail('github-token must be one token, without spaces or line breaks.');
  return token === '' ? {} : { githubToken: token };
};

export const parseEnvironmentUrl: InputParser = (value, ctx) => {
  if (value === '') return {};
  if (!ctx.raw('github-environment')) {
    ctx.fail(
      'environment-url needs github-environment: the URL is shown on the GitHub deployment that input creates.',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    ctx.fail(`"${value}" is not an http(s) URL; give the full address, e.g. https://staging.example.com.`);
    return {};
  }
  return { environmentUrl: value };
};
