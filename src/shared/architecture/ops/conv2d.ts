import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt, convolution } from './paramSchemas';
import { expectImage, windowOutput } from './shapeRules';
import { convolutionParams } from './paramHelp';

/** Conv 2D: A 2-D convolution over an image. */
export const conv2d = defineOp({
  schema: z.object({ filters: positiveInt(8192), ...convolution }).strict(),
  shape: ([input], { filters, kernelSize, strides, padding }) => {
    const [height, width, channels] = expectImage(input!, 'a 2-D convolution');
    const outH = windowOutput(height, kernelSize, strides, padding, 'kernelSize');
    const outW = windowOutput(width, kernelSize, strides, padding, 'kernelSize');
    return {
      shape: [outH, outW, filters],
      params: kernelSize * kernelSize * channels * filters + filters,
      flops: 2 * outH * outW * kernelSize * kernelSize * channels * filters,
    };
  },
  catalog: {
    label: 'Conv 2D',
    group: 'Convolution',
    summary: 'A 2-D convolution over an image.',
    params: { filters: 'Output channels.', ...convolutionParams },
    starting: { filters: 32, kernelSize: 3 },
  },
});
