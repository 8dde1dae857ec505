import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { shapeList, tensorList } from './inputList';

export interface AdditiveAttentionArgs extends LayerArgs {
  /** Width of the scoring layer. */
  units: number;
  /** Queries attend to their own sequence: inputs are [x, mask?] instead of [queries, keys, mask?]. */
  self?: boolean;
}

/**
 * Additive attention (Bahdanau, Cho and Bengio 2015, "Neural Machine Translation by Jointly Learning to Align and
 * Translate", eq. 6 and A.1.2):
 *
 *   e[i, j] = v . tanh(q_i Wq + k_j Wk + b)         (score of key j for query i)
 *   a[i, :] = softmax_j(e[i, :] + M)                (M = -1e9 for padding keys)
 *   c_i     = sum_j a[i, j] k_j                     (context vector)
 *
 * Inputs: [queries [B, Tq, Dq], keys [B, Tk, Dk], key mask [B, Tk]?], or [x, mask?] with `self`.
 * Outputs: [context [B, Tq, Dk], weights as [B, 1, Tq, Tk]].
 */
export class AdditiveAttention extends layers.Layer {
  static readonly className = 'AdditiveAttention';
  readonly units: number;
  readonly self: boolean;
  private queryKernel!: LayerVariable;
  private keyKernel!: LayerVariable;
  private bias!: LayerVariable;
  private scoreVector!: LayerVariable;

  constructor(args: AdditiveAttentionArgs) {
    super(args);
    this.units = args.units;
    this.self = args.self ?? false;
  }

  private unpack<T>(inputs: T[]): [T, T, T | undefined] {
    return this.self ? [inputs[0]!, inputs[0]!, inputs[1]] : [inputs[0]!, inputs[1]!, inputs[2]];
  }

  override build(inputShape: Shape | Shape[]): void {
    const [queryShape, keyShape] = this.unpack(shapeList(inputShape));
    const kernel = initializers.glorotUniform({});
    this.queryKernel = this.addWeight('query_kernel', [queryShape![2]!, this.units], 'float32', kernel);
    this.keyKernel = this.addWeight('key_kernel', [keyShape![2]!, this.units], 'float32', kernel);
    this.bias = this.addWeight('bias', [this.units], 'float32', initializers.zeros());
    this.scoreVector = this.addWeight('score_vector', [this.units, 1], 'float32', kernel);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [queryShape, keyShape] = this.unpack(shapeList(inputShape));
    return [
      [queryShape![0]!, queryShape![1]!, keyShape![2]!],
      [queryShape![0]!, 1, queryShape![1]!, keyShape![1]!],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const [queries, keys, mask] = this.unpack(tensorList(inputs));
      const [batch, queryCount, queryDim] = queries.shape as number[];
      const [, keyCount, keyDim] = keys.shape as number[];
      const projectedQueries = tf.reshape(tf.matMul(tf.reshape(queries, [-1, queryDim!]), this.queryKernel.read()), [
        batch!,
        queryCount!,
        1,
        this.units,
      ]);
      const projectedKeys = tf.reshape(tf.matMul(tf.reshape(keys, [-1, keyDim!]), this.keyKernel.read()), [
        batch!,
        1,
        keyCount!,
        this.units,
      ]);
      const hidden = tf.tanh(tf.add(tf.add(projectedQueries, projectedKeys), this.bias.read())); // [B, Tq, Tk, u]
      let scores = tf.reshape(tf.matMul(tf.reshape(hidden, [-1, this.units]), this.scoreVector.read()), [
        batch!,
        queryCount!,
        keyCount!,
      ]);
      if (mask) scores = tf.add(scores, tf.mul(tf.sub(1, tf.reshape(mask, [batch!, 1, keyCount!])), -1e9));
      const weights = tf.softmax(scores); // [B, Tq, Tk]
      return [tf.matMul(weights, keys), tf.expandDims(weights, 1)];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, self: this.self };
  }
}

tf.serialization.registerClass(AdditiveAttention);
