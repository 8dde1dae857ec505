import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectImage, bottleneckUnits } from './shapeRules';
import { dense } from './innerSteps';

/** Squeeze-and-excitation: Channel attention: pools each channel, an MLP gives each a weight in (0, 1) that rescales it. */
export const squeezeExcitation = defineOp({
  schema: z.object({ ratio: positiveInt(1024).default(8) }).strict(),
  shape: ([input], { ratio }) => {
    const [height, width, channels] = expectImage(input!, 'squeeze-and-excitation');
    const units = bottleneckUnits(channels, ratio);
    return {
      shape: [height, width, channels],
      params: 2 * channels * units + units + channels,
      flops: 4 * channels * units,
    };
  },
  inside: ([input], { ratio }) => {
    const [height, width, channels] = input as [number, number, number];
    const units = bottleneckUnits(channels, ratio);
    return [
      { label: 'Global average pool', shape: [channels], params: 0 },
      { label: `Dense ${units}, ReLU`, shape: [units], params: dense(channels, units) },
      { label: `Dense ${channels}, sigmoid: channel weights`, shape: [channels], params: dense(units, channels) },
      { label: 'Scale the channels', shape: [height, width, channels], params: 0 },
    ];
  },
  catalog: {
    label: 'Squeeze-and-excitation',
    group: 'Attention',
    summary: 'Channel attention: pools each channel, an MLP gives each a weight in (0, 1) that rescales it.',
    params: { ratio: "The MLP's bottleneck is channels / ratio wide." },
  },
});
