import { z } from 'zod';

const positiveInt = (max: number) => z.number().int().min(1).max(max);
const rate = z.number().min(0).max(0.95);
const activation = z.enum(['linear', 'relu', 'gelu', 'swish', 'tanh', 'sigmoid']);
const padding = z.enum(['same', 'valid']);
const transformerBlock = z
  .object({
    heads: positiveInt(64),
    ffnDim: positiveInt(65_536),
    dropout: rate.optional(),
    /** Pre-norm (LayerNorm before each sub-layer) trains more stably when deep; post-norm is the 2017 original. */
    normFirst: z.boolean().default(false),
  })
  .strict();
const convolution = {
  kernelSize: positiveInt(64),
  strides: positiveInt(64).default(1),
  padding: padding.default('same'),
  activation: activation.default('relu'),
};
const pooling = z
  .object({
    poolSize: positiveInt(64).default(2),
    strides: positiveInt(64).optional(),
    padding: padding.default('valid'),
  })
  .strict();
const recurrent = { units: positiveInt(8192), returnSequences: z.boolean().default(true) };

/**
 * The parameters each op accepts, with the defaults a new node starts with. A dropout rate left out falls back to
 * the run's dropout hyper-parameter, so one slider sets the regularisation of a whole preset.
 */
export const opParamSchemas = {
  // Sequences of tokens
  embedding: z.object({ dim: positiveInt(8192) }).strict(),
  positionalEncoding: z.object({ kind: z.enum(['learned', 'sinusoidal']).default('learned') }).strict(),
  // Attention and Transformer blocks
  transformerEncoder: transformerBlock,
  /** Inputs [target, memory]: causal self-attention over the target, then cross-attention to the encoder output. */
  transformerDecoder: transformerBlock,
  /** Inputs [x] (self-attention) or [queries, keysValues] (cross-attention). */
  multiHeadAttention: z
    .object({ heads: positiveInt(64), causal: z.boolean().default(false), dropout: rate.optional() })
    .strict(),
  /** Inputs [queries, keys]; the same node twice is additive self-attention. */
  additiveAttention: z.object({ units: positiveInt(8192) }).strict(),
  attentionPooling: z.object({ units: positiveInt(8192) }).strict(),
  squeezeExcitation: z.object({ ratio: positiveInt(1024).default(8) }).strict(),
  spatialAttention: z.object({ kernelSize: positiveInt(31).default(7) }).strict(),
  cbam: z.object({ ratio: positiveInt(1024).default(8), kernelSize: positiveInt(31).default(7) }).strict(),
  // Convolution and pooling
  conv1d: z.object({ filters: positiveInt(8192), ...convolution }).strict(),
  conv2d: z.object({ filters: positiveInt(8192), ...convolution }).strict(),
  depthwiseConv2d: z.object({ depthMultiplier: positiveInt(64).default(1), ...convolution }).strict(),
  maxPool2d: pooling,
  avgPool2d: pooling,
  globalAveragePool2d: z.object({}).strict(),
  globalMaxPool2d: z.object({}).strict(),
  globalAveragePool1d: z.object({}).strict(),
  // Recurrent
  lstm: z.object(recurrent).strict(),
  gru: z.object(recurrent).strict(),
  bidirectional: z
    .object({
      cell: z.enum(['lstm', 'gru']).default('lstm'),
      ...recurrent,
      merge: z.enum(['concat', 'sum']).default('concat'),
    })
    .strict(),
  // Dense, normalisation, regularisation, merging
  dense: z.object({ units: positiveInt(65_536), activation: activation.default('relu') }).strict(),
  activation: z.object({ fn: activation.default('relu') }).strict(),
  // Momentum 0.9 (PyTorch's 0.1), not Keras' 0.99: with 0.99 the moving statistics still carry a quarter of their
  // initial values after 140 steps, and a small dataset's validation accuracy sat at chance for the first epochs.
  batchNorm: z
    .object({ momentum: z.number().min(0).max(1).default(0.9), epsilon: z.number().positive().max(1).default(1e-3) })
    .strict(),
  layerNorm: z.object({ epsilon: z.number().positive().max(1).default(1e-6) }).strict(),
  dropout: z.object({ rate: rate.optional() }).strict(),
  flatten: z.object({}).strict(),
  add: z.object({}).strict(),
  concat: z.object({}).strict(),
  // Outputs
  /** One unit per class of the dataset, softmax: image and text classification. */
  classifier: z.object({}).strict(),
  /** One softmax over the classes (tags, or target tokens) at every position: sequence labelling and seq2seq. */
  tokenClassifier: z.object({}).strict(),
} as const;

export type OpName = keyof typeof opParamSchemas;
export type OpParams<O extends OpName> = z.infer<(typeof opParamSchemas)[O]>;

/** How many inputs each op reads; most read one. */
export const OP_ARITY: Partial<Record<OpName, { min: number; max: number }>> = {
  transformerDecoder: { min: 2, max: 2 },
  multiHeadAttention: { min: 1, max: 2 },
  additiveAttention: { min: 2, max: 2 },
  add: { min: 2, max: 16 },
  concat: { min: 2, max: 16 },
};

export function arityOf(op: OpName): { min: number; max: number } {
  return OP_ARITY[op] ?? { min: 1, max: 1 };
}

export function isOpName(op: string): op is OpName {
  return Object.hasOwn(opParamSchemas, op);
}
