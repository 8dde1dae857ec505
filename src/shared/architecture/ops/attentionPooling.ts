import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectSequence } from './shapeRules';

/** Attention pooling: Scores every position, softmax over them, and returns their weighted sum: [T, D] -> [D]. */
export const attentionPooling = defineOp({
  schema: z.object({ units: positiveInt(8192) }).strict(),
  shape: ([input], { units }) => {
    const [length, dim] = expectSequence(input!, 'attention pooling');
    return { shape: [dim], params: dim * units + 2 * units, flops: 2 * length * (dim * units + units + dim) };
  },
  catalog: {
    label: 'Attention pooling',
    group: 'Attention',
    summary: 'Scores every position, softmax over them, and returns their weighted sum: [T, D] -> [D].',
    params: { units: 'Width of the hidden layer that scores each position.' },
    starting: { units: 32 },
  },
});
