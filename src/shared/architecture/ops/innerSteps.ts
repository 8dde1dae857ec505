import { attentionParams, type Shape } from './shapeRules';

/** One layer inside a composite block, as the editor shows it when the block is expanded. */
export interface InnerStep {
  label: string;
  shape: Shape;
  params: number;
  /** An addition that brings back this earlier value: the residual connections. */
  adds?: string;
}

/** Weights of a dense layer with its bias. */
export const dense = (inputs: number, units: number) => inputs * units + units;
const layerNorm = (dim: number): InnerStep[] => [{ label: 'LayerNorm', shape: [], params: 2 * dim }];

/** The sub-layers of a Transformer block, in the order the engine applies them (transformerBlocks.ts). */
export function transformerSteps(
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
