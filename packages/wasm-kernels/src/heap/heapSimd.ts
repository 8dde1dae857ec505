import type * as tf from '@tensorflow/tfjs-core';
import { heapAddresses } from './wasmHeap';
import { HEAP_SIMD_EXPORTS, type HeapSimdExports } from './heapSimdExports';

/**
 * Kernels in WebAssembly SIMD that run on tfjs-backend-wasm's own heap: a small module (heapSimd.wasm, assembled
 * from the families' WAT at build time by build/buildSimd.ts) that imports the backend's memory, so it reads and
 * writes tensors where they lie. TypeScript loops over the heap run one float at a time (4-6 ns an element here);
 * these run four lanes at a time (Adam over 512k weights: 9.8 ms as a JavaScript loop, 7.0 as a dozen wasm kernels,
 * 1.1 here). Where the backend's internals or SIMD are missing, nothing loads and the TypeScript kernels serve.
 */
export interface HeapSimd extends HeapSimdExports {
  /** The byte offset of a tensor's data in the heap. */
  address(info: tf.TensorInfo): number;
}

/** Where the module comes from: its bytes, or by default heapSimd.wasm next to this file. */
export type SimdSource = Uint8Array | ArrayBuffer;

async function readDefaultModule(): Promise<Uint8Array> {
  const url = new URL('./heapSimd.wasm', import.meta.url);
  if (url.protocol !== 'file:') return new Uint8Array(await (await fetch(url)).arrayBuffer());
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

/** The part of the WebAssembly API used here (this project's Node typings do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  instantiate(bytes: SimdSource, imports: object): Promise<{ instance: { exports: object } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface BackendInternals {
  wasm?: { asm?: { memory?: object } };
}

let loaded: HeapSimd | null = null;
let reason = 'not loaded';

export const heapSimd = (): HeapSimd | null => (suspended ? null : loaded);
let suspended = false;

/** Runs `work` with the TypeScript kernels only, as on a backend where SIMD did not load (tests compare both). */
export async function withoutHeapSimd<T>(work: () => Promise<T>): Promise<T> {
  suspended = true;
  try {
    return await work();
  } finally {
    suspended = false;
  }
}
/** Why the SIMD kernels are not in use, for the backend's report; null when they are. */
export const heapSimdProblem = (): string | null => (loaded ? null : reason);

export async function loadHeapSimd(backend: tf.KernelBackend, source?: SimdSource): Promise<void> {
  if (loaded) return;
  const memory = (backend as unknown as BackendInternals).wasm?.asm?.memory;
  const address = heapAddresses(backend);
  if (!(memory instanceof webAssembly.Memory) || !address) {
    reason = 'the wasm backend does not expose its memory';
    return;
  }
  try {
    const bytes = source ?? (await readDefaultModule());
    const { instance } = await webAssembly.instantiate(bytes, { env: { memory } });
    const exports = instance.exports as unknown as HeapSimdExports;
    const functions = Object.fromEntries(
      HEAP_SIMD_EXPORTS.map((name) => [name, exports[name]]),
    ) as unknown as HeapSimdExports;
    loaded = { ...functions, address };
  } catch (error) {
    reason = `WebAssembly SIMD kernels did not load: ${(error as Error).message.split('\n')[0]}`;
  }
}
