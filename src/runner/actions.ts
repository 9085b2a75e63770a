// Runner over @actions/core: the only module of the action that imports it.
import * as core from '@actions/core';
import type { Runner } from './runner.js';

export function actionsRunner(env: Record<string, string | undefined> = process.env): Runner {
  return {
    getInput: (name) => core.getInput(name),
    info: (line) => core.info(line),
    warning: (message, properties) => core.warning(message, properties),
    error: (message, properties) => core.error(message, properties),
    debug: (line) => core.debug(line),
    startGroup: (title) => core.startGroup(title),
    endGroup: () => core.endGroup(),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (value) => core.setSecret(value),
    setFailed: (message) => core.setFailed(message),
    async writeSummary(markdown) {
      try {
        await core.summary.addRaw(markdown, true).write();
        return true;
      } catch (err) {
        // No GITHUB_STEP_SUMMARY (run outside a runner): the log has it all.
        core.debug(`No job summary written: ${(err as Error).message}`);
        return false;
      }
    },
    env,
  };
}
