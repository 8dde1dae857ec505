import * as tf from '@tensorflow/tfjs-core';
import type { AttentionEvent } from '../../shared/events';
import {
  DEFAULT_LENGTH_PENALTY,
  type ClassProbability,
  type DecodedExample,
  type Prediction,
  type TokenTag,
} from '../../shared/prediction';
import type { EncodedExample, PreparedDataset } from '../data/preparedDataset';
import { decodeSample, readAttention } from '../train/attentionSnapshot';
import type { TrainedRun } from './trainedRun';

/** The most classes a prediction lists (a 100-class model's tail says nothing). */
const LISTED_CLASSES = 20;

/** A row of one of the run's splits, as its batch of one, with its tokens and right answer. */
function sampleOf(data: PreparedDataset, example: Extract<DecodedExample, { kind: 'sample' }>) {
  const size = data.counts[example.split];
  if (example.row >= size) {
    throw new Error(`the ${example.split} split has ${size} rows (0 to ${size - 1}); there is no row ${example.row}`);
  }
  const batch = data.batch(example.split, [example.row]);
  batch.targets.dispose();
  const view = data.view(example.split, example.row);
  return { encoded: { inputs: batch.inputs, tokens: view.tokens }, label: view.target };
}

/** Softmax of the model's logits for the one example: [C] (classification) or [T, C] (per token). */
async function probabilitiesOf(
  run: TrainedRun,
  encoded: EncodedExample,
): Promise<{ values: Float32Array; classes: number }> {
  const probabilities = tf.tidy(() => tf.softmax(run.model.predict(encoded.inputs) as tf.Tensor));
  const values = (await probabilities.data()) as Float32Array;
  const classes = probabilities.shape.at(-1)!;
  probabilities.dispose();
  return { values, classes };
}

function rankClasses(values: Float32Array, classNames: string[]): ClassProbability[] {
  return Array.from(values, (probability, id) => ({ label: classNames[id] ?? String(id), probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, LISTED_CLASSES);
}

function tagTokens(values: Float32Array, classes: number, tokens: string[], classNames: string[]): TokenTag[] {
  return tokens.map((token, t) => {
    let best = 1; // id 0 is padding, never a tag
    for (let c = 2; c < classes; c++) if (values[t * classes + c]! > values[t * classes + best]!) best = c;
    return { token, tag: classNames[best] ?? '?', probability: values[t * classes + best]! };
  });
}

/**
 * Seq2seq: the decoder fed <bos> and the beam's output, so that its cross-attention rows are the alignment of the
 * decoded sentence to the source; each row is labelled with the token it produced (the last one <eos>).
 */
function alignedDecoderInput(run: TrainedRun, encoded: EncodedExample, beamTokens: number[]): EncodedExample {
  const { bos, targetLength } = run.data.decoding!;
  const targetInput = run.plan.spec.inputs.filter((input) => input.kind === 'tokens')[1]!;
  const kept = beamTokens.slice(0, targetLength - 1);
  const ids = new Int32Array(targetLength);
  ids.set([bos, ...kept]);
  return {
    inputs: [encoded.inputs[0]!, tf.tensor2d(ids, [1, targetLength], 'int32')],
    tokens: {
      ...encoded.tokens,
      [targetInput.id]: [...kept.map((id) => run.data.classNames[id] ?? '?'), '<eos>'],
    },
  };
}

/**
 * What the run's model says about one example (the user's own, or a row of its splits): the classes' probabilities,
 * each token's tag, or the greedy and beam decodings; and every attention map over the example, as the live view
 * draws them. Every tensor made here is freed before it returns.
 */
export async function predictExample(
  run: TrainedRun,
  example: DecodedExample,
  beamWidth = 4,
  lengthPenalty = DEFAULT_LENGTH_PENALTY,
): Promise<Prediction> {
  const { data, plan } = run;
  const { encoded, label } =
    example.kind === 'sample' ? sampleOf(data, example) : { encoded: data.encode(example), label: '' };
  const owned: tf.Tensor[] = [...encoded.inputs];
  try {
    let probabilities: ClassProbability[] = [];
    let tags: TokenTag[] = [];
    let looked = encoded;
    let decoded: AttentionEvent['decoded'] | undefined;
    const firstTokens = plan.spec.inputs.find((input) => input.kind === 'tokens');
    if (data.decoding) {
      const result = await decodeSample(run.model, encoded.inputs[0] as tf.Tensor2D, data, beamWidth, lengthPenalty);
      decoded = result.decoded;
      looked = alignedDecoderInput(run, encoded, result.beamTokens);
      owned.push(looked.inputs[1]!);
    } else {
      const { values, classes } = await probabilitiesOf(run, encoded);
      if (data.sequenceOutput)
        tags = tagTokens(values, classes, encoded.tokens[firstTokens!.id] ?? [], data.classNames);
      else probabilities = rankClasses(values, data.classNames);
    }
    // A model without attention (the fully connected baseline) has nothing more to show.
    const layers = run.attention.length > 0 ? (await readAttention(run.probe, run.attention, looked)).layers : [];
    const imageIndex = plan.spec.inputs.findIndex((input) => input.kind === 'image');
    const imageInput = plan.spec.inputs[imageIndex];
    const attention: AttentionEvent = {
      type: 'attention',
      runId: plan.runId,
      epoch: run.weights.epoch,
      globalStep: run.weights.globalStep,
      tokens: firstTokens ? (encoded.tokens[firstTokens.id] ?? []) : [],
      label,
      predicted: decoded
        ? decoded.beam
        : data.sequenceOutput
          ? tags.map((tag) => tag.tag).join(' ')
          : (probabilities[0]?.label ?? ''),
      layers,
      ...(decoded ? { decoded } : {}),
      ...(imageInput?.kind === 'image'
        ? {
            image: {
              height: imageInput.height,
              width: imageInput.width,
              channels: imageInput.channels,
              pixels: (await encoded.inputs[imageIndex]!.data()) as Float32Array,
            },
          }
        : {}),
    };
    return {
      runId: plan.runId,
      weights: { slot: run.weights.slot, epoch: run.weights.epoch },
      probabilities,
      tags,
      attention,
      splits: { ...data.counts },
    };
  } finally {
    tf.dispose(owned);
  }
}
