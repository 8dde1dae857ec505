import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectImage } from './shapeRules';

/** Global average pool 2D: Averages every channel over the image: [H, W, C] -> [C]. */
export const globalAveragePool2d = defineOp({
  schema: z.object({}).strict(),
  shape: ([input]) => ({
    shape: [expectImage(input!, 'global average pooling')[2]],
    params: 0,
    flops: 0,
  }),
  catalog: {
    label: 'Global average pool 2D',
    group: 'Convolution',
    summary: 'Averages every channel over the image: [H, W, C] -> [C].',
    params: {},
  },
});
