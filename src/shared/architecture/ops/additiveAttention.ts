import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectSequence } from './shapeRules';

/** Inputs [queries, keys]; the same node twice is additive self-attention. */
export const additiveAttention = defineOp({
  schema: z.object({ units: positiveInt(8192) }).strict(),
  arity: { min: 2, max: 2 },
  shape: ([query, key], { units }) => {
    const [queries, queryDim] = expectSequence(query!, 'additive attention (queries)');
    const [keys, keyDim] = expectSequence(key!, 'additive attention (keys)');
    return {
      shape: [queries, keyDim],
      params: queryDim * units + keyDim * units + 2 * units,
      flops: 2 * (queries * queryDim + keys * keyDim) * units + 2 * queries * keys * (units + keyDim),
    };
  },
  attentionMapElements: ([query, key]) => query![0]! * key![0]!,
  catalog: {
    label: 'Additive attention',
    group: 'Attention',
    summary: 'Bahdanau attention: scores v^T tanh(W q + U k), softmax over the keys, a weighted sum of them.',
    params: { units: 'Width of the hidden layer that scores each query-key pair.' },
    starting: { units: 32 },
    slots: ['queries', 'keys'],
  },
});
