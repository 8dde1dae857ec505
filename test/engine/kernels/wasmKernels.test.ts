import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';

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
    const report = await selectBackend('wasm');
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
