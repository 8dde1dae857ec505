import type { ModelSpec } from '../../src/shared/architecture/modelSpec';

/**
 * Three graphs that between them use every op (and so every custom layer), for the parameter-count and save/load
 * round-trip tests: what the presets leave out is here.
 */
export const EVERY_IMAGE_OP: ModelSpec = {
  name: 'every image op',
  task: 'image-classification',
  inputs: [{ id: 'image', kind: 'image', height: 12, width: 10, channels: 3 }],
  nodes: [
    { id: 'conv', op: 'conv2d', params: { filters: 8, kernelSize: 3, activation: 'swish' }, inputs: ['image'] },
    {
      id: 'depthwise',
      op: 'depthwiseConv2d',
      params: { kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'gelu' },
      inputs: ['conv'],
    },
    { id: 'norm', op: 'batchNorm', params: {}, inputs: ['depthwise'] },
    { id: 'se', op: 'squeezeExcitation', params: { ratio: 4 }, inputs: ['norm'] },
    { id: 'spatial', op: 'spatialAttention', params: { kernelSize: 5 }, inputs: ['se'] },
    { id: 'cbam', op: 'cbam', params: { ratio: 4, kernelSize: 3 }, inputs: ['norm'] },
    { id: 'sum', op: 'add', params: {}, inputs: ['spatial', 'cbam'] },
    { id: 'act', op: 'activation', params: { fn: 'tanh' }, inputs: ['sum'] },
    { id: 'maxPool', op: 'maxPool2d', params: { poolSize: 2 }, inputs: ['act'] },
    { id: 'avgPool', op: 'avgPool2d', params: { poolSize: 2, strides: 1, padding: 'same' }, inputs: ['maxPool'] },
    { id: 'gap', op: 'globalAveragePool2d', params: {}, inputs: ['avgPool'] },
    { id: 'gmp', op: 'globalMaxPool2d', params: {}, inputs: ['avgPool'] },
    { id: 'flat', op: 'flatten', params: {}, inputs: ['avgPool'] },
    { id: 'joined', op: 'concat', params: {}, inputs: ['gap', 'gmp', 'flat'] },
    { id: 'hidden', op: 'dense', params: { units: 8, activation: 'sigmoid' }, inputs: ['joined'] },
    { id: 'drop', op: 'dropout', params: { rate: 0.2 }, inputs: ['hidden'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['drop'] },
  ],
  outputs: ['head'],
};

export const EVERY_SEQUENCE_OP: ModelSpec = {
  name: 'every sequence op',
  task: 'seq2seq',
  inputs: [
    { id: 'source', kind: 'tokens', maxLength: 9, vocabSize: 30 },
    { id: 'target', kind: 'tokens', maxLength: 7, vocabSize: 20 },
  ],
  nodes: [
    { id: 'srcEmbed', op: 'embedding', params: { dim: 16 }, inputs: ['source'] },
    { id: 'srcPos', op: 'positionalEncoding', params: { kind: 'sinusoidal' }, inputs: ['srcEmbed'] },
    { id: 'conv', op: 'conv1d', params: { filters: 16, kernelSize: 3 }, inputs: ['srcPos'] },
    { id: 'lstm', op: 'lstm', params: { units: 8 }, inputs: ['conv'] },
    { id: 'gru', op: 'gru', params: { units: 8 }, inputs: ['conv'] },
    { id: 'rnns', op: 'concat', params: {}, inputs: ['lstm', 'gru'] },
    { id: 'selfAdditive', op: 'additiveAttention', params: { units: 6 }, inputs: ['rnns', 'rnns'] },
    { id: 'memory', op: 'dense', params: { units: 16, activation: 'linear' }, inputs: ['selfAdditive'] },
    { id: 'encoder', op: 'transformerEncoder', params: { heads: 2, ffnDim: 24, normFirst: true }, inputs: ['memory'] },
    { id: 'tgtEmbed', op: 'embedding', params: { dim: 16 }, inputs: ['target'] },
    { id: 'tgtPos', op: 'positionalEncoding', params: { kind: 'learned' }, inputs: ['tgtEmbed'] },
    { id: 'causal', op: 'multiHeadAttention', params: { heads: 4, causal: true }, inputs: ['tgtPos'] },
    { id: 'cross', op: 'multiHeadAttention', params: { heads: 2 }, inputs: ['causal', 'encoder'] },
    { id: 'crossAdditive', op: 'additiveAttention', params: { units: 4 }, inputs: ['cross', 'encoder'] },
    {
      id: 'decoder',
      op: 'transformerDecoder',
      params: { heads: 2, ffnDim: 24, normFirst: true },
      inputs: ['crossAdditive', 'encoder'],
    },
    { id: 'norm', op: 'layerNorm', params: {}, inputs: ['decoder'] },
    { id: 'out', op: 'tokenClassifier', params: {}, inputs: ['norm'] },
  ],
  outputs: ['out'],
};

export const EVERY_POOLING_OP: ModelSpec = {
  name: 'every pooling op',
  task: 'text-classification',
  inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 8, vocabSize: 40 }],
  nodes: [
    { id: 'embed', op: 'embedding', params: { dim: 12 }, inputs: ['tokens'] },
    { id: 'bi', op: 'bidirectional', params: { cell: 'gru', units: 6, merge: 'sum' }, inputs: ['embed'] },
    {
      id: 'biLstm',
      op: 'bidirectional',
      params: { cell: 'lstm', units: 4, returnSequences: false },
      inputs: ['embed'],
    },
    { id: 'attention', op: 'attentionPooling', params: { units: 5 }, inputs: ['bi'] },
    { id: 'mean', op: 'globalAveragePool1d', params: {}, inputs: ['bi'] },
    { id: 'joined', op: 'concat', params: {}, inputs: ['attention', 'mean', 'biLstm'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['joined'] },
  ],
  outputs: ['head'],
};

export const EVERY_OP_SPECS = [EVERY_IMAGE_OP, EVERY_SEQUENCE_OP, EVERY_POOLING_OP];
