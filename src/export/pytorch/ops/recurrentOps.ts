import type { OpName } from '../../../shared/architecture/ops';
import { last, never, ownWeights, pyBool, quote, type PythonOp } from './pythonOp';

const RECURRENT = `def gate(x: torch.Tensor, kind: str) -> torch.Tensor:
    """A recurrent gate: the logistic sigmoid (PyTorch's and the workbench's default) or Keras' hard sigmoid."""
    return torch.sigmoid(x) if kind == "sigmoid" else torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


class RecurrentDirection(nn.Module):
    """One direction's weights, as the workbench keeps them: kernel W [D, G H], recurrent kernel U [H, G H] and
    bias b [G H]; G = 4 for an LSTM (gates i, f, g, o), 3 for a GRU (gates z, r, n)."""

    def __init__(self, dim: int, units: int, gates: int):
        super().__init__()
        self.kernel = nn.Parameter(nn.init.xavier_normal_(torch.empty(dim, gates * units)))
        self.recurrent_kernel = nn.Parameter(torch.cat([nn.init.orthogonal_(torch.empty(units, units)) for _ in range(gates)], 1))
        self.bias = nn.Parameter(torch.zeros(gates * units))

    def run(self, x: torch.Tensor, cell: str, kind: str, reverse: bool, return_sequences: bool) -> torch.Tensor:
        """Reads x [B, T, D] from the start (or the end), from zero states; h over time [B, T, H] in input order, or
        the last state read [B, H].
        LSTM:  z = x W + b + h U;  i, f, o = gate(z_i, z_f, z_o);  c = f c + i tanh(z_g);  h = o tanh(c)
        GRU:   z, r = gate(x W_zr + b_zr + h U_zr);  n = tanh(x W_n + b_n + (r h) U_n);  h = z h + (1 - z) n"""
        batch, length, _ = x.shape
        units = self.recurrent_kernel.shape[0]
        projected = x @ self.kernel + self.bias  # [B, T, G H]
        h = x.new_zeros(batch, units)
        c = x.new_zeros(batch, units)
        states: List[torch.Tensor] = [h] * length
        for t in reversed(range(length)) if reverse else range(length):
            if cell == "lstm":
                zi, zf, zg, zo = (projected[:, t] + h @ self.recurrent_kernel).chunk(4, dim=1)
                c = gate(zf, kind) * c + gate(zi, kind) * torch.tanh(zg)
                h = gate(zo, kind) * torch.tanh(c)
            else:
                x_gates, x_candidate = projected[:, t, : 2 * units], projected[:, t, 2 * units :]
                z, r = gate(x_gates + h @ self.recurrent_kernel[:, : 2 * units], kind).chunk(2, dim=1)
                n = torch.tanh(x_candidate + (r * h) @ self.recurrent_kernel[:, 2 * units :])
                h = z * h + (1 - z) * n
            states[t] = h
        return torch.stack(states, dim=1) if return_sequences else h


class Recurrent(nn.Module):
    """An LSTM or GRU, one direction or both (the second reads from the end); two directions concatenated or summed."""

    def __init__(self, cell: str, dim: int, units: int, return_sequences: bool, gate_activation: str, bidirectional: bool, merge: str):
        super().__init__()
        gates = 4 if cell == "lstm" else 3
        self.cell, self.return_sequences, self.kind, self.merge = cell, return_sequences, gate_activation, merge
        self.left_to_right = RecurrentDirection(dim, units, gates)
        self.right_to_left = RecurrentDirection(dim, units, gates) if bidirectional else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, T, D] -> [B, T, H'] or [B, H']
        y = self.left_to_right.run(x, self.cell, self.kind, False, self.return_sequences)
        if self.right_to_left is None:
            return y
        back = self.right_to_left.run(x, self.cell, self.kind, True, self.return_sequences)
        return torch.cat([y, back], dim=-1) if self.merge == "concat" else y + back`;

const ATTENTION_POOLING = `class AttentionPooling(nn.Module):
    """Attention pooling (Yang et al. 2016, 2.2): e_t = v . tanh(h_t W + b), a = softmax_t(e + M), y = sum_t a_t h_t,
    with M = -1e9 at padding. Returns y [B, D] and the weights as [B, 1, 1, T]."""

    def __init__(self, name: str, dim: int, units: int):
        super().__init__()
        self.name = name
        self.kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(dim, units)))
        self.bias = nn.Parameter(torch.zeros(units))
        self.score_vector = nn.Parameter(nn.init.xavier_uniform_(torch.empty(units, 1)))

    def forward(self, h: torch.Tensor, mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        scores = (torch.tanh(h @ self.kernel + self.bias) @ self.score_vector)[..., 0]  # [B, T]
        if mask is not None:
            scores = scores + (1 - mask) * -1e9
        weights = torch.softmax(scores, dim=-1)  # [B, T]
        pooled = (weights[:, None, :] @ h)[:, 0]  # [B, D]
        return pooled, {self.name: weights[:, None, None, :]}`;

const ADDITIVE_ATTENTION = `class AdditiveAttention(nn.Module):
    """Additive attention (Bahdanau et al. 2015): e[i, j] = v . tanh(q_i Wq + k_j Wk + b), a = softmax_j(e + M),
    c_i = sum_j a[i, j] k_j, with M = -1e9 at padding keys. Returns c [B, Tq, Dk] and the weights as [B, 1, Tq, Tk]."""

    def __init__(self, name: str, query_dim: int, key_dim: int, units: int):
        super().__init__()
        self.name = name
        self.query_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(query_dim, units)))
        self.key_kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(key_dim, units)))
        self.bias = nn.Parameter(torch.zeros(units))
        self.score_vector = nn.Parameter(nn.init.xavier_uniform_(torch.empty(units, 1)))

    def forward(
        self, queries: torch.Tensor, keys: torch.Tensor, mask: Optional[torch.Tensor]
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        hidden = torch.tanh((queries @ self.query_kernel)[:, :, None] + (keys @ self.key_kernel)[:, None] + self.bias)
        scores = (hidden @ self.score_vector)[..., 0]  # [B, Tq, Tk]
        if mask is not None:
            scores = scores + (1 - mask)[:, None, :] * -1e9
        weights = torch.softmax(scores, dim=-1)
        return weights @ keys, {self.name: weights[:, None]}`;

const recurrent = (cell: (params: Record<string, unknown>) => string, bidirectional: boolean): PythonOp => ({
  classes: { Recurrent: RECURRENT },
  construct: ({ inputShapes, params }) =>
    `Recurrent(${quote(cell(params))}, ${last(inputShapes[0])}, ${Number(params['units'])}, ` +
    `${pyBool(params['returnSequences'])}, ${quote(params['gateActivation'])}, ${pyBool(bidirectional)}, ` +
    `${quote(params['merge'] ?? 'concat')})`,
  forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
  weights: (nodeId, attribute) =>
    (bidirectional
      ? [
          ['forward/', 'left_to_right.'],
          ['backward/', 'right_to_left.'],
        ]
      : [['', 'left_to_right.']]
    ).flatMap(([prefix, part]) =>
      ['kernel', 'recurrent_kernel', 'bias'].map((name): [string, string] => [
        `${nodeId}/${prefix}${name}`,
        `${attribute}.${part}${name}`,
      ]),
    ),
  // Padding is read as input, as the workbench does: sequences are padded at the end.
  keepsPositions: (params) => params['returnSequences'] === true,
});

/** LSTM, GRU and both directions of either, and the two attentions of recurrent models. */
export const RECURRENT_OPS = {
  lstm: recurrent(() => 'lstm', false),
  gru: recurrent(() => 'gru', false),
  bidirectional: recurrent((params) => String(params['cell']), true),
  attentionPooling: {
    classes: { AttentionPooling: ATTENTION_POOLING },
    construct: ({ nodeId, inputShapes, params }) =>
      `AttentionPooling(${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${Number(params['units'])})`,
    forward: ({ inputs, masks, module }) => `${module}(${inputs[0]}, ${masks[0]})`,
    attention: true,
    weights: ownWeights('kernel', 'bias', 'score_vector'),
    keepsPositions: never,
  },
  // Self-attention when both inputs are one value; the keys are masked by their own sequence.
  additiveAttention: {
    classes: { AdditiveAttention: ADDITIVE_ATTENTION },
    construct: ({ nodeId, inputShapes, params }) =>
      `AdditiveAttention(${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${last(inputShapes[1] ?? inputShapes[0])}, ${Number(params['units'])})`,
    forward: ({ inputs, masks, module }) =>
      `${module}(${inputs[0]}, ${inputs[1] ?? inputs[0]}, ${inputs[1] === undefined || inputs[1] === inputs[0] ? masks[0] : masks[1]})`,
    attention: true,
    weights: ownWeights('query_kernel', 'key_kernel', 'bias', 'score_vector'),
    keepsPositions: () => true,
  },
} satisfies Partial<Record<OpName, PythonOp>>;
