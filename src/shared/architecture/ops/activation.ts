import { z } from 'zod';
import { defineOp } from './defineOp';
import { activationFn } from './paramSchemas';

/** Activation: An element-wise non-linearity. */
export const activation = defineOp({
  schema: z.object({ fn: activationFn.default('relu') }).strict(),
  shape: ([input]) => ({ shape: input!, params: 0, flops: 0 }),
  catalog: {
    label: 'Activation',
    group: 'Dense & regularisation',
    summary: 'An element-wise non-linearity.',
    params: { fn: 'Which one.' },
  },
});
