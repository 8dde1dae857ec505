import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { HyperParams } from '../../shared/hyperParams';
import type { PreparedDataset } from '../data/preparedDataset';
import { correctCount, taskLoss } from './losses';
import type { StepTensors } from './monitors/stepWindow';
import { applyWeightDecay, weightDecayOf } from './optimizer';

export interface StepContext {
  model: LayersModel;
  optimizer: tf.Optimizer;
  /** The weights trained: every trainable weight of the blocks not frozen. */
  variables: tf.Variable[];
  /** The weights that weight decay shrinks (kernels, not biases or norms). */
  decayed: tf.Variable[];
  hyperParams: HyperParams;
  data: PreparedDataset;
  /** This step's learning rate, as the schedule set it. */
  learningRate: number;
}

/** Scales the gradients down together to at most `maxNorm` global L2 norm (Pascanu et al. 2013). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))); // scalar
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
  });
}

/**
 * One optimizer step on the training rows given: gradients, clipped if the recipe says so, applied, then decoupled
 * weight decay. Returns the step's loss and correct counts as tensors kept on the device: nothing is read back
 * here, so the device is never waited for inside a step.
 */
export function trainingStep(context: StepContext, rows: number[]): StepTensors {
  const { model, optimizer, variables, decayed, hyperParams, data } = context;
  const classes = data.classNames.length;
  const batch = data.batch('train', rows);
  let counts: tf.Scalar[] = [];
  let grads: tf.NamedTensorMap = {};
  try {
    const { value, grads: raw } = tf.variableGrads(() => {
      const logits = model.apply(batch.inputs, { training: true }) as tf.Tensor; // [B, C] or [B, T, C]
      counts = correctCount(logits, batch.targets, data.sequenceOutput).map((t) => tf.keep(t));
      return taskLoss(logits, batch.targets, classes, data.sequenceOutput, hyperParams.labelSmoothing);
    }, variables);
    grads = raw;
    if (hyperParams.clipNorm > 0) {
      const clipped = clipByGlobalNorm(raw, hyperParams.clipNorm);
      tf.dispose(raw);
      grads = clipped;
    }
    optimizer.applyGradients(grads);
    applyWeightDecay(decayed, weightDecayOf(hyperParams), context.learningRate);
    return { loss: value, correct: counts[0]!, counted: counts[1]! };
  } catch (error) {
    tf.dispose(counts);
    throw error;
  } finally {
    tf.dispose(grads);
    tf.dispose([...batch.inputs, batch.targets]);
  }
}
