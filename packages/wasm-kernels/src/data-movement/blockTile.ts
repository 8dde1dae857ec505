import * as tf from '@tensorflow/tfjs-core';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * wasm's Tile walks the output one element at a time. Batch norm's gradient in tfjs-core tiles a [C] vector to
 * [N, C] for every batch (14% of a CNN + CBAM step): here the output is built from contiguous blocks instead, the
 * innermost rows copied from the input and every repetition along an axis copied as one block, doubling
 * (copyWithin), so tiling [1, C] to [N, C] is log2(N) copies. Same values; dtypes of any width.
 */
/** Elements of an innermost row with its repetitions up to which a plain loop beats block copies. */
const SHORT_ROW = 64;

export function installBlockTile(backendName: string): void {
  const multiply = tf.getKernel(tf.Multiply, backendName)?.kernelFunc;
  registerOnHeap(tf.Tile, backendName, (inputs, attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    const { reps } = attrs as unknown as tf.TileAttrs;
    if (x.dtype === 'string' || x.shape.length === 0) return null;
    const shape = x.shape;
    const outShape = shape.map((d, axis) => d * reps[axis]!);
    if (
      multiply &&
      x.dtype === 'float32' &&
      reps.at(-1)! > 1 &&
      shape.every((d, axis) => reps[axis] === 1 || d === 1) &&
      outShape.every((d) => d > 0)
    ) {
      // Only size-1 axes repeated, the innermost among them (a mean's gradient over the last axis): a broadcast,
      // done as wasm's SIMD multiply by ones. x * 1 is x exactly (NaN, infinities and -0 too); copying one
      // element at a time was 19 ms for [32, 32, 32, 1] -> 32 channels here, this under 5.
      const ones = backend.makeOutput(outShape, 'float32');
      (backend.typedArrayFromHeap(ones) as Float32Array).fill(1);
      try {
        return multiply({ inputs: { a: x, b: ones }, backend, attrs: {} }) as tf.TensorInfo;
      } finally {
        backend.disposeData(ones.dataId);
      }
    }
    const out = backend.makeOutput(outShape, x.dtype);
    const [source, target] = [backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out)];
    if (target.length === 0) return out;
    // Elements after one index of each axis, in the input and in the output.
    const sourceStride = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
    const targetStride = outShape.map((_, axis) => outShape.slice(axis + 1).reduce((a, b) => a * b, 1));
    const last = shape.length - 1;
    const fill = (axis: number, from: number, to: number): void => {
      const row = shape[last]!;
      if (axis === last && row * reps[last]! <= SHORT_ROW) {
        // A short innermost row and all its repetitions in a plain loop (a mean's gradient spreads [B, H, W, 1]
        // over C channels: a copy and five doublings per element cost 30x more).
        for (let r = 0, at = to; r < reps[last]!; r++) for (let e = 0; e < row; e++) target[at++] = source[from + e]!;
        return;
      }
      if (axis === last) target.set(source.subarray(from, from + row), to);
      else
        for (let i = 0; i < shape[axis]!; i++)
          fill(axis + 1, from + i * sourceStride[axis]!, to + i * targetStride[axis]!);
      // The block of this axis is written once; its repetitions are copies of it, doubling.
      const block = shape[axis]! * targetStride[axis]!;
      const total = block * reps[axis]!;
      for (let filled = block; filled < total; filled += Math.min(filled, total - filled)) {
        target.copyWithin(to + filled, to, to + Math.min(filled, total - filled));
      }
    };
    fill(0, 0, 0);
    return out;
  });
}
