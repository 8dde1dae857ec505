import { z } from 'zod';
import { defineOp } from './defineOp';
import { ShapeProblem, formatShape, product } from './shapeRules';

/** Flatten: All axes into one vector. */
export const flatten = defineOp({
  schema: z.object({}).strict(),
  shape: ([input]) => {
    if (input!.length < 2)
      throw new ShapeProblem(`flatten needs at least two axes; it gets ${formatShape(input!)}`, 'inputs');
    return { shape: [product(input!)], params: 0, flops: 0 };
  },
  catalog: { label: 'Flatten', group: 'Dense & regularisation', summary: 'All axes into one vector.', params: {} },
});
