import * as tf from '@tensorflow/tfjs-core';
import { registerOnHeap } from '../heap/registerOnHeap';

const COMPARES = [tf.Equal, tf.NotEqual, tf.Less, tf.LessEqual, tf.Greater, tf.GreaterEqual] as const;
type CompareName = (typeof COMPARES)[number];

/**
 * One row of the output: n elements, the operands stepping by their innermost strides. One loop per operator, so
 * that the comparison is inlined (a comparison function called per element made the loop several times slower).
 */
function compareRow(
  name: CompareName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Uint8Array,
  at: number,
  pa: number,
  pb: number,
  ia: number,
  ib: number,
  n: number,
): void {
  const end = at + n;
  switch (name) {
    case tf.Equal:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! === b[pb]! ? 1 : 0;
      return;
    case tf.NotEqual:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! !== b[pb]! ? 1 : 0;
      return;
    case tf.Less:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! < b[pb]! ? 1 : 0;
      return;
    case tf.LessEqual:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! <= b[pb]! ? 1 : 0;
      return;
    case tf.Greater:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! > b[pb]! ? 1 : 0;
      return;
    case tf.GreaterEqual:
      for (; at < end; at++, pa += ia, pb += ib) out[at] = a[pa]! >= b[pb]! ? 1 : 0;
      return;
  }
}

/**
 * wasm's compare kernels allocate per element when one side is broadcast; the gradient of tf.max (CBAM's channel
 * and spatial max pools) compares the input with its broadcast maximum, and that was half of a CBAM step. These
 * compare on the heap in one pass: each operand's stride along every output axis (0 where it is broadcast), and
 * the innermost axis as a tight loop. Same-shape operands keep wasm's own kernel.
 */
export function installBroadcastCompares(backendName: string): void {
  for (const kernelName of COMPARES) {
    registerOnHeap(kernelName, backendName, (inputs, _attrs, backend) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
      if (same || a.dtype === 'string' || b.dtype === 'string') return null;
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const out = backend.makeOutput(outShape, 'bool');
      const [av, bv, target] = [a, b, out].map((t) => backend.typedArrayFromHeap(t)) as [
        ArrayLike<number>,
        ArrayLike<number>,
        Uint8Array,
      ];
      const rank = outShape.length;
      const strides = (shape: number[]) => {
        const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
        const result = new Array<number>(rank).fill(0);
        for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
          result[axis] = padded[axis] === 1 ? 0 : stride;
          stride *= padded[axis]!;
        }
        return result;
      };
      const [sa, sb] = [strides(a.shape), strides(b.shape)];
      const inner = rank === 0 ? 1 : outShape[rank - 1]!;
      const [ia, ib] = rank === 0 ? [0, 0] : [sa[rank - 1]!, sb[rank - 1]!];
      const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
      let [offsetA, offsetB] = [0, 0];
      for (let at = 0; at < target.length; at += inner) {
        compareRow(kernelName, av, bv, target, at, offsetA, offsetB, ia, ib, inner);
        // Next row: an odometer over the outer axes, moving each operand by its strides.
        for (let axis = rank - 2; axis >= 0; axis--) {
          offsetA += sa[axis]!;
          offsetB += sb[axis]!;
          if (++index[axis]! < outShape[axis]!) break;
          offsetA -= sa[axis]! * outShape[axis]!;
          offsetB -= sb[axis]! * outShape[axis]!;
          index[axis] = 0;
        }
      }
      return out;
    });
  }
}
