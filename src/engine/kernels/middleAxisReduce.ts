import * as tf from '@tensorflow/tfjs-core';
import { overrideOnHeap } from './wasmHeap';

/**
 * wasm reduces only over the innermost axes, so tfjs transposes first for any other: a sum over [B, H, W] of a
 * [B, H, W, C] map (batch norm's gradients) or a mean over [H, W] (CBAM's pools) copied the whole map before adding
 * it up (Sum and Mean were a sixth of a CNN + CBAM step). Where the reduced axes are one contiguous run that leaves
 * the innermost axis, the input is [outer, reduced, inner] as it lies: the rows are added into [outer, inner] in
 * one pass, in float64. Other reductions keep wasm's kernel.
 */
export function installMiddleAxisReduce(backendName: string): void {
  for (const kernelName of [tf.Sum, tf.Mean]) {
    overrideOnHeap(kernelName, backendName, (inputs, attrs, backend) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
      const rank = x.shape.length;
      const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
      const contiguous = axes.length > 0 && axes.every((a, i) => a === axes[0]! + i);
      const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
      const outputShape = () =>
        keepDims ? x.shape.map((d, a) => (axes.includes(a) ? 1 : d)) : x.shape.filter((_, a) => !axes.includes(a));
      // wasm's kernel divides by zero on an empty input (its transpose traps); the sum of nothing is 0.
      if (size(x.shape) === 0 && (x.dtype === 'float32' || x.dtype === 'int32')) {
        const empty = backend.makeOutput(outputShape(), x.dtype);
        backend.typedArrayFromHeap(empty).fill(0);
        return empty;
      }
      if (x.dtype !== 'float32' || !contiguous || axes.at(-1) === rank - 1) return null;
      const [outer, reduced, inner] = [
        size(x.shape.slice(0, axes[0])),
        size(axes.map((a) => x.shape[a]!)),
        size(x.shape.slice(axes.at(-1)! + 1)),
      ];
      const out = backend.makeOutput(outputShape(), 'float32');
      const source = backend.typedArrayFromHeap(x) as Float32Array;
      // An empty mean is 0, as tfjs' cpu kernel gives it.
      const scale = kernelName === tf.Mean ? 1 / Math.max(1, reduced) : 1;
      const target = backend.typedArrayFromHeap(out) as Float32Array;
      const step = 4 * inner;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          // Four running sums (in float64, as JS numbers) down the column, so the adds do not wait on each other.
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let r = 0;
          let at = o * reduced * inner + i;
          for (; r + 3 < reduced; r += 4, at += step) {
            s0 += source[at]!;
            s1 += source[at + inner]!;
            s2 += source[at + 2 * inner]!;
            s3 += source[at + 3 * inner]!;
          }
          for (; r < reduced; r++, at += inner) s0 += source[at]!;
          target[o * inner + i] = (s0 + s1 + s2 + s3) * scale;
        }
      }
      return out;
    });
  }
}
