import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { beamSearch, normalisedScore } from '../../../src/engine/decode/seq2seqDecoding';

beforeAll(async () => {
  await selectBackend('cpu');
});

// Ids: 0 padding, 1 <bos>, 2 <eos>, 3 "a".
const [BOS, EOS, A, VOCAB, LENGTH] = [1, 2, 3, 4, 5];

/**
 * A decoder whose next-token distribution depends on how many "a" it has read: first <eos> 0.5 / "a" 0.5, after one
 * "a" <eos> 0.3 / "a" 0.7, after two <eos> 1. Outputs: "" (log p = ln 0.5), "a" (ln 0.15), "a a" (ln 0.35).
 */
const toyDecoder = {
  predict: ([, decoderInput]: tf.Tensor[]) => {
    const ids = decoderInput!.dataSync();
    const rows = decoderInput!.shape[0]!;
    const logits = new Float32Array(rows * LENGTH * VOCAB).fill(Math.log(1e-9));
    for (let r = 0; r < rows; r++)
      for (let t = 0; t < LENGTH; t++) {
        const read = Array.from(ids.subarray(r * LENGTH + 1, r * LENGTH + t + 1)).filter((id) => id === A).length;
        const [eos, a] = read === 0 ? [0.5, 0.5] : read === 1 ? [0.3, 0.7] : [1, 1e-9];
        logits[(r * LENGTH + t) * VOCAB + EOS] = Math.log(eos);
        logits[(r * LENGTH + t) * VOCAB + A] = Math.log(a);
      }
    return tf.tensor3d(logits, [rows, LENGTH, VOCAB]);
  },
} as unknown as LayersModel;

describe('beam search with length normalisation', () => {
  it('ranks by log p without it (the empty output wins) and by GNMT’s normalised score with alpha 2 ("a a" wins)', async () => {
    const source = tf.tensor2d([[5, 6]], [1, 2], 'int32');
    const spec = { bos: BOS, eos: EOS, targetLength: LENGTH };
    const before = tf.memory().numTensors;
    const plain = await beamSearch(toyDecoder, source, spec, 3, 0);
    expect(plain.map((h) => h.tokens)).toEqual([[], [A, A], [A]]);
    [0.5, 0.35, 0.15].forEach((p, i) => expect(plain[i]!.logProb).toBeCloseTo(Math.log(p), 4));
    const normalised = await beamSearch(toyDecoder, source, spec, 3, 2);
    expect(normalised[0]!.tokens).toEqual([A, A]);
    // ln 0.35 / ((5 + 3) / 6)^2 = -0.5905 beats ln 0.5 / 1 = -0.6931; with alpha 1, -0.7874 does not.
    expect(normalisedScore(normalised[0]!, 2)).toBeCloseTo(Math.log(0.35) / (8 / 6) ** 2, 4);
    expect((await beamSearch(toyDecoder, source, spec, 3, 1))[0]!.tokens).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    source.dispose();
  });
});
