import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { HyperParams } from '../../shared/hyperParams';
import type { PreparedDataset } from '../data/preparedDataset';
import { correctCount, taskLoss } from './losses';
import type { StepTensors } from './monitors/stepWindow';
import { applyWeightDecay } from './optimizer';

export interface StepContext {
  model: LayersModel;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  /** The weights that weight decay shrinks (kernels, not biases or norms). */
  decayed: tf.Variable[];
  hyperParams: HyperParams;
  data: PreparedDataset;
}

/**
 * One optimizer step on the training rows given. Returns the step's loss and correct counts as tensors kept on the
 * device: nothing is read back here, so the device is never waited for inside a step.
 */
export function trainingStep(context: StepContext, rows: number[]): StepTensors {
  const { model, optimizer, variables, decayed, hyperParams, data } = context;
  const classes = data.classNames.length;
  const batch = data.batch('train', rows);
  let counts: tf.Scalar[] = [];
  try {
    const loss = optimizer.minimize(
      () => {
        const logits = model.apply(batch.inputs, { training: true }) as tf.Tensor; // [B, C] or [B, T, C]
        counts = correctCount(logits, batch.targets, data.sequenceOutput).map((t) => tf.keep(t));
        return taskLoss(logits, batch.targets, classes, data.sequenceOutput);
      },
      true,
      variables,
    )!;
    applyWeightDecay(decayed, hyperParams);
    return { loss, correct: counts[0]!, counted: counts[1]! };
  } catch (error) {
    tf.dispose(counts);
    throw error;
  } finally {
    tf.dispose([...batch.inputs, batch.targets]);
  }
}
