import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const WORKER = join(ROOT, 'out/main/trainingWorker.js');
const SOURCE = join(ROOT, 'packages/wasm-kernels/src/heap/heapSimd.wasm');

const missing = existsSync(WORKER) ? null : `${WORKER} is missing: run \`npm run build\` (npm test does)`;
if (missing) {
  if (process.env['CI']) throw new Error(`the bundled kernels cannot be checked: ${missing}`);
  console.log(`skipping the bundled kernels check: ${missing}`);
}

describe.skipIf(missing !== null)('the training worker as built', () => {
  it('reads the SIMD module from an emitted copy of heapSimd.wasm that its URL resolves to', () => {
    // The loader sits in whichever file of out/main the bundler put it (a chunk the worker and replicas share).
    const main = join(ROOT, 'out/main');
    const files = readdirSync(main, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const found = files.flatMap((file) =>
      [
        ...readFileSync(join(main, file), 'utf8').matchAll(
          /new URL\("([^"]*heapSimd[^"]*\.wasm)", import\.meta\.url\)/g,
        ),
      ].map((m) => new URL(m[1]!, `file://${join(main, file)}`).pathname),
    );
    expect(found).toHaveLength(1);
    expect(readFileSync(found[0]!).equals(readFileSync(SOURCE))).toBe(true);
  });

  it('bundles the kernels package rather than importing its TypeScript at run time', () => {
    const main = join(ROOT, 'out/main');
    for (const file of readdirSync(main, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(main, file), 'utf8'), file).not.toMatch(/from "@attention-workbench\/wasm-kernels"/);
    }
  });
});
