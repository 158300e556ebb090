import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return entry.endsWith('.ts') && !entry.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The folder of src/ a file belongs to ('' for the composition root: main.ts, app.module.ts, …). */
const folderOf = (file: string) => (relative(SRC, file).includes('/') ? relative(SRC, file).split('/')[0] : '');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]));
}

/** folder → the folders it imports from. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = folderOf(file);
    const deps = graph.get(from) ?? new Set<string>();
    for (const target of importsOf(file)) {
      const to = folderOf(`${target}.ts`);
      if (to !== from) deps.add(to);
    }
    graph.set(from, deps);
  }
  return graph;
}

/** A dependency cycle, as a path of folders, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture of src/', () => {
  const graph = folderGraph();

  it('has no dependency cycle between folders, of any length', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('keeps the composition root on top: no folder imports main.ts, app.module.ts or the other root files', () => {
    const importersOfRoot = [...graph].filter(([from, deps]) => from !== '' && deps.has('')).map(([from]) => from);
    // The CLIs are entry points too: they compose the application as main.ts does.
    expect(importersOfRoot.filter((f) => f !== 'cli')).toEqual([]);
  });

  it('lets services reach the database only through repositories (and Transactions)', () => {
    const offenders = sources(SRC)
      .filter((f) => f.endsWith('.service.ts'))
      .filter((f) => /from 'typeorm'[^\n]*\b(DataSource|Repository)\b|\bDataSource\b.*from 'typeorm'|from '\.\.\/database\/sql'|InjectRepository/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('detects a cycle when there is one (the check itself can fail)', () => {
    const cyclic = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
  });
});
