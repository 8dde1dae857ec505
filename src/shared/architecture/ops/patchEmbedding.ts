import { z } from 'zod';
import { defineOp } from './defineOp';
import { positiveInt } from './paramSchemas';
import { expectImage, formatShape, ShapeProblem } from './shapeRules';

/**
 * Patch embedding (Dosovitskiy et al. 2021, the Vision Transformer): the image cut into non-overlapping
 * patchSize x patchSize patches, each flattened and projected linearly to `dim` (a convolution whose stride is its
 * kernel); with `classToken`, a learned vector is put before the patches, and a classifier reads it after the encoder.
 */
export const patchEmbedding = defineOp({
  schema: z
    .object({ patchSize: positiveInt(64), dim: positiveInt(4096), classToken: z.boolean().default(true) })
    .strict(),
  shape: ([input], { patchSize, dim, classToken }) => {
    const [height, width, channels] = expectImage(input!, 'a patch embedding');
    if (height % patchSize !== 0 || width % patchSize !== 0)
      throw new ShapeProblem(
        `patches of ${patchSize}x${patchSize} do not tile an image ${formatShape(input!)}: ${height} and ${width} must be multiples of ${patchSize}`,
        'patchSize',
      );
    const patches = (height / patchSize) * (width / patchSize);
    const perPatch = patchSize * patchSize * channels;
    return {
      shape: [patches + (classToken ? 1 : 0), dim],
      params: perPatch * dim + dim + (classToken ? dim : 0),
      flops: 2 * patches * perPatch * dim,
    };
  },
  catalog: {
    label: 'Patch embedding',
    group: 'Transformer',
    summary: 'Cuts the image into patches and projects each to a vector: the tokens of a Vision Transformer.',
    params: {
      patchSize: 'Side of each square patch in pixels; it must divide the image height and width.',
      dim: 'Width of each patch vector (the model width of the encoder blocks that follow).',
      classToken: 'Put a learned class token before the patches, for a classifier to read after the encoder.',
    },
    starting: { patchSize: 4, dim: 64 },
  },
});
