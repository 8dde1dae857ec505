import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const FOLDERS = ['src', 'packages/wasm-kernels/src'];
/** Every import and export of a module, `import type` included: a type-only loop ties the files as tightly. */
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

/** Each module of the tree and the modules of the tree it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of FOLDERS.flatMap((folder) => sourcesUnder(join(ROOT, folder)))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)].flatMap((match) => {
      const base = resolve(dirname(file), (match[1] ?? match[2] ?? match[3])!);
      const found = [base, `${base}.ts`, join(base, 'index.ts')].find((c) => /\.(ts|vue)$/.test(c) && existsSync(c));
      return found ? [relative(ROOT, found)] : [];
    });
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** The strongly connected components of more than one module (Tarjan's algorithm), and modules importing themselves. */
function loops(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component = stack.splice(stack.indexOf(node));
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph of src/ and the kernels package', () => {
  it('has no loop, however long, even through type-only imports', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(300);
    expect([...graph.values()].flat().length).toBeGreaterThan(1000);
    expect(loops(graph)).toEqual([]);
  });

  it('finds a loop when there is one (the check above can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    expect(loops(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });
});
