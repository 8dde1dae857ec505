import * as tf from '@tensorflow/tfjs-core';
import { windowProduct } from './heapWindowProduct';
import { heapSimd } from './simd/heapSimd';
import { copyRange, isWasmHeapBackend, viewAs, type WasmHeapBackend } from './wasmHeap';

/**
 * wasm's BatchMatMul reaches XNNPACK's fast product (16-31 GFLOP/s) only for a plain [1, M, K] x [1, K, N]: with
 * transposeA/transposeB, or with a batch dimension on either side, it runs a scalar loop at about 1-3 GFLOP/s
 * (shared/BACKENDS.md). Every backward pass asks for transposed products and every attention layer for batched ones
 * (scores and values, [B*H, T, T]), so this wraps the kernel to always call the fast case:
 * - a transposed operand is transposed explicitly first;
 * - a batched A against an unbatched B is the same bytes as one [1, batch*M, K] product (a view, no copy);
 * - a batched B is split into one fast product per batch item, on windows into the operands and the output (no
 *   copies, heapWindowProduct.ts), when the items are large enough to repay a product's set-up.
 * Same numbers; on tfjs-node(-gpu) and cpu nothing is wrapped.
 */
const wrapped = new Set<string>();

/**
 * Multiply-adds per batch item from which one fast product per item beats the scalar loop (measured here: on heap
 * windows an item costs ~5 us of set-up, so [16, 16] x [16, 16] items already gain; with copies it was 32k).
 */
const SPLIT_FROM = 4_096;

/**
 * Where the SIMD module's products beat XNNPACK's (measured here): B small enough to stay in cache, or few rows.
 * Each block of 4 rows of A, over all items that share B, reads all of B; XNNPACK packs B once and blocks for
 * cache, which pays off on many rows ([64, 2048] x [2048, 64] 1.3 against 2.3 ms, [192, 2048] x [2048, 64] 7.2
 * against 4.6).
 */
const simdWins = (m: number, k: number, n: number) => k * n <= 65_536 || (m <= 128 && k * n <= 1_048_576);

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function installFastMatMul(backendName: string): void {
  const original = tf.getKernel(tf.BatchMatMul, backendName);
  const transpose = tf.getKernel(tf.Transpose, backendName);
  if (!original || !transpose || wrapped.has(backendName)) return; // wrapping twice would only add a layer
  wrapped.add(backendName);
  const matMul = original.kernelFunc;
  const transposeFunc = transpose.kernelFunc;
  const plainAttrs = { transposeA: false, transposeB: false };

  /**
   * [...outerA, M, K] x [...outerB, K, N] -> [...outer, M, N], one fast product per output item; the batch
   * dimensions broadcast as numpy's do (right-aligned, 1 stretches), which wasm's own kernel gets wrong for batch
   * dimensions that broadcast both ways ([2, 1] against [1, 3]).
   */
  function perItem(backend: WasmHeapBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape.at(-1)!;
    const rank = Math.max(a.shape.length, b.shape.length) - 2;
    const padded = (x: tf.TensorInfo) => [
      ...new Array<number>(rank - (x.shape.length - 2)).fill(1),
      ...x.shape.slice(0, -2),
    ];
    const [outerA, outerB] = [padded(a), padded(b)];
    const outer = outerA.map((d, axis) => Math.max(d, outerB[axis]!));
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const items = product(outer);
    const windows = windowProduct(backend, m, k, n);
    for (let item = 0; item < items; item++) {
      // The item's index along each batch dimension, and where that lands in A and in B.
      let [rest, itemA, itemB, strideA, strideB] = [item, 0, 0, 1, 1];
      for (let axis = rank - 1; axis >= 0; axis--) {
        const i = rest % outer[axis]!;
        rest = Math.floor(rest / outer[axis]!);
        if (outerA[axis] !== 1) itemA += i * strideA;
        if (outerB[axis] !== 1) itemB += i * strideB;
        strideA *= outerA[axis]!;
        strideB *= outerB[axis]!;
      }
      if (windows) {
        windows(a, itemA * m * k, b, itemB * k * n, out, item * m * n);
        continue;
      }
      const ai = product(outerA) === 1 ? viewAs(a, [1, m, k]) : copyRange(backend, a, itemA * m * k, [1, m, k]);
      const bi = copyRange(backend, b, itemB * k * n, [1, k, n]);
      const result = matMul({ inputs: { a: ai, b: bi }, backend, attrs: plainAttrs }) as tf.TensorInfo;
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(result), item * m * n);
      for (const temporary of [ai, bi, result])
        if (temporary.dataId !== a.dataId) backend.disposeData(temporary.dataId);
    }
    return out;
  }

  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
      const backend = anyBackend as tf.KernelBackend;
      const { a, b } = inputs as tf.BatchMatMulInputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
        const perm = x.shape.map((_, axis) => axis);
        perm.splice(-2, 2, perm.length - 1, perm.length - 2);
        return transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      };
      const plainA = transposeA ? swapLastTwo(a) : a;
      const plainB = transposeB ? swapLastTwo(b) : b;
      try {
        const [batchA, batchB] = [product(plainA.shape.slice(0, -2)), product(plainB.shape.slice(0, -2))];
        const onHeap = isWasmHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32';
        const simd = onHeap ? heapSimd() : null;
        const [m, k] = plainA.shape.slice(-2) as [number, number];
        const n = plainB.shape.at(-1)!;
        const items = Math.max(batchA, batchB);
        if (
          simd &&
          m % 4 === 0 &&
          n % 4 === 0 &&
          simdWins(batchB === 1 ? m * batchA : m, k, n) &&
          (batchA === 1 || batchA === items) &&
          (batchB === 1 || batchB === items)
        ) {
          // All items in one call of the SIMD module: no operand packing and no set-up per item. In training every
          // right operand is new at every step (a weight after its update, a gradient), so XNNPACK packs it each
          // time; this is faster wherever B stays in cache (measured here: [2048, 64] x [64, 64] 2.0 -> 1.4 ms,
          // a weight gradient [64, 2048] x [2048, 64] 2.3 -> 1.3, 128 heads of [64, 16] x [16, 64] 5.5 -> 2.9).
          const outer = tf.backend_util.assertAndGetBroadcastShape(
            plainA.shape.slice(0, -2),
            plainB.shape.slice(0, -2),
          );
          const out = (backend as WasmHeapBackend).makeOutput([...outer, m, n], 'float32');
          simd.smallProducts(
            simd.address(plainA),
            simd.address(plainB),
            simd.address(out),
            items,
            m,
            k,
            n,
            batchA === 1 ? 0 : m * k * 4,
            batchB === 1 ? 0 : k * n * 4,
          );
          return out;
        }
        if (!onHeap || batchA * batchB === 1) {
          return matMul({ inputs: { a: plainA, b: plainB }, backend, attrs: plainAttrs });
        }
        if (batchB === 1) {
          // [...outerA, M, K] is laid out as [1, batch * M, K]: one product, no copy.
          const out = matMul({
            inputs: { a: viewAs(plainA, [1, batchA * m, k]), b: viewAs(plainB, [1, k, n]) },
            backend,
            attrs: plainAttrs,
          }) as tf.TensorInfo;
          const rank = Math.max(plainA.shape.length, plainB.shape.length);
          const outer = [...new Array<number>(rank - plainA.shape.length).fill(1), ...plainA.shape.slice(0, -2)];
          return { ...out, shape: [...outer, m, n] };
        }
        const [outerA, outerB] = [plainA.shape.slice(0, -2), plainB.shape.slice(0, -2)];
        const sameBatch = batchA === 1 || (outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]));
        // A fast product has a fixed set-up per item: small items are quicker in wasm's own loop, where its
        // batch handling is right (not for batch dimensions that broadcast both ways).
        if (sameBatch && m * k * n < SPLIT_FROM) {
          return matMul({ inputs: { a: plainA, b: plainB }, backend, attrs: plainAttrs });
        }
        return perItem(backend, plainA, plainB);
      } finally {
        if (plainA !== a) backend.disposeData(plainA.dataId);
        if (plainB !== b) backend.disposeData(plainB.dataId);
      }
    },
  });
}
