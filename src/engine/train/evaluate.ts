import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EncodedTextSplit } from '../data/textClassification';
import { classificationLoss, correctCount, disposeBatch, textBatch } from './textBatches';

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Loss and accuracy over a whole split in inference mode, one batch on the device at a time. */
export async function evaluateSplit(
  model: LayersModel,
  split: EncodedTextSplit,
  maxLength: number,
  classes: number,
  batchSize: number,
): Promise<Evaluation> {
  if (split.count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, split.count - start) }, (_, i) => start + i);
    const batch = textBatch(split, rows, maxLength);
    const [loss, right] = tf.tidy(() => {
      const logits = model.apply(batch.ids, { training: false }) as tf.Tensor;
      return [tf.mul(classificationLoss(logits, batch.labels, classes), rows.length), correctCount(logits, batch.labels)];
    });
    disposeBatch(batch);
    lossSum += (await loss!.data())[0]!;
    correct += (await right!.data())[0]!;
    loss!.dispose();
    right!.dispose();
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}
