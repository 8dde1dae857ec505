import { initializers, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { opParamSchemas, type OpName, type OpParams } from '../../shared/spec/ops';
import { LayerNormalization } from '../layers/layerNormalization';
import { MaskedAveragePooling1D } from '../layers/maskedAveragePooling1d';
import { MultiHeadAttention } from '../layers/multiHeadAttention';
import { PositionalEncoding } from '../layers/positionalEncoding';

/** What the builder knows when it turns one node into layers. */
export interface OpContext {
  nodeId: string;
  inputs: SymbolicTensor[];
  /** The padding mask [B, T] of the sequence flowing into this node, if it is one. */
  mask: SymbolicTensor | null;
  vocabSize: number;
  classes: number;
  /** The run's dropout, for nodes that leave their rate unset. */
  dropout: number;
  /** Called for each attention layer placed, so that the workbench can read its weights. */
  onAttention: (layerName: string, weights: SymbolicTensor) => void;
}

export interface OpResult {
  output: SymbolicTensor;
  /** The mask that goes with the output: kept by sequence-to-sequence ops, dropped by pooling. */
  mask: SymbolicTensor | null;
}

type OpBuilder<O extends OpName> = (params: OpParams<O>, context: OpContext) => OpResult;

const single = (context: OpContext): SymbolicTensor => context.inputs[0]!;
const apply = (layer: layers.Layer, input: SymbolicTensor | SymbolicTensor[]) => layer.apply(input) as SymbolicTensor;

/**
 * One Transformer encoder block (Vaswani et al. 2017, 3.1), expanded into primitive layers so that each weight
 * belongs to exactly one layer:
 *   post-norm:  x = LN(x + Drop(MHA(x)));        x = LN(x + Drop(FFN(x)))
 *   pre-norm:   x = x + Drop(MHA(LN(x)));        x = x + Drop(FFN(LN(x)))
 * with FFN(x) = ReLU(x W1 + b1) W2 + b2.
 */
const transformerEncoder: OpBuilder<'transformerEncoder'> = (params, context) => {
  const id = context.nodeId;
  const x = single(context);
  const modelDim = x.shape[x.shape.length - 1]!;
  const rate = params.dropout ?? context.dropout;
  const norm = (name: string, input: SymbolicTensor) =>
    apply(new LayerNormalization({ name: `${id}_${name}`, epsilon: 1e-6 }), input);
  const drop = (name: string, input: SymbolicTensor) =>
    rate > 0 ? apply(layers.dropout({ name: `${id}_${name}`, rate }), input) : input;

  const attention = new MultiHeadAttention({ name: `${id}_attention`, heads: params.heads, dropout: rate });
  const attentionInput = params.normFirst ? norm('norm1', x) : x;
  const attentionInputs = context.mask ? [attentionInput, context.mask] : [attentionInput];
  const [attended, weights] = attention.apply(attentionInputs) as SymbolicTensor[];
  context.onAttention(attention.name, weights!);

  const residual1 = apply(layers.add({ name: `${id}_residual1` }), [x, drop('dropout1', attended!)]);
  const x1 = params.normFirst ? residual1 : norm('norm1', residual1);

  const ffnInput = params.normFirst ? norm('norm2', x1) : x1;
  const hidden = apply(layers.dense({ name: `${id}_ffn1`, units: params.ffnDim, activation: 'relu' }), ffnInput);
  const ffn = apply(layers.dense({ name: `${id}_ffn2`, units: modelDim }), hidden);
  const residual2 = apply(layers.add({ name: `${id}_residual2` }), [x1, drop('dropout2', ffn)]);
  return { output: params.normFirst ? residual2 : norm('norm2', residual2), mask: context.mask };
};

const builders: { [O in OpName]: OpBuilder<O> } = {
  // N(0, 1/D) here and multiplied by sqrt(D) in PositionalEncoding (Vaswani et al. 3.4): activations of unit size,
  // so the first block's attention is not flat from the start (with tfjs' uniform(±0.05) it stays flat for
  // hundreds of steps), while Adam's steps stay large relative to the weights, which learns faster than N(0, 1).
  embedding: (params, context) => ({
    output: apply(
      layers.embedding({
        name: context.nodeId,
        inputDim: context.vocabSize,
        outputDim: params.dim,
        embeddingsInitializer: initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(params.dim) }),
      }),
      single(context),
    ),
    mask: context.mask,
  }),
  positionalEncoding: (params, context) => ({
    output: apply(new PositionalEncoding({ name: context.nodeId, kind: params.kind }), single(context)),
    mask: context.mask,
  }),
  transformerEncoder,
  globalAveragePool1d: (_params, context) => ({
    output: apply(
      new MaskedAveragePooling1D({ name: context.nodeId }),
      context.mask ? [single(context), context.mask] : single(context),
    ),
    mask: null,
  }),
  dropout: (params, context) => ({
    output: apply(layers.dropout({ name: context.nodeId, rate: params.rate ?? context.dropout }), single(context)),
    mask: context.mask,
  }),
  dense: (params, context) => ({
    output: apply(
      layers.dense({ name: context.nodeId, units: params.units, activation: params.activation }),
      single(context),
    ),
    mask: context.mask,
  }),
  classifier: (_params, context) => ({
    output: apply(layers.dense({ name: context.nodeId, units: context.classes }), single(context)),
    mask: null,
  }),
};

/** Validates a node's params against its op's schema and places its layers. */
export function buildOp(op: OpName, rawParams: unknown, context: OpContext): OpResult {
  const parsed = opParamSchemas[op].safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`node "${context.nodeId}" (${op}): parameter "${issue.path.join('.') || '?'}" ${issue.message}`);
  }
  return (builders[op] as OpBuilder<typeof op>)(parsed.data as never, context);
}
