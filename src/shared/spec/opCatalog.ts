import type { OpName } from './ops';

/** The palette's groups, in the order they are shown. */
export const PALETTE_GROUPS = [
  'Inputs',
  'Convolution',
  'Recurrent',
  'Attention',
  'Transformer',
  'Dense & regularisation',
  'Merge',
  'Output',
] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

/** The two kinds of input block; they become the spec's inputs rather than nodes. */
export type InputKind = 'image' | 'tokens';
/** What a palette entry places: an input of some kind, or a node of some op. */
export type BlockKind = { input: InputKind } | { op: OpName };

export interface OpDescription {
  label: string;
  group: PaletteGroup;
  /** One line: what the block computes. */
  summary: string;
  /** One line per parameter: what it changes. Every parameter of the op's schema has one (a test checks). */
  params: Record<string, string>;
  /** Values a new block starts with, for the parameters that have no default in the schema. */
  starting?: Record<string, unknown>;
  /** Names of the input slots when the op reads a fixed number of distinct inputs (target and memory, ...). */
  slots?: string[];
}

const transformerParams = {
  heads:
    'Attention heads; each attends over the width / heads dimensions of its own projection. Must divide the width.',
  ffnDim: 'Width of the feed-forward network inside the block (4x the model width in the original).',
  dropout: "Dropout after attention and the feed-forward network; empty takes the run's dropout.",
  normFirst: 'Pre-norm: LayerNorm before each sub-layer (steadier when deep); off is the 2017 post-norm.',
};
const convolutionParams = {
  kernelSize: 'Side of the square (or length of the 1-D) window each output looks at.',
  strides: 'Step between windows; 2 halves the resolution.',
  padding: '"same" pads so that the output keeps the size (at stride 1); "valid" uses only whole windows.',
  activation: 'The non-linearity applied to the output.',
};
const poolingParams = {
  poolSize: 'Side of the square window reduced to one value.',
  strides: 'Step between windows; empty takes the pool size.',
  padding: '"valid" drops partial windows at the border; "same" keeps them.',
};
const recurrentParams = {
  units: 'Size of the hidden state.',
  returnSequences: 'Output the state at every step (for attention or stacking); off returns only the last one.',
};

/** Palette names, groups and one-line explanations of every op and parameter. */
export const OP_CATALOG: Record<OpName, OpDescription> = {
  embedding: {
    label: 'Embedding',
    group: 'Inputs',
    summary: 'Looks up a learned vector for every token id: [T] -> [T, dim].',
    params: { dim: 'Width of each token vector: the model width of what follows.' },
    starting: { dim: 64 },
  },
  positionalEncoding: {
    label: 'Positional encoding',
    group: 'Transformer',
    summary: 'Adds a vector per position so that attention, which ignores order, can tell positions apart.',
    params: { kind: "Learned: one trained vector per position. Sinusoidal: Vaswani et al.'s fixed sines and cosines." },
  },
  transformerEncoder: {
    label: 'Transformer encoder block',
    group: 'Transformer',
    summary: 'Multi-head self-attention, then a feed-forward network, each with a residual connection and LayerNorm.',
    params: transformerParams,
    starting: { heads: 4, ffnDim: 128 },
  },
  transformerDecoder: {
    label: 'Transformer decoder block',
    group: 'Transformer',
    summary:
      'Causal self-attention over the target, cross-attention to the encoder output, then a feed-forward network.',
    params: transformerParams,
    starting: { heads: 4, ffnDim: 128 },
    slots: ['target', 'memory'],
  },
  multiHeadAttention: {
    label: 'Multi-head attention',
    group: 'Attention',
    summary: 'softmax(QK^T / sqrt(d)) V over several heads: self-attention with one input, cross-attention with two.',
    params: {
      heads: 'Attention heads; must divide the width of the queries.',
      causal: 'Each position attends only to itself and earlier ones (for decoders).',
      dropout: "Dropout on the attention weights; empty takes the run's dropout.",
    },
    starting: { heads: 4 },
    slots: ['queries', 'keys & values'],
  },
  additiveAttention: {
    label: 'Additive attention',
    group: 'Attention',
    summary: 'Bahdanau attention: scores v^T tanh(W q + U k), softmax over the keys, a weighted sum of them.',
    params: { units: 'Width of the hidden layer that scores each query-key pair.' },
    starting: { units: 32 },
    slots: ['queries', 'keys'],
  },
  attentionPooling: {
    label: 'Attention pooling',
    group: 'Attention',
    summary: 'Scores every position, softmax over them, and returns their weighted sum: [T, D] -> [D].',
    params: { units: 'Width of the hidden layer that scores each position.' },
    starting: { units: 32 },
  },
  squeezeExcitation: {
    label: 'Squeeze-and-excitation',
    group: 'Attention',
    summary: 'Channel attention: pools each channel, an MLP gives each a weight in (0, 1) that rescales it.',
    params: { ratio: "The MLP's bottleneck is channels / ratio wide." },
  },
  spatialAttention: {
    label: 'Spatial attention',
    group: 'Attention',
    summary: 'A convolution over the channel mean and max gives each pixel a weight in (0, 1).',
    params: { kernelSize: 'Side of the convolution that scores each pixel.' },
  },
  cbam: {
    label: 'CBAM',
    group: 'Attention',
    summary: 'Convolutional block attention: channel attention (avg and max pooled MLP), then spatial attention.',
    params: {
      ratio: "The channel MLP's bottleneck is channels / ratio wide.",
      kernelSize: "Side of the spatial attention's convolution.",
    },
  },
  conv1d: {
    label: 'Conv 1D',
    group: 'Convolution',
    summary: 'A 1-D convolution along a sequence: local n-gram features.',
    params: { filters: 'Output features per position.', ...convolutionParams },
    starting: { filters: 64, kernelSize: 3 },
  },
  conv2d: {
    label: 'Conv 2D',
    group: 'Convolution',
    summary: 'A 2-D convolution over an image.',
    params: { filters: 'Output channels.', ...convolutionParams },
    starting: { filters: 32, kernelSize: 3 },
  },
  depthwiseConv2d: {
    label: 'Depthwise conv 2D',
    group: 'Convolution',
    summary: 'One filter per input channel, no mixing between channels.',
    params: { depthMultiplier: 'Output channels per input channel.', ...convolutionParams },
    starting: { kernelSize: 3 },
  },
  maxPool2d: {
    label: 'Max pool 2D',
    group: 'Convolution',
    summary: 'Keeps the largest value of each window.',
    params: poolingParams,
  },
  avgPool2d: {
    label: 'Average pool 2D',
    group: 'Convolution',
    summary: 'Averages each window.',
    params: poolingParams,
  },
  globalAveragePool2d: {
    label: 'Global average pool 2D',
    group: 'Convolution',
    summary: 'Averages every channel over the image: [H, W, C] -> [C].',
    params: {},
  },
  globalMaxPool2d: {
    label: 'Global max pool 2D',
    group: 'Convolution',
    summary: 'The largest value of every channel: [H, W, C] -> [C].',
    params: {},
  },
  lstm: {
    label: 'LSTM',
    group: 'Recurrent',
    summary: 'Long short-term memory over the sequence.',
    params: recurrentParams,
    starting: { units: 64 },
  },
  gru: {
    label: 'GRU',
    group: 'Recurrent',
    summary: 'Gated recurrent unit over the sequence.',
    params: recurrentParams,
    starting: { units: 64 },
  },
  bidirectional: {
    label: 'Bidirectional RNN',
    group: 'Recurrent',
    summary: 'The same recurrent cell read forwards and backwards, merged.',
    params: {
      cell: 'LSTM or GRU.',
      ...recurrentParams,
      merge: 'Concatenate the two directions (2x units wide) or sum them.',
    },
    starting: { units: 32 },
  },
  dense: {
    label: 'Dense',
    group: 'Dense & regularisation',
    summary: "Fully connected: every output is a weighted sum of all the last axis's inputs.",
    params: { units: 'Output width.', activation: 'The non-linearity applied to the output.' },
    starting: { units: 64 },
  },
  activation: {
    label: 'Activation',
    group: 'Dense & regularisation',
    summary: 'An element-wise non-linearity.',
    params: { fn: 'Which one.' },
  },
  batchNorm: {
    label: 'Batch norm',
    group: 'Dense & regularisation',
    summary: 'Normalises every channel over the batch, then scales and shifts it.',
    params: {
      momentum: 'Weight of the past in the moving mean and variance used at inference.',
      epsilon: 'Added to the variance so that it is never zero.',
    },
  },
  layerNorm: {
    label: 'Layer norm',
    group: 'Dense & regularisation',
    summary: 'Normalises every position over its features, then scales and shifts it.',
    params: { epsilon: 'Added to the variance so that it is never zero.' },
  },
  dropout: {
    label: 'Dropout',
    group: 'Dense & regularisation',
    summary: 'Zeroes a random fraction of the values while training.',
    params: { rate: "The fraction dropped; empty takes the run's dropout." },
  },
  flatten: { label: 'Flatten', group: 'Dense & regularisation', summary: 'All axes into one vector.', params: {} },
  globalAveragePool1d: {
    label: 'Average pool over sequence',
    group: 'Dense & regularisation',
    summary: 'Mean over the (unpadded) positions: [T, D] -> [D].',
    params: {},
  },
  add: {
    label: 'Add',
    group: 'Merge',
    summary: 'Element-wise sum of inputs of one shape: residual and skip connections.',
    params: {},
  },
  concat: { label: 'Concatenate', group: 'Merge', summary: 'Joins inputs along the last axis.', params: {} },
  classifier: {
    label: 'Classifier',
    group: 'Output',
    summary: "A softmax over the dataset's classes from one vector.",
    params: {},
  },
  tokenClassifier: {
    label: 'Per-token classifier',
    group: 'Output',
    summary: 'A softmax over the tags or target tokens at every position.',
    params: {},
  },
};

/** What the palette shows for the two input kinds. */
export const INPUT_CATALOG: Record<InputKind, { label: string; summary: string; params: Record<string, string> }> = {
  image: {
    label: 'Image input',
    summary: "Images of height x width x channels; training resizes them to the dataset's images.",
    params: { height: 'Rows of pixels.', width: 'Columns of pixels.', channels: '1 for grey, 3 for colour.' },
  },
  tokens: {
    label: 'Token input',
    summary: 'A sequence of token ids, cut or padded to the max length.',
    params: {
      maxLength: 'Tokens per example; longer texts are cut.',
      vocabSize: 'The largest vocabulary the tokenizer may build.',
    },
  },
};
