// The layout rules of docs/architecture.md, checked: imports go one way (down the layer list the
// doc keeps between its `import-order` markers), every source folder is in that list, and no
// code or doc cites a file outside the repository.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

function files(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/** The layers, lowest first: each a list of paths relative to the repository (`src/lib`, `src/main.ts`). */
function layers(): string[][] {
  const block = /<!-- import-order -->([\s\S]*?)<!-- \/import-order -->/.exec(DOC);
  if (!block) throw new Error('docs/architecture.md has no import-order block');
  return block[1]
    .split('\n')
    .filter((line) => /^\d+\.\s/.test(line))
    .map((line) => [...line.split(' — ')[0].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, '')));
}

const LAYERS = layers();

/** The layer of a source file and the listed path it falls under. */
function placeOf(file: string): { layer: number; unit: string } | undefined {
  const rel = relative(ROOT, file);
  for (const [layer, units] of LAYERS.entries()) {
    for (const unit of units) if (rel === unit || rel.startsWith(`${unit}/`)) return { layer, unit };
  }
  return undefined;
}

/** Every relative module a source names: `from '…'`, `import('…')`, and bare `import '…'`. */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map(
    (m) => m[1],
  );
}

/** The imports of `file` (whose text is `source`) that go up the layer list. */
function upwardImports(file: string, source: string): string[] {
  const from = placeOf(file);
  if (!from) return [];
  const upward: string[] = [];
  for (const spec of relativeImports(source)) {
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    const to = placeOf(target);
    if (!to || to.unit === from.unit || to.layer < from.layer) continue;
    upward.push(
      `${relative(ROOT, file)} imports ${relative(ROOT, target)} (layer ${to.layer + 1} ≥ ${from.layer + 1})`,
    );
  }
  return upward;
}

const SOURCES = files(join(ROOT, 'src'), /\.ts$/);

describe('architecture', () => {
  it('lists layers in docs/architecture.md', () => {
    expect(LAYERS.length).toBeGreaterThan(4);
    expect(LAYERS[0]).toEqual(['src/lib']);
  });

  it('places every source file in a listed layer', () => {
    const unplaced = SOURCES.filter((f) => !placeOf(f)).map((f) => relative(ROOT, f));
    expect(unplaced).toEqual([]);
  });

  it('imports only from the same folder or a lower layer', () => {
    const upward = SOURCES.flatMap((file) => upwardImports(file, readFileSync(file, 'utf8')));
    expect(upward).toEqual([]);
  });

  it('the check itself catches an upward import, in every form', () => {
    const leaf = join(ROOT, 'src/lib/json.ts');
    for (const line of [
      "import { publish } from '../report/publish.js';",
      "import type { RunReport } from '../report/publish.js';",
      "import '../report/publish.js';",
      "export { publish } from '../report/publish.js';",
      "const m = await import('../report/publish.js');",
    ]) {
      expect([line, upwardImports(leaf, line)]).toEqual([
        line,
        [expect.stringContaining('src/lib/json.ts imports src/report/publish.ts')],
      ]);
    }
    // Sideways within a layer but across folders is up too; within a folder it is fine.
    expect(
      upwardImports(join(ROOT, 'src/aws/ecs.ts'), "import { x } from '../runner/runner.js';"),
    ).toHaveLength(1);
    expect(upwardImports(join(ROOT, 'src/aws/ecs.ts'), "import { x } from './errors.js';")).toEqual([]);
  });

  it('names only source files that exist', () => {
    const missing: string[] = [];
    for (const file of SOURCES) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(src\/[\w./-]+\.ts)\b/g)) {
        if (!existsSync(join(ROOT, m[1]))) missing.push(`${relative(ROOT, file)} names ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cites no file outside the repository', () => {
    const cited: string[] = [];
    const outside =
      /reference\/ecs-(semantics|extensions)\.md|\bDESIGN\.md\b|\.\.\/shared\/|[Rr]eference §|§\d/;
    const checked = [
      ...files(join(ROOT, 'src'), /\.ts$/),
      ...files(join(ROOT, 'emulator'), /\.(ts|md)$/),
      ...files(join(ROOT, '__tests__'), /\.ts$/),
      ...files(join(ROOT, 'examples'), /\.(ts|ya?ml|md|json)$/),
      ...files(join(ROOT, 'docs'), /\.md$/),
      join(ROOT, 'README.md'),
      join(ROOT, 'action.yml'),
    ].filter((f) => f !== join(ROOT, '__tests__', 'architecture.test.ts'));
    for (const file of checked) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (outside.test(line)) cited.push(`${relative(ROOT, file)}:${i + 1}`);
        });
    }
    expect(cited).toEqual([]);
  });
});
