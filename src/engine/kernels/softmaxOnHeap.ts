import * as tf from '@tensorflow/tfjs-core';
import { heapSimd } from './simd/heapSimd';
import { isWasmHeapBackend, overrideOnHeap, type WasmHeapBackend } from './wasmHeap';

/**
 * Softmax over the last axis and its gradient, a row at a time in the heap SIMD module (simd/softmaxWat.ts):
 *
 *   y = exp(x - max x) / sum exp(x - max x)        dx = y * (dy - sum(dy * y))
 *
 * wasm's Softmax computes exp one element at a time (1.1 ms for an attention map of [32, 4, 64, 64], twice a
 * Transformer encoder step), and tfjs' gradient is four kernels over the map (Multiply, Sum, Multiply, Sub). Rows
 * of a length in fours only; elsewhere, and on other backends, tfjs' kernel and gradient run unchanged.
 */
export const SOFTMAX_GRAD = 'WorkbenchSoftmaxGrad';

let installed = false;

const rowsOf = (shape: number[]) => {
  const length = shape.at(-1) ?? 0;
  return length > 0 && length % 4 === 0 ? [tf.util.sizeFromShape(shape) / length, length] : null;
};

const lastAxis = (dim: number, rank: number) => dim === -1 || dim === rank - 1;

export function installSoftmaxOnHeap(backendName: string): void {
  overrideOnHeap(tf.Softmax, backendName, (inputs, attrs, backend) => {
    const { logits } = inputs as unknown as { logits: tf.TensorInfo };
    const simd = heapSimd();
    const rows = rowsOf(logits.shape);
    if (!simd || !rows || logits.dtype !== 'float32') return null;
    if (!lastAxis((attrs as unknown as tf.SoftmaxAttrs).dim, logits.shape.length)) return null;
    const y = backend.makeOutput(logits.shape, 'float32');
    simd.softmax(simd.address(logits), simd.address(y), rows[0]!, rows[1]!);
    return y;
  });
  const original = tf.getGradient(tf.Softmax);
  if (installed || !original) return;
  installed = true;
  tf.registerKernel({
    kernelName: SOFTMAX_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const simd = heapSimd();
      if (!simd || !isWasmHeapBackend(backend as tf.KernelBackend)) throw new Error(`${SOFTMAX_GRAD} needs SIMD`);
      const { y, dy } = inputs as Record<string, tf.TensorInfo>;
      const [rows, length] = rowsOf(y!.shape)!;
      const dx = (backend as WasmHeapBackend).makeOutput(y!.shape, 'float32');
      simd.softmaxGrad(simd.address(y!), simd.address(dy!), simd.address(dx), rows!, length!);
      return dx;
    },
  });
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const gradient = dy as tf.Tensor;
      const fits =
        tf.getBackend() === backendName &&
        heapSimd() !== null &&
        y.dtype === 'float32' &&
        gradient.dtype === 'float32' &&
        rowsOf(y.shape) !== null &&
        lastAxis((attrs as unknown as tf.SoftmaxAttrs).dim, y.rank);
      if (!fits) return original.gradFunc(dy, saved, attrs);
      return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD, { y, dy: gradient }) as tf.Tensor };
    },
  });
}
