import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './support/tensorAssertions';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(11);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

/** a [m, k] x b [k, n], float64, with either operand given transposed. */
function referenceMatMul(
  a: number[],
  b: number[],
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
) {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++)
        sum += (transposeA ? a[p * m + i]! : a[i * k + p]!) * (transposeB ? b[j * k + p]! : b[p * n + j]!);
      out.push(sum);
    }
  return out;
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    const report = await useBackend('wasm');
    expect(report.name).toBe('wasm');
  });

  it('UnsortedSegmentSum (embedding gradient) sums rows that share an id', async () => {
    const ids = [3, 0, 3, 5, 0, 3];
    const rows = values(ids.length * 4);
    const result = tf.unsortedSegmentSum(tf.tensor2d(rows, [6, 4]), tf.tensor1d(ids, 'int32'), 7);
    const expected = new Array<number>(7 * 4).fill(0);
    ids.forEach((id, row) => {
      for (let c = 0; c < 4; c++) expected[id * 4 + c] += rows[row * 4 + c]!;
    });
    expect(result.shape).toEqual([7, 4]);
    expectClose(await result.data(), expected, 1e-5);
  });

  it('trains an embedding: the gradient of gather reaches exactly the rows looked up', async () => {
    const table = tf.variable(tf.tensor2d(values(10 * 3), [10, 3]));
    const ids = tf.tensor1d([1, 4, 4, 9], 'int32');
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table);
    const expected = new Array<number>(30).fill(0);
    for (const [id, count] of [
      [1, 1],
      [4, 2],
      [9, 1],
    ])
      for (let c = 0; c < 3; c++) expected[id! * 3 + c] = count!;
    expectClose(await grad.data(), expected, 1e-6);
  });

  for (const [transposeA, transposeB] of [
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul with transposeA=${transposeA} transposeB=${transposeB} matches a float64 product`, async () => {
      const [m, k, n] = [5, 7, 3];
      const a = values(m * k);
      const b = values(k * n);
      const result = tf.matMul(
        tf.tensor2d(a, transposeA ? [k, m] : [m, k]),
        tf.tensor2d(b, transposeB ? [n, k] : [k, n]),
        transposeA,
        transposeB,
      );
      expectClose(await result.data(), referenceMatMul(a, b, m, k, n, transposeA, transposeB), 1e-4);
    });
  }

  // Batched products go through the fast product: folded into one (batched A, shared B), or one per batch item on
  // windows into the heap (batched B, items of at least 4k multiply-adds, and batch dimensions that broadcast both
  // ways, which wasm's own loop gets wrong); small items stay in wasm's loop. Each against a float64 product.
  for (const [aShape, bShape, transposeA, transposeB] of [
    [[3, 4, 5], [3, 5, 2], false, false],
    [[3, 4, 5], [5, 2], false, false],
    [[2, 3, 4, 5], [5, 6], false, false],
    [[1, 4, 5], [6, 5, 3], false, false],
    [[2, 3, 4, 5], [2, 3, 5, 6], false, false],
    [[2, 3, 5, 4], [2, 3, 6, 5], true, true],
    [[7, 1, 1], [7, 1, 1], false, false],
    [[4, 1, 9], [4, 9, 1], false, false],
    [[2, 1, 4, 5], [1, 3, 5, 2], false, false],
    [[16, 8, 3], [16, 8, 3], false, true],
    [[3, 32, 32], [3, 32, 40], false, false],
    [[2, 40, 32], [2, 40, 32], true, false],
    [[1, 32, 32], [2, 2, 32, 40], false, false],
    [[5, 16, 16], [5, 16, 16], false, false],
    // Columns not in fours (XNNPACK, not the SIMD module).
    [[4, 8, 5], [4, 5, 6], false, false],
    [[2, 12, 9], [9, 7], false, false],
    [[1, 4, 3], [1, 3, 1], false, false],
    [[2, 1, 16, 16], [1, 3, 20, 16], false, true],
    [[2, 4, 64, 16], [2, 4, 64, 16], false, true],
  ] as [number[], number[], boolean, boolean][]) {
    it(`matMul ${aShape} x ${bShape} (transposeA=${transposeA}, transposeB=${transposeB}) matches float64`, async () => {
      const a = tf.tensor(values(aShape.reduce((x, y) => x * y)), aShape);
      const b = tf.tensor(values(bShape.reduce((x, y) => x * y)), bShape);
      const before = tf.memory().numTensors;
      const result = tf.matMul(a, b, transposeA, transposeB);
      const [m, k] = transposeA ? [aShape.at(-1)!, aShape.at(-2)!] : [aShape.at(-2)!, aShape.at(-1)!];
      const n = transposeB ? bShape.at(-2)! : bShape.at(-1)!;
      // Broadcast the batch dimensions as numpy does: right-aligned, 1 stretches.
      const outerA = aShape.slice(0, -2);
      const outerB = bShape.slice(0, -2);
      const rank = Math.max(outerA.length, outerB.length);
      const padded = (outer: number[]) => [...new Array<number>(rank - outer.length).fill(1), ...outer];
      const [pa, pb] = [padded(outerA), padded(outerB)];
      const outer = pa.map((d, i) => Math.max(d, pb[i]!));
      expect(result.shape).toEqual([...outer, m, n]);
      const [av, bv, out] = [await a.data(), await b.data(), await result.data()];
      const items = outer.reduce((x, y) => x * y, 1);
      for (let item = 0; item < items; item++) {
        const index = outer.map(
          (_, axis) => Math.floor(item / outer.slice(axis + 1).reduce((x, y) => x * y, 1)) % outer[axis]!,
        );
        const flat = (dims: number[]) =>
          index.reduce((sum, i, axis) => sum * dims[axis]! + (dims[axis] === 1 ? 0 : i), 0);
        const expected = referenceMatMul(
          [...av.subarray(flat(pa) * m * k, (flat(pa) + 1) * m * k)],
          [...bv.subarray(flat(pb) * k * n, (flat(pb) + 1) * k * n)],
          m,
          k,
          n,
          transposeA,
          transposeB,
        );
        expectClose(out.subarray(item * m * n, (item + 1) * m * n), expected, 1e-4);
      }
      result.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    });
  }

  it('batched matMul trains: the gradient of a batched product against float64', async () => {
    const a = tf.tensor3d(values(3 * 4 * 2), [3, 4, 2]);
    const b = tf.tensor3d(values(3 * 2 * 5), [3, 2, 5]);
    // d sum(A B) / dA = 1 B^T: each row of the gradient is B's row sums.
    const gradA = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, b)))(a);
    const bv = await b.data();
    const expected: number[] = [];
    for (let item = 0; item < 3; item++)
      for (let row = 0; row < 4; row++)
        for (let p = 0; p < 2; p++) {
          let sum = 0;
          for (let j = 0; j < 5; j++) sum += bv[item * 10 + p * 5 + j]!;
          expected.push(sum);
        }
    expectClose(await gradA.data(), expected, 1e-5);
  });

  it('batched transposed matMul keeps the batch dimensions and frees its temporaries', async () => {
    const a = tf.tensor3d(values(2 * 4 * 3), [2, 4, 3]);
    const b = tf.tensor3d(values(2 * 5 * 3), [2, 5, 3]);
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const result = tf.matMul(a, b, false, true); // [2, 4, 5]
    expect(result.shape).toEqual([2, 4, 5]);
    const [aValues, bValues] = [await a.data(), await b.data()];
    for (let batch = 0; batch < 2; batch++) {
      const expected = referenceMatMul(
        [...aValues.subarray(batch * 12, batch * 12 + 12)],
        [...bValues.subarray(batch * 15, batch * 15 + 15)],
        4,
        3,
        5,
        false,
        true,
      );
      expectClose((await result.data()).subarray(batch * 20, batch * 20 + 20), expected, 1e-4);
    }
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });
});
