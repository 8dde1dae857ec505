import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapSimd, withoutHeapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(23);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

/** Item `item` of a [items, m, n] float64 product, either operand given transposed, an operand of 1 item shared. */
function reference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  [itemsA, itemsB]: number[],
  [m, k, n]: number[],
  tA: boolean,
  tB: boolean,
) {
  const items = Math.max(itemsA!, itemsB!);
  const out = new Float64Array(items * m! * n!);
  for (let t = 0; t < items; t++) {
    const [aAt, bAt] = [itemsA === 1 ? 0 : t * m! * k!, itemsB === 1 ? 0 : t * k! * n!];
    for (let i = 0; i < m!; i++)
      for (let j = 0; j < n!; j++) {
        let sum = 0;
        for (let p = 0; p < k!; p++)
          sum += a[aAt + (tA ? p * m! + i : i * k! + p)]! * b[bAt + (tB ? j * k! + p : p * n! + j)]!;
        out[(t * m! + i) * n! + j] = sum;
      }
  }
  return out;
}

// The SIMD product (matmul/gemmWat.ts) in 4 x 8, 4 x 4 and single-column blocks, k in chunks of 256, columns in
// panels of 128: shapes that end inside each of those, a transposed A read where it lies (or spaced first), shared
// operands.
const CASES: [number[], number, number, number, boolean, boolean][] = [
  // [items of A, items of B], m, k, n, transposeA, transposeB
  [[1, 1], 5, 7, 9, false, false],
  [[1, 1], 13, 300, 27, false, false],
  [[1, 1], 13, 300, 27, true, false],
  [[1, 1], 6, 513, 12, true, false],
  [[1, 1], 3, 40, 131, false, false],
  [[1, 1], 9, 17, 260, true, true],
  [[1, 1], 4, 0, 8, false, false],
  [[1, 1], 1, 1, 8, false, false],
  [[3, 3], 7, 19, 10, false, false],
  [[3, 3], 6, 33, 5, true, false],
  [[4, 1], 5, 16, 11, false, true],
  [[1, 4], 10, 8, 16, true, false],
  // A transposed A whose rows are 4 kB (1,024 floats) or 12 kB apart: copied to rows 16 floats longer first.
  [[1, 1], 1024, 9, 25, true, false],
  [[2, 2], 3072, 5, 3, true, false],
  [[2, 1], 1024, 4, 8, true, false],
];

describe('the SIMD product on the wasm heap', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  for (const [[itemsA, itemsB], m, k, n, tA, tB] of CASES) {
    const shapeA = [itemsA!, ...(tA ? [k, m] : [m, k])];
    const shapeB = [itemsB!, ...(tB ? [n, k] : [k, n])];
    it(`[${shapeA}]${tA ? '^T' : ''} x [${shapeB}]${tB ? '^T' : ''} matches float64 with and without SIMD`, async () => {
      const a = tf.tensor(values(shapeA.reduce((x, y) => x * y)), shapeA);
      const b = tf.tensor(values(shapeB.reduce((x, y) => x * y)), shapeB);
      const expected = reference(await a.data(), await b.data(), [itemsA!, itemsB!], [m, k, n], tA, tB);
      const gemm = vi.spyOn(heapSimd()!, 'gemm');
      const before = tf.memory().numTensors;
      const simd = tf.matMul(a, b, tA, tB);
      expect(gemm).toHaveBeenCalledTimes(1);
      const plain = await withoutHeapSimd(async () => tf.matMul(a, b, tA, tB));
      expect(gemm).toHaveBeenCalledTimes(1);
      for (const result of [simd, plain]) {
        expect(result.shape).toEqual([Math.max(itemsA!, itemsB!), m, n]);
        expectClose(await result.data(), expected, 1e-4 * Math.max(1, Math.sqrt(k)));
      }
      tf.dispose([simd, plain]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    });
  }

  for (const [activation, tA, tB, columns] of [
    ['linear', false, false, 12],
    ['relu', false, true, 8],
    ['relu', true, false, 16],
    ['linear', false, false, 10], // columns not in fours: wasm's kernel
  ] as const) {
    it(`a fused product with bias, ${activation}${tA ? ', A transposed' : ''}${tB ? ', B transposed' : ''}, ${columns} columns, is the cpu backend's`, async () => {
      const [m, k] = [9, 21];
      const [a, b, bias] = [values(m * k), values(k * columns), values(columns)];
      const compute = () =>
        tf.fused.matMul({
          a: tf.tensor3d(a, tA ? [1, k, m] : [1, m, k]),
          b: tf.tensor3d(b, tB ? [1, columns, k] : [1, k, columns]),
          transposeA: tA,
          transposeB: tB,
          bias: tf.tensor1d(bias),
          activation,
        });
      await tf.setBackend('cpu');
      const expected = await tf.tidy(compute).data();
      await tf.setBackend('wasm');
      const rows = vi.spyOn(heapSimd()!, 'rowsAdd');
      const before = tf.memory().numTensors;
      const result = tf.tidy(compute);
      expectClose(await result.data(), expected, 1e-5);
      result.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(rows).toHaveBeenCalledTimes(columns % 4 === 0 ? 1 : 0);
      if (activation === 'relu') expect(Math.min(...(expected as Float32Array))).toBe(0);
    });
  }

  it('leaves wide and narrow single products to XNNPACK', () => {
    const gemm = vi.spyOn(heapSimd()!, 'gemm');
    tf.tidy(() => {
      tf.matMul(tf.ones([4, 3]), tf.ones([3, 600]));
      tf.matMul(tf.ones([4, 3]), tf.ones([3, 7]));
    });
    expect(gemm).not.toHaveBeenCalled();
  });

  it('trains through a transposed product: the gradients of a dense layer against float64', async () => {
    const [m, k, n] = [11, 37, 19];
    const [x, w, dy] = [values(m * k), values(k * n), values(m * n)];
    const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(xs, ws), tf.tensor2d(dy, [m, n]))),
    )([tf.tensor2d(x, [m, k]), tf.tensor2d(w, [k, n])]);
    // dx = dy w^T, dw = x^T dy
    const f = (v: number[]) => Float32Array.from(v);
    expectClose(await dx!.data(), reference(f(dy), f(w), [1, 1], [m, n, k], false, true), 1e-4);
    expectClose(await dw!.data(), reference(f(x), f(dy), [1, 1], [k, m, n], true, false), 1e-4);
  });
});
