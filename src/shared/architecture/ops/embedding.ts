import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { ShapeProblem, formatShape } from './shapeRules';

/** Embedding: Looks up a learned vector for every token id: [T] -> [T, dim]. */
export const embedding = defineOp({
  schema: z.object({ dim: positiveInt(8192) }).strict(),
  shape: ([input], { dim }, { tokenVocab }) => {
    if (tokenVocab === null || input!.length !== 1) {
      throw new ShapeProblem(
        `embedding reads token ids [T] from a token input; it gets ${formatShape(input!)}`,
        'inputs',
      );
    }
    return { shape: [input![0]!, dim], params: tokenVocab * dim, flops: 0 };
  },
  catalog: {
    label: 'Embedding',
    group: 'Inputs',
    summary: 'Looks up a learned vector for every token id: [T] -> [T, dim].',
    params: { dim: 'Width of each token vector: the model width of what follows.' },
    starting: { dim: 64 },
  },
});
