import type { OpName } from '../../../shared/architecture/ops';
import { ACTIVATE, DENSE } from './basicOps';
import { always, last, pyBool, type PythonOp } from './pythonOp';
import { LAYER_NORM } from './sequenceOps';

const MULTI_HEAD_ATTENTION = `class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention over heads (Vaswani et al. 2017, 3.2):
    head_h = softmax(Q_h K_h^T / sqrt(d_k) + M) V_h, output = concat(heads) W^O, where M is -1e9 at padding keys and,
    when causal, at later positions. Returns the output and the attention weights [B, H, Tq, Tk]."""

    def __init__(self, dim: int, heads: int, dropout: float = 0.0, causal: bool = False):
        super().__init__()
        self.heads = heads
        self.causal = causal
        for name in ("query", "key", "value", "output"):
            self.register_parameter(f"{name}_kernel", nn.Parameter(nn.init.xavier_uniform_(torch.empty(dim, dim))))
            self.register_parameter(f"{name}_bias", nn.Parameter(torch.zeros(dim)))
        self.dropout = nn.Dropout(dropout)  # on the attention weights, in training

    def forward(
        self, query: torch.Tensor, key_value: torch.Tensor, mask: Optional[torch.Tensor]
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        batch, queries, dim = query.shape  # [B, Tq, D]
        keys = key_value.shape[1]
        key_dim = dim // self.heads

        def project(x: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor, length: int) -> torch.Tensor:
            return (x @ kernel + bias).reshape(batch, length, self.heads, key_dim).transpose(1, 2)  # [B, H, T, dk]

        q = project(query, self.query_kernel, self.query_bias, queries)  # [B, H, Tq, dk]
        k = project(key_value, self.key_kernel, self.key_bias, keys)  # [B, H, Tk, dk]
        v = project(key_value, self.value_kernel, self.value_bias, keys)  # [B, H, Tk, dk]
        scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(key_dim))  # [B, H, Tq, Tk]
        if mask is not None:
            scores = scores + (1 - mask)[:, None, None, :] * -1e9  # padding keys
        if self.causal:
            later = torch.triu(torch.ones(queries, keys, device=query.device), diagonal=1)  # [Tq, Tk]
            scores = scores + later * -1e9
        weights = torch.softmax(scores, dim=-1)  # [B, H, Tq, Tk], rows sum to 1
        context = (self.dropout(weights) @ v).transpose(1, 2).reshape(batch, queries, dim)  # [B, Tq, D]
        return context @ self.output_kernel + self.output_bias, weights`;

const TRANSFORMER_ENCODER = `class TransformerEncoder(nn.Module):
    """Transformer encoder block (Vaswani et al. 2017, 3.1):
    post-norm  x = LN(x + Drop(MHA(x)));  x = LN(x + Drop(FFN(x)))
    pre-norm   x = x + Drop(MHA(LN(x)));  x = x + Drop(FFN(LN(x)))      FFN(x) = ReLU(x W1 + b1) W2 + b2"""

    def __init__(self, name: str, dim: int, heads: int, ffn_dim: int, dropout: float, norm_first: bool):
        super().__init__()
        self.name = name
        self.norm_first = norm_first
        self.attention = MultiHeadAttention(dim, heads, dropout)
        self.norm1 = LayerNorm(dim)
        self.norm2 = LayerNorm(dim)
        self.ffn1 = Dense(dim, ffn_dim, "relu")
        self.ffn2 = Dense(ffn_dim, dim)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        pre = self.norm_first
        query = self.norm1(x) if pre else x
        attended, weights = self.attention(query, query, mask)
        x = x + self.dropout1(attended)
        x = x if pre else self.norm1(x)
        x = x + self.dropout2(self.ffn2(self.ffn1(self.norm2(x) if pre else x)))
        return (x if pre else self.norm2(x)), {f"{self.name}_attention": weights}`;

const TRANSFORMER_DECODER = `class TransformerDecoder(nn.Module):
    """Transformer decoder block (Vaswani et al. 2017, 3.1): causal self-attention over the target, attention from
    the target to the encoder's output (memory), then the feed-forward network, each with its residual and norm
    (post-norm: LN(y + Drop(f(y))); pre-norm: y + Drop(f(LN(y))))."""

    def __init__(self, name: str, dim: int, heads: int, ffn_dim: int, dropout: float, norm_first: bool):
        super().__init__()
        self.name = name
        self.norm_first = norm_first
        self.self_attention = MultiHeadAttention(dim, heads, dropout, causal=True)
        self.cross_attention = MultiHeadAttention(dim, heads, dropout)
        self.norm1 = LayerNorm(dim)
        self.norm2 = LayerNorm(dim)
        self.norm3 = LayerNorm(dim)
        self.ffn1 = Dense(dim, ffn_dim, "relu")
        self.ffn2 = Dense(ffn_dim, dim)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)

    def forward(
        self,
        y: torch.Tensor,
        memory: torch.Tensor,
        mask: Optional[torch.Tensor],
        memory_mask: Optional[torch.Tensor],
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        pre = self.norm_first
        query = self.norm1(y) if pre else y
        attended, self_weights = self.self_attention(query, query, mask)
        y = y + self.dropout1(attended)
        y = y if pre else self.norm1(y)
        attended, cross_weights = self.cross_attention(self.norm2(y) if pre else y, memory, memory_mask)
        y = y + self.dropout2(attended)
        y = y if pre else self.norm2(y)
        y = y + self.dropout3(self.ffn2(self.ffn1(self.norm3(y) if pre else y)))
        maps = {f"{self.name}_self_attention": self_weights, f"{self.name}_cross_attention": cross_weights}
        return (y if pre else self.norm3(y)), maps`;

const NAMED_ATTENTION = `class NamedAttention(MultiHeadAttention):
    """Multi-head attention as a node of its own: its weights reported under the node's name."""

    def __init__(self, name: str, dim: int, heads: int, dropout: float, causal: bool):
        super().__init__(dim, heads, dropout, causal)
        self.name = name

    def forward(
        self, query: torch.Tensor, key_value: torch.Tensor, mask: Optional[torch.Tensor]
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        output, weights = super().forward(query, key_value, mask)
        return output, {self.name: weights}`;

const BLOCK_CLASSES = {
  activate: ACTIVATE,
  Dense: DENSE,
  LayerNorm: LAYER_NORM,
  MultiHeadAttention: MULTI_HEAD_ATTENTION,
};
const ATTENTION_WEIGHTS = ['query', 'key', 'value', 'output'].flatMap((name) => [`${name}_kernel`, `${name}_bias`]);

/** The weights of a block's parts: `<node id>_<part>/<name>` in the workbench, `<attribute>.<part>.<name>` here. */
const partWeights = (parts: Record<string, string[]>) => (nodeId: string, attribute: string) =>
  Object.entries(parts).flatMap(([part, names]) =>
    names.map((name): [string, string] => [`${nodeId}_${part}/${name}`, `${attribute}.${part}.${name}`]),
  );

const blockArguments = (nodeId: string, inputShapes: number[][], params: Record<string, unknown>, dropout: number) =>
  `${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${Number(params['heads'])}, ${Number(params['ffnDim'])}, ` +
  `${Number(params['dropout'] ?? dropout)}, ${pyBool(params['normFirst'])}`;

const FEED_FORWARD = {
  norm1: ['gamma', 'beta'],
  norm2: ['gamma', 'beta'],
  ffn1: ['kernel', 'bias'],
  ffn2: ['kernel', 'bias'],
};

/** Multi-head attention on its own, and the Transformer's encoder and decoder blocks. */
export const TRANSFORMER_OPS = {
  multiHeadAttention: {
    classes: { MultiHeadAttention: MULTI_HEAD_ATTENTION, NamedAttention: NAMED_ATTENTION },
    construct: ({ nodeId, inputShapes, params, dropout }) =>
      `NamedAttention(${JSON.stringify(nodeId)}, ${last(inputShapes[0])}, ${Number(params['heads'])}, ` +
      `${Number(params['dropout'] ?? dropout)}, ${pyBool(params['causal'])})`,
    // Self-attention when it reads one input (or the same one twice); keys are masked by their own sequence.
    forward: ({ inputs, masks, module }) =>
      inputs.length > 1
        ? `${module}(${inputs[0]}, ${inputs[1]}, ${masks[1]})`
        : `${module}(${inputs[0]}, ${inputs[0]}, ${masks[0]})`,
    attention: true,
    weights: (nodeId, attribute) => ATTENTION_WEIGHTS.map((name) => [`${nodeId}/${name}`, `${attribute}.${name}`]),
    keepsPositions: always,
  },
  transformerEncoder: {
    classes: { ...BLOCK_CLASSES, TransformerEncoder: TRANSFORMER_ENCODER },
    construct: ({ nodeId, inputShapes, params, dropout }) =>
      `TransformerEncoder(${blockArguments(nodeId, inputShapes, params, dropout)})`,
    forward: ({ inputs, masks, module }) => `${module}(${inputs[0]}, ${masks[0]})`,
    attention: true,
    weights: partWeights({ attention: ATTENTION_WEIGHTS, ...FEED_FORWARD }),
    keepsPositions: always,
  },
  transformerDecoder: {
    classes: { ...BLOCK_CLASSES, TransformerDecoder: TRANSFORMER_DECODER },
    construct: ({ nodeId, inputShapes, params, dropout }) =>
      `TransformerDecoder(${blockArguments(nodeId, inputShapes, params, dropout)})`,
    forward: ({ inputs, masks, module }) => `${module}(${inputs[0]}, ${inputs[1]}, ${masks[0]}, ${masks[1]})`,
    attention: true,
    weights: partWeights({
      self_attention: ATTENTION_WEIGHTS,
      cross_attention: ATTENTION_WEIGHTS,
      ...FEED_FORWARD,
      norm3: ['gamma', 'beta'],
    }),
    keepsPositions: always,
  },
} satisfies Partial<Record<OpName, PythonOp>>;
