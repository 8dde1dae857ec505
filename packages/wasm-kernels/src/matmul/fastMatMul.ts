import * as tf from '@tensorflow/tfjs-core';
import { windowProduct } from './heapWindowProduct';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { copyRange, isWasmHeapBackend, viewAs, type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * wasm's BatchMatMul reaches XNNPACK's fast product (16-31 GFLOP/s) only for a plain [1, M, K] x [1, K, N]: with
 * transposeA/transposeB, or with a batch dimension on either side, it runs a scalar loop at about 1-3 GFLOP/s
 * (the workbench's `npm run bench -- profile` times each product). Every backward pass asks for transposed products and every attention layer for batched ones
 * (scores and values, [B*H, T, T]), so this wraps the kernel:
 * - where the heap SIMD module loaded, most float32 products run there, all batch items in one call (productInSimd);
 * otherwise it calls XNNPACK's fast case:
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
export const SPLIT_FROM = 4_096;

/**
 * Columns of B up to which the SIMD module's product (gemmWat.ts) beats XNNPACK's (measured here): it reads B
 * where it lies, and rows of B further apart than 2 kB fall on the same cache sets ([1024, 1024] x [1024, 1024]:
 * 69 against XNNPACK's 49 ms with B already packed); XNNPACK packs B, at every call in training.
 */
export const SIMD_MAX_COLUMNS = 512;

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

  registerOnHeap(tf.BatchMatMul, backendName, (inputs, attrs, backend) => {
    const { a, b } = inputs as tf.BatchMatMulInputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
      const perm = x.shape.map((_, axis) => axis);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      return transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const simd = isWasmHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32' ? heapSimd() : null;
    if (simd) {
      const out = productInSimd(simd, backend as WasmHeapBackend, a, b, transposeA, transposeB, swapLastTwo);
      if (out) return out;
    }
    const plainA = transposeA ? swapLastTwo(a) : a;
    const plainB = transposeB ? swapLastTwo(b) : b;
    try {
      const [batchA, batchB] = [product(plainA.shape.slice(0, -2)), product(plainB.shape.slice(0, -2))];
      const onHeap = isWasmHeapBackend(backend) && a.dtype === 'float32' && b.dtype === 'float32';
      const [m, k] = plainA.shape.slice(-2) as [number, number];
      const n = plainB.shape.at(-1)!;
      if (onHeap && k === 0) {
        // XNNPACK refuses an empty inner dimension and the kernel returns the heap's old bytes; the sum is 0.
        const outer = tf.backend_util.assertAndGetBroadcastShape(plainA.shape.slice(0, -2), plainB.shape.slice(0, -2));
        const out = backend.makeOutput([...outer, m, n], 'float32');
        backend.typedArrayFromHeap(out).fill(0);
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
  });
}

/**
 * The product in the SIMD module, every batch item in one call, or null where XNNPACK serves better (wide B, or a
 * narrow one without items to share the call) or the batch dimensions broadcast both ways. A transposed A is read
 * where it lies (its strides swapped); a transposed B is transposed first (B is read four columns at a time).
 * In training every right operand is new at every step (a weight after its update, a gradient), so XNNPACK packs
 * it each time; measured here: [2048, 64] x [64, 64] 0.40 -> 0.34 ms, a weight gradient [2048, 64]^T x [2048, 64]
 * 0.79 -> 0.42, 128 heads of [64, 64] x [64, 16] 0.42 -> 0.35, unfolded patches [288, 8192] x [8192, 64] 7.1 -> 6.2.
 */
function productInSimd(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  swapLastTwo: (x: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo | null {
  const [m, k] = (transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2)) as [number, number];
  const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  const [batchA, batchB] = [product(a.shape.slice(0, -2)), product(b.shape.slice(0, -2))];
  const items = Math.max(batchA, batchB);
  if (n > SIMD_MAX_COLUMNS || (n < 8 && items === 1)) return null;
  if ((batchA !== 1 && batchA !== items) || (batchB !== 1 && batchB !== items)) return null;
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const plainB = transposeB ? swapLastTwo(b) : b;
  const spaced = transposeA && (m * 4) % ALIASING_STRIDE === 0 ? spacedRows(backend, a, batchA * k, m) : null;
  const [readA, kStepA] = spaced ? [spaced, (m + ROW_GAP) * 4] : [a, transposeA ? m * 4 : 4];
  try {
    const out = backend.makeOutput([...outer, m, n], 'float32');
    simd.gemm(
      ...[simd.address(readA), simd.address(plainB), simd.address(out), items, m, k, n],
      ...[batchA === 1 ? 0 : transposeA ? k * kStepA : m * k * 4, batchB === 1 ? 0 : k * n * 4],
      transposeA ? 4 : k * 4,
      kStepA,
    );
    return out;
  } finally {
    if (plainB !== b) backend.disposeData(plainB.dataId);
    if (spaced) backend.disposeData(spaced.dataId);
  }
}

/**
 * A transposed A is read down its columns, a row of memory apart: where a row is a multiple of 4 kB (a weight
 * gradient X^T dZ with 1,024 or 3,072 features), every k of a block falls on the same L1 cache set and they evict each
 * other. [32, 3072]^T x [32, 25] (mlp-image's first weight gradient) took 255 us read in place here, 145 with 3,000
 * features. Copied first with rows ROW_GAP floats longer, the same product takes 144-155 us with the copy.
 */
const ALIASING_STRIDE = 4096;
const ROW_GAP = 16;

function spacedRows(backend: WasmHeapBackend, a: tf.TensorInfo, rows: number, length: number): tf.TensorInfo {
  const out = backend.makeOutput([rows, length + ROW_GAP], 'float32');
  const [from, to] = [backend.typedArrayFromHeap(a), backend.typedArrayFromHeap(out)];
  for (let r = 0; r < rows; r++) to.set(from.subarray(r * length, (r + 1) * length), r * (length + ROW_GAP));
  return out;
}
