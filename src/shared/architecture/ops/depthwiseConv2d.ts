import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt, convolution } from './paramSchemas';
import { expectImage, windowOutput } from './shapeRules';
import { convolutionParams } from './paramHelp';

/** Depthwise conv 2D: One filter per input channel, no mixing between channels. */
export const depthwiseConv2d = defineOp({
  schema: z.object({ depthMultiplier: positiveInt(64).default(1), ...convolution }).strict(),
  shape: ([input], { depthMultiplier, kernelSize, strides, padding }) => {
    const [height, width, channels] = expectImage(input!, 'a depthwise convolution');
    const outH = windowOutput(height, kernelSize, strides, padding, 'kernelSize');
    const outW = windowOutput(width, kernelSize, strides, padding, 'kernelSize');
    const outChannels = channels * depthMultiplier;
    return {
      shape: [outH, outW, outChannels],
      params: kernelSize * kernelSize * outChannels + outChannels,
      flops: 2 * outH * outW * kernelSize * kernelSize * outChannels,
    };
  },
  catalog: {
    label: 'Depthwise conv 2D',
    group: 'Convolution',
    summary: 'One filter per input channel, no mixing between channels.',
    params: { depthMultiplier: 'Output channels per input channel.', ...convolutionParams },
    starting: { kernelSize: 3 },
  },
});
