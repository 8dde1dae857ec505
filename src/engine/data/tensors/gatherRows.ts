import * as tf from '@tensorflow/tfjs-core';
import type { SplitName } from '../preparedDataset';
import type { SplitIndices } from '../split/stratifiedSplit';

/** Rows of a split gathered into one int32 [rows, length] tensor. */
export function gatherRows(values: Int32Array, rows: ArrayLike<number>, length: number): tf.Tensor2D {
  const out = new Int32Array(rows.length * length);
  for (let i = 0; i < rows.length; i++)
    out.set(values.subarray(rows[i]! * length, (rows[i]! + 1) * length), i * length);
  return tf.tensor2d(out, [rows.length, length], 'int32');
}

export function gatherLabels(labels: Int32Array, rows: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(
    Int32Array.from({ length: rows.length }, (_, i) => labels[rows[i]!]!),
    'int32',
  );
}

/** Looks a split's part up by name. */
export const byName =
  <T>(parts: Record<SplitName, T>) =>
  (split: SplitName) =>
    parts[split];

/** Each split's rows encoded by `encode`, looked up by split name. */
export function encodeSplits<T>(indices: SplitIndices, encode: (rows: number[]) => T): (split: SplitName) => T {
  return byName({ train: encode(indices.train), validation: encode(indices.validation), test: encode(indices.test) });
}

/** How many examples each split holds. */
export const splitCounts = (indices: SplitIndices): Record<SplitName, number> => ({
  train: indices.train.length,
  validation: indices.validation.length,
  test: indices.test.length,
});
