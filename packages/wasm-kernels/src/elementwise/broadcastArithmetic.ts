import * as tf from '@tensorflow/tfjs-core';
import { heapSimd } from '../heap/heapSimd';
import type { ArithmeticOp } from './broadcastArithmeticWat';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Add, Sub and Multiply of float32 where one operand is broadcast over one run of axes, four lanes at a time in the
 * heap SIMD module: a bias or a batch norm's per-channel term ([C] against [B, H, W, C]), a channel gate
 * ([B, 1, 1, C]), a spatial gate or a layer's per-row statistic ([B, H, W, 1], [B, T, 1]), an attention mask
 * ([B, 1, 1, T]), a scalar. wasm's kernels walk such a broadcast element by element, at about twice the time of a
 * same-shape op (a [32, 32, 32, 32] map times [32, 1, 1, 32]: ~0.47 ms against ~0.27); these read both operands
 * in order. Same shapes, other patterns, rows not in fours and other dtypes keep wasm's kernels.
 */
const OPS: Record<string, ArithmeticOp> = { [tf.Add]: 'Add', [tf.Sub]: 'Sub', [tf.Multiply]: 'Mul' };

/**
 * The full operand seen as [outer, middle, inner] with the small one broadcast over `middle`: axes where the full
 * operand has size 1 are ignored, the rest must read same* broadcast+ same*. Null for any other pattern, and for
 * equal shapes.
 */
export function broadcastRun(full: number[], small: number[]): [number, number, number] | null {
  if (small.length > full.length) return null;
  const padded = [...new Array<number>(full.length - small.length).fill(1), ...small];
  const kinds: ('same' | 'broadcast')[] = [];
  const sizes: number[] = [];
  for (let axis = 0; axis < full.length; axis++) {
    if (full[axis] === 1) continue;
    if (padded[axis] === full[axis]) kinds.push('same');
    else if (padded[axis] === 1) kinds.push('broadcast');
    else return null;
    sizes.push(full[axis]!);
  }
  const first = kinds.indexOf('broadcast');
  const last = kinds.lastIndexOf('broadcast');
  if (first < 0 || kinds.slice(first, last + 1).some((k) => k !== 'broadcast')) return null;
  const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  return [product(sizes.slice(0, first)), product(sizes.slice(first, last + 1)), product(sizes.slice(last + 1))];
}

export function installBroadcastArithmetic(backendName: string): void {
  for (const [kernelName, op] of Object.entries(OPS)) {
    registerOnHeap(kernelName, backendName, (inputs, _attrs, backend) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const simd = heapSimd();
      if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const size = tf.util.sizeFromShape(outShape);
      if (size === 0) return null;
      const aFull = tf.util.sizeFromShape(a.shape) === size;
      const [full, small] = aFull ? [a, b] : [b, a];
      if (tf.util.sizeFromShape(full.shape) !== size) return null; // both broadcast
      const run = broadcastRun(full.shape, small.shape);
      if (!run) return null;
      const [outer, middle, inner] = run;
      const name: ArithmeticOp = op === 'Sub' && !aFull ? 'SubFrom' : op;
      const out = backend.makeOutput(outShape, 'float32');
      const [fullAt, smallAt, outAt] = [full, small, out].map(simd.address) as [number, number, number];
      if (inner > 1 && inner % 4 === 0) simd[`rows${name}`](fullAt, smallAt, outAt, outer, middle, inner);
      else if (inner === 1 && middle % 4 === 0) simd[`splat${name}`](fullAt, smallAt, outAt, outer, middle);
      else {
        backend.disposeData(out.dataId);
        return null;
      }
      return out;
    });
  }
}
