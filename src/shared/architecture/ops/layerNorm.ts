import { z } from 'zod';
import { defineOp } from './defineOp';

/** Layer norm: Normalises every position over its features, then scales and shifts it. */
export const layerNorm = defineOp({
  schema: z.object({ epsilon: z.number().positive().max(1).default(1e-6) }).strict(),
  shape: ([input]) => ({ shape: input!, params: 2 * input![input!.length - 1]!, flops: 0 }),
  catalog: {
    label: 'Layer norm',
    group: 'Dense & regularisation',
    summary: 'Normalises every position over its features, then scales and shifts it.',
    params: { epsilon: 'Added to the variance so that it is never zero.' },
  },
});
