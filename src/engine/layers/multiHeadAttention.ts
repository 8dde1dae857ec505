import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { dropout } from './dropout';
import { shapeList, tensorList } from './inputList';

export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads; must divide the model width. */
  heads: number;
  /** Dropout on the attention weights while training. Defaults to 0. */
  dropout?: number;
  /** Lets each query see only itself and earlier keys (decoders). Defaults to false. */
  causal?: boolean;
  /** Queries attend to a second sequence (encoder-decoder) instead of their own. Defaults to false. */
  cross?: boolean;
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need", section 3.2):
 *
 *   head_h = softmax(Q W_h^Q (K W_h^K)^T / sqrt(d_k) + M) V W_h^V,    d_k = d_model / heads
 *   output = concat(head_1, ..., head_H) W^O
 *
 * where M is 0 for keys that may be attended and -1e9 for padding keys (and, when causal, for later positions).
 *
 * Inputs: self-attention [x [B, T, D]], cross-attention [query [B, Tq, D], keyValue [B, Tk, D]]; either followed
 * optionally by a key padding mask [B, Tk] (1 real, 0 padding). Self-attention takes x once: tfjs-layers counts a
 * layer once per input tensor but releases the tensor once per occurrence, so passing [x, x] frees x too early.
 * Outputs: [output [B, Tq, D], attention weights [B, H, Tq, Tk]]; each row of weights sums to 1 — the weights are
 * what the workbench shows as "where the model looks".
 */
export class MultiHeadAttention extends layers.Layer {
  static readonly className = 'MultiHeadAttention';
  readonly heads: number;
  readonly dropout: number;
  readonly causal: boolean;
  readonly cross: boolean;
  private queryKernel!: LayerVariable;
  private queryBias!: LayerVariable;
  private keyKernel!: LayerVariable;
  private keyBias!: LayerVariable;
  private valueKernel!: LayerVariable;
  private valueBias!: LayerVariable;
  private outputKernel!: LayerVariable;
  private outputBias!: LayerVariable;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.dropout = args.dropout ?? 0;
    this.causal = args.causal ?? false;
    this.cross = args.cross ?? false;
  }

  /** [query, keyValue, padding mask or undefined], whichever form the inputs came in. */
  private unpack<T>(inputs: T[]): [T, T, T | undefined] {
    return this.cross ? [inputs[0]!, inputs[1]!, inputs[2]] : [inputs[0]!, inputs[0]!, inputs[1]];
  }

  override build(inputShape: Shape[] | Shape): void {
    const [queryShape] = shapeList(inputShape);
    const modelDim = queryShape![queryShape!.length - 1]!;
    if (modelDim % this.heads !== 0) {
      throw new Error(`${this.name}: ${this.heads} heads do not divide the model width ${modelDim}`);
    }
    const kernel = (name: string) =>
      this.addWeight(name, [modelDim, modelDim], 'float32', initializers.glorotUniform({}));
    const bias = (name: string) => this.addWeight(name, [modelDim], 'float32', initializers.zeros());
    this.queryKernel = kernel('query_kernel');
    this.queryBias = bias('query_bias');
    this.keyKernel = kernel('key_kernel');
    this.keyBias = bias('key_bias');
    this.valueKernel = kernel('value_kernel');
    this.valueBias = bias('value_bias');
    this.outputKernel = kernel('output_kernel');
    this.outputBias = bias('output_bias');
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const [queryShape, valueShape] = this.unpack(shapeList(inputShape));
    const [batch, queries, modelDim] = queryShape!;
    return [
      [batch!, queries!, modelDim!],
      [batch!, this.heads, queries!, valueShape![1]!],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const [query, keyValue, padding] = this.unpack(tensorList(inputs));
      const [batch, queries, modelDim] = query.shape as [number, number, number];
      const keys = keyValue.shape[1]!;
      const keyDim = modelDim / this.heads;

      // x [B, T, D] -> x W + b, split into heads -> [B, H, T, dk]
      const project = (x: tf.Tensor, kernel: LayerVariable, bias: LayerVariable, length: number) =>
        tf.transpose(
          tf.reshape(
            tf.add(tf.matMul(tf.reshape(x, [-1, modelDim]), kernel.read()), bias.read()), // [B*T, D]
            [batch, length, this.heads, keyDim], // [B, T, H, dk]
          ),
          [0, 2, 1, 3],
        ); // [B, H, T, dk]
      const q = project(query, this.queryKernel, this.queryBias, queries); // [B, H, Tq, dk]
      const k = project(keyValue, this.keyKernel, this.keyBias, keys); // [B, H, Tk, dk]
      const v = project(keyValue, this.valueKernel, this.valueBias, keys); // [B, H, Tk, dk]

      let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(keyDim)); // [B, H, Tq, Tk]
      if (padding) {
        const blocked = tf.sub(1, tf.reshape(padding, [batch, 1, 1, keys])); // [B, 1, 1, Tk], 1 where padding
        scores = tf.add(scores, tf.mul(blocked, -1e9));
      }
      if (this.causal) {
        const later = tf.sub(1, tf.linalg.bandPart(tf.ones([queries, keys]), -1, 0)); // [Tq, Tk], 1 above diagonal
        scores = tf.add(scores, tf.mul(later, -1e9));
      }
      const weights = tf.softmax(scores); // [B, H, Tq, Tk], rows sum to 1
      const attended = kwargs['training'] && this.dropout > 0 ? dropout(weights, this.dropout) : weights;

      const context = tf.reshape(
        tf.transpose(tf.matMul(attended, v), [0, 2, 1, 3]), // [B, H, Tq, dk] -> [B, Tq, H, dk]
        [-1, modelDim],
      ); // [B*Tq, D]
      const output = tf.reshape(tf.add(tf.matMul(context, this.outputKernel.read()), this.outputBias.read()), [
        batch,
        queries,
        modelDim,
      ]); // [B, Tq, D]
      return [output, weights];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, dropout: this.dropout, causal: this.causal, cross: this.cross };
  }
}

tf.serialization.registerClass(MultiHeadAttention);
