import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { HyperParams } from '../../shared/hyperParams';
import type { Augmentation, PreparedDataset } from '../data/preparedDataset';
import { averageOverReplicas } from '../parallel/averagedStep';
import type { GradientExchange } from '../parallel/gradientExchange';
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
  /** Data-parallel training: this replica trains on its share of each batch, and the gradients are averaged here. */
  exchange?: GradientExchange;
  /** Data-parallel: this replica asks to stop after the next step (replica 0, for the user). */
  stopVote?: boolean;
  /** Data-parallel: some replica asked to stop with the last step; every replica stops now. */
  stopAgreed?: boolean;
  /** This step's random image shifts (the recipe's augmentShift), keyed by the run's seed and the step. */
  augment?: Augmentation;
}

/** Scales the gradients down together to at most `maxNorm` global L2 norm (Pascanu et al. 2013). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))); // scalar
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
  });
}

/** The gradients of `rows`, the loss and the correct counts: new tensors the caller disposes. */
function shareGradients(context: StepContext, rows: number[]) {
  const { model, variables, hyperParams, data } = context;
  const batch = data.batch('train', rows, context.augment);
  let counts: tf.Scalar[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(batch.inputs, { training: true }) as tf.Tensor; // [B, C] or [B, T, C]
      counts = correctCount(logits, batch.targets, data.sequenceOutput).map((t) => tf.keep(t));
      return taskLoss(logits, batch.targets, data.classNames.length, data.sequenceOutput, hyperParams.labelSmoothing);
    }, variables);
    return { grads, loss: value, correct: counts[0]!, counted: counts[1]! };
  } catch (error) {
    tf.dispose(counts);
    throw error;
  } finally {
    tf.dispose([...batch.inputs, batch.targets]);
  }
}

/** Clips (if the recipe says so) and applies `grads`, then decoupled weight decay; disposes `grads`. */
function applyStep(context: StepContext, grads: tf.NamedTensorMap): void {
  const { optimizer, decayed, hyperParams } = context;
  let applied = grads;
  try {
    if (hyperParams.clipNorm > 0) {
      applied = clipByGlobalNorm(grads, hyperParams.clipNorm);
      tf.dispose(grads);
    }
    optimizer.applyGradients(applied);
    applyWeightDecay(decayed, weightDecayOf(hyperParams), context.learningRate);
  } finally {
    tf.dispose(applied);
  }
}

/**
 * One optimizer step on the training rows given: gradients, clipped if the recipe says so, applied, then decoupled
 * weight decay. Returns the step's loss and correct counts as tensors kept on the device: nothing is read back
 * here, so the device is never waited for inside a step. With an exchange (data-parallel training) `rows` is this
 * replica's share of the batch, and the step is replicaStep's.
 */
export function trainingStep(context: StepContext, rows: number[]): StepTensors {
  if (context.exchange) return replicaStep(context, context.exchange, rows);
  const { grads, loss, correct, counted } = shareGradients(context, rows);
  try {
    applyStep(context, grads);
    return { loss, correct, counted };
  } catch (error) {
    tf.dispose([loss, correct, counted]);
    throw error;
  }
}

/**
 * One data-parallel step: this replica's share of the batch (possibly none, for a last batch smaller than the
 * replicas), the gradients averaged with the other replicas' (parallel/averagedStep.ts), then the same clipping,
 * update and weight decay as one replica, on the averaged gradient: every replica takes the same step.
 */
function replicaStep(context: StepContext, exchange: GradientExchange, rows: number[]): StepTensors {
  const empty = { grads: null, loss: null, correct: null, counted: null };
  const share = rows.length > 0 ? shareGradients(context, rows) : empty;
  try {
    const averaged = averageOverReplicas(exchange, context.variables, share, context.stopVote);
    context.stopAgreed = averaged.stop;
    const figures = { loss: averaged.loss, correct: averaged.correct, counted: averaged.counted };
    try {
      applyStep(context, averaged.grads);
    } catch (error) {
      tf.dispose(Object.values(figures));
      throw error;
    }
    return figures;
  } finally {
    tf.dispose(Object.values(share.grads ?? {}));
    tf.dispose([share.loss, share.correct, share.counted].filter((t): t is tf.Scalar => t !== null));
  }
}
