import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { bottleneckUnits } from '../../shared/architecture/opShapes';

export interface SqueezeExcitationArgs extends LayerArgs {
  /** The bottleneck divides the channels by this ratio (at least 1 unit). Defaults to 8. */
  ratio?: number;
}

/** MLP(z) = W2 relu(W1 z + b1) + b2, row by row: the channel MLP of SE and of CBAM. z [N, C] -> [N, C]. */
export function channelMlp(
  z: tf.Tensor,
  w1: LayerVariable,
  b1: LayerVariable,
  w2: LayerVariable,
  b2: LayerVariable,
): tf.Tensor {
  const hidden = tf.relu(tf.add(tf.matMul(z, w1.read()), b1.read()));
  return tf.add(tf.matMul(hidden, w2.read()), b2.read());
}

/**
 * Squeeze-and-excitation channel attention (Hu et al. 2018, "Squeeze-and-Excitation Networks"):
 *
 *   z = mean_{h,w} x[h, w, :]                     (squeeze, [C])
 *   s = sigmoid(W2 relu(W1 z + b1) + b2)          (excitation, [C], W1: C -> C/r, W2: C/r -> C)
 *   y = x * s                                     (each channel rescaled)
 *
 * Input x [B, H, W, C]. Outputs [y [B, H, W, C], s as [B, 1, 1, C]]: s is how much each channel counts.
 */
export class SqueezeExcitation extends layers.Layer {
  static readonly className = 'SqueezeExcitation';
  readonly ratio: number;
  private squeezeKernel!: LayerVariable;
  private squeezeBias!: LayerVariable;
  private exciteKernel!: LayerVariable;
  private exciteBias!: LayerVariable;

  constructor(args: SqueezeExcitationArgs = {}) {
    super(args);
    this.ratio = args.ratio ?? 8;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = (inputShape as number[])[3]!;
    const units = bottleneckUnits(channels, this.ratio);
    this.squeezeKernel = this.addWeight('squeeze_kernel', [channels, units], 'float32', initializers.heNormal({}));
    this.squeezeBias = this.addWeight('squeeze_bias', [units], 'float32', initializers.zeros());
    this.exciteKernel = this.addWeight('excite_kernel', [units, channels], 'float32', initializers.glorotUniform({}));
    this.exciteBias = this.addWeight('excite_bias', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [batch, , , channels] = inputShape as Shape;
    return [inputShape as Shape, [batch!, 1, 1, channels!]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const squeezed = tf.mean(x, [1, 2]); // [B, C]
      const scale = tf.sigmoid(
        channelMlp(squeezed, this.squeezeKernel, this.squeezeBias, this.exciteKernel, this.exciteBias),
      ); // [B, C]
      const map = tf.reshape(scale, [x.shape[0], 1, 1, x.shape[3]]);
      return [tf.mul(x, map), map];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ratio: this.ratio };
  }
}

tf.serialization.registerClass(SqueezeExcitation);
