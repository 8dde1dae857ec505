import type { OpName, OpParams } from './ops';

/** A shape without its batch dimension: [T] token ids, [T, D] a sequence of vectors, [H, W, C] an image, [D] a vector. */
export type Shape = number[];

/** What inference knows about one node's output. */
export interface NodeShape {
  shape: Shape;
  /** Trainable and fixed weights the node owns (as tf's countParams counts them). */
  params: number;
  /** Floating-point operations per example (a multiply-add counts 2); element-wise work is left out. */
  flops: number;
}

export interface OpShapeContext {
  /** Output classes of the task: labels, tags, or target tokens. */
  classes: number;
  /** The vocabulary of the token input this node reads, when it reads one directly. */
  tokenVocab: number | null;
}

/** A problem inference found in one node, with the parameter at fault if there is one. */
export class ShapeProblem extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

/** [64, 128]: how shapes read in messages and on the editor's blocks. */
export const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;
const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

function expectSequence(shape: Shape, what: string): [number, number] {
  if (shape.length !== 2) {
    const hint =
      shape.length === 3
        ? ': it is an image, pool or flatten it first'
        : shape.length === 1
          ? ': it is a single vector'
          : '';
    throw new ShapeProblem(
      `${what} needs a sequence of vectors [T, D]; it gets ${formatShape(shape)}${hint}`,
      'inputs',
    );
  }
  return [shape[0]!, shape[1]!];
}

function expectImage(shape: Shape, what: string): [number, number, number] {
  if (shape.length !== 3)
    throw new ShapeProblem(`${what} needs an image [H, W, C]; it gets ${formatShape(shape)}`, 'inputs');
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Output length of a convolution or pooling window along one axis, with tf's rules. */
function windowOutput(size: number, window: number, stride: number, padding: 'same' | 'valid', param: string): number {
  const out = padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
  if (out < 1) throw new ShapeProblem(`a window of ${window} does not fit in ${size} positions without padding`, param);
  return out;
}

const recurrentParams = (cell: 'lstm' | 'gru', inputDim: number, units: number) =>
  (cell === 'lstm' ? 4 : 3) * (inputDim * units + units * units + units);

function recurrent(
  input: Shape,
  cell: 'lstm' | 'gru',
  units: number,
  returnSequences: boolean,
  directions: number,
  merged: number,
): NodeShape {
  const [length, dim] = expectSequence(input, `an ${cell.toUpperCase()}`);
  const params = directions * recurrentParams(cell, dim, units);
  return { shape: returnSequences ? [length, merged] : [merged], params, flops: 2 * length * params };
}

/** Bottleneck width of a channel-attention MLP (SE, CBAM): C / ratio, at least 1. The layers use the same. */
export const bottleneckUnits = (channels: number, ratio: number) => Math.max(1, Math.floor(channels / ratio));

/** Weights of multi-head attention over width `dim`: the Q, K, V and output projections with their biases. */
export const attentionParams = (dim: number) => 4 * (dim * dim + dim);
const attentionFlops = (queries: number, keys: number, dim: number) =>
  2 * 2 * queries * dim * dim + 2 * 2 * keys * dim * dim + 2 * 2 * queries * keys * dim;

function checkHeads(dim: number, heads: number): void {
  if (dim % heads !== 0) throw new ShapeProblem(`${heads} heads do not divide the model width ${dim}`, 'heads');
}

type OpShape<O extends OpName> = (inputs: Shape[], params: OpParams<O>, context: OpShapeContext) => NodeShape;

/** Shape, weights and cost of each op, from its input shapes: what the editor shows on a node as it is drawn. */
export const OP_SHAPES: { [O in OpName]: OpShape<O> } = {
  embedding: ([input], { dim }, { tokenVocab }) => {
    if (tokenVocab === null || input!.length !== 1) {
      throw new ShapeProblem(
        `embedding reads token ids [T] from a token input; it gets ${formatShape(input!)}`,
        'inputs',
      );
    }
    return { shape: [input![0]!, dim], params: tokenVocab * dim, flops: 0 };
  },
  positionalEncoding: ([input], { kind }) => {
    const [length, dim] = expectSequence(input!, 'positional encoding');
    return { shape: [length, dim], params: kind === 'learned' ? length * dim : 0, flops: 0 };
  },
  transformerEncoder: ([input], { heads, ffnDim }) => {
    const [length, dim] = expectSequence(input!, 'a Transformer encoder block');
    checkHeads(dim, heads);
    return {
      shape: [length, dim],
      // Q, K, V, O projections; two LayerNorms; the feed-forward network.
      params: attentionParams(dim) + 2 * 2 * dim + (dim * ffnDim + ffnDim) + (ffnDim * dim + dim),
      flops: attentionFlops(length, length, dim) + 2 * 2 * length * dim * ffnDim,
    };
  },
  transformerDecoder: ([target, memory], { heads, ffnDim }) => {
    const [length, dim] = expectSequence(target!, 'a Transformer decoder block (first input, the target)');
    const [memoryLength, memoryDim] = expectSequence(
      memory!,
      'a Transformer decoder block (second input, the encoder output)',
    );
    if (memoryDim !== dim)
      throw new ShapeProblem(`the target width ${dim} and the encoder output width ${memoryDim} differ`, 'inputs');
    checkHeads(dim, heads);
    return {
      shape: [length, dim],
      // Self-attention, cross-attention, three LayerNorms, feed-forward network.
      params: 2 * attentionParams(dim) + 3 * 2 * dim + (dim * ffnDim + ffnDim) + (ffnDim * dim + dim),
      flops:
        attentionFlops(length, length, dim) + attentionFlops(length, memoryLength, dim) + 2 * 2 * length * dim * ffnDim,
    };
  },
  multiHeadAttention: (inputs, { heads }) => {
    const [queries, dim] = expectSequence(inputs[0]!, 'multi-head attention');
    const [keys, keyDim] = inputs[1]
      ? expectSequence(inputs[1], 'multi-head attention (keys and values)')
      : [queries, dim];
    if (keyDim !== dim)
      throw new ShapeProblem(`the query width ${dim} and the key/value width ${keyDim} differ`, 'inputs');
    checkHeads(dim, heads);
    return { shape: [queries, dim], params: attentionParams(dim), flops: attentionFlops(queries, keys, dim) };
  },
  additiveAttention: ([query, key], { units }) => {
    const [queries, queryDim] = expectSequence(query!, 'additive attention (queries)');
    const [keys, keyDim] = expectSequence(key!, 'additive attention (keys)');
    return {
      shape: [queries, keyDim],
      params: queryDim * units + keyDim * units + 2 * units,
      flops: 2 * (queries * queryDim + keys * keyDim) * units + 2 * queries * keys * (units + keyDim),
    };
  },
  attentionPooling: ([input], { units }) => {
    const [length, dim] = expectSequence(input!, 'attention pooling');
    return { shape: [dim], params: dim * units + 2 * units, flops: 2 * length * (dim * units + units + dim) };
  },
  squeezeExcitation: ([input], { ratio }) => {
    const [height, width, channels] = expectImage(input!, 'squeeze-and-excitation');
    const units = bottleneckUnits(channels, ratio);
    return {
      shape: [height, width, channels],
      params: 2 * channels * units + units + channels,
      flops: 4 * channels * units,
    };
  },
  spatialAttention: ([input], { kernelSize }) => {
    const [height, width, channels] = expectImage(input!, 'spatial attention');
    return {
      shape: [height, width, channels],
      params: kernelSize * kernelSize * 2 + 1,
      flops: 2 * height * width * kernelSize * kernelSize * 2,
    };
  },
  cbam: ([input], { ratio, kernelSize }) => {
    const [height, width, channels] = expectImage(input!, 'CBAM');
    const units = bottleneckUnits(channels, ratio);
    return {
      shape: [height, width, channels],
      params: 2 * channels * units + units + channels + kernelSize * kernelSize * 2 + 1,
      flops: 2 * 4 * channels * units + 2 * height * width * kernelSize * kernelSize * 2,
    };
  },
  conv1d: ([input], { filters, kernelSize, strides, padding }) => {
    const [length, dim] = expectSequence(input!, 'a 1-D convolution');
    const out = windowOutput(length, kernelSize, strides, padding, 'kernelSize');
    return {
      shape: [out, filters],
      params: kernelSize * dim * filters + filters,
      flops: 2 * out * kernelSize * dim * filters,
    };
  },
  conv2d: ([input], { filters, kernelSize, strides, padding }) => {
    const [height, width, channels] = expectImage(input!, 'a 2-D convolution');
    const outH = windowOutput(height, kernelSize, strides, padding, 'kernelSize');
    const outW = windowOutput(width, kernelSize, strides, padding, 'kernelSize');
    return {
      shape: [outH, outW, filters],
      params: kernelSize * kernelSize * channels * filters + filters,
      flops: 2 * outH * outW * kernelSize * kernelSize * channels * filters,
    };
  },
  depthwiseConv2d: ([input], { depthMultiplier, kernelSize, strides, padding }) => {
    const [height, width, channels] = expectImage(input!, 'a depthwise convolution');
    const outH = windowOutput(height, kernelSize, strides, padding, 'kernelSize');
    const outW = windowOutput(width, kernelSize, strides, padding, 'kernelSize');
    const outChannels = channels * depthMultiplier;
    return {
      shape: [outH, outW, outChannels],
      params: kernelSize * kernelSize * outChannels + outChannels,
      flops: 2 * outH * outW * kernelSize * kernelSize * outChannels,
    };
  },
  maxPool2d: ([input], params) => pool2d(input!, params, 'max pooling'),
  avgPool2d: ([input], params) => pool2d(input!, params, 'average pooling'),
  globalAveragePool2d: ([input]) => ({
    shape: [expectImage(input!, 'global average pooling')[2]],
    params: 0,
    flops: 0,
  }),
  globalMaxPool2d: ([input]) => ({ shape: [expectImage(input!, 'global max pooling')[2]], params: 0, flops: 0 }),
  globalAveragePool1d: ([input]) => ({
    shape: [expectSequence(input!, 'average pooling over a sequence')[1]],
    params: 0,
    flops: 0,
  }),
  lstm: ([input], { units, returnSequences }) => recurrent(input!, 'lstm', units, returnSequences, 1, units),
  gru: ([input], { units, returnSequences }) => recurrent(input!, 'gru', units, returnSequences, 1, units),
  bidirectional: ([input], { cell, units, returnSequences, merge }) =>
    recurrent(input!, cell, units, returnSequences, 2, merge === 'concat' ? 2 * units : units),
  dense: ([input], { units }) => {
    if (input!.length === 0) throw new ShapeProblem('a dense layer needs a vector or a sequence of vectors', 'inputs');
    const features = input![input!.length - 1]!;
    const rows = product(input!.slice(0, -1));
    return {
      shape: [...input!.slice(0, -1), units],
      params: features * units + units,
      flops: 2 * rows * features * units,
    };
  },
  activation: ([input]) => ({ shape: input!, params: 0, flops: 0 }),
  // Gamma, beta, and the moving mean and variance (not trained, but weights all the same).
  batchNorm: ([input]) => ({ shape: input!, params: 4 * input![input!.length - 1]!, flops: 0 }),
  layerNorm: ([input]) => ({ shape: input!, params: 2 * input![input!.length - 1]!, flops: 0 }),
  dropout: ([input]) => ({ shape: input!, params: 0, flops: 0 }),
  flatten: ([input]) => {
    if (input!.length < 2)
      throw new ShapeProblem(`flatten needs at least two axes; it gets ${formatShape(input!)}`, 'inputs');
    return { shape: [product(input!)], params: 0, flops: 0 };
  },
  add: (inputs) => {
    const first = formatShape(inputs[0]!);
    const other = inputs.find((shape) => formatShape(shape) !== first);
    if (other) throw new ShapeProblem(`adds tensors of different shapes: ${first} and ${formatShape(other)}`, 'inputs');
    return { shape: inputs[0]!, params: 0, flops: 0 };
  },
  concat: (inputs) => {
    const leading = formatShape(inputs[0]!.slice(0, -1));
    const other = inputs.find(
      (shape) => shape.length !== inputs[0]!.length || formatShape(shape.slice(0, -1)) !== leading,
    );
    if (other) {
      throw new ShapeProblem(
        `joins along the last axis, so all other axes must agree: ${formatShape(inputs[0]!)} and ${formatShape(other)}`,
        'inputs',
      );
    }
    const last = inputs.reduce((sum, shape) => sum + shape[shape.length - 1]!, 0);
    return { shape: [...inputs[0]!.slice(0, -1), last], params: 0, flops: 0 };
  },
  classifier: ([input], _params, { classes }) => {
    if (input!.length !== 1) {
      const fix = input!.length === 2 ? 'pool the sequence first' : 'pool or flatten the image first';
      throw new ShapeProblem(
        `the classifier needs one vector per example [D]; it gets ${formatShape(input!)}: ${fix}`,
        'inputs',
      );
    }
    return { shape: [classes], params: input![0]! * classes + classes, flops: 2 * input![0]! * classes };
  },
  tokenClassifier: ([input], _params, { classes }) => {
    const [length, dim] = expectSequence(input!, 'a per-token classifier');
    return { shape: [length, classes], params: dim * classes + classes, flops: 2 * length * dim * classes };
  },
};

function pool2d(input: Shape, { poolSize, strides, padding }: OpParams<'maxPool2d'>, what: string): NodeShape {
  const [height, width, channels] = expectImage(input, what);
  const stride = strides ?? poolSize;
  return {
    shape: [
      windowOutput(height, poolSize, stride, padding, 'poolSize'),
      windowOutput(width, poolSize, stride, padding, 'poolSize'),
      channels,
    ],
    params: 0,
    flops: 0,
  };
}
