import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

export interface PositionalEncodingArgs extends LayerArgs {
  /** 'learned': a trained vector per position; 'sinusoidal': the fixed encoding of Vaswani et al. Defaults to 'learned'. */
  kind?: 'learned' | 'sinusoidal';
  /** Multiplies the embeddings by sqrt(D) before adding positions, as Vaswani et al. do (3.4). Defaults to true. */
  scaleEmbeddings?: boolean;
}

/**
 * Adds position information to token embeddings x [B, T, D]:  y[b, t] = s x[b, t] + P[t], s = sqrt(D) or 1.
 * Sinusoidal: P[t, 2i] = sin(t / 10000^(2i/D)), P[t, 2i+1] = cos(t / 10000^(2i/D)) (Vaswani et al. 2017, 3.5).
 */
export class PositionalEncoding extends layers.Layer {
  static readonly className = 'PositionalEncoding';
  readonly kind: 'learned' | 'sinusoidal';
  readonly scaleEmbeddings: boolean;
  private table: LayerVariable | null = null;
  private fixedTable: tf.Tensor2D | null = null;

  constructor(args: PositionalEncodingArgs = {}) {
    super(args);
    this.kind = args.kind ?? 'learned';
    this.scaleEmbeddings = args.scaleEmbeddings ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [, length, dim] = inputShape as number[];
    if (this.kind === 'learned') {
      this.table = this.addWeight('positions', [length!, dim!], 'float32', initializers.randomNormal({ stddev: 0.02 }));
    } else {
      this.fixedTable = tf.keep(sinusoidalTable(length!, dim!));
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs; // [B, T, D]
      const table = this.table ? this.table.read() : this.fixedTable!; // [T, D]
      const scaled = this.scaleEmbeddings ? tf.mul(x, Math.sqrt(x.shape[x.shape.length - 1]!)) : x;
      return tf.add(scaled, table); // broadcast over B
    });
  }

  override dispose(): ReturnType<layers.Layer['dispose']> {
    this.fixedTable?.dispose();
    this.fixedTable = null;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kind: this.kind, scaleEmbeddings: this.scaleEmbeddings };
  }
}

export function sinusoidalTable(length: number, dim: number): tf.Tensor2D {
  const values = new Float32Array(length * dim);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < dim; i += 2) {
      const angle = t / Math.pow(10000, i / dim);
      values[t * dim + i] = Math.sin(angle);
      if (i + 1 < dim) values[t * dim + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [length, dim]);
}

tf.serialization.registerClass(PositionalEncoding);
