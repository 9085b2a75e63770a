// Keeps dist/ honest: `write` (run by `npm run bundle`) records a hash of everything the bundle is
// built from in dist/source-hash.txt; `check` (run before `npm test`) compares it with the source
// as it is now and rebuilds dist/ when they differ, so the end-to-end tests, which run
// dist/index.js, never test stale code. A rebuild that fails stops the tests at once, saying so.
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const hashFile = join(root, 'dist', 'source-hash.txt');

function files(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    })
    .sort();
}

function sourceHash() {
  const hash = createHash('sha256');
  const inputs = [...files(join(root, 'src')), join(root, 'package-lock.json'), join(root, 'tsconfig.json')];
  for (const file of inputs) {
    hash.update(relative(root, file).replaceAll('\\', '/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const mode = process.argv[2];
if (mode === 'write') {
  writeFileSync(hashFile, `${sourceHash()}\n`);
} else if (mode === 'check') {
  const recorded = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : '';
  if (recorded !== sourceHash()) {
    console.log(
      'dist/ was not built from the current src/: rebuilding it (npm run bundle) before the tests.',
    );
    try {
      execSync('npm run -s bundle', { cwd: root, stdio: 'inherit' });
    } catch {
      console.error('npm run bundle failed: the end-to-end tests would run stale code, so no test was run.');
      process.exit(1);
    }
  }
} else {
  console.error('usage: node .ci/dist-fresh.mjs write|check');
  process.exit(2);
}
