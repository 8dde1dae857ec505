import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';

/** x [B, T, D] -> x[:, 0] [B, D]: the class token a ViT's classifier reads. */
export class FirstToken extends layers.Layer {
  static readonly className = 'FirstToken';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, , dim] = inputShape as Shape;
    return [batch!, dim!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
      return tf.reshape(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [x.shape[0], x.shape[2]]);
    });
  }
}

tf.serialization.registerClass(FirstToken);
