import * as tf from '@tensorflow/tfjs-core';
import { isWasmHeapBackend } from './wasmHeap';

type Compare = (a: number, b: number) => boolean;

const COMPARES: [string, Compare][] = [
  [tf.Equal, (a, b) => a === b],
  [tf.NotEqual, (a, b) => a !== b],
  [tf.Less, (a, b) => a < b],
  [tf.LessEqual, (a, b) => a <= b],
  [tf.Greater, (a, b) => a > b],
  [tf.GreaterEqual, (a, b) => a >= b],
];

/**
 * wasm's compare kernels allocate per element when one side is broadcast; the gradient of tf.max (CBAM's channel
 * and spatial max pools) compares the input with its broadcast maximum, and that was half of a CBAM step. These
 * compare on the heap in one pass: each operand's stride along every output axis (0 where it is broadcast), and
 * the innermost axis as a tight loop. Same-shape operands keep wasm's own kernel.
 */
export function installBroadcastCompares(backendName: string): void {
  for (const [kernelName, compare] of COMPARES) {
    const original = tf.getKernel(kernelName, backendName);
    if (!original) continue;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const backend = args.backend as tf.KernelBackend;
        const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
        const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
        if (same || !isWasmHeapBackend(backend) || a.dtype === 'string' || b.dtype === 'string') {
          return original.kernelFunc(args);
        }
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
        for (let row = 0, at = 0; at < target.length; row++) {
          for (let i = 0, pa = offsetA, pb = offsetB; i < inner; i++, pa += ia, pb += ib) {
            target[at++] = compare(av[pa]!, bv[pb]!) ? 1 : 0;
          }
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
      },
    });
  }
}
