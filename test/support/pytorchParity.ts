import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../../src/engine/data/split/seededRandom';
import type { NamedTensor } from '../../src/export/safetensors';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';

/** What the PyTorch export's parity tests share: Debian's Python, the batches, the graphs, the weights. */

/** Debian's Python with python3-torch (.ci/run installs it); without it these tests skip, saying why. */
export const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
export const torchMissing =
  probe.status === 0
    ? null
    : `${PYTHON} cannot import torch (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})`;
if (torchMissing) console.log(`skipping the PyTorch parity tests: ${torchMissing}`);

const random = seededRandom(5);

/** A batch of 4 for each input: token ids with padding at the end, or pixels in [0, 1]. */
export function batchFor(spec: ModelSpec, vocab: number): { tensors: tf.Tensor[]; named: NamedTensor[] } {
  const tensors: tf.Tensor[] = [];
  const named: NamedTensor[] = [];
  for (const input of spec.inputs) {
    if (input.kind === 'tokens') {
      // Row r holds T - 3r real tokens (at least 2), then padding: every mask is exercised.
      const ids = Int32Array.from({ length: 4 * input.maxLength }, (_, i) => {
        const [row, t] = [Math.floor(i / input.maxLength), i % input.maxLength];
        return t < Math.max(2, input.maxLength - 3 * row) ? 1 + Math.floor(random() * (vocab - 1)) : 0;
      });
      tensors.push(tf.tensor2d(ids, [4, input.maxLength], 'int32'));
      named.push({ name: input.id, dtype: 'I32', shape: [4, input.maxLength], data: ids });
    } else {
      const shape = [4, input.height, input.width, input.channels];
      const pixels = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random());
      tensors.push(tf.tensor(pixels, shape));
      named.push({ name: input.id, dtype: 'F32', shape, data: pixels });
    }
  }
  return { tensors, named };
}

/** A fully connected graph over every fully connected op: activations, add, concat, dropout, a per-token head. */
export const everyCoveredOp: ModelSpec = {
  name: 'Every covered op',
  task: 'sequence-labelling',
  inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 12, vocabSize: 100 }],
  nodes: [
    { id: 'embed', op: 'embedding', params: { dim: 16 }, inputs: ['tokens'] },
    { id: 'gelu-dense', op: 'dense', params: { units: 16, activation: 'gelu' }, inputs: ['embed'] },
    { id: 'swish', op: 'dense', params: { units: 16, activation: 'swish' }, inputs: ['embed'] },
    { id: 'sum', op: 'add', params: {}, inputs: ['gelu-dense', 'swish'] },
    { id: 'tanh', op: 'activation', params: { fn: 'tanh' }, inputs: ['sum'] },
    { id: 'sigmoid', op: 'dense', params: { units: 8, activation: 'sigmoid' }, inputs: ['embed'] },
    { id: 'both', op: 'concat', params: {}, inputs: ['tanh', 'sigmoid'] },
    { id: 'class', op: 'dense', params: { units: 8, activation: 'linear' }, inputs: ['both'] },
    { id: 'drop', op: 'dropout', params: { rate: 0.3 }, inputs: ['class'] },
    { id: 'tags', op: 'tokenClassifier', params: {}, inputs: ['drop'] },
  ],
  outputs: ['tags'],
};

/** The largest difference between two lists of numbers, relative to each expected value's size (at least 1). */
export const largestDifference = (got: number[], want: number[]) =>
  Math.max(0, ...got.map((value, i) => Math.abs(value - want[i]!) / Math.max(1, Math.abs(want[i]!))));

/** Multi-head attention as nodes of their own (self, causal, cross), a layer norm and sinusoidal positions. */
export const attentionNodes: ModelSpec = {
  name: 'Attention nodes',
  task: 'seq2seq',
  inputs: [
    { id: 'source', kind: 'tokens', maxLength: 10, vocabSize: 100 },
    { id: 'target', kind: 'tokens', maxLength: 7, vocabSize: 100 },
  ],
  nodes: [
    { id: 'sourceEmbed', op: 'embedding', params: { dim: 16 }, inputs: ['source'] },
    { id: 'sourcePosition', op: 'positionalEncoding', params: { kind: 'sinusoidal' }, inputs: ['sourceEmbed'] },
    { id: 'self', op: 'multiHeadAttention', params: { heads: 2 }, inputs: ['sourcePosition'] },
    { id: 'targetEmbed', op: 'embedding', params: { dim: 16 }, inputs: ['target'] },
    {
      id: 'causal',
      op: 'multiHeadAttention',
      params: { heads: 4, causal: true },
      inputs: ['targetEmbed', 'targetEmbed'],
    },
    { id: 'cross', op: 'multiHeadAttention', params: { heads: 2 }, inputs: ['causal', 'self'] },
    { id: 'norm', op: 'layerNorm', params: { epsilon: 1e-3 }, inputs: ['cross'] },
    { id: 'next', op: 'tokenClassifier', params: {}, inputs: ['norm'] },
  ],
  outputs: ['next'],
};

/** Every image op: convolutions (same and valid, strided), depthwise, batch norm, the gates, every pooling. */
export const imageOps: ModelSpec = {
  name: 'Image ops',
  task: 'image-classification',
  inputs: [{ id: 'image', kind: 'image', height: 16, width: 16, channels: 3 }],
  nodes: [
    { id: 'conv1', op: 'conv2d', params: { filters: 8, kernelSize: 3 }, inputs: ['image'] },
    { id: 'norm1', op: 'batchNorm', params: {}, inputs: ['conv1'] },
    { id: 'se', op: 'squeezeExcitation', params: { ratio: 2 }, inputs: ['norm1'] },
    {
      id: 'conv2',
      op: 'conv2d',
      params: { filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'gelu' },
      inputs: ['se'],
    },
    {
      id: 'depthwise',
      op: 'depthwiseConv2d',
      params: { depthMultiplier: 2, kernelSize: 3, activation: 'linear' },
      inputs: ['conv2'],
    },
    { id: 'spatial', op: 'spatialAttention', params: { kernelSize: 5 }, inputs: ['depthwise'] },
    { id: 'maxPool', op: 'maxPool2d', params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: ['spatial'] },
    { id: 'cbam', op: 'cbam', params: { ratio: 4, kernelSize: 3 }, inputs: ['maxPool'] },
    { id: 'avgPool', op: 'avgPool2d', params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: ['cbam'] },
    { id: 'avgValid', op: 'avgPool2d', params: { poolSize: 2, padding: 'valid' }, inputs: ['avgPool'] },
    { id: 'max', op: 'globalMaxPool2d', params: {}, inputs: ['avgValid'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['max'] },
  ],
  outputs: ['head'],
};

/** LSTM and GRU, one direction and both (summed), hard-sigmoid gates, additive attention across and within. */
export const recurrentOps: ModelSpec = {
  name: 'Recurrent ops',
  task: 'seq2seq',
  inputs: [
    { id: 'source', kind: 'tokens', maxLength: 9, vocabSize: 100 },
    { id: 'target', kind: 'tokens', maxLength: 6, vocabSize: 100 },
  ],
  nodes: [
    { id: 'sourceEmbed', op: 'embedding', params: { dim: 8 }, inputs: ['source'] },
    { id: 'lstm', op: 'lstm', params: { units: 8, gateActivation: 'hardSigmoid' }, inputs: ['sourceEmbed'] },
    { id: 'both', op: 'bidirectional', params: { cell: 'gru', units: 8, merge: 'sum' }, inputs: ['lstm'] },
    { id: 'targetEmbed', op: 'embedding', params: { dim: 8 }, inputs: ['target'] },
    { id: 'gru', op: 'gru', params: { units: 8 }, inputs: ['targetEmbed'] },
    { id: 'across', op: 'additiveAttention', params: { units: 6 }, inputs: ['gru', 'both'] },
    { id: 'within', op: 'additiveAttention', params: { units: 5 }, inputs: ['across', 'across'] },
    { id: 'next', op: 'tokenClassifier', params: {}, inputs: ['within'] },
  ],
  outputs: ['next'],
};

/** A bidirectional LSTM's last states as the summary of a text. */
export const lastStates: ModelSpec = {
  name: 'Last states',
  task: 'text-classification',
  inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 11, vocabSize: 100 }],
  nodes: [
    { id: 'embed', op: 'embedding', params: { dim: 8 }, inputs: ['tokens'] },
    { id: 'lstm', op: 'bidirectional', params: { units: 6, returnSequences: false }, inputs: ['embed'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['lstm'] },
  ],
  outputs: ['head'],
};

/**
 * Gives every weight random values (moving variances positive): freshly built, biases are zero and moving
 * statistics 0 and 1, which would leave their use in model.py untested.
 */
export function randomizeWeights(model: {
  weights: { originalName: string; shape: number[]; write(t: tf.Tensor): void }[];
}) {
  for (const weight of model.weights) {
    const count = weight.shape.reduce((a, b) => a * b, 1);
    const variance = weight.originalName.endsWith('moving_variance');
    const values = Float32Array.from({ length: count }, () => (variance ? 0.5 + random() : (random() - 0.5) * 0.6));
    const replacement = tf.tensor(values, weight.shape);
    weight.write(replacement);
    replacement.dispose();
  }
}

/**
 * Runs `body` in PyTorch after loading the exported model of `dir` with its weights and the batch file as `batch`,
 * `args` being the model's inputs in spec order; returns what the body prints, parsed as JSON.
 */
export function inTorch<T>(dir: string, spec: ModelSpec, batchFile: string, body: string): T {
  const args = spec.inputs
    .map((i) => (i.kind === 'tokens' ? `batch[${JSON.stringify(i.id)}].long()` : `batch[${JSON.stringify(i.id)}]`))
    .join(', ');
  const script = `
import json, sys, torch
import torch.nn.functional as F
sys.path.insert(0, ${JSON.stringify(dir)})
from model import Model, WORKBENCH_WEIGHTS, load_workbench_weights, read_safetensors
model = Model()
load_workbench_weights(model, ${JSON.stringify(`${dir}/weights.safetensors`)})
batch = read_safetensors(${JSON.stringify(batchFile)})
args = [${args}]
${body}
`;
  const run = spawnSync(PYTHON, ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    // Attention maps and gradients as JSON run to megabytes.
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`PyTorch failed: ${run.error ?? ''}\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
