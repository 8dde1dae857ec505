import * as tf from '@tensorflow/tfjs-core';
import { fusedCrossEntropy } from './crossEntropy';

/**
 * Mean softmax cross-entropy of logits against integer targets: [B, C] against [B], or per token [B, T, C] against
 * [B, T], where target 0 (padding) is left out of the mean. With label smoothing s the target puts 1 - s on its
 * class and s spread evenly over all of them.
 */
export function taskLoss(
  logits: tf.Tensor,
  targets: tf.Tensor,
  classes: number,
  sequence: boolean,
  labelSmoothing = 0,
): tf.Scalar {
  // One kernel each way where the backend has them (wasm); the same loss composed of tfjs ops elsewhere.
  const fused = fusedCrossEntropy(logits, targets, { smoothing: labelSmoothing, masked: sequence });
  if (fused) return fused;
  if (!sequence) {
    return tf.losses.softmaxCrossEntropy(
      tf.oneHot(targets as tf.Tensor1D, classes),
      logits,
      undefined,
      labelSmoothing,
    ) as tf.Scalar;
  }
  // As [B * T, C]: tf.losses.softmaxCrossEntropy takes the number of classes for its label smoothing from the
  // labels' second axis, which for [B, T, C] is T.
  const flat = tf.reshape(logits, [-1, classes]);
  const perToken = tf.reshape(
    tf.losses.softmaxCrossEntropy(
      tf.oneHot(tf.reshape(targets, [-1]) as tf.Tensor1D, classes),
      flat,
      undefined,
      labelSmoothing,
      tf.Reduction.NONE,
    ),
    targets.shape,
  ); // [B, T]
  const real = tf.cast(tf.notEqual(targets, 0), 'float32');
  return tf.div(tf.sum(tf.mul(perToken, real)), tf.maximum(tf.sum(real), 1)) as tf.Scalar;
}

/** [right, counted]: examples (or, per token, real positions) where the arg-max class is the target. */
export function correctCount(logits: tf.Tensor, targets: tf.Tensor, sequence: boolean): [tf.Scalar, tf.Scalar] {
  const right = tf.cast(tf.equal(tf.argMax(logits, -1), targets), 'float32');
  if (!sequence) return [tf.sum(right), tf.scalar(targets.shape[0]!)];
  const real = tf.cast(tf.notEqual(targets, 0), 'float32');
  return [tf.sum(tf.mul(right, real)), tf.sum(real)];
}
