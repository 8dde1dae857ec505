import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

export interface SameAveragePooling2DArgs extends LayerArgs {
  /** Side of the square window. */
  poolSize: number;
  /** Step between windows. */
  strides: number;
}

/** TensorFlow's 'same' padding along one axis: ceil(size / stride) windows, the extra pixel after. */
function samePadding(size: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Average pooling with TensorFlow's 'same' padding: each output is the mean of the real pixels of its window,
 *
 *   y = avgPool_valid(pad0(x)) / avgPool_valid(pad0(1))     (window sums over k², divided by real pixels over k²)
 *
 * written so that autodiff differentiates exactly that. tfjs' own AvgPoolGrad divides by the whole window k² at
 * the borders, where its forward pass divides by the pixels it counted, so a border pixel's gradient was too small.
 * Input and output channels-last [B, H, W, C].
 */
export class SameAveragePooling2D extends layers.Layer {
  static readonly className = 'SameAveragePooling2D';
  readonly poolSize: number;
  readonly strides: number;

  constructor(args: SameAveragePooling2DArgs) {
    super(args);
    this.poolSize = args.poolSize;
    this.strides = args.strides;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, height, width, channels] = inputShape as Shape;
    const out = (size: number | null) => (size === null ? null : Math.ceil(size / this.strides));
    return [batch!, out(height!), out(width!), channels!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D; // [B, H, W, C]
      const [, height, width] = x.shape;
      const pads: [number, number][] = [
        [0, 0],
        samePadding(height, this.poolSize, this.strides),
        samePadding(width, this.poolSize, this.strides),
        [0, 0],
      ];
      const window = [this.poolSize, this.poolSize] as [number, number];
      const means = tf.avgPool(tf.pad(x, pads), window, this.strides, 'valid'); // [B, H', W', C]: sums / k²
      const real = tf.avgPool(
        tf.pad(tf.ones([1, height, width, 1]), pads) as tf.Tensor4D,
        window,
        this.strides,
        'valid',
      ); // [1, H', W', 1]: count / k²
      return tf.div(means, real);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides };
  }
}

tf.serialization.registerClass(SameAveragePooling2D);
