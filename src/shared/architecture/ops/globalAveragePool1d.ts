import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectSequence } from './shapeRules';

/** Average pool over sequence: Mean over the (unpadded) positions: [T, D] -> [D]. */
export const globalAveragePool1d = defineOp({
  schema: z.object({}).strict(),
  shape: ([input]) => ({
    shape: [expectSequence(input!, 'average pooling over a sequence')[1]],
    params: 0,
    flops: 0,
  }),
  catalog: {
    label: 'Average pool over sequence',
    group: 'Dense & regularisation',
    summary: 'Mean over the (unpadded) positions: [T, D] -> [D].',
    params: {},
  },
});
