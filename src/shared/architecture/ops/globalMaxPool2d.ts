import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectImage } from './shapeRules';

/** Global max pool 2D: The largest value of every channel: [H, W, C] -> [C]. */
export const globalMaxPool2d = defineOp({
  schema: z.object({}).strict(),
  shape: ([input]) => ({ shape: [expectImage(input!, 'global max pooling')[2]], params: 0, flops: 0 }),
  catalog: {
    label: 'Global max pool 2D',
    group: 'Convolution',
    summary: 'The largest value of every channel: [H, W, C] -> [C].',
    params: {},
  },
});
