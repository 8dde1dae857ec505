import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-layers' Orthogonal initializer (the default recurrent initializer of LSTM and GRU) calls tensor methods such
 * as `x.flatten()`. tfjs-core's Node build does not register these chained ops (its ESM registration module uses
 * directory imports that Node refuses), so every recurrent layer failed to build. This adds the few it calls,
 * each the plain op, and leaves any method that is already registered alone.
 */
const CHAINED: Record<string, (this: tf.Tensor, ...args: never[]) => tf.Tensor> = {
  flatten(this: tf.Tensor) {
    return tf.reshape(this, [this.size]);
  },
  reshape(this: tf.Tensor, shape: number[]) {
    return tf.reshape(this, shape);
  },
  transpose(this: tf.Tensor, perm?: number[]) {
    return tf.transpose(this, perm);
  },
  sign(this: tf.Tensor) {
    return tf.sign(this);
  },
  stridedSlice(this: tf.Tensor, begin: number[], end: number[], strides: number[]) {
    return tf.stridedSlice(this, begin, end, strides);
  },
};

export function installChainedOps(): void {
  const prototype = tf.Tensor.prototype as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(CHAINED)) {
    if (typeof prototype[name] !== 'function') prototype[name] = method;
  }
}
