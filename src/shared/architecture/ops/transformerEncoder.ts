import { defineOp } from './defineOp';
import { transformerBlock } from './paramSchemas';
import { expectSequence, attentionParams, attentionFlops, checkHeads } from './shapeRules';
import { transformerParams } from './paramHelp';
import { transformerSteps } from './innerSteps';

/** Transformer encoder block: Multi-head self-attention, then a feed-forward network, each with a residual connection and LayerNorm. */
export const transformerEncoder = defineOp({
  schema: transformerBlock,
  shape: ([input], { heads, ffnDim }) => {
    const [length, dim] = expectSequence(input!, 'a Transformer encoder block');
    checkHeads(dim, heads);
    return {
      shape: [length, dim],
      // Q, K, V, O projections; two LayerNorms; the feed-forward network.
      params: attentionParams(dim) + 2 * 2 * dim + (dim * ffnDim + ffnDim) + (ffnDim * dim + dim),
      flops: attentionFlops(length, length, dim) + 2 * 2 * length * dim * ffnDim,
    };
  },
  inside: ([input], { heads, ffnDim, normFirst }) =>
    transformerSteps(input![0]!, input![1]!, ffnDim, normFirst, [
      { label: `Self-attention, ${heads} heads`, residual: 'block input' },
    ]),
  attentionMapElements: ([input], { heads }) => heads * input![0]! * input![0]!,
  catalog: {
    label: 'Transformer encoder block',
    group: 'Transformer',
    summary: 'Multi-head self-attention, then a feed-forward network, each with a residual connection and LayerNorm.',
    params: transformerParams,
    starting: { heads: 4, ffnDim: 128 },
  },
});
