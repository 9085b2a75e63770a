// `npm run emulator -- --port 4566 [--speed 60] [--seed file] [--throttling] [--verbose]`:
// run the emulator in the foreground for the demo or manual poking, until SIGINT/SIGTERM. The
// loopback GitHub API (github/, for `github-environment`) starts beside it on its own port.
import { parseArgs } from 'node:util';

import { startGitHubApi } from './github/server.js';
import { startEmulator } from './server.js';

/** A bad command line: print the usage with the message. */
class UsageError extends Error {}

const USAGE = `usage: npm run emulator -- [--port 4566] [--github-port 0] [--speed 60] [--seed seed.yaml] [--throttling] [--verbose]
  --port N        TCP port on 127.0.0.1 (0 = any free port; default 4566)
  --github-port N TCP port of the loopback GitHub API on 127.0.0.1 (default 0: any free port)
  --speed N       simulated ms per real ms (default 60: one ECS minute per second)
  --seed FILE     JSON or YAML seed: clusters, taskDefinitions, services, images, objects, parameters, secrets
  --throttling    apply the documented ECS API token buckets
  --fault-seed N  seed of the fault PRNG
  --region R      default us-east-1
  --account-id A  default 123456789012
  --verbose       one line per request`;

async function main(): Promise<void> {
  const parsed = (() => {
    try {
      return parseArgs({
        options: {
          port: { type: 'string', default: '4566' },
          'github-port': { type: 'string', default: '0' },
          speed: { type: 'string' },
          seed: { type: 'string' },
          throttling: { type: 'boolean', default: false },
          'fault-seed': { type: 'string' },
          region: { type: 'string' },
          'account-id': { type: 'string' },
          verbose: { type: 'boolean', short: 'v', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  })();
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} needs a non-negative number, got ${v}`);
    return n;
  };

  const emulator = await startEmulator({
    port: num('port', values.port),
    speed: num('speed', values.speed),
    seed: values.seed,
    throttling: values.throttling,
    faultSeed: num('fault-seed', values['fault-seed']),
    region: values.region,
    accountId: values['account-id'],
    log: values.verbose ? (line) => console.log(line) : undefined,
  });

  const github = await startGitHubApi({ port: num('github-port', values['github-port']) }).catch(
    async (e: unknown) => {
      await emulator.stop();
      throw e;
    },
  );

  console.log(`AWS emulator listening on ${emulator.url}`);
  console.log(
    `  speed: ${emulator.clock.speed}x simulated time${values.throttling ? ', ECS throttling on' : ''}`,
  );
  console.log('Point the AWS SDK or CLI at it:');
  console.log(`  export AWS_ENDPOINT_URL=${emulator.url}`);
  console.log(
    '  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=' + (values.region ?? 'us-east-1'),
  );

  console.log(`GitHub API (deployment records) listening on ${github.url}`);
  console.log('Point the action (github-environment) at it:');
  console.log(`  export GITHUB_API_URL=${github.url}`);

  const shutdown = (signal: string): void => {
    console.log(`\n${signal}: stopping the emulator`);
    Promise.all([emulator.stop(), github.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`emulator: ${(e as Error).message ?? String(e)}`);
  if (e instanceof UsageError) console.error(USAGE);
  process.exit(2);
});
