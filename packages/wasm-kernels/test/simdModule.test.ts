import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleSimdModule, simdExports, simdInterface } from '../build/simdModule';
import { HEAP_SIMD_EXPORTS } from '../src/heap/heapSimdExports';

const HEAP = new URL('../src/heap/', import.meta.url);

/** The part of the WebAssembly API used here (the Node typings of this project do not declare it). */
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (descriptor: { initial: number }) => object;
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }>;
    };
  }
).WebAssembly;

describe('the precompiled SIMD module', () => {
  it('heapSimd.wasm is the WAT sources assembled now, byte for byte', async () => {
    const built = readFileSync(new URL('heapSimd.wasm', HEAP));
    const assembled = await assembleSimdModule();
    expect(built.length).toBeGreaterThan(10_000);
    expect(Buffer.from(assembled).equals(built)).toBe(true);
  });

  it('its typed interface is the one generated from the sources', async () => {
    expect(readFileSync(new URL('heapSimdExports.ts', HEAP), 'utf8')).toBe(await simdInterface());
  });

  it('every export of the binary is in the interface, with as many parameters', async () => {
    const memory = new webAssembly.Memory({ initial: 1 });
    const { instance } = await webAssembly.instantiate(readFileSync(new URL('heapSimd.wasm', HEAP)), {
      env: { memory },
    });
    const functions = instance.exports as Record<string, (...args: number[]) => void>;
    const declared = simdExports();
    expect(Object.keys(functions).sort()).toEqual([...HEAP_SIMD_EXPORTS].sort());
    for (const { name, params } of declared) expect(functions[name]!.length, name).toBe(params.length);
  });

  it('a source that changed no longer matches the binary', async () => {
    const changed = await assembleSimdModule(
      '(module (import "env" "memory" (memory 1)) (func (export "nothing") (param $x i32)))',
    );
    expect(Buffer.from(changed).equals(readFileSync(new URL('heapSimd.wasm', HEAP)))).toBe(false);
  });
});
