import type { OpName } from '../../shared/spec/ops';

/**
 * How each workbench op reads in PyTorch: the module class it needs (Python source, emitted once into model.py),
 * the expression that constructs it in Model.__init__, and the expression of its output in Model.forward. Each
 * class keeps its weights in the workbench's layout and names (a dense kernel is [in, out], as TensorFlow.js keeps
 * it), so weights load by name without transposes and the code reads as the workbench computes.
 */
export interface PythonOp {
  /** Classes and helpers this op needs, by name (a name shared by several ops is emitted once). */
  classes: Record<string, string>;
  /** Constructs its module; null for an op without weights or state, computed inline. */
  construct: (args: OpArguments) => string | null;
  /** Its output, from its inputs' variable names and (when constructed) `self.<attribute>`. */
  forward: (args: OpArguments & { inputs: string[]; module: string }) => string;
  /** Its weights' names inside its module: the part after "<node id>/" of the workbench's weight names. */
  weights: string[];
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
}

const ACTIVATE = `def activate(x: torch.Tensor, fn: str) -> torch.Tensor:
    """The workbench's activations: gelu is the exact (erf) one, swish is x * sigmoid(x)."""
    if fn == "relu":
        return F.relu(x)
    if fn == "gelu":
        return F.gelu(x)
    if fn == "swish":
        return F.silu(x)
    if fn == "tanh":
        return torch.tanh(x)
    if fn == "sigmoid":
        return torch.sigmoid(x)
    return x  # linear`;

const DENSE = `class Dense(nn.Module):
    """Every output a weighted sum of the last axis's inputs: x @ kernel + bias, then the activation."""

    def __init__(self, inputs: int, units: int, activation: str = "linear"):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(inputs, units))  # [in, out], as the workbench keeps it
        self.bias = nn.Parameter(torch.zeros(units))
        nn.init.xavier_uniform_(self.kernel.T)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, ..., in] -> [B, ..., units]
        return activate(x @ self.kernel + self.bias, self.activation)`;

const EMBEDDING = `class Embedding(nn.Module):
    """One learned vector per token id; id 0 is padding and is looked up like any other."""

    def __init__(self, vocab: int, dim: int):
        super().__init__()
        self.embeddings = nn.Parameter(torch.randn(vocab, dim) / math.sqrt(dim))  # [V, D]

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:  # [B, T] -> [B, T, D]
        return F.embedding(tokens, self.embeddings)`;

const last = (shape: number[] | undefined) => shape?.[shape.length - 1] ?? 0;
const quote = (text: unknown) => JSON.stringify(String(text));

const dense = (units: (args: OpArguments) => number, activation: (args: OpArguments) => string): PythonOp => ({
  classes: { activate: ACTIVATE, Dense: DENSE },
  construct: (args) => `Dense(${last(args.inputShapes[0])}, ${units(args)}, ${quote(activation(args))})`,
  forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
  weights: ['kernel', 'bias'],
});

/** An op without weights or state: an expression in forward. */
const inline = (forward: PythonOp['forward']): PythonOp => ({
  classes: {},
  construct: () => null,
  forward,
  weights: [],
});

/** The ops model.py can express so far; the exporter refuses a spec with any other, naming it. */
export const PYTHON_OPS: Partial<Record<OpName, PythonOp>> = {
  dense: dense(
    (args) => Number(args.params['units']),
    (args) => String(args.params['activation'] ?? 'relu'),
  ),
  // The heads give logits: the loss applies the softmax.
  classifier: dense(
    (args) => args.classes,
    () => 'linear',
  ),
  tokenClassifier: dense(
    (args) => args.classes,
    () => 'linear',
  ),
  embedding: {
    classes: { Embedding: EMBEDDING },
    construct: (args) => `Embedding(${args.vocabSize}, ${Number(args.params['dim'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ['embeddings'],
  },
  // Inverted dropout, as the workbench's: kept values scaled by 1 / (1 - rate) in training, identity in eval.
  dropout: {
    classes: {},
    construct: (args) => `nn.Dropout(${Number(args.params['rate'] ?? args.dropout)})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: [],
  },
  activation: {
    classes: { activate: ACTIVATE },
    construct: () => null,
    forward: ({ inputs, params }) => `activate(${inputs[0]}, ${quote(params['fn'] ?? 'relu')})`,
    weights: [],
  },
  // Row-major, as TensorFlow.js flattens: an image stays [H, W, C] (channels last) before it is flattened.
  flatten: inline(({ inputs }) => `torch.flatten(${inputs[0]}, 1)`),
  add: inline(({ inputs }) => inputs.join(' + ')),
  concat: inline(({ inputs }) => `torch.cat([${inputs.join(', ')}], dim=-1)`),
};
