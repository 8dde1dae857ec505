import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import type { HyperParams } from '../../shared/hyperParams';
import { FusedAdam } from './fusedAdam';

/** The optimizer of the recipe, at the peak learning rate (the schedule sets each step's). */
export function createOptimizer(hyperParams: HyperParams): tf.Optimizer {
  const { optimizer, learningRate, momentum, nesterov } = hyperParams;
  switch (optimizer) {
    case 'adam':
    case 'adamw':
      return new FusedAdam(learningRate);
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(learningRate, momentum, nesterov) : tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, momentum);
  }
}

/**
 * Sets the learning rate the next step uses. tfjs' optimizers read their `learningRate` field at every step (SGD
 * and momentum through setLearningRate), so changing it between steps is a schedule.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const withSetter = optimizer as tf.Optimizer & { setLearningRate?: (rate: number) => void };
  if (withSetter.setLearningRate) withSetter.setLearningRate(rate);
  else (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/** The decoupled weight decay of the recipe: AdamW's 0.01 (PyTorch's default) unless one is set. */
export function weightDecayOf(hyperParams: HyperParams): number {
  return hyperParams.optimizer === 'adamw' && hyperParams.weightDecay === 0 ? 0.01 : hyperParams.weightDecay;
}

/** Kernels and embeddings: the weights that decoupled weight decay shrinks (never biases, norms or positions). */
export function decayedWeights(weights: LayerVariable[]): tf.Variable[] {
  return weights
    .filter((w) => /(kernel|embeddings)(_\d+)?$/.test(w.originalName) && w.trainable)
    .map((w) => (w as unknown as { val: tf.Variable }).val);
}

/** Decoupled weight decay (Loshchilov & Hutter 2019): w <- w - lr * wd * w, after the optimizer step. */
export function applyWeightDecay(variables: tf.Variable[], decay: number, learningRate: number): void {
  if (decay <= 0) return;
  const factor = 1 - learningRate * decay;
  tf.tidy(() => {
    for (const variable of variables) variable.assign(tf.mul(variable, factor));
  });
}
