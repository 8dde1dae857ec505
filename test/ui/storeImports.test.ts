import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const STORES = 'src/renderer/src/stores';

/** Which store modules each store module imports (by file name without extension). */
function storeImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(STORES).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(STORES, file), 'utf8');
    graph.set(
      file.replace(/\.ts$/, ''),
      [...source.matchAll(/from '\.\/(\w+)'/g)].map((m) => m[1]!),
    );
  }
  return graph;
}

/** Every cycle's path, found by depth-first search from each module. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      if (next === path[0]) found.push([...path, next].join(' -> '));
      else if (!path.includes(next)) visit(next, [...path, next]);
    }
  };
  for (const start of graph.keys()) visit(start, [start]);
  return found;
}

describe('the renderer stores', () => {
  it('import each other in one direction only: no loop, however long', () => {
    expect(cycles(storeImports())).toEqual([]);
  });

  it('find a loop when there is one (the check above can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toContain('a -> b -> c -> a');
  });
});
