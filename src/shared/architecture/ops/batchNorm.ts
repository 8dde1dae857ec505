import { z } from 'zod';
import { defineOp } from './defineOp';

/** Batch norm: Normalises every channel over the batch, then scales and shifts it. */
export const batchNorm = defineOp({
  // Momentum 0.9 (PyTorch's 0.1), not Keras' 0.99: with 0.99 the moving statistics still carry a quarter of their
  // initial values after 140 steps, and a small dataset's validation accuracy sat at chance for the first epochs.
  schema: z
    .object({ momentum: z.number().min(0).max(1).default(0.9), epsilon: z.number().positive().max(1).default(1e-3) })
    .strict(),
  // Gamma, beta, and the moving mean and variance (not trained, but weights all the same).
  shape: ([input]) => ({ shape: input!, params: 4 * input![input!.length - 1]!, flops: 0 }),
  catalog: {
    label: 'Batch norm',
    group: 'Dense & regularisation',
    summary: 'Normalises every channel over the batch, then scales and shifts it.',
    params: {
      momentum: 'Weight of the past in the moving mean and variance used at inference.',
      epsilon: 'Added to the variance so that it is never zero.',
    },
  },
});
