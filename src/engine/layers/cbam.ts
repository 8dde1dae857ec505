import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { spatialPools } from './attentionPools';
import { addSpatialWeights, spatialMap } from './spatialAttention';
import { bottleneckUnits } from '../../shared/architecture/opShapes';
import { channelMlp } from './squeezeExcitation';

export interface CbamArgs extends LayerArgs {
  /** Bottleneck ratio of the shared channel MLP. Defaults to 8. */
  ratio?: number;
  /** Side of the spatial convolution. Defaults to 7. */
  kernelSize?: number;
}

/**
 * Convolutional Block Attention Module (Woo et al. 2018): channel attention, then spatial attention.
 *
 *   MLP(z) = W2 relu(W1 z + b1) + b2                                    (shared, C -> C/r -> C)
 *   Mc = sigmoid(MLP(mean_{h,w} x) + MLP(max_{h,w} x))                  ([C])
 *   x' = x * Mc
 *   Ms = sigmoid(conv_{k x k}([mean_c x' ; max_c x']) + b)             ([H, W])
 *   y  = x' * Ms
 *
 * Input x [B, H, W, C]. Outputs [y, Mc as [B, 1, 1, C], Ms as [B, 1, H, W]].
 */
export class Cbam extends layers.Layer {
  static readonly className = 'Cbam';
  readonly ratio: number;
  readonly kernelSize: number;
  private hiddenKernel!: LayerVariable;
  private hiddenBias!: LayerVariable;
  private outputKernel!: LayerVariable;
  private outputBias!: LayerVariable;
  private spatialKernel!: LayerVariable;
  private spatialBias!: LayerVariable;

  constructor(args: CbamArgs = {}) {
    super(args);
    this.ratio = args.ratio ?? 8;
    this.kernelSize = args.kernelSize ?? 7;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = (inputShape as number[])[3]!;
    const units = bottleneckUnits(channels, this.ratio);
    this.hiddenKernel = this.addWeight(
      'channel_hidden_kernel',
      [channels, units],
      'float32',
      initializers.heNormal({}),
    );
    this.hiddenBias = this.addWeight('channel_hidden_bias', [units], 'float32', initializers.zeros());
    this.outputKernel = this.addWeight(
      'channel_output_kernel',
      [units, channels],
      'float32',
      initializers.glorotUniform({}),
    );
    this.outputBias = this.addWeight('channel_output_bias', [channels], 'float32', initializers.zeros());
    [this.spatialKernel, this.spatialBias] = addSpatialWeights(
      (name, shape, init) => this.addWeight(name, shape, 'float32', init),
      this.kernelSize,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [batch, height, width, channels] = inputShape as Shape;
    return [inputShape as Shape, [batch!, 1, 1, channels!], [batch!, 1, height!, width!]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const [batch, , , channels] = x.shape;
      // Both pooled vectors go through the MLP as one [2B, C] batch.
      const pooled = spatialPools(x); // [2B, C]: the means over [H, W], then the maxima
      const scores = channelMlp(pooled, this.hiddenKernel, this.hiddenBias, this.outputKernel, this.outputBias); // [2B, C]
      const [fromMean, fromMax] = tf.split(scores, 2, 0);
      const channelMap = tf.reshape(tf.sigmoid(tf.add(fromMean!, fromMax!)), [batch, 1, 1, channels]);
      const refined = tf.mul(x, channelMap) as tf.Tensor4D;
      const spatial = spatialMap(refined, this.spatialKernel.read(), this.spatialBias.read()); // [B, H, W, 1]
      return [tf.mul(refined, spatial), channelMap, tf.transpose(spatial, [0, 3, 1, 2])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ratio: this.ratio, kernelSize: this.kernelSize };
  }
}

tf.serialization.registerClass(Cbam);
