import * as tf from '@tensorflow/tfjs-core';
import { heapSimdProblem, loadHeapSimd, type SimdSource } from './heap/heapSimd';
import { KERNEL_REGISTRY } from './registry';

export interface WasmKernelOptions {
  /** The backend's registered name (default 'wasm'). */
  backendName?: string;
  /** The SIMD module's bytes, where heapSimd.wasm cannot be read next to the package (a bundle, a page). */
  simd?: SimdSource;
}

export interface WasmKernelReport {
  /** Kernels registered, replaced or added, by name. */
  kernels: string[];
  /** Why the SIMD module is not in use (its TypeScript loops and the backend's kernels serve); null when it is. */
  simdProblem: string | null;
}

const registered = new Set<string>();

/**
 * Registers every kernel of KERNEL_REGISTRY on a tfjs-backend-wasm backend: the one call a tfjs program makes, after
 * tf.setBackend('wasm'). A second call for the same backend name changes nothing (each entry would wrap itself).
 */
export async function registerWasmKernels(
  backend: tf.KernelBackend,
  options: WasmKernelOptions = {},
): Promise<WasmKernelReport> {
  const backendName = options.backendName ?? 'wasm';
  const kernels = KERNEL_REGISTRY.flatMap((entry) => [...entry.replaces, ...entry.adds]);
  if (!registered.has(backendName)) {
    registered.add(backendName);
    await loadHeapSimd(backend, options.simd);
    for (const entry of KERNEL_REGISTRY) entry.install(backendName);
  }
  return { kernels: [...new Set(kernels)], simdProblem: heapSimdProblem() };
}
