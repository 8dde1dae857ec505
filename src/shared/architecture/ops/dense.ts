import { z } from 'zod';
import { defineOp } from './defineOp';
import { activationFn, positiveInt } from './paramSchemas';
import { ShapeProblem, product } from './shapeRules';

/** Dense: Fully connected: every output is a weighted sum of all the last axis's inputs. */
export const dense = defineOp({
  schema: z.object({ units: positiveInt(65_536), activation: activationFn.default('relu') }).strict(),
  shape: ([input], { units }) => {
    if (input!.length === 0) throw new ShapeProblem('a dense layer needs a vector or a sequence of vectors', 'inputs');
    const features = input![input!.length - 1]!;
    const rows = product(input!.slice(0, -1));
    return {
      shape: [...input!.slice(0, -1), units],
      params: features * units + units,
      flops: 2 * rows * features * units,
    };
  },
  catalog: {
    label: 'Dense',
    group: 'Dense & regularisation',
    summary: "Fully connected: every output is a weighted sum of all the last axis's inputs.",
    params: { units: 'Output width.', activation: 'The non-linearity applied to the output.' },
    starting: { units: 64 },
  },
});
