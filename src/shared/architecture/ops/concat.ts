import { z } from 'zod';
import { defineOp } from './defineOp';
import { ShapeProblem, formatShape } from './shapeRules';

/** Concatenate: Joins inputs along the last axis. */
export const concat = defineOp({
  schema: z.object({}).strict(),
  arity: { min: 2, max: 16 },
  shape: (inputs) => {
    const leading = formatShape(inputs[0]!.slice(0, -1));
    const other = inputs.find(
      (shape) => shape.length !== inputs[0]!.length || formatShape(shape.slice(0, -1)) !== leading,
    );
    if (other) {
      throw new ShapeProblem(
        `joins along the last axis, so all other axes must agree: ${formatShape(inputs[0]!)} and ${formatShape(other)}`,
        'inputs',
      );
    }
    const last = inputs.reduce((sum, shape) => sum + shape[shape.length - 1]!, 0);
    return { shape: [...inputs[0]!.slice(0, -1), last], params: 0, flops: 0 };
  },
  catalog: { label: 'Concatenate', group: 'Merge', summary: 'Joins inputs along the last axis.', params: {} },
});
