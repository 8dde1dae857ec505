import { z } from 'zod';
import { defineOp } from './defineOp';
import { rate } from './paramSchemas';

/** Dropout: Zeroes a random fraction of the values while training. */
export const dropout = defineOp({
  schema: z.object({ rate: rate.optional() }).strict(),
  shape: ([input]) => ({ shape: input!, params: 0, flops: 0 }),
  catalog: {
    label: 'Dropout',
    group: 'Dense & regularisation',
    summary: 'Zeroes a random fraction of the values while training.',
    params: { rate: "The fraction dropped; empty takes the run's dropout." },
  },
});
