import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectImage, bottleneckUnits } from './shapeRules';
import { dense } from './innerSteps';

/** CBAM: Convolutional block attention: channel attention (avg and max pooled MLP), then spatial attention. */
export const cbam = defineOp({
  schema: z.object({ ratio: positiveInt(1024).default(8), kernelSize: positiveInt(31).default(7) }).strict(),
  shape: ([input], { ratio, kernelSize }) => {
    const [height, width, channels] = expectImage(input!, 'CBAM');
    const units = bottleneckUnits(channels, ratio);
    return {
      shape: [height, width, channels],
      params: 2 * channels * units + units + channels + kernelSize * kernelSize * 2 + 1,
      flops: 2 * 4 * channels * units + 2 * height * width * kernelSize * kernelSize * 2,
    };
  },
  inside: ([input], { ratio, kernelSize }) => {
    const [height, width, channels] = input as [number, number, number];
    const units = bottleneckUnits(channels, ratio);
    return [
      { label: 'Average and max pool per channel', shape: [2, channels], params: 0 },
      { label: `Shared MLP: dense ${units}, ReLU`, shape: [2, units], params: dense(channels, units) },
      { label: `Shared MLP: dense ${channels}`, shape: [2, channels], params: dense(units, channels) },
      { label: 'Sum, sigmoid: channel weights', shape: [channels], params: 0 },
      { label: 'Scale the channels', shape: [height, width, channels], params: 0 },
      { label: 'Mean and max over channels', shape: [height, width, 2], params: 0 },
      {
        label: `Conv ${kernelSize}x${kernelSize}, sigmoid: pixel weights`,
        shape: [height, width, 1],
        params: kernelSize * kernelSize * 2 + 1,
      },
      { label: 'Scale the pixels', shape: [height, width, channels], params: 0 },
    ];
  },
  catalog: {
    label: 'CBAM',
    group: 'Attention',
    summary: 'Convolutional block attention: channel attention (avg and max pooled MLP), then spatial attention.',
    params: {
      ratio: "The channel MLP's bottleneck is channels / ratio wide.",
      kernelSize: "Side of the spatial attention's convolution.",
    },
  },
});
