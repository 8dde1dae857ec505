import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt, convolution } from './paramSchemas';
import { expectSequence, windowOutput } from './shapeRules';
import { convolutionParams } from './paramHelp';

/** Conv 1D: A 1-D convolution along a sequence: local n-gram features. */
export const conv1d = defineOp({
  schema: z.object({ filters: positiveInt(8192), ...convolution }).strict(),
  shape: ([input], { filters, kernelSize, strides, padding }) => {
    const [length, dim] = expectSequence(input!, 'a 1-D convolution');
    const out = windowOutput(length, kernelSize, strides, padding, 'kernelSize');
    return {
      shape: [out, filters],
      params: kernelSize * dim * filters + filters,
      flops: 2 * out * kernelSize * dim * filters,
    };
  },
  catalog: {
    label: 'Conv 1D',
    group: 'Convolution',
    summary: 'A 1-D convolution along a sequence: local n-gram features.',
    params: { filters: 'Output features per position.', ...convolutionParams },
    starting: { filters: 64, kernelSize: 3 },
  },
});
