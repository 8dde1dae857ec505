import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Every module a source file reaches through static and dynamic imports: files by path, packages by name. */
function importClosure(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (!specifier.startsWith('.')) {
        if (!packages.has(specifier)) packages.set(specifier, relative(ROOT, file));
        continue;
      }
      const base = join(dirname(file), specifier);
      const resolved = [base, `${base}.ts`, join(base, 'index.ts')].find(
        (candidate) => candidate.endsWith('.ts') && existsSync(candidate),
      );
      if (resolved) visit(resolved);
    }
  };
  visit(join(ROOT, entry));
  return { files, packages };
}

describe('the main process', () => {
  it('never loads TensorFlow.js: only the training worker does (a native backend is reliable in one thread)', () => {
    for (const entry of ['src/main/index.ts', 'src/main/host/serve.ts']) {
      const { files, packages } = importClosure(entry);
      expect(files.size, entry).toBeGreaterThan(20);
      const tfjs = [...packages]
        .filter(([name]) => name.startsWith('@tensorflow/'))
        .map(([name, from]) => `${name} (from ${from})`);
      expect(tfjs, entry).toEqual([]);
      // The worker is started by URL, not imported: had it been, its engine imports would be in this closure.
      expect(
        [...files].some((file) => file.endsWith('trainingWorker.ts')),
        entry,
      ).toBe(false);
    }
  });

  it("and the check sees TensorFlow.js where it is imported (the worker's closure)", () => {
    const { packages } = importClosure('src/main/training/trainingWorker.ts');
    expect([...packages.keys()].some((name) => name.startsWith('@tensorflow/'))).toBe(true);
  });
});
