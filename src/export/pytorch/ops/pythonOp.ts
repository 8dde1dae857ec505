/**
 * How one workbench op reads in PyTorch: the module classes it needs (Python source, emitted once into model.py),
 * the expression that constructs it in Model.__init__, and the expression of its output in Model.forward. Each
 * class keeps its weights in the workbench's layout and names (a dense kernel is [in, out], as TensorFlow.js keeps
 * it), so weights load by name without transposes and the code reads as the workbench computes.
 */
export interface PythonOp {
  /** Classes and helpers this op needs, by name (a name shared by several ops is emitted once). */
  classes: Record<string, string>;
  /** Constructs its module; null for an op without weights or state, computed inline. */
  construct: (args: OpArguments) => string | null;
  /**
   * Its output from its inputs' variable names, their padding masks ("None" where a value has no positions) and,
   * when constructed, `self.<attribute>`. An op with attention maps returns (output, {layer name: weights}).
   */
  forward: (args: ForwardArguments) => string;
  /** True when forward returns (output, maps) rather than the output alone. */
  attention?: boolean;
  /** Each weight as [the workbench's name, its key in the state_dict], from the node's id, attribute and params. */
  weights: (nodeId: string, attribute: string, params: Record<string, unknown>) => [string, string][];
  /** Whether its output keeps the positions (and so the padding mask) of its first input. */
  keepsPositions: (params: Record<string, unknown>) => boolean;
}

export interface OpArguments {
  params: Record<string, unknown>;
  /** Each input's shape without the batch axis, as shape inference gave it. */
  inputShapes: number[][];
  /** Output classes (classifier heads) and the vocabulary of the token input an embedding reads. */
  classes: number;
  vocabSize: number;
  /** The run's dropout, for ops that take it when they set none. */
  dropout: number;
  nodeId: string;
}

export interface ForwardArguments extends OpArguments {
  inputs: string[];
  masks: string[];
  module: string;
}

export const last = (shape: number[] | undefined) => shape?.[shape.length - 1] ?? 0;
export const quote = (text: unknown) => JSON.stringify(String(text));
/** Python's literal of a boolean. */
export const pyBool = (value: unknown) => (value ? 'True' : 'False');

/** The weights of a module whose parameters are named as the workbench's: `<node id>/<name>`. */
export const ownWeights =
  (...names: string[]) =>
  (nodeId: string, attribute: string): [string, string][] =>
    names.map((name) => [`${nodeId}/${name}`, `${attribute}.${name}`]);

export const always = () => true;
export const never = () => false;
