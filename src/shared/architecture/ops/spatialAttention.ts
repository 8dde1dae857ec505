import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectImage } from './shapeRules';

/** Spatial attention: A convolution over the channel mean and max gives each pixel a weight in (0, 1). */
export const spatialAttention = defineOp({
  schema: z.object({ kernelSize: positiveInt(31).default(7) }).strict(),
  shape: ([input], { kernelSize }) => {
    const [height, width, channels] = expectImage(input!, 'spatial attention');
    return {
      shape: [height, width, channels],
      params: kernelSize * kernelSize * 2 + 1,
      flops: 2 * height * width * kernelSize * kernelSize * 2,
    };
  },
  catalog: {
    label: 'Spatial attention',
    group: 'Attention',
    summary: 'A convolution over the channel mean and max gives each pixel a weight in (0, 1).',
    params: { kernelSize: 'Side of the convolution that scores each pixel.' },
  },
});
