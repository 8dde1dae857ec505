import * as tf from '@tensorflow/tfjs-core';
import { MAX_GRAD } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerGradientOnHeap, registerOnHeap } from '../heap/registerOnHeap';

/**
 * The gradient of a max over one contiguous run of axes as one pass over the heap: x seen as [outer, reduced,
 * inner], the max y and its gradient dy as [outer, inner], dx = dy where x equals its max (every tie, as tfjs gives
 * it), else 0. tfjs composes Equal (broadcast), Cast and Multiply over the whole input; CBAM takes a max over
 * channels and over [H, W] at every block, and those three were ~10% of its step here. Elsewhere, and for axes that
 * are not one run, tfjs' gradient runs unchanged.
 */

let installed = false;

/** [outer, reduced, inner] for axes that are one contiguous run, else null. */
function runOf(shape: number[], axes: number[]): [number, number, number] | null {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  if (sorted.length === 0 || !sorted.every((a, i) => a === sorted[0]! + i)) return null;
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  return [size(shape.slice(0, sorted[0])), size(sorted.map((a) => shape[a]!)), size(shape.slice(sorted.at(-1)! + 1))];
}

function maxGrad(inputs: tf.NamedTensorInfoMap, attrs: { axes: number[] }, backend: WasmHeapBackend): tf.TensorInfo {
  const x = inputs['x']!;
  const [outer, reduced, inner] = runOf(x.shape, attrs.axes)!;
  const out = backend.makeOutput(x.shape, 'float32');
  const simd = heapSimd();
  if (simd && (inner % 4 === 0 || (inner === 1 && reduced % 4 === 0))) {
    // Four lanes at a time in WebAssembly: a compare mask and-ed with the gradient.
    const [xa, ya, dya, dxa] = [x, inputs['y']!, inputs['dy']!, out].map(simd.address) as [
      number,
      number,
      number,
      number,
    ];
    if (inner === 1) simd.maxGradLast(xa, ya, dya, dxa, outer, reduced);
    else simd.maxGrad(xa, ya, dya, dxa, outer, reduced, inner);
    return out;
  }
  const [dx, source, y, dy] = [out, x, inputs['y']!, inputs['dy']!].map(
    (t) => backend.typedArrayFromHeap(t) as Float32Array,
  ) as [Float32Array, Float32Array, Float32Array, Float32Array];
  if (inner === 1) {
    // A max over the innermost axes (CBAM's channel max): one maximum and one gradient per run of elements.
    for (let o = 0; o < outer; o++) {
      const [most, gradient, row] = [y[o]!, dy[o]!, o * reduced];
      for (let r = 0; r < reduced; r++) dx[row + r] = source[row + r] === most ? gradient : 0;
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < reduced; r++) {
      const row = (o * reduced + r) * inner;
      const kept = o * inner;
      for (let i = 0; i < inner; i++) dx[row + i] = source[row + i] === y[kept + i] ? dy[kept + i]! : 0;
    }
  }
  return out;
}

export function installMaxGradOnHeap(backendName: string): void {
  if (installed) return;
  installed = true;
  registerOnHeap(MAX_GRAD, backendName, (inputs, attrs, backend) =>
    maxGrad(inputs, attrs as unknown as { axes: number[] }, backend),
  );
  registerGradientOnHeap(tf.Max, backendName, (dy, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor, tf.Tensor];
    const axes = tf.util.parseAxisParam((attrs as unknown as tf.MaxAttrs).reductionIndices, x.shape);
    const single = dy as tf.Tensor;
    if (x.dtype !== 'float32' || single.dtype !== 'float32' || !runOf(x.shape, axes)) return null;
    return {
      x: () =>
        tf.engine().runKernel(MAX_GRAD, { x, y, dy: single }, { axes } as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  });
}
