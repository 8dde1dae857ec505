import { z } from 'zod';
import { defineOp } from './defineOp';
import { ShapeProblem, formatShape } from './shapeRules';

/** Add: Element-wise sum of inputs of one shape: residual and skip connections. */
export const add = defineOp({
  schema: z.object({}).strict(),
  arity: { min: 2, max: 16 },
  shape: (inputs) => {
    const first = formatShape(inputs[0]!);
    const other = inputs.find((shape) => formatShape(shape) !== first);
    if (other) throw new ShapeProblem(`adds tensors of different shapes: ${first} and ${formatShape(other)}`, 'inputs');
    return { shape: inputs[0]!, params: 0, flops: 0 };
  },
  catalog: {
    label: 'Add',
    group: 'Merge',
    summary: 'Element-wise sum of inputs of one shape: residual and skip connections.',
    params: {},
  },
});
