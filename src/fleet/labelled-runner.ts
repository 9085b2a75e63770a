// Several services whose bare names collide (`prod/web`, `staging/web`): each one's log lines are
// said of `cluster/name`, so a reader can tell whose line it is (docs/architecture.md, "Several
// services").
import type { Runner } from '../runner/runner.js';

/**
 * The runner with this service's log lines said of `cluster/name`: a line that starts with the
 * bare name (`web: 1/2 running`) gets the label instead, any other line gets it in front.
 */
export function labelledRunner(runner: Runner, name: string, label: string): Runner {
  const said = (line: string) =>
    line.startsWith(`${name}:`) ? `${label}${line.slice(name.length)}` : `${label}: ${line}`;
  return new Proxy(runner, {
    get: (target, prop, receiver) => {
      if (prop === 'info') return (line: string) => target.info(said(line));
      if (prop === 'warning')
        return (line: string, p?: Parameters<Runner['warning']>[1]) => target.warning(said(line), p);
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
