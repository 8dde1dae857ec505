import type { OpName, OpParams } from './ops';
import { attentionParams, bottleneckUnits, type Shape } from './opShapes';

/** One layer inside a composite block, as the editor shows it when the block is expanded. */
export interface InnerStep {
  label: string;
  shape: Shape;
  params: number;
  /** An addition that brings back this earlier value: the residual connections. */
  adds?: string;
}

const dense = (inputs: number, units: number) => inputs * units + units;
const layerNorm = (dim: number): InnerStep[] => [{ label: 'LayerNorm', shape: [], params: 2 * dim }];

/** The sub-layers of a Transformer block, in the order the engine applies them (transformerBlocks.ts). */
function transformerSteps(
  length: number,
  dim: number,
  ffnDim: number,
  normFirst: boolean,
  attentions: { label: string; residual: string }[],
): InnerStep[] {
  const sublayer = (core: InnerStep[], residual: string): InnerStep[] => {
    const body = [
      ...core,
      { label: 'Dropout', shape: [], params: 0 },
      { label: 'Add', shape: [], params: 0, adds: residual },
    ];
    return normFirst ? [...layerNorm(dim), ...body] : [...body, ...layerNorm(dim)];
  };
  const steps = attentions.flatMap(({ label, residual }) =>
    sublayer([{ label, shape: [], params: attentionParams(dim) }], residual),
  );
  const ffn = [
    { label: `Dense ${ffnDim}, ReLU`, shape: [length, ffnDim], params: dense(dim, ffnDim) },
    { label: `Dense ${dim}`, shape: [], params: dense(ffnDim, dim) },
  ];
  return [...steps, ...sublayer(ffn, attentions.length === 1 ? 'after attention' : 'after cross-attention')].map(
    (step) => (step.shape.length === 0 ? { ...step, shape: [length, dim] } : step),
  );
}

type Inner = (inputs: Shape[], params: never) => InnerStep[];

/**
 * The inside of each composite block, read-only: Transformer blocks, multi-head attention, SE and CBAM. Each step's
 * weights add up to the block's count in OP_SHAPES (a test checks), so the expanded view explains the number on
 * the node. Inputs are shapes already checked by inference.
 */
export const COMPOSITE_STRUCTURE: Partial<Record<OpName, Inner>> = {
  transformerEncoder: (([input], { heads, ffnDim, normFirst }: OpParams<'transformerEncoder'>) =>
    transformerSteps(input![0]!, input![1]!, ffnDim, normFirst, [
      { label: `Self-attention, ${heads} heads`, residual: 'block input' },
    ])) as Inner,
  transformerDecoder: (([target], { heads, ffnDim, normFirst }: OpParams<'transformerDecoder'>) =>
    transformerSteps(target![0]!, target![1]!, ffnDim, normFirst, [
      { label: `Causal self-attention, ${heads} heads`, residual: 'block input' },
      { label: `Cross-attention to memory, ${heads} heads`, residual: 'after self-attention' },
    ])) as Inner,
  multiHeadAttention: ((inputs: Shape[], { heads }: OpParams<'multiHeadAttention'>) => {
    const [queries, dim] = [inputs[0]![0]!, inputs[0]![1]!];
    const keys = inputs[1]?.[0] ?? queries;
    const head = dim / heads;
    return [
      { label: 'Q projection', shape: [queries, heads, head], params: dense(dim, dim) },
      { label: 'K projection', shape: [keys, heads, head], params: dense(dim, dim) },
      { label: 'V projection', shape: [keys, heads, head], params: dense(dim, dim) },
      { label: 'softmax(QK^T / sqrt(d)): the attention weights', shape: [heads, queries, keys], params: 0 },
      { label: 'Weighted sum of V, heads joined', shape: [queries, dim], params: 0 },
      { label: 'Output projection', shape: [queries, dim], params: dense(dim, dim) },
    ];
  }) as Inner,
  squeezeExcitation: (([input], { ratio }: OpParams<'squeezeExcitation'>) => {
    const [height, width, channels] = input as [number, number, number];
    const units = bottleneckUnits(channels, ratio);
    return [
      { label: 'Global average pool', shape: [channels], params: 0 },
      { label: `Dense ${units}, ReLU`, shape: [units], params: dense(channels, units) },
      { label: `Dense ${channels}, sigmoid: channel weights`, shape: [channels], params: dense(units, channels) },
      { label: 'Scale the channels', shape: [height, width, channels], params: 0 },
    ];
  }) as Inner,
  cbam: (([input], { ratio, kernelSize }: OpParams<'cbam'>) => {
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
  }) as Inner,
};
