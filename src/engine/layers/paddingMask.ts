import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';

/**
 * Token ids [B, T] -> mask [B, T]: 1 for a real token, 0 for padding (id 0). Made once from the input and handed
 * explicitly to every attention and pooling layer, so that which positions count is visible in the graph.
 */
export class PaddingMask extends layers.Layer {
  static readonly className = 'PaddingMask';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.notEqual(Array.isArray(inputs) ? inputs[0]! : inputs, 0), 'float32'));
  }
}

tf.serialization.registerClass(PaddingMask);
