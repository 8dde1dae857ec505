import { defineOp } from './defineOp';
import { transformerBlock } from './paramSchemas';
import { ShapeProblem, expectSequence, attentionParams, attentionFlops, checkHeads } from './shapeRules';
import { transformerParams } from './paramHelp';
import { transformerSteps } from './innerSteps';

/** Inputs [target, memory]: causal self-attention over the target, then cross-attention to the encoder output. */
export const transformerDecoder = defineOp({
  schema: transformerBlock,
  arity: { min: 2, max: 2 },
  shape: ([target, memory], { heads, ffnDim }) => {
    const [length, dim] = expectSequence(target!, 'a Transformer decoder block (first input, the target)');
    const [memoryLength, memoryDim] = expectSequence(
      memory!,
      'a Transformer decoder block (second input, the encoder output)',
    );
    if (memoryDim !== dim)
      throw new ShapeProblem(`the target width ${dim} and the encoder output width ${memoryDim} differ`, 'inputs');
    checkHeads(dim, heads);
    return {
      shape: [length, dim],
      // Self-attention, cross-attention, three LayerNorms, feed-forward network.
      params: 2 * attentionParams(dim) + 3 * 2 * dim + (dim * ffnDim + ffnDim) + (ffnDim * dim + dim),
      flops:
        attentionFlops(length, length, dim) + attentionFlops(length, memoryLength, dim) + 2 * 2 * length * dim * ffnDim,
    };
  },
  inside: ([target], { heads, ffnDim, normFirst }) =>
    transformerSteps(target![0]!, target![1]!, ffnDim, normFirst, [
      { label: `Causal self-attention, ${heads} heads`, residual: 'block input' },
      { label: `Cross-attention to memory, ${heads} heads`, residual: 'after self-attention' },
    ]),
  attentionMapElements: ([target, memory], { heads }) => heads * target![0]! * (target![0]! + memory![0]!),
  catalog: {
    label: 'Transformer decoder block',
    group: 'Transformer',
    summary:
      'Causal self-attention over the target, cross-attention to the encoder output, then a feed-forward network.',
    params: transformerParams,
    starting: { heads: 4, ffnDim: 128 },
    slots: ['target', 'memory'],
  },
});
