import { initializers, layers } from '@tensorflow/tfjs-layers';
import { opParamSchemas, type OpName } from '../../shared/architecture/ops';
import { AdditiveAttention } from '../layers/additiveAttention';
import { AttentionPooling } from '../layers/attentionPooling';
import { BatchNormalization } from '../layers/batchNormalization';
import { Cbam } from '../layers/cbam';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { FirstToken } from '../layers/firstToken';
import { FusedRecurrent } from '../layers/fusedRecurrent';
import { LayerNormalization } from '../layers/layerNormalization';
import { MaskedAveragePooling1D } from '../layers/maskedAveragePooling1d';
import { PatchEmbedding } from '../layers/patchEmbedding';
import { PositionalEncoding } from '../layers/positionalEncoding';
import { SameAveragePooling2D } from '../layers/sameAveragePooling2d';
import { SpatialAttention } from '../layers/spatialAttention';
import { SqueezeExcitation } from '../layers/squeezeExcitation';
import { apply, applyMany, samePositions, single, type OpBuilder, type OpContext, type OpResult } from './opContext';
import { attend, transformerDecoder, transformerEncoder } from './transformerBlocks';

/** Input and mask of a layer that takes an optional padding mask as a second input. */
const withMask = (context: OpContext) =>
  context.sequences[0] ? [single(context), context.sequences[0].mask] : single(context);
const withoutPositions = (output: OpResult['output']): OpResult => ({ output, sequence: null });

/** An image attention layer: [y, ...maps]; each map [B, 1, Q, K] is reported under its own name. */
function imageAttention(context: OpContext, layer: layers.Layer, kinds: ('channels' | 'spatial')[]): OpResult {
  const [output, ...maps] = applyMany(layer, single(context));
  maps.forEach((weights, i) =>
    context.onAttention({
      layer: kinds.length > 1 ? `${layer.name}:${kinds[i]}` : layer.name,
      kind: kinds[i]!,
      weights: weights!,
      queryOrigin: null,
      keyOrigin: null,
    }),
  );
  return withoutPositions(output!);
}

/** LSTM, GRU or both directions of one, as the fused layer (its backward pass through time written out). */
function recurrentLayer(
  context: OpContext,
  cell: 'lstm' | 'gru',
  params: {
    units: number;
    returnSequences: boolean;
    gateActivation: 'sigmoid' | 'hardSigmoid';
    merge?: 'concat' | 'sum';
  },
  bidirectional: boolean,
): OpResult {
  const layer = new FusedRecurrent({ name: context.nodeId, cell, bidirectional, ...params });
  return recurrentResult(context, params.returnSequences, apply(layer, single(context)));
}

const builders: { [O in OpName]: OpBuilder<O> } = {
  // N(0, 1/D) here and multiplied by sqrt(D) in PositionalEncoding (Vaswani et al. 3.4): activations of unit size,
  // so the first block's attention is not flat from the start (with tfjs' uniform(±0.05) it stays flat for
  // hundreds of steps), while Adam's steps stay large relative to the weights, which learns faster than N(0, 1).
  embedding: (params, context) => {
    const layer = layers.embedding({
      name: context.nodeId,
      inputDim: context.vocabSize,
      outputDim: params.dim,
      embeddingsInitializer: initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(params.dim) }),
    });
    return samePositions(context, apply(layer, single(context)));
  },
  positionalEncoding: (params, context) =>
    samePositions(
      context,
      apply(
        new PositionalEncoding({ name: context.nodeId, kind: params.kind, scaleEmbeddings: params.scaleInput }),
        single(context),
      ),
    ),
  // Patches have no padding: the sequence that follows needs no mask (buildModel keeps their grid for the views).
  patchEmbedding: (params, context) =>
    withoutPositions(apply(new PatchEmbedding({ name: context.nodeId, ...params }), single(context))),
  transformerEncoder,
  transformerDecoder,
  multiHeadAttention: (params, context) => {
    const self = context.inputs.length === 1 || context.inputIds[0] === context.inputIds[1];
    const options = { heads: params.heads, dropout: params.dropout ?? context.dropout, causal: params.causal };
    const keyValue = self ? null : { tensor: context.inputs[1]!, sequence: context.sequences[1] ?? null };
    return samePositions(
      context,
      attend(context, context.nodeId, options, single(context), context.sequences[0] ?? null, keyValue),
    );
  },
  additiveAttention: (params, context) => {
    const self = context.inputIds[0] === context.inputIds[1];
    const keySequence = context.sequences[self ? 0 : 1] ?? null;
    const layer = new AdditiveAttention({ name: context.nodeId, units: params.units, self });
    const inputs = [single(context), ...(self ? [] : [context.inputs[1]!]), ...(keySequence ? [keySequence.mask] : [])];
    const [output, weights] = applyMany(layer, inputs);
    context.onAttention({
      layer: layer.name,
      kind: 'tokens',
      weights: weights!,
      queryOrigin: context.sequences[0]?.origin ?? null,
      keyOrigin: keySequence?.origin ?? null,
    });
    return samePositions(context, output!);
  },
  attentionPooling: (params, context) => {
    const [output, weights] = applyMany(
      new AttentionPooling({ name: context.nodeId, units: params.units }),
      withMask(context),
    );
    context.onAttention({
      layer: context.nodeId,
      kind: 'tokens',
      weights: weights!,
      queryOrigin: null,
      keyOrigin: context.sequences[0]?.origin ?? null,
    });
    return withoutPositions(output!);
  },
  squeezeExcitation: (params, context) =>
    imageAttention(context, new SqueezeExcitation({ name: context.nodeId, ratio: params.ratio }), ['channels']),
  spatialAttention: (params, context) =>
    imageAttention(context, new SpatialAttention({ name: context.nodeId, kernelSize: params.kernelSize }), ['spatial']),
  cbam: (params, context) =>
    imageAttention(context, new Cbam({ name: context.nodeId, ratio: params.ratio, kernelSize: params.kernelSize }), [
      'channels',
      'spatial',
    ]),
  conv1d: (params, context) => {
    const layer = layers.conv1d({
      name: context.nodeId,
      filters: params.filters,
      kernelSize: params.kernelSize,
      strides: params.strides,
      padding: params.padding,
      activation: params.activation,
    });
    const output = apply(layer, single(context));
    // 'same' with stride 1 keeps every position where it was, so the padding mask still holds.
    return params.padding === 'same' && params.strides === 1
      ? samePositions(context, output)
      : withoutPositions(output);
  },
  conv2d: (params, context) =>
    withoutPositions(
      apply(
        layers.conv2d({
          name: context.nodeId,
          filters: params.filters,
          kernelSize: params.kernelSize,
          strides: params.strides,
          padding: params.padding,
          activation: params.activation,
        }),
        single(context),
      ),
    ),
  depthwiseConv2d: (params, context) =>
    withoutPositions(
      apply(
        layers.depthwiseConv2d({
          name: context.nodeId,
          kernelSize: params.kernelSize,
          depthMultiplier: params.depthMultiplier,
          strides: params.strides,
          padding: params.padding,
          activation: params.activation,
        }),
        single(context),
      ),
    ),
  maxPool2d: (params, context) =>
    withoutPositions(
      apply(
        layers.maxPooling2d({
          name: context.nodeId,
          poolSize: params.poolSize,
          strides: params.strides ?? params.poolSize,
          padding: params.padding,
        }),
        single(context),
      ),
    ),
  // 'same' padding through the workbench's own layer: tfjs' gradient of it is wrong at the borders.
  avgPool2d: (params, context) =>
    withoutPositions(
      apply(
        params.padding === 'same'
          ? new SameAveragePooling2D({
              name: context.nodeId,
              poolSize: params.poolSize,
              strides: params.strides ?? params.poolSize,
            })
          : layers.averagePooling2d({
              name: context.nodeId,
              poolSize: params.poolSize,
              strides: params.strides ?? params.poolSize,
              padding: params.padding,
            }),
        single(context),
      ),
    ),
  globalAveragePool2d: (_params, context) =>
    withoutPositions(apply(layers.globalAveragePooling2d({ name: context.nodeId }), single(context))),
  globalMaxPool2d: (_params, context) =>
    withoutPositions(apply(layers.globalMaxPooling2d({ name: context.nodeId }), single(context))),
  globalAveragePool1d: (_params, context) =>
    withoutPositions(apply(new MaskedAveragePooling1D({ name: context.nodeId }), withMask(context))),
  firstToken: (_params, context) => withoutPositions(apply(new FirstToken({ name: context.nodeId }), single(context))),
  // Recurrent layers read padding as input: sequences are padded at the end, so the forward direction has read
  // every real token before the first pad; the attention or pooling that follows masks the padded positions out.
  lstm: (params, context) => recurrentLayer(context, 'lstm', params, false),
  gru: (params, context) => recurrentLayer(context, 'gru', params, false),
  bidirectional: (params, context) => recurrentLayer(context, params.cell, params, true),
  dense: (params, context) =>
    samePositions(
      context,
      apply(new Dense({ name: context.nodeId, units: params.units, activation: params.activation }), single(context)),
    ),
  activation: (params, context) =>
    samePositions(context, apply(layers.activation({ name: context.nodeId, activation: params.fn }), single(context))),
  batchNorm: (params, context) =>
    samePositions(
      context,
      apply(
        new BatchNormalization({ name: context.nodeId, momentum: params.momentum, epsilon: params.epsilon }),
        single(context),
      ),
    ),
  layerNorm: (params, context) =>
    samePositions(
      context,
      apply(new LayerNormalization({ name: context.nodeId, epsilon: params.epsilon }), single(context)),
    ),
  dropout: (params, context) =>
    samePositions(
      context,
      apply(new Dropout({ name: context.nodeId, rate: params.rate ?? context.dropout }), single(context)),
    ),
  flatten: (_params, context) => withoutPositions(apply(layers.flatten({ name: context.nodeId }), single(context))),
  add: (_params, context) => samePositions(context, apply(layers.add({ name: context.nodeId }), context.inputs)),
  concat: (_params, context) =>
    samePositions(context, apply(layers.concatenate({ name: context.nodeId, axis: -1 }), context.inputs)),
  classifier: (_params, context) =>
    withoutPositions(apply(new Dense({ name: context.nodeId, units: context.classes }), single(context))),
  tokenClassifier: (_params, context) =>
    samePositions(context, apply(new Dense({ name: context.nodeId, units: context.classes }), single(context))),
};

function recurrentResult(context: OpContext, returnSequences: boolean, output: OpResult['output']): OpResult {
  return returnSequences ? samePositions(context, output) : withoutPositions(output);
}

/** Validates a node's params against its op's schema and places its layers. */
export function buildOp(op: OpName, rawParams: unknown, context: OpContext): OpResult {
  const parsed = opParamSchemas[op].safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`node "${context.nodeId}" (${op}): parameter "${issue.path.join('.') || '?'}" ${issue.message}`);
  }
  return (builders[op] as OpBuilder<typeof op>)(parsed.data as never, context);
}
