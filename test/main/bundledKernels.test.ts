import { existsSync, readFileSync } from 'node:fs';
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
    const code = readFileSync(WORKER, 'utf8');
    const urls = [...code.matchAll(/new URL\("([^"]*heapSimd[^"]*\.wasm)", import\.meta\.url\)/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(1);
    const emitted = new URL(urls[0]!, `file://${WORKER}`).pathname;
    expect(readFileSync(emitted).equals(readFileSync(SOURCE))).toBe(true);
  });

  it('bundles the kernels package rather than importing its TypeScript at run time', () => {
    expect(readFileSync(WORKER, 'utf8')).not.toMatch(/from "@attention-workbench\/wasm-kernels"/);
  });
});
