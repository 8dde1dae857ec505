import { z } from 'zod';

const positiveInt = (max: number) => z.number().int().min(1).max(max);
const rate = z.number().min(0).max(0.95);

/**
 * The parameters each op accepts. A rate left out falls back to the run's dropout hyper-parameter, so one slider
 * sets the regularisation of a whole preset.
 */
export const opParamSchemas = {
  embedding: z.object({ dim: positiveInt(8192) }).strict(),
  positionalEncoding: z.object({ kind: z.enum(['learned', 'sinusoidal']).default('learned') }).strict(),
  transformerEncoder: z
    .object({
      heads: positiveInt(64),
      ffnDim: positiveInt(65_536),
      dropout: rate.optional(),
      /** Pre-norm (LayerNorm before each sub-layer) trains more stably when deep; post-norm is the 2017 original. */
      normFirst: z.boolean().default(false),
    })
    .strict(),
  globalAveragePool1d: z.object({}).strict(),
  dropout: z.object({ rate: rate.optional() }).strict(),
  dense: z
    .object({ units: positiveInt(65_536), activation: z.enum(['linear', 'relu', 'gelu', 'tanh', 'sigmoid']).default('relu') })
    .strict(),
  /** The output layer: one unit per class of the dataset, softmax. */
  classifier: z.object({}).strict(),
} as const;

export type OpName = keyof typeof opParamSchemas;
export type OpParams<O extends OpName> = z.infer<(typeof opParamSchemas)[O]>;

export function isOpName(op: string): op is OpName {
  return Object.hasOwn(opParamSchemas, op);
}
