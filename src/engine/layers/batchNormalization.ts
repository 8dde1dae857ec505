import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { BATCH_NORM_TRAINING, fusedBatchNormInTraining } from '@attention-workbench/wasm-kernels';
import { tfjsLayerClass } from './tfjsLayerClass';

type BatchNormalizationArgs = NonNullable<Parameters<typeof layers.batchNormalization>[0]>;

const TfjsBatchNormalization = tfjsLayerClass<BatchNormalizationArgs>('BatchNormalization');

interface LayerVariable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The fields of tfjs-layers' layer that its TypeScript declarations keep private. */
interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

/**
 * x normalised over every axis but the last with the batch's own statistics, y = (x - mean) / sqrt(variance + eps)
 * * gamma + beta, and [y, mean, variance], as one kernel and gradient (the kernels package's BATCH_NORM_TRAINING)
 * where it is registered for the active backend (wasm).
 */
export function batchNormInTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] {
  return tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale: gamma, offset: beta }, {
    varianceEpsilon: epsilon,
  } as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

/**
 * tfjs-layers' BatchNormalization (Ioffe & Szegedy 2015), whose training pass over channels-last input runs as
 * batchNormInTraining where that kernel serves it: tfjs takes the batch's moments and normalises in ~17 passes over
 * the map, forward and back. The moving averages update as tfjs' do. Same class name and config, so a saved model
 * is unchanged; in inference, or with another axis, a missing gamma or beta, it is tfjs' layer exactly.
 */
export class BatchNormalization extends TfjsBatchNormalization {
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const fields = this as unknown as BatchNormalizationFields;
    const lastAxis = input && (fields.axis === -1 || fields.axis === input.rank - 1);
    if (
      kwargs['training'] !== true ||
      !input ||
      (Array.isArray(inputs) && inputs.length !== 1) ||
      !lastAxis ||
      !fields.gamma ||
      !fields.beta ||
      !fusedBatchNormInTraining(input)
    ) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormInTraining(input, fields.gamma!.read(), fields.beta!.read(), fields.epsilon);
      // As tfjs-layers: moving <- moving - (moving - batch) * (1 - momentum).
      for (const [variable, value] of [
        [fields.movingMean, mean!],
        [fields.movingVariance, variance!],
      ] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - fields.momentum)));
        });
      }
      return y!;
    });
  }
}

tf.serialization.registerClass(BatchNormalization);
