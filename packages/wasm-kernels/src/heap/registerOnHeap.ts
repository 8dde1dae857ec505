import * as tf from '@tensorflow/tfjs-core';
import { isWasmHeapBackend, type WasmHeapBackend } from './wasmHeap';

type Result = tf.TensorInfo | tf.TensorInfo[] | null;
/** A kernel written on the wasm heap: null for a case it leaves to the backend's own kernel. */
export type HeapKernel = (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: WasmHeapBackend) => Result;
/** A kernel made of the backend's other kernels, needing no heap (gather's gradient on cpu too). */
export type BackendKernel = (
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: tf.KernelBackend,
) => Result;

/**
 * How this package registers every kernel. Where the backend has `kernelName`, `run` replaces it and the original
 * serves every case `run` answers null for (another dtype, a shape the original handles well); where it has none (a
 * kernel of kernelNames.ts, a gradient wasm lacks), `run` adds it, and a null is an error naming the kernel. Called
 * directly for a kernel any backend can run (installSegmentSumByScatter serves the cpu backend too).
 */
export function registerOnAnyBackend(kernelName: string, backendName: string, run: BackendKernel): void {
  const original = tf.getKernel(kernelName, backendName);
  if (original) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    ...(original ?? { kernelName, backendName }),
    kernelFunc: (args) => {
      const result = run(args.inputs, args.attrs ?? {}, args.backend as tf.KernelBackend);
      if (result) return result;
      if (original) return original.kernelFunc(args);
      throw new Error(`${kernelName} on ${backendName}: no kernel takes these inputs (see the package's registry)`);
    },
  });
}

/** A kernel on the wasm heap; a backend without one (another backend registered under the name) gets the original. */
export function registerOnHeap(kernelName: string, backendName: string, run: HeapKernel): void {
  registerOnAnyBackend(kernelName, backendName, (inputs, attrs, backend) =>
    isWasmHeapBackend(backend) ? run(inputs, attrs, backend) : null,
  );
}

type GradientMap = ReturnType<tf.GradConfig['gradFunc']>;
type Gradient = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => GradientMap;

/**
 * The gradient of `kernelName` while `backendName` is the active backend. Where tfjs has one, `gradient` replaces it
 * and answers null for the cases it leaves to it (and every other backend keeps it); for a kernel this package adds,
 * `saved` names what the forward pass keeps, and `gradient` must answer.
 */
export function registerGradientOnHeap(
  kernelName: string,
  backendName: string,
  gradient: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => GradientMap | null,
  saved?: Pick<tf.GradConfig, 'inputsToSave' | 'outputsToSave'>,
): void {
  const original = tf.getGradient(kernelName) ?? { kernelName, ...saved };
  const fallback: Gradient =
    'gradFunc' in original
      ? original.gradFunc
      : () => {
          throw new Error(`the gradient of ${kernelName} runs on ${backendName} only`);
        };
  tf.registerGradient({
    ...original,
    gradFunc: (dy, kept, attrs) =>
      (tf.getBackend() === backendName ? gradient(dy, kept, attrs) : null) ?? fallback(dy, kept, attrs),
  });
}
