import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { PreparedDataset, SplitName } from '../data/preparedDataset';
import { greedyDecode } from '../decode/seq2seqDecoding';
import { batchesInOrder, evaluateSplit, type Evaluation } from './evaluate';

/**
 * Share of examples whose greedily decoded output equals the target exactly (every token, and the length): the
 * seq2seq score that matters, since teacher-forced token accuracy never lets the model see its own mistakes.
 */
export async function exactMatch(
  model: LayersModel,
  data: PreparedDataset,
  split: SplitName,
  batchSize: number,
  limit = Infinity,
): Promise<number> {
  if (!data.decoding) throw new Error('exact match needs a seq2seq dataset');
  const count = Math.min(limit, data.counts[split]);
  let right = 0;
  for (const rows of batchesInOrder(count, batchSize)) {
    const batch = data.batch(split, rows);
    try {
      const decoded = await greedyDecode(model, batch.inputs[0] as tf.Tensor2D, data.decoding);
      const expected = (await batch.targets.array()) as number[][];
      decoded.forEach((tokens, r) => {
        const target = expected[r]!.slice(0, expected[r]!.indexOf(data.decoding!.eos));
        if (tokens.length === target.length && tokens.every((id, i) => id === target[i])) right++;
      });
    } finally {
      tf.dispose([...batch.inputs, batch.targets]);
    }
  }
  return count === 0 ? Number.NaN : right / count;
}

/** The test split's loss and accuracy, and for seq2seq the exact-match rate of greedy decoding. */
export async function testMetrics(
  model: LayersModel,
  data: PreparedDataset,
  batchSize: number,
): Promise<Evaluation & { exactMatch?: number }> {
  const evaluation = await evaluateSplit(model, data, 'test', batchSize);
  return data.decoding ? { ...evaluation, exactMatch: await exactMatch(model, data, 'test', batchSize) } : evaluation;
}
