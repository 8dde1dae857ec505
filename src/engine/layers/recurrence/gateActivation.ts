import * as tf from '@tensorflow/tfjs-core';
import type { GateActivation } from '@attention-workbench/wasm-kernels';

/**
 * The squashing of a recurrent layer's gates: the logistic sigmoid (PyTorch's LSTM and GRU, Hochreiter &
 * Schmidhuber) or Keras' piecewise-linear hard sigmoid, max(0, min(1, 0.2 x + 0.5)).
 */
export type { GateActivation };

export const gate = (x: tf.Tensor, kind: GateActivation): tf.Tensor =>
  kind === 'sigmoid' ? tf.sigmoid(x) : tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);

/**
 * The gate's derivative written in its output s = gate(x), which the backward pass keeps: s (1 - s) for the
 * sigmoid; 0.2 where the hard sigmoid is not clipped (0 < s < 1), else 0.
 */
export const gateSlope = (s: tf.Tensor, kind: GateActivation): tf.Tensor =>
  kind === 'sigmoid'
    ? tf.mul(s, tf.sub(1, s))
    : tf.mul(tf.cast(tf.logicalAnd(tf.greater(s, 0), tf.less(s, 1)), 'float32'), 0.2);

/** 1 - t^2: tanh's derivative written in its output t. */
export const tanhSlope = (t: tf.Tensor): tf.Tensor => tf.sub(1, tf.square(t));
