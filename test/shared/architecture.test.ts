import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layering rules of the codebase, checked by reading the source: the contract apart from the clients,
 * no import cycles (type-only imports included), all SQL in the worker's data-access layer.
 */
const ROOT = resolve(__dirname, '../..');
const SOURCE_DIRS = ['shared', 'worker/src', 'extension'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;

/** Relative imports of a file, resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].flatMap(([, spec]) => {
    const base = resolve(ROOT, dirname(file), spec!);
    const found = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
    return found ? [relative(ROOT, found)] : [];
  });
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the architecture', () => {
  it('should have no import cycles, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('should keep client code out of the contract and out of the worker', () => {
    const offenders = files
      .filter((f) => f.startsWith('worker/') || (f.startsWith('shared/') && !f.startsWith('shared/client/')))
      .filter((f) => graph.get(f)!.some((dep) => dep.startsWith('shared/client/')));
    expect(offenders).toEqual([]);
  });

  it('should keep every SQL statement in worker/src/db/', () => {
    const offenders = files
      .filter((f) => f.startsWith('worker/src/') && !f.startsWith('worker/src/db/'))
      .filter((f) => /\.prepare\(|\b(db|DB)\.exec\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('should name statuses only in the contract and the list rules, never as literals elsewhere (SQL included)', () => {
    const homes = ['shared/api/common.ts', 'shared/list-rules.ts'];
    const offenders = files.filter((f) => !homes.includes(f)).filter((f) => /'(reported|listed|disputed|delisted)'/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
