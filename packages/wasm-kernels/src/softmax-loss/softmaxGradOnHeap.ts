import * as tf from '@tensorflow/tfjs-core';
import { SOFTMAX_GRAD } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { registerGradientOnHeap, registerOnHeap } from '../heap/registerOnHeap';

/**
 * The gradient of a softmax over the last axis, y = softmax(x), a row at a time in the heap SIMD module
 * (softmaxGradWat.ts):
 *
 *   dx = y * (dy - sum(dy * y))
 *
 * tfjs' gradient is four kernels over the whole map (Multiply, Sum, Multiply, Sub: ~1 ms for a [32, 4, 64, 64]
 * attention map here); this is two passes over each row. Rows of a length in fours only; elsewhere, and on other
 * backends, tfjs' gradient runs unchanged. (The forward softmax stays wasm's: XNNPACK's is faster than the module's.)
 */

let installed = false;

const rowsOf = (shape: number[]) => {
  const length = shape.at(-1) ?? 0;
  return length > 0 && length % 4 === 0 ? [tf.util.sizeFromShape(shape) / length, length] : null;
};

const lastAxis = (dim: number, rank: number) => dim === -1 || dim === rank - 1;

export function installSoftmaxGradOnHeap(backendName: string): void {
  if (installed) return;
  installed = true;
  registerOnHeap(SOFTMAX_GRAD, backendName, (inputs, _attrs, backend) => {
    const simd = heapSimd()!;
    const { y, dy } = inputs as Record<string, tf.TensorInfo>;
    const [rows, length] = rowsOf(y!.shape)!;
    const dx = backend.makeOutput(y!.shape, 'float32');
    simd.softmaxGrad(simd.address(y!), simd.address(dy!), simd.address(dx), rows!, length!);
    return dx;
  });
  registerGradientOnHeap(tf.Softmax, backendName, (dy, saved, attrs) => {
    const [y] = saved as [tf.Tensor];
    const gradient = dy as tf.Tensor;
    const fits =
      heapSimd() !== null &&
      y.dtype === 'float32' &&
      gradient.dtype === 'float32' &&
      rowsOf(y.shape) !== null &&
      lastAxis((attrs as unknown as tf.SoftmaxAttrs).dim, y.rank);
    if (!fits) return null;
    return { logits: () => tf.engine().runKernel(SOFTMAX_GRAD, { y, dy: gradient }) as tf.Tensor };
  });
}
