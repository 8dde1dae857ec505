import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AttentionEvent, AttentionLayerSnapshot } from '../../shared/events';
import { patchLabels } from '../../shared/patchAttention';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import type { EncodedExample, PreparedDataset } from '../data/preparedDataset';
import { beamSearch } from '../decode/seq2seqDecoding';
import { DEFAULT_LENGTH_PENALTY } from '../../shared/prediction';
import type { AttentionLayerInfo } from '../models/buildModel';

/** One example to look at, with its batch of one and the tokens of each token input. */
export type AttentionSample = EncodedExample;

export interface AttentionReading {
  /** Arg-max class per example (classification: one id) or per position (per-token tasks). */
  predicted: Int32Array;
  layers: AttentionLayerSnapshot[];
}

const indexLabels = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/**
 * Runs the probe model on one example and crops each attention map [1, H, Q, K] to the example's real tokens on
 * each token axis (padding is masked out of every row, so nothing is lost), labelling both axes.
 */
export async function readAttention(
  probe: LayersModel,
  layers: AttentionLayerInfo[],
  sample: AttentionSample,
): Promise<AttentionReading> {
  const extent = (origin: string | null, full: number) =>
    origin ? Math.max(1, Math.min(sample.tokens[origin]?.length ?? full, full)) : full;
  const outputs = tf.tidy(() => {
    const [logits, ...maps] = probe.predict(sample.inputs) as tf.Tensor[];
    return [
      tf.argMax(logits!, -1),
      ...layers.map((info, i) => {
        const map = maps[i]!;
        const [, , queries, keys] = map.shape as number[];
        return tf.slice(map, [0, 0, 0, 0], [1, -1, extent(info.queryOrigin, queries!), extent(info.keyOrigin, keys!)]);
      }),
    ];
  });
  try {
    const [predicted, ...weights] = await Promise.all(outputs.map((t) => t.data()));
    return {
      predicted: Int32Array.from(predicted!),
      layers: layers.map((info, i) => {
        const [, heads, queries, keys] = outputs[i + 1]!.shape as number[];
        const labels = (origin: string | null, n: number, axis: 'query' | 'key') => {
          if (origin) return sample.tokens[origin]!.slice(0, n);
          if (info.patches) return patchLabels(info.patches);
          if (info.kind === 'spatial') return indexLabels(n, axis === 'query' ? 'y' : 'x');
          if (info.kind === 'channels') return axis === 'query' ? ['channel weight'] : indexLabels(n, 'c');
          return n === 1 ? ['pooled'] : indexLabels(n);
        };
        return {
          layer: info.layer,
          kind: info.kind,
          queryLabels: labels(info.queryOrigin, queries!, 'query'),
          keyLabels: labels(info.keyOrigin, keys!, 'key'),
          heads: heads!,
          queries: queries!,
          keys: keys!,
          weights: weights[i] as Float32Array,
          ...(info.patches ? { patches: info.patches } : {}),
        };
      }),
    };
  } finally {
    for (const tensor of outputs) tensor.dispose();
  }
}

/**
 * Greedy and beam-search decodings of one source, with their log-probabilities, as text; and the beam's best
 * token ids, whose alignment to the source the playground shows.
 */
export async function decodeSample(
  model: LayersModel,
  source: tf.Tensor2D,
  data: PreparedDataset,
  beamWidth = 4,
  lengthPenalty = DEFAULT_LENGTH_PENALTY,
) {
  const spec = data.decoding!;
  const [greedy] = await beamSearch(model, source, spec, 1);
  const [best] = await beamSearch(model, source, spec, beamWidth, lengthPenalty);
  return {
    decoded: {
      greedy: data.showPrediction(greedy!.tokens),
      beam: data.showPrediction(best!.tokens),
      beamWidth,
      lengthPenalty,
      greedyLogProb: greedy!.logProb,
      beamLogProb: best!.logProb,
    },
    beamTokens: best!.tokens,
  };
}

/** Attention snapshots of a fixed validation example (the first), so that successive snapshots compare. */

export function attentionSnapshots(
  runId: string,
  spec: ModelSpec,
  data: PreparedDataset,
  probe: LayersModel,
  attention: AttentionLayerInfo[],
  model?: LayersModel,
) {
  const sampleSplit = data.counts.validation > 0 ? 'validation' : 'train';
  const view = data.view(sampleSplit, 0);
  const batch = data.batch(sampleSplit, [0]);
  batch.targets.dispose();
  const sample: AttentionSample = { inputs: batch.inputs, tokens: view.tokens };
  const firstTokenInput = spec.inputs.find((input) => input.kind === 'tokens');
  const imageIndex = spec.inputs.findIndex((input) => input.kind === 'image');
  const imageInput = spec.inputs[imageIndex];
  // Read once, at the first snapshot (asynchronously: WebGPU in Node has no synchronous read); each event gets its
  // own copy, since events' buffers are transferred to main.
  let pixels: Float32Array | null = null;
  return {
    read: async (epoch: number, globalStep: number, full = false): Promise<AttentionEvent | null> => {
      if (attention.length === 0) return null;
      if (imageInput?.kind === 'image') pixels ??= (await sample.inputs[imageIndex]!.data()) as Float32Array;
      const reading = await readAttention(probe, attention, sample);
      const decoded =
        full && data.decoding && model
          ? (await decodeSample(model, sample.inputs[0] as tf.Tensor2D, data)).decoded
          : null;
      return {
        type: 'attention',
        runId,
        epoch,
        globalStep,
        tokens: firstTokenInput ? (sample.tokens[firstTokenInput.id] ?? []) : [],
        label: view.target,
        predicted: data.showPrediction(reading.predicted),
        layers: reading.layers,
        ...(decoded ? { decoded } : {}),
        ...(pixels && imageInput?.kind === 'image'
          ? {
              image: {
                height: imageInput.height,
                width: imageInput.width,
                channels: imageInput.channels,
                pixels: pixels.slice(),
              },
            }
          : {}),
      };
    },
    dispose: () => tf.dispose(sample.inputs),
  };
}
