import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { LayerNormalization } from '../layers/layerNormalization';
import { MultiHeadAttention } from '../layers/multiHeadAttention';
import { apply, applyMany, type OpBuilder, type OpContext, type SequenceInfo } from './opContext';

/** The pieces every Transformer block is made of, named after the block's node. */
function blockParts(context: OpContext, rate: number) {
  const id = context.nodeId;
  return {
    norm: (name: string, input: SymbolicTensor) =>
      apply(new LayerNormalization({ name: `${id}_${name}`, epsilon: 1e-6 }), input),
    drop: (name: string, input: SymbolicTensor) =>
      rate > 0 ? apply(new Dropout({ name: `${id}_${name}`, rate }), input) : input,
    add: (name: string, a: SymbolicTensor, b: SymbolicTensor) => apply(layers.add({ name: `${id}_${name}` }), [a, b]),
    /** FFN(x) = ReLU(x W1 + b1) W2 + b2 */
    feedForward: (input: SymbolicTensor, ffnDim: number, modelDim: number) =>
      apply(
        new Dense({ name: `${id}_ffn2`, units: modelDim }),
        apply(new Dense({ name: `${id}_ffn1`, units: ffnDim, activation: 'relu' }), input),
      ),
  };
}

/** Places one multi-head attention layer and reports its weights; keys come from `keySequence`. */
export function attend(
  context: OpContext,
  name: string,
  options: { heads: number; dropout: number; causal: boolean },
  query: SymbolicTensor,
  querySequence: SequenceInfo | null,
  keyValue: { tensor: SymbolicTensor; sequence: SequenceInfo | null } | null,
): SymbolicTensor {
  const cross = keyValue !== null;
  const keySequence = cross ? keyValue.sequence : querySequence;
  const layer = new MultiHeadAttention({
    name,
    heads: options.heads,
    dropout: options.dropout,
    causal: options.causal,
    cross,
  });
  const inputs = [query, ...(cross ? [keyValue.tensor] : []), ...(keySequence ? [keySequence.mask] : [])];
  const [output, weights] = applyMany(layer, inputs);
  context.onAttention({
    layer: layer.name,
    kind: 'tokens',
    weights: weights!,
    queryOrigin: querySequence?.origin ?? null,
    keyOrigin: keySequence?.origin ?? null,
  });
  return output!;
}

/**
 * Transformer encoder block (Vaswani et al. 2017, 3.1), expanded into primitive layers so that each weight belongs
 * to exactly one layer:
 *   post-norm:  x = LN(x + Drop(MHA(x)));        x = LN(x + Drop(FFN(x)))
 *   pre-norm:   x = x + Drop(MHA(LN(x)));        x = x + Drop(FFN(LN(x)))
 */
export const transformerEncoder: OpBuilder<'transformerEncoder'> = (params, context) => {
  const x = context.inputs[0]!;
  const sequence = context.sequences[0] ?? null;
  const modelDim = x.shape[x.shape.length - 1]!;
  const rate = params.dropout ?? context.dropout;
  const { norm, drop, add, feedForward } = blockParts(context, rate);
  const pre = params.normFirst;
  const options = { heads: params.heads, dropout: rate, causal: false };

  const attended = attend(context, `${context.nodeId}_attention`, options, pre ? norm('norm1', x) : x, sequence, null);
  const residual1 = add('residual1', x, drop('dropout1', attended));
  const x1 = pre ? residual1 : norm('norm1', residual1);
  const residual2 = add(
    'residual2',
    x1,
    drop('dropout2', feedForward(pre ? norm('norm2', x1) : x1, params.ffnDim, modelDim)),
  );
  return { output: pre ? residual2 : norm('norm2', residual2), sequence };
};

/**
 * Transformer decoder block (Vaswani et al. 2017, 3.1): masked (causal) self-attention over the target, then
 * cross-attention from the target to the encoder output ("memory"), then the feed-forward network.
 *   post-norm:  y = LN(y + Drop(MHA_causal(y)));  y = LN(y + Drop(MHA(y, memory)));  y = LN(y + Drop(FFN(y)))
 *   pre-norm:   y = y + Drop(MHA_causal(LN(y)));  y = y + Drop(MHA(LN(y), memory));  y = y + Drop(FFN(LN(y)))
 */
export const transformerDecoder: OpBuilder<'transformerDecoder'> = (params, context) => {
  const [y, memory] = context.inputs as [SymbolicTensor, SymbolicTensor];
  const [targetSequence, memorySequence] = [context.sequences[0] ?? null, context.sequences[1] ?? null];
  const modelDim = y.shape[y.shape.length - 1]!;
  const rate = params.dropout ?? context.dropout;
  const { norm, drop, add, feedForward } = blockParts(context, rate);
  const pre = params.normFirst;
  const id = context.nodeId;

  const selfAttended = attend(
    context,
    `${id}_self_attention`,
    { heads: params.heads, dropout: rate, causal: true },
    pre ? norm('norm1', y) : y,
    targetSequence,
    null,
  );
  const residual1 = add('residual1', y, drop('dropout1', selfAttended));
  const y1 = pre ? residual1 : norm('norm1', residual1);

  const crossAttended = attend(
    context,
    `${id}_cross_attention`,
    { heads: params.heads, dropout: rate, causal: false },
    pre ? norm('norm2', y1) : y1,
    targetSequence,
    {
      tensor: memory,
      sequence: memorySequence,
    },
  );
  const residual2 = add('residual2', y1, drop('dropout2', crossAttended));
  const y2 = pre ? residual2 : norm('norm2', residual2);

  const residual3 = add(
    'residual3',
    y2,
    drop('dropout3', feedForward(pre ? norm('norm3', y2) : y2, params.ffnDim, modelDim)),
  );
  return { output: pre ? residual3 : norm('norm3', residual3), sequence: targetSequence };
};
