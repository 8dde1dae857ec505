import * as tf from '@tensorflow/tfjs-core';
import { isWasmHeapBackend, type WasmHeapBackend } from './wasmHeap';

/** A kernel written on the wasm heap: null for a case it leaves to the backend's own kernel. */
export type HeapKernel = (
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: WasmHeapBackend,
) => tf.TensorInfo | tf.TensorInfo[] | null;

/**
 * The one way this package registers a kernel. Where the backend has `kernelName`, `run` replaces it and the
 * original serves every case `run` answers null for (another dtype, a shape the original handles well); where it
 * has none (a kernel of kernelNames.ts, a gradient wasm lacks), `run` adds it, and a null is an error naming the
 * kernel. Either way a backend without a heap gets the original, or that error.
 */
export function registerOnHeap(kernelName: string, backendName: string, run: HeapKernel): void {
  const original = tf.getKernel(kernelName, backendName);
  if (original) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    ...(original ?? { kernelName, backendName }),
    kernelFunc: (args) => {
      const backend = args.backend as tf.KernelBackend;
      const result = isWasmHeapBackend(backend) ? run(args.inputs, args.attrs ?? {}, backend) : null;
      if (result) return result;
      if (original) return original.kernelFunc(args);
      throw new Error(`${kernelName} on ${backendName}: no kernel for these inputs (it needs the wasm heap)`);
    },
  });
}

/**
 * Replaces the gradient of `kernelName` while `backendName` is the active backend: `gradient` answers null for the
 * cases it leaves to the gradient registered before (tfjs' own, for every other backend too).
 */
export function registerGradientOnHeap(
  kernelName: string,
  backendName: string,
  gradient: (
    dy: tf.Tensor | tf.Tensor[],
    saved: tf.Tensor[],
    attrs: tf.NamedAttrMap,
  ) => ReturnType<tf.GradConfig['gradFunc']> | null,
): void {
  const original = tf.getGradient(kernelName);
  if (!original) return;
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) =>
      (tf.getBackend() === backendName ? gradient(dy, saved, attrs) : null) ?? original.gradFunc(dy, saved, attrs),
  });
}
