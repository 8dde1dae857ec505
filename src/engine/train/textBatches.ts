import * as tf from '@tensorflow/tfjs-core';
import type { EncodedTextSplit } from '../data/textClassification';

export interface TextBatch {
  ids: tf.Tensor2D; // [B, T] int32
  labels: tf.Tensor1D; // [B] int32
}

/** Builds the tensors of one batch from rows of a split; only this batch is ever on the device. */
export function textBatch(split: EncodedTextSplit, rows: ArrayLike<number>, maxLength: number): TextBatch {
  const ids = new Int32Array(rows.length * maxLength);
  const labels = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    ids.set(split.ids.subarray(row * maxLength, (row + 1) * maxLength), i * maxLength);
    labels[i] = split.labels[row]!;
  }
  return { ids: tf.tensor2d(ids, [rows.length, maxLength], 'int32'), labels: tf.tensor1d(labels, 'int32') };
}

export function disposeBatch(batch: TextBatch): void {
  batch.ids.dispose();
  batch.labels.dispose();
}

/** Mean softmax cross-entropy of logits [B, C] against integer labels [B]. */
export function classificationLoss(logits: tf.Tensor, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}

/** How many rows of logits [B, C] pick the right label. */
export function correctCount(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32'));
}
