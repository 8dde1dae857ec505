import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { shapeList, tensorList } from './inputList';

export interface AttentionPoolingArgs extends LayerArgs {
  /** Width of the scoring layer. */
  units: number;
}

/**
 * Attention pooling over a sequence (Yang et al. 2016, "Hierarchical Attention Networks", 2.2; the attention of
 * attention-based (Bi)LSTM classifiers):
 *
 *   e_t = v . tanh(h_t W + b)
 *   a   = softmax_t(e + M)            (M = -1e9 on padding)
 *   y   = sum_t a_t h_t
 *
 * Inputs: [h [B, T, D], mask [B, T]?]. Outputs: [y [B, D], weights as [B, 1, 1, T]]: which positions the summary
 * is made of.
 */
export class AttentionPooling extends layers.Layer {
  static readonly className = 'AttentionPooling';
  readonly units: number;
  private kernel!: LayerVariable;
  private bias!: LayerVariable;
  private scoreVector!: LayerVariable;

  constructor(args: AttentionPoolingArgs) {
    super(args);
    this.units = args.units;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [shape] = shapeList(inputShape) as number[][];
    this.kernel = this.addWeight('kernel', [shape[2]!, this.units], 'float32', initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.units], 'float32', initializers.zeros());
    this.scoreVector = this.addWeight('score_vector', [this.units, 1], 'float32', initializers.glorotUniform({}));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [shape] = shapeList(inputShape) as [Shape];
    return [
      [shape[0]!, shape[2]!],
      [shape[0]!, 1, 1, shape[1]!],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const [h, mask] = tensorList(inputs);
      const [batch, length, dim] = h!.shape as number[];
      const hidden = tf.tanh(tf.add(tf.matMul(tf.reshape(h!, [-1, dim!]), this.kernel.read()), this.bias.read()));
      let scores = tf.reshape(tf.matMul(hidden, this.scoreVector.read()), [batch!, length!]);
      if (mask) scores = tf.add(scores, tf.mul(tf.sub(1, mask), -1e9));
      const weights = tf.softmax(scores); // [B, T]
      const pooled = tf.squeeze(tf.matMul(tf.expandDims(weights, 1), h!), [1]); // [B, D]
      return [pooled, tf.reshape(weights, [batch!, 1, 1, length!])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

tf.serialization.registerClass(AttentionPooling);
