import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';

/**
 * Mean over the real positions of a sequence: y[b] = sum_t m[b,t] x[b,t] / max(1, sum_t m[b,t]).
 * Inputs: [x [B, T, D], mask [B, T]]; without the mask every position counts. Output [B, D].
 */
export class MaskedAveragePooling1D extends layers.Layer {
  static readonly className = 'MaskedAveragePooling1D';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    const xShape = (Array.isArray(shapes[0]) ? shapes[0] : inputShape) as Shape;
    return [xShape[0]!, xShape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, mask] = Array.isArray(inputs) ? inputs : [inputs];
      if (!mask) return tf.mean(x!, 1);
      const weights = tf.expandDims(mask, 2); // [B, T, 1]
      const total = tf.sum(tf.mul(x!, weights), 1); // [B, D]
      const count = tf.maximum(tf.sum(weights, 1), 1); // [B, 1]
      return tf.div(total, count);
    });
  }
}

tf.serialization.registerClass(MaskedAveragePooling1D);
