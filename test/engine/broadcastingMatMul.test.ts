import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend';

/** A float64 product of row-major batches, batch axes broadcast as numpy does: the reference. */
function reference(a: tf.Tensor, b: tf.Tensor, transposeB: boolean): { shape: number[]; values: number[] } {
  const [av, bv] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  const rank = Math.max(a.rank, b.rank) - 2;
  const pad = (shape: number[]) => [...new Array<number>(rank - (shape.length - 2)).fill(1), ...shape.slice(0, -2)];
  const [outerA, outerB] = [pad(a.shape), pad(b.shape)];
  const outer = outerA.map((d, axis) => Math.max(d, outerB[axis]!));
  const items = outer.reduce((x, y) => x * y, 1);
  const values: number[] = [];
  for (let item = 0; item < items; item++) {
    // The item's index on each axis, and the item of A and of B it reads (index 0 where that side has 1).
    let [rest, itemA, itemB, strideA, strideB] = [item, 0, 0, 1, 1];
    for (let axis = rank - 1; axis >= 0; axis--) {
      const i = rest % outer[axis]!;
      rest = Math.floor(rest / outer[axis]!);
      if (outerA[axis] !== 1) itemA += i * strideA;
      if (outerB[axis] !== 1) itemB += i * strideB;
      strideA *= outerA[axis]!;
      strideB *= outerB[axis]!;
    }
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const bAt = transposeB ? itemB * n * k + j * k + p : itemB * k * n + p * n + j;
          sum += av[itemA * m * k + i * k + p]! * bv[bAt]!;
        }
        values.push(sum);
      }
  }
  return { shape: [...outer, m, n], values };
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('batched products on the cpu backend', () => {
  for (const [shapeA, shapeB, transposeB] of [
    [[2, 1, 5, 3], [1, 3, 3, 7], false],
    [[4, 1, 2, 6], [3, 5, 6], true],
    [[2, 3, 4, 3], [2, 3, 3, 2], false],
    [[1, 4, 3], [2, 1, 3, 5], false],
  ] as const) {
    it(`[${shapeA}] x [${shapeB}]${transposeB ? ' (B transposed)' : ''} broadcasts its batch axes as numpy does`, () => {
      const a = tf.randomNormal([...shapeA]);
      const b = tf.randomNormal([...shapeB]);
      const before = tf.memory().numTensors;
      const product = tf.matMul(a, b, false, transposeB);
      const expected = reference(a, b, transposeB);
      expect(product.shape).toEqual(expected.shape);
      Array.from(product.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected.values[i]!, 4));
      product.dispose();
      // The tiled copies are freed: only the product was made, and it is gone.
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    });
  }
});
