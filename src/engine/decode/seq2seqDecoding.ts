import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** The special ids and length decoding needs, from the prepared dataset. */
export interface DecodingSpec {
  bos: number;
  eos: number;
  /** The decoder input length the model was built for. */
  targetLength: number;
}

/** Logits [N, T, V] -> log-probabilities of position t only, [N, V], read back to the CPU. */
async function stepLogProbs(
  model: LayersModel,
  source: tf.Tensor,
  decoderInput: Int32Array,
  rows: number,
  length: number,
  t: number,
): Promise<Float32Array> {
  const logProbs = tf.tidy(() => {
    const logits = model.predict([source, tf.tensor2d(decoderInput, [rows, length], 'int32')]) as tf.Tensor3D;
    return tf.logSoftmax(tf.squeeze(tf.slice(logits, [0, t, 0], [-1, 1, -1]), [1]));
  });
  const values = (await logProbs.data()) as Float32Array;
  logProbs.dispose();
  return values;
}

/**
 * Greedy decoding of a batch of sources [N, Ts]: feed <bos>, take the most likely token, append it, repeat, until
 * every row has produced <eos> or the target length is reached. One forward pass per output position (the model
 * has no cache); the outputs are the token ids before <eos>.
 */
export async function greedyDecode(model: LayersModel, source: tf.Tensor2D, spec: DecodingSpec): Promise<number[][]> {
  const rows = source.shape[0];
  const length = spec.targetLength;
  const decoderInput = new Int32Array(rows * length);
  const outputs: number[][] = Array.from({ length: rows }, () => []);
  const done = new Array<boolean>(rows).fill(false);
  for (let r = 0; r < rows; r++) decoderInput[r * length] = spec.bos;
  for (let t = 0; t < length && done.includes(false); t++) {
    const logProbs = await stepLogProbs(model, source, decoderInput, rows, length, t);
    const vocab = logProbs.length / rows;
    for (let r = 0; r < rows; r++) {
      if (done[r]) continue;
      let best = 0;
      for (let v = 1; v < vocab; v++) if (logProbs[r * vocab + v]! > logProbs[r * vocab + best]!) best = v;
      if (best === spec.eos) done[r] = true;
      else {
        outputs[r]!.push(best);
        if (t + 1 < length) decoderInput[r * length + t + 1] = best;
      }
    }
  }
  return outputs;
}

export interface Hypothesis {
  /** Token ids before <eos>. */
  tokens: number[];
  /** Sum of the log-probabilities of the tokens, <eos> included when it was produced. */
  logProb: number;
  finished: boolean;
}

/**
 * GNMT's length normalisation (Wu et al. 2016, 7): a hypothesis is ranked by log p / ((5 + |Y|) / 6)^alpha, |Y| its
 * tokens with <eos>. Without it (alpha 0) beam search prefers short outputs, each token costing log-probability.
 */
export function normalisedScore(hypothesis: Hypothesis, alpha: number): number {
  if (alpha === 0) return hypothesis.logProb;
  const length = hypothesis.tokens.length + (hypothesis.finished ? 1 : 0);
  return hypothesis.logProb / Math.pow((5 + length) / 6, alpha);
}

/**
 * Beam search for one source [1, Ts]: keeps the `width` best partial outputs at every step, extending all of them in
 * one batch; a hypothesis that produces <eos> is finished and competes with the others on its score, the total
 * log-probability length-normalised by `lengthPenalty` (alpha; 0 is none). Returns the hypotheses best first.
 */
export async function beamSearch(
  model: LayersModel,
  source: tf.Tensor2D,
  spec: DecodingSpec,
  width: number,
  lengthPenalty = 0,
): Promise<Hypothesis[]> {
  if (source.shape[0] !== 1) throw new Error(`beam search decodes one source at a time; it got ${source.shape[0]}`);
  const length = spec.targetLength;
  let beams: Hypothesis[] = [{ tokens: [], logProb: 0, finished: false }];
  for (let t = 0; t < length && beams.some((b) => !b.finished); t++) {
    const open = beams.filter((b) => !b.finished);
    const decoderInput = new Int32Array(open.length * length);
    open.forEach((beam, i) => decoderInput.set([spec.bos, ...beam.tokens], i * length));
    const sources = tf.tile(source, [open.length, 1]);
    const logProbs = await stepLogProbs(model, sources, decoderInput, open.length, length, t);
    sources.dispose();
    const vocab = logProbs.length / open.length;
    const candidates: Hypothesis[] = beams.filter((b) => b.finished);
    open.forEach((beam, i) => {
      for (let v = 0; v < vocab; v++) {
        if (v === spec.bos) continue;
        const logProb = beam.logProb + logProbs[i * vocab + v]!;
        const finished = v === spec.eos || t + 1 === length;
        candidates.push({ tokens: v === spec.eos ? beam.tokens : [...beam.tokens, v], logProb, finished });
      }
    });
    beams = candidates
      .sort((a, b) => normalisedScore(b, lengthPenalty) - normalisedScore(a, lengthPenalty))
      .slice(0, width);
  }
  return beams;
}
