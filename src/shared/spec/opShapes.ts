import type { OpName, OpParams } from './ops';

/** A shape without its batch dimension: [T] token ids, [T, D] a sequence of vectors, [D] one vector. */
export type Shape = number[];

/** What inference knows about one node's output. */
export interface NodeShape {
  shape: Shape;
  /** Trainable and fixed weights the node owns. */
  params: number;
  /** Floating-point operations per example (a multiply-add counts 2); element-wise work is left out. */
  flops: number;
}

export interface ShapeContext {
  vocabSize: number;
  classes: number;
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

const show = (shape: Shape) => `[${shape.join(', ')}]`;

function expectSequence(shape: Shape, what: string): [number, number] {
  if (shape.length !== 2) throw new ShapeProblem(`${what} needs a sequence of vectors [T, D]; it gets ${show(shape)}`, 'inputs');
  return [shape[0]!, shape[1]!];
}

type OpShape<O extends OpName> = (inputs: Shape[], params: OpParams<O>, context: ShapeContext, isTokenInput: boolean) => NodeShape;

/** Shape, weights and cost of each op, from its input shapes: what the editor shows on a node as it is drawn. */
export const OP_SHAPES: { [O in OpName]: OpShape<O> } = {
  embedding: ([input], { dim }, { vocabSize }, isTokenInput) => {
    if (!isTokenInput || input!.length !== 1) {
      throw new ShapeProblem(`embedding reads token ids [T] from a token input; it gets ${show(input!)}`, 'inputs');
    }
    return { shape: [input![0]!, dim], params: vocabSize * dim, flops: 0 };
  },
  positionalEncoding: ([input], { kind }) => {
    const [length, dim] = expectSequence(input!, 'positional encoding');
    return { shape: [length, dim], params: kind === 'learned' ? length * dim : 0, flops: 0 };
  },
  transformerEncoder: ([input], { heads, ffnDim }) => {
    const [length, dim] = expectSequence(input!, 'a Transformer encoder block');
    if (dim % heads !== 0) throw new ShapeProblem(`${heads} heads do not divide the model width ${dim}`, 'heads');
    return {
      shape: [length, dim],
      // Q, K, V, O projections; two LayerNorms; the feed-forward network.
      params: 4 * (dim * dim + dim) + 2 * 2 * dim + (dim * ffnDim + ffnDim) + (ffnDim * dim + dim),
      // Projections, scores Q K^T and the weighted sum of V, feed-forward.
      flops: 2 * 4 * length * dim * dim + 2 * 2 * length * length * dim + 2 * 2 * length * dim * ffnDim,
    };
  },
  globalAveragePool1d: ([input]) => {
    const [, dim] = expectSequence(input!, 'average pooling over a sequence');
    return { shape: [dim], params: 0, flops: 0 };
  },
  dropout: ([input]) => ({ shape: input!, params: 0, flops: 0 }),
  dense: ([input], { units }) => {
    if (input!.length === 0) throw new ShapeProblem('a dense layer needs a vector or a sequence of vectors', 'inputs');
    const features = input![input!.length - 1]!;
    const rows = input!.slice(0, -1).reduce((a, b) => a * b, 1);
    return { shape: [...input!.slice(0, -1), units], params: features * units + units, flops: 2 * rows * features * units };
  },
  classifier: ([input], _params, { classes }) => {
    if (input!.length !== 1) {
      throw new ShapeProblem(`the classifier needs one vector per example [D]; it gets ${show(input!)}: pool the sequence first`, 'inputs');
    }
    return { shape: [classes], params: input![0]! * classes + classes, flops: 2 * input![0]! * classes };
  },
};
