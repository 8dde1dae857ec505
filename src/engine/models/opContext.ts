import type { layers, SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { AttentionKind, PatchGrid } from '../../shared/events';
import type { OpName, OpParams } from '../../shared/architecture/ops';

/** Where the positions of a sequence come from: its padding mask and the token input it was read from. */
export interface SequenceInfo {
  /** [B, T]: 1 for a real position, 0 for padding. */
  mask: SymbolicTensor;
  /** The id of the token input whose positions these are. */
  origin: string;
}

/** One attention map placed in the graph, with what its query and key axes are. */
export interface PlacedAttention {
  layer: string;
  kind: AttentionKind;
  /** [B, heads, queries, keys] */
  weights: SymbolicTensor;
  /** The token input along the query / key axis, for sequence attention. */
  queryOrigin: string | null;
  keyOrigin: string | null;
  /** Attention over an image's patches (a Vision Transformer's): the grid the keys come from, else null. */
  patches?: PatchGrid | null;
}

/** What the builder knows when it turns one node into layers. */
export interface OpContext {
  nodeId: string;
  inputs: SymbolicTensor[];
  /** The node ids the inputs come from (the same id twice means self-attention). */
  inputIds: string[];
  /** The sequence behind each input, or null for images, vectors and sequences whose positions changed. */
  sequences: (SequenceInfo | null)[];
  /** Size of the vocabulary of the token input an embedding reads. */
  vocabSize: number;
  classes: number;
  /** The run's dropout, for nodes that leave their rate unset. */
  dropout: number;
  /** Called for each attention map placed, so that the workbench can read it. */
  onAttention: (attention: PlacedAttention) => void;
}

export interface OpResult {
  output: SymbolicTensor;
  /** The sequence behind the output: kept by position-wise ops, null after pooling or for images. */
  sequence: SequenceInfo | null;
}

export type OpBuilder<O extends OpName> = (params: OpParams<O>, context: OpContext) => OpResult;

export const single = (context: OpContext): SymbolicTensor => context.inputs[0]!;
export const apply = (layer: layers.Layer, input: SymbolicTensor | SymbolicTensor[]) =>
  layer.apply(input) as SymbolicTensor;
export const applyMany = (layer: layers.Layer, input: SymbolicTensor | SymbolicTensor[]) =>
  layer.apply(input) as SymbolicTensor[];

/** Same positions as the first input: the op works position by position. */
export const samePositions = (context: OpContext, output: SymbolicTensor): OpResult => ({
  output,
  sequence: context.sequences[0] ?? null,
});
