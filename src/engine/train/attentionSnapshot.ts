import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AttentionLayerSnapshot } from '../../shared/events';

export interface AttentionSample {
  ids: Int32Array; // [T], padded
  /** The words behind the real (non-padding) tokens. */
  words: string[];
  label: number;
}

export interface AttentionReading {
  predicted: number;
  layers: AttentionLayerSnapshot[];
}

/**
 * Runs the probe model on one sample and crops each layer's weights [1, H, T, T] to the sample's real tokens,
 * giving [H, n, n] with n the number of words: padding is masked out of every row, so nothing is lost.
 */
export async function readAttention(
  probe: LayersModel,
  layerNames: string[],
  sample: AttentionSample,
): Promise<AttentionReading> {
  const maxLength = sample.ids.length;
  const n = Math.max(1, Math.min(sample.words.length, maxLength));
  const outputs = tf.tidy(() => {
    const input = tf.tensor2d(sample.ids, [1, maxLength], 'int32');
    const [logits, ...weights] = probe.predict(input) as tf.Tensor[];
    return [tf.argMax(logits!, -1), ...weights.map((w) => tf.slice(w, [0, 0, 0, 0], [1, -1, n, n]))];
  });
  try {
    const [predicted, ...weights] = await Promise.all(outputs.map((t) => t.data()));
    return {
      predicted: predicted![0]!,
      layers: weights.map((values, i) => ({
        layer: layerNames[i]!,
        heads: outputs[i + 1]!.shape[1]!,
        queries: n,
        keys: n,
        weights: values as Float32Array,
      })),
    };
  } finally {
    for (const tensor of outputs) tensor.dispose();
  }
}
