import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { PreparedDataset, SplitName } from '../data/preparedDataset';
import { correctCount, taskLoss } from './losses';

export interface Evaluation {
  loss: number;
  /** Share of examples (per-token tasks: of real target tokens) whose arg-max class is right. */
  accuracy: number;
}

/** The rows 0..count-1 in consecutive batches of at most batchSize: how evaluation walks a split in order. */
export function* batchesInOrder(count: number, batchSize: number): Generator<number[]> {
  for (let start = 0; start < count; start += batchSize) {
    yield Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
  }
}

/** Loss and accuracy over a whole split in inference mode, one batch on the device at a time. */
export async function evaluateSplit(
  model: LayersModel,
  data: PreparedDataset,
  split: SplitName,
  batchSize: number,
): Promise<Evaluation> {
  const count = data.counts[split];
  if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  const { loss, accuracy } = await evaluateRows(model, data, split, { start: 0, end: count }, batchSize);
  return { loss, accuracy };
}

/**
 * Loss and accuracy over the rows start..end-1 of a split, and how many examples (per-token tasks: real target
 * tokens) they counted: one replica's part of a split, combined with the others' by what each counted.
 */
export async function evaluateRows(
  model: LayersModel,
  data: PreparedDataset,
  split: SplitName,
  range: { start: number; end: number },
  batchSize: number,
): Promise<Evaluation & { counted: number }> {
  let lossSum = 0;
  let right = 0;
  let counted = 0;
  const parts = [...batchesInOrder(range.end - range.start, batchSize)].map((part) =>
    part.map((row) => row + range.start),
  );
  for (const [i, rows] of parts.entries()) {
    // Data on disk: this batch was asked for one batch ago, the next one is asked for now.
    await data.fetch?.(split, rows);
    if (parts[i + 1]) data.fetch?.(split, parts[i + 1]!).catch(() => undefined);
    const batch = data.batch(split, rows);
    const results = tf.tidy(() => {
      const logits = model.apply(batch.inputs, { training: false }) as tf.Tensor;
      const [correct, total] = correctCount(logits, batch.targets, data.sequenceOutput);
      return [
        tf.mul(taskLoss(logits, batch.targets, data.classNames.length, data.sequenceOutput), total),
        correct,
        total,
      ];
    });
    tf.dispose([...batch.inputs, batch.targets]);
    const [loss, correct, total] = await Promise.all(results.map(async (t) => (await t.data())[0]!));
    tf.dispose(results);
    lossSum += loss!;
    right += correct!;
    counted += total!;
  }
  return { loss: lossSum / Math.max(1, counted), accuracy: right / Math.max(1, counted), counted };
}
