// Every line the step writes through the runner passes the same secret masking as the report
// (src/lib/mask.ts): AWS error texts, service events and warnings are quoted as AWS gives them,
// and any of them may carry a value whose shape is secret. The runner's own masking covers only
// the values registered with setSecret; this covers the shapes too.
import { redactSecrets } from '../lib/mask.js';
import type { Runner } from './runner.js';

export function maskingRunner(runner: Runner): Runner {
  return {
    ...runner,
    getInput: (name) => runner.getInput(name),
    info: (line) => runner.info(redactSecrets(line)),
    warning: (message, properties) => runner.warning(redactSecrets(message), properties),
    error: (message, properties) => runner.error(redactSecrets(message), properties),
    debug: (line) => runner.debug(redactSecrets(line)),
    startGroup: (title) => runner.startGroup(redactSecrets(title)),
    endGroup: () => runner.endGroup(),
    setOutput: (name, value) => runner.setOutput(name, value),
    setSecret: (value) => runner.setSecret(value),
    setFailed: (message) => runner.setFailed(redactSecrets(message)),
    writeSummary: (markdown) => runner.writeSummary(markdown),
  };
}
