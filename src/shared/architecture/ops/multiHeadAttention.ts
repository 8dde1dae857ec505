import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt, rate } from './paramSchemas';
import { ShapeProblem, expectSequence, attentionParams, attentionFlops, checkHeads } from './shapeRules';
import { dense } from './innerSteps';

/** Inputs [x] (self-attention) or [queries, keysValues] (cross-attention). */
export const multiHeadAttention = defineOp({
  schema: z.object({ heads: positiveInt(64), causal: z.boolean().default(false), dropout: rate.optional() }).strict(),
  arity: { min: 1, max: 2 },
  shape: (inputs, { heads }) => {
    const [queries, dim] = expectSequence(inputs[0]!, 'multi-head attention');
    const [keys, keyDim] = inputs[1]
      ? expectSequence(inputs[1], 'multi-head attention (keys and values)')
      : [queries, dim];
    if (keyDim !== dim)
      throw new ShapeProblem(`the query width ${dim} and the key/value width ${keyDim} differ`, 'inputs');
    checkHeads(dim, heads);
    return { shape: [queries, dim], params: attentionParams(dim), flops: attentionFlops(queries, keys, dim) };
  },
  inside: (inputs, { heads }) => {
    const [queries, dim] = [inputs[0]![0]!, inputs[0]![1]!];
    const keys = inputs[1]?.[0] ?? queries;
    const head = dim / heads;
    return [
      { label: 'Q projection', shape: [queries, heads, head], params: dense(dim, dim) },
      { label: 'K projection', shape: [keys, heads, head], params: dense(dim, dim) },
      { label: 'V projection', shape: [keys, heads, head], params: dense(dim, dim) },
      { label: 'softmax(QK^T / sqrt(d)): the attention weights', shape: [heads, queries, keys], params: 0 },
      { label: 'Weighted sum of V, heads joined', shape: [queries, dim], params: 0 },
      { label: 'Output projection', shape: [queries, dim], params: dense(dim, dim) },
    ];
  },
  catalog: {
    label: 'Multi-head attention',
    group: 'Attention',
    summary: 'softmax(QK^T / sqrt(d)) V over several heads: self-attention with one input, cross-attention with two.',
    params: {
      heads: 'Attention heads; must divide the width of the queries.',
      causal: 'Each position attends only to itself and earlier ones (for decoders).',
      dropout: "Dropout on the attention weights; empty takes the run's dropout.",
    },
    starting: { heads: 4 },
    slots: ['queries', 'keys & values'],
  },
});
