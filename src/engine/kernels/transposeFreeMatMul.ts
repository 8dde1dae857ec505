import * as tf from '@tensorflow/tfjs-core';

/**
 * wasm's BatchMatMul with transposeA/transposeB skips XNNPACK and runs a scalar loop (2-3 GFLOP/s against 16-31 for
 * the plain product, shared/BACKENDS.md). Every backward pass asks for transposed products, so this wraps the
 * kernel: transpose the operand explicitly, then call the original with both flags off. Same numbers, ~2.5x faster
 * training steps.
 */
const wrapped = new Set<string>();

export function installTransposeFreeMatMul(backendName: string): void {
  const original = tf.getKernel(tf.BatchMatMul, backendName);
  const transpose = tf.getKernel(tf.Transpose, backendName);
  if (!original || !transpose || wrapped.has(backendName)) return; // wrapping twice would only add a layer
  wrapped.add(backendName);
  const matMul = original.kernelFunc;
  const transposeFunc = transpose.kernelFunc;

  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
      const backend = anyBackend as tf.KernelBackend;
      const { a, b } = inputs as tf.BatchMatMulInputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      if (!transposeA && !transposeB) return matMul({ inputs, backend, attrs });
      const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
        const perm = x.shape.map((_, axis) => axis);
        perm.splice(-2, 2, perm.length - 1, perm.length - 2);
        return transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      };
      const plainA = transposeA ? swapLastTwo(a) : a;
      const plainB = transposeB ? swapLastTwo(b) : b;
      try {
        return matMul({ inputs: { a: plainA, b: plainB }, backend, attrs: { transposeA: false, transposeB: false } });
      } finally {
        if (plainA !== a) backend.disposeData(plainA.dataId);
        if (plainB !== b) backend.disposeData(plainB.dataId);
      }
    },
  });
}
