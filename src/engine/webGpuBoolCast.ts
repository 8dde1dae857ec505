import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-webgpu 4.22 casts bool to float32 by relabelling the same buffer, which still holds i32 values, and
 * later shaders read a buffer by the type it was stored with: a Transpose of such a tensor (a padding mask, summed
 * over time by a reduction that transposes first) writes i32 into an f32 output, which Dawn refuses, and the
 * Transformer's loss turned infinite. Here the relabelled tensor is added to a float32 zero, whose shader converts
 * its inputs, so the result is stored as float32. Every other cast keeps the backend's kernel.
 */
const wrapped = new Set<string>();

/** A kernel function called directly, on raw tensor data. */
type KernelFunc = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}) => tf.TensorInfo;

export function installWebGpuBoolCast(backendName: string): void {
  const cast = tf.getKernel(tf.Cast, backendName);
  const add = tf.getKernel(tf.Add, backendName)?.kernelFunc as KernelFunc | undefined;
  if (!cast || !add || wrapped.has(backendName)) return;
  wrapped.add(backendName);
  const original = cast.kernelFunc as KernelFunc;
  tf.unregisterKernel(tf.Cast, backendName);
  tf.registerKernel({
    ...cast,
    kernelFunc: (args) => {
      const run = { ...args, backend: args.backend as tf.KernelBackend, attrs: args.attrs ?? {} };
      const { x } = args.inputs as unknown as { x: tf.TensorInfo };
      const relabelled = original(run);
      if (x.dtype !== 'bool' || (run.attrs as unknown as tf.CastAttrs).dtype !== 'float32') return relabelled;
      const backend = run.backend as tf.KernelBackend & {
        makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
      };
      const zero = backend.makeTensorInfo([], 'float32', new Float32Array([0]));
      const stored = add({ inputs: { a: relabelled, b: zero }, backend, attrs: {} });
      backend.disposeData(relabelled.dataId);
      backend.disposeData(zero.dataId);
      return stored;
    },
  });
}
