import { z } from 'zod';

/** Parameter schemas that several ops share. */
export const positiveInt = (max: number) => z.number().int().min(1).max(max);
export const rate = z.number().min(0).max(0.95);
export const activationFn = z.enum(['linear', 'relu', 'gelu', 'swish', 'tanh', 'sigmoid']);
export const padding = z.enum(['same', 'valid']);
export const transformerBlock = z
  .object({
    heads: positiveInt(64),
    ffnDim: positiveInt(65_536),
    dropout: rate.optional(),
    /** Pre-norm (LayerNorm before each sub-layer) trains more stably when deep; post-norm is the 2017 original. */
    normFirst: z.boolean().default(false),
  })
  .strict();
export const convolution = {
  kernelSize: positiveInt(64),
  strides: positiveInt(64).default(1),
  padding: padding.default('same'),
  activation: activationFn.default('relu'),
};
export const pooling = z
  .object({
    poolSize: positiveInt(64).default(2),
    strides: positiveInt(64).optional(),
    padding: padding.default('valid'),
  })
  .strict();
export const recurrent = {
  units: positiveInt(8192),
  returnSequences: z.boolean().default(true),
  gateActivation: z.enum(['sigmoid', 'hardSigmoid']).default('sigmoid'),
};
