import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import type { HyperParams } from '../../shared/hyperParams';

export function createOptimizer(hyperParams: HyperParams): tf.Optimizer {
  return hyperParams.optimizer === 'sgd'
    ? tf.train.momentum(hyperParams.learningRate, 0.9)
    : tf.train.adam(hyperParams.learningRate);
}

/** Kernels and embeddings: the weights that decoupled weight decay shrinks (never biases, norms or positions). */
export function decayedWeights(weights: LayerVariable[]): tf.Variable[] {
  return weights
    .filter((w) => /(kernel|embeddings)(_\d+)?$/.test(w.originalName) && w.trainable)
    .map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Decoupled weight decay (Loshchilov & Hutter 2019): w <- w - lr * wd * w, after the optimizer step. */
export function applyWeightDecay(variables: tf.Variable[], hyperParams: HyperParams): void {
  if (hyperParams.weightDecay <= 0) return;
  const factor = 1 - hyperParams.learningRate * hyperParams.weightDecay;
  tf.tidy(() => {
    for (const variable of variables) variable.assign(tf.mul(variable, factor));
  });
}
