import * as tf from '@tensorflow/tfjs-core';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * wasm reduces only over the innermost axes, so tfjs transposes first for any other: a sum over [B, H, W] of a
 * [B, H, W, C] map (batch norm's gradients) or a mean or max over [H, W] (CBAM's pools) copied the whole map before
 * reducing it (Sum, Mean and Max were a sixth of a CNN + CBAM step). Where the reduced axes are one contiguous run
 * that leaves the innermost axis, the input is [outer, reduced, inner] as it lies: its rows are folded into
 * [outer, inner] in one pass in memory order (sums in float64). Other reductions keep wasm's kernel.
 */
type Reduction = 'sum' | 'mean' | 'max';

function reduceRows(
  source: Float32Array,
  target: Float32Array,
  [outer, reduced, inner]: [number, number, number],
  reduction: Reduction,
): void {
  const accumulator = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduced * inner;
    if (reduction === 'max') {
      for (let i = 0; i < inner; i++) accumulator[i] = source[base + i]!;
      let r = 1;
      // Four rows at a time into a local maximum, as the sums take eight.
      for (; r + 3 < reduced; r += 4) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) {
          const k = row + i;
          let most = accumulator[i]!;
          const [a, b, c, d] = [source[k]!, source[k + inner]!, source[k + 2 * inner]!, source[k + 3 * inner]!];
          if (a !== a || a > most) most = a;
          if (b !== b || b > most) most = b;
          if (c !== c || c > most) most = c;
          if (d !== d || d > most) most = d;
          accumulator[i] = most;
        }
      }
      for (; r < reduced; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) {
          const value = source[row + i]!;
          // NaN wins, as in tfjs' cpu kernel (a comparison with NaN is false, so it then stays).
          if (value !== value || value > accumulator[i]!) accumulator[i] = value;
        }
      }
    } else {
      accumulator.fill(0);
      // Eight rows at a time, added pairwise before they meet the accumulator: a third of the time of one row at
      // a time (the accumulator's loads and stores were the cost).
      let r = 0;
      for (; r + 7 < reduced; r += 8) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) {
          const k = row + i;
          accumulator[i] +=
            source[k]! +
            source[k + inner]! +
            (source[k + 2 * inner]! + source[k + 3 * inner]!) +
            (source[k + 4 * inner]! + source[k + 5 * inner]! + (source[k + 6 * inner]! + source[k + 7 * inner]!));
        }
      }
      for (; r < reduced; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) accumulator[i] += source[row + i]!;
      }
      // An empty mean is 0, as tfjs' cpu kernel gives it.
      if (reduction === 'mean') for (let i = 0; i < inner; i++) accumulator[i] /= Math.max(1, reduced);
    }
    target.set(accumulator, o * inner);
  }
}

export function installMiddleAxisReduce(backendName: string): void {
  const reductions: [string, Reduction][] = [
    [tf.Sum, 'sum'],
    [tf.Mean, 'mean'],
    [tf.Max, 'max'],
  ];
  for (const [kernelName, reduction] of reductions) {
    registerOnHeap(kernelName, backendName, (inputs, attrs, backend) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const { keepDims } = attrs as unknown as tf.SumAttrs;
      const axis =
        reduction === 'max'
          ? (attrs as unknown as tf.MaxAttrs).reductionIndices
          : (attrs as unknown as tf.SumAttrs).axis;
      const rank = x.shape.length;
      const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
      const contiguous = axes.length > 0 && axes.every((a, i) => a === axes[0]! + i);
      const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
      const outputShape = () =>
        keepDims ? x.shape.map((d, a) => (axes.includes(a) ? 1 : d)) : x.shape.filter((_, a) => !axes.includes(a));
      // wasm's kernel divides by zero on an empty input (its transpose traps); the sum of nothing is 0.
      if (reduction !== 'max' && size(x.shape) === 0 && (x.dtype === 'float32' || x.dtype === 'int32')) {
        const empty = backend.makeOutput(outputShape(), x.dtype);
        backend.typedArrayFromHeap(empty).fill(0);
        return empty;
      }
      if (x.dtype !== 'float32' || !contiguous || size(x.shape) === 0) return null;
      const kind = reduction === 'sum' ? 0 : reduction === 'mean' ? 1 : 2;
      if (axes.at(-1) === rank - 1) {
        // The innermost axes: wasm's own kernel, but for rows in fours, four lanes at a time in WebAssembly.
        const [outer, reduced] = [size(x.shape.slice(0, axes[0])), size(axes.map((a) => x.shape[a]!))];
        const simd = heapSimd();
        if (!simd || reduced % 4 !== 0) return null;
        const out = backend.makeOutput(outputShape(), 'float32');
        simd.foldLast(simd.address(x), simd.address(out), outer, reduced, kind);
        return out;
      }
      const shape: [number, number, number] = [
        size(x.shape.slice(0, axes[0])),
        size(axes.map((a) => x.shape[a]!)),
        size(x.shape.slice(axes.at(-1)! + 1)),
      ];
      const out = backend.makeOutput(outputShape(), 'float32');
      const simd = heapSimd();
      if (simd && shape[2] % 4 === 0) {
        // Four lanes at a time in WebAssembly; sums and means accumulate in float64 there (foldSum).
        if (kind === 2) simd.fold(simd.address(x), simd.address(out), ...shape, kind);
        else {
          const scratch = backend.makeOutput([2 * shape[2]], 'float32');
          simd.foldSum(simd.address(x), simd.address(out), simd.address(scratch), ...shape, kind);
          backend.disposeData(scratch.dataId);
        }
        return out;
      }
      const source = backend.typedArrayFromHeap(x) as Float32Array;
      reduceRows(source, backend.typedArrayFromHeap(out) as Float32Array, shape, reduction);
      return out;
    });
  }
}
