import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import { channelPools } from './attentionPools';

export interface SpatialAttentionArgs extends LayerArgs {
  /** Side of the square convolution that turns the pooled maps into one score per pixel. Defaults to 7. */
  kernelSize?: number;
}

/**
 * The spatial map of CBAM (Woo et al. 2018, "CBAM: Convolutional Block Attention Module", 3.2):
 *   m = sigmoid(conv_{k x k}([mean_c x ; max_c x]) + b)      ([H, W], 'same' padding, 2 input channels)
 * Used by SpatialAttention and by CBAM. x [B, H, W, C] -> m [B, H, W, 1].
 */
export function spatialMap(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D {
  const pooled = channelPools(x); // [B, H, W, 2]: mean and max over the channels
  return tf.sigmoid(tf.add(tf.conv2d(pooled, kernel as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D;
}

type AddWeight = (name: string, shape: number[], initializer: Initializer) => LayerVariable;

/** The weights of spatialMap, a k x k x 2 x 1 kernel and its bias, added through the owning layer's addWeight. */
export function addSpatialWeights(addWeight: AddWeight, kernelSize: number): [LayerVariable, LayerVariable] {
  return [
    addWeight('spatial_kernel', [kernelSize, kernelSize, 2, 1], initializers.glorotUniform({})),
    addWeight('spatial_bias', [1], initializers.zeros()),
  ];
}

/**
 * Spatial attention: y = x * m with m = spatialMap(x), the same weight for every channel of a pixel.
 * Input x [B, H, W, C]. Outputs [y [B, H, W, C], m as [B, 1, H, W]]: m is where in the image the model looks.
 */
export class SpatialAttention extends layers.Layer {
  static readonly className = 'SpatialAttention';
  readonly kernelSize: number;
  private kernel!: LayerVariable;
  private bias!: LayerVariable;

  constructor(args: SpatialAttentionArgs = {}) {
    super(args);
    this.kernelSize = args.kernelSize ?? 7;
  }

  override build(): void {
    [this.kernel, this.bias] = addSpatialWeights(
      (name, shape, init) => this.addWeight(name, shape, 'float32', init),
      this.kernelSize,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [batch, height, width] = inputShape as Shape;
    return [inputShape as Shape, [batch!, 1, height!, width!]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const map = spatialMap(x, this.kernel.read(), this.bias.read()); // [B, H, W, 1]
      return [tf.mul(x, map), tf.transpose(map, [0, 3, 1, 2])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelSize: this.kernelSize };
  }
}

tf.serialization.registerClass(SpatialAttention);
