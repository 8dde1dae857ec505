import * as tf from '@tensorflow/tfjs-core';

/** How a recurrent layer reads a sequence: its length and whether it reads it from the end. */
export interface Direction {
  length: number;
  reverse: boolean;
}

/** The time steps in the order they are read. */
export const timeOrder = ({ length, reverse }: Direction): number[] =>
  Array.from({ length }, (_, k) => (reverse ? length - 1 - k : k));

/**
 * The state each step starts from, stacked by time: h [T, B, H] shifted one step against the reading order, with
 * zeros at the first step read. The recurrent kernel's gradient is the product of this with the steps' dz.
 */
export function previousHiddenStates(hidden: tf.Tensor3D, { length, reverse }: Direction): tf.Tensor3D {
  const [, batch, units] = hidden.shape;
  const zeros = tf.zeros([1, batch, units]);
  if (length === 1) return zeros as tf.Tensor3D;
  const parts = reverse
    ? [tf.slice(hidden, [1, 0, 0], [length - 1, batch, units]), zeros]
    : [zeros, tf.slice(hidden, [0, 0, 0], [length - 1, batch, units])];
  return tf.concat(parts) as tf.Tensor3D;
}
