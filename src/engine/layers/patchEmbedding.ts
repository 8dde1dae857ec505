import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

export interface PatchEmbeddingArgs extends LayerArgs {
  patchSize: number;
  dim: number;
  /** Put a learned class token before the patches. Defaults to true. */
  classToken?: boolean;
}

/**
 * The Vision Transformer's tokens (Dosovitskiy et al. 2021, 3.1): an image x [B, H, W, C] cut into p x p patches,
 * row by row, each flattened in (row, column, channel) order and projected:  z[b, n] = vec(patch n) . W + bias,
 * W kept as a convolution kernel [p, p, C, D] so that the projection is one convolution whose stride is its kernel.
 * With a class token, z = [cls; z]: [B, 1 + HW/p^2, D].
 */
export class PatchEmbedding extends layers.Layer {
  static readonly className = 'PatchEmbedding';
  readonly patchSize: number;
  readonly dim: number;
  readonly classToken: boolean;
  private kernel!: LayerVariable;
  private bias!: LayerVariable;
  private token: LayerVariable | null = null;

  constructor(args: PatchEmbeddingArgs) {
    super(args);
    this.patchSize = args.patchSize;
    this.dim = args.dim;
    this.classToken = args.classToken ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = (inputShape as Shape)[3]!;
    const p = this.patchSize;
    this.kernel = this.addWeight('kernel', [p, p, channels, this.dim], 'float32', initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.dim], 'float32', initializers.zeros());
    // ViT's class token starts small (trunc. normal, 0.02): the patches, not it, set the first attention.
    if (this.classToken)
      this.token = this.addWeight('class_token', [1, this.dim], 'float32', initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, height, width] = inputShape as Shape;
    const patches = (height! / this.patchSize) * (width! / this.patchSize);
    return [batch!, patches + (this.classToken ? 1 : 0), this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D; // [B, H, W, C]
      const projected = tf.add(
        tf.conv2d(x, this.kernel.read() as tf.Tensor4D, this.patchSize, 'valid'),
        this.bias.read(),
      ); // [B, H/p, W/p, D]
      const [batch, rows, columns] = projected.shape;
      const patches = tf.reshape(projected, [batch, rows * columns, this.dim]);
      if (!this.token) return patches;
      // Broadcast by an add rather than tile: tfjs' Tile gradient is a loop of slices.
      const tokens = tf.add(tf.zeros([batch, 1, this.dim]), this.token.read());
      return tf.concat([tokens, patches], 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), patchSize: this.patchSize, dim: this.dim, classToken: this.classToken };
  }
}

tf.serialization.registerClass(PatchEmbedding);
