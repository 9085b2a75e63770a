// The action's composition root: the real runner, AWS, clock and cancel signal, handed to the
// stages (src/stages/pipeline.ts). It decides nothing about a deployment.
import { setMaxListeners } from 'node:events';
import { createAwsPorts } from './aws/clients.js';
import { maxRetriesOf } from './inputs/parse-official.js';
import { systemClock } from './lib/clock.js';
import { actionsRunner } from './runner/actions.js';
import { maskingRunner } from './runner/masking.js';
import type { AwsPorts } from './aws/ports.js';
import { runStep } from './stages/pipeline.js';
import { describeFailure } from './stages/failure.js';
import { publishFailure } from './report/publish.js';
import { createGitHubPort } from './github/octokit.js';
import type { GitHubPort, GitHubPortFactory } from './github/port.js';

/** GitHub ports over octokit, one per token and URL: @actions/github is loaded on the first call only. */
function githubPorts(): GitHubPortFactory {
  const ports = new Map<string, GitHubPort>();
  return ({ token, apiUrl }) => {
    const key = `${apiUrl ?? ''} ${token}`;
    let port = ports.get(key);
    if (!port) ports.set(key, (port = createGitHubPort({ token, apiUrl })));
    return port;
  };
}

export async function run(): Promise<void> {
  const startedAt = Date.now();
  const runner = maskingRunner(actionsRunner());
  // A workflow cancel sends SIGINT, then SIGTERM: stop following, say where the deployment
  // stands, and exit (ECS carries on with it either way).
  const cancel = new AbortController();
  // Every call in flight listens to the cancel; preflight alone makes up to 16 at once, more than
  // Node's default of 10 listeners before it warns about a leak.
  setMaxListeners(256, cancel.signal);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!cancel.signal.aborted) runner.warning(`${signal} received: the step is being cancelled.`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let aws: AwsPorts | undefined;
  try {
    await runStep({
      // Created on first use, so that a missing region is reported after the inputs are checked.
      get aws() {
        // max-retries reaches every SDK client (a value with a problem stops the step before any call).
        return (aws ??= createAwsPorts(undefined, {
          maxRetries: maxRetriesOf(runner.getInput('max-retries')),
        }));
      },
      runner,
      clock: systemClock,
      signal: cancel.signal,
      startedAt,
      github: githubPorts(),
    });
  } catch (err) {
    // runStep publishes every failure of a stage; this is a bug in the reporting itself.
    await publishFailure(runner, describeFailure(err, {}));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
