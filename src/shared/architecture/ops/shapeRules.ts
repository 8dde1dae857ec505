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
export const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

export function expectSequence(shape: Shape, what: string): [number, number] {
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

export function expectImage(shape: Shape, what: string): [number, number, number] {
  if (shape.length !== 3)
    throw new ShapeProblem(`${what} needs an image [H, W, C]; it gets ${formatShape(shape)}`, 'inputs');
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Output length of a convolution or pooling window along one axis, with tf's rules. */
export function windowOutput(
  size: number,
  window: number,
  stride: number,
  padding: 'same' | 'valid',
  param: string,
): number {
  const out = padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
  if (out < 1) throw new ShapeProblem(`a window of ${window} does not fit in ${size} positions without padding`, param);
  return out;
}

const recurrentWeights = (cell: 'lstm' | 'gru', inputDim: number, units: number) =>
  (cell === 'lstm' ? 4 : 3) * (inputDim * units + units * units + units);

/** An LSTM or GRU layer (or both directions of one) over a sequence. */
export function recurrentShape(
  input: Shape,
  cell: 'lstm' | 'gru',
  units: number,
  returnSequences: boolean,
  directions: number,
  merged: number,
): NodeShape {
  const [length, dim] = expectSequence(input, `an ${cell.toUpperCase()}`);
  const params = directions * recurrentWeights(cell, dim, units);
  return { shape: returnSequences ? [length, merged] : [merged], params, flops: 2 * length * params };
}

/** Bottleneck width of a channel-attention MLP (SE, CBAM): C / ratio, at least 1. The layers use the same. */
export const bottleneckUnits = (channels: number, ratio: number) => Math.max(1, Math.floor(channels / ratio));

/** Weights of multi-head attention over width `dim`: the Q, K, V and output projections with their biases. */
export const attentionParams = (dim: number) => 4 * (dim * dim + dim);
export const attentionFlops = (queries: number, keys: number, dim: number) =>
  2 * 2 * queries * dim * dim + 2 * 2 * keys * dim * dim + 2 * 2 * queries * keys * dim;

export function checkHeads(dim: number, heads: number): void {
  if (dim % heads !== 0) throw new ShapeProblem(`${heads} heads do not divide the model width ${dim}`, 'heads');
}

/** A pooling window over an image; without strides it steps by its own size. */
export function pool2d(
  input: Shape,
  { poolSize, strides, padding }: { poolSize: number; strides?: number | undefined; padding: 'same' | 'valid' },
  what: string,
): NodeShape {
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
