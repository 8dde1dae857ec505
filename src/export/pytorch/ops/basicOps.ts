import type { OpName } from '../../../shared/architecture/ops';
import { always, last, never, ownWeights, quote, type PythonOp } from './pythonOp';

export const ACTIVATE = `def activate(x: torch.Tensor, fn: str) -> torch.Tensor:
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

export const DENSE = `class Dense(nn.Module):
    """Every output a weighted sum of the last axis's inputs: x @ kernel + bias, then the activation."""

    def __init__(self, inputs: int, units: int, activation: str = "linear"):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(inputs, units))  # [in, out], as the workbench keeps it
        self.bias = nn.Parameter(torch.zeros(units))
        nn.init.xavier_uniform_(self.kernel.T)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, ..., in] -> [B, ..., units]
        return activate(x @ self.kernel + self.bias, self.activation)`;

const dense = (
  units: (params: Record<string, unknown>, classes: number) => number,
  activation: (params: Record<string, unknown>) => string,
  keepsPositions: () => boolean,
): PythonOp => ({
  classes: { activate: ACTIVATE, Dense: DENSE },
  construct: (args) =>
    `Dense(${last(args.inputShapes[0])}, ${units(args.params, args.classes)}, ${quote(activation(args.params))})`,
  forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
  weights: ownWeights('kernel', 'bias'),
  keepsPositions,
});

/** An op without weights or state: an expression in forward. */
const inline = (forward: PythonOp['forward'], keepsPositions: () => boolean): PythonOp => ({
  classes: {},
  construct: () => null,
  forward,
  weights: () => [],
  keepsPositions,
});

/** Dense layers, the heads, and the ops without weights. */
export const BASIC_OPS = {
  dense: dense(
    (params) => Number(params['units']),
    (params) => String(params['activation'] ?? 'relu'),
    always,
  ),
  // The heads give logits: the loss applies the softmax.
  classifier: dense(
    (_params, classes) => classes,
    () => 'linear',
    never,
  ),
  tokenClassifier: dense(
    (_params, classes) => classes,
    () => 'linear',
    always,
  ),
  // Inverted dropout, as the workbench's: kept values scaled by 1 / (1 - rate) in training, identity in eval.
  dropout: {
    classes: {},
    construct: (args) => `nn.Dropout(${Number(args.params['rate'] ?? args.dropout)})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: () => [],
    keepsPositions: always,
  },
  activation: {
    ...inline(({ inputs, params }) => `activate(${inputs[0]}, ${quote(params['fn'] ?? 'relu')})`, always),
    classes: { activate: ACTIVATE },
  },
  // Row-major, as TensorFlow.js flattens: an image stays [H, W, C] (channels last) before it is flattened.
  flatten: inline(({ inputs }) => `torch.flatten(${inputs[0]}, 1)`, never),
  add: inline(({ inputs }) => inputs.join(' + '), always),
  concat: inline(({ inputs }) => `torch.cat([${inputs.join(', ')}], dim=-1)`, always),
} satisfies Partial<Record<OpName, PythonOp>>;
