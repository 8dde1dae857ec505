import type { OpName } from '../../../shared/architecture/ops';
import { always, last, never, ownWeights, pyBool, quote, type PythonOp } from './pythonOp';

const EMBEDDING = `class Embedding(nn.Module):
    """One learned vector per token id; id 0 is padding and is looked up like any other."""

    def __init__(self, vocab: int, dim: int):
        super().__init__()
        self.embeddings = nn.Parameter(torch.randn(vocab, dim) / math.sqrt(dim))  # [V, D]

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:  # [B, T] -> [B, T, D]
        return F.embedding(tokens, self.embeddings)`;

const POSITIONAL_ENCODING = `def sinusoidal_table(length: int, dim: int) -> torch.Tensor:
    """P[t, 2i] = sin(t / 10000^(2i/D)), P[t, 2i+1] = cos(t / 10000^(2i/D)) (Vaswani et al. 2017, 3.5)."""
    position = torch.arange(length, dtype=torch.float64)[:, None]  # [T, 1]
    even = torch.arange(0, dim, 2, dtype=torch.float64)[None, :]  # [1, ceil(D/2)]
    angle = position / torch.pow(10000.0, even / dim)  # [T, ceil(D/2)]
    table = torch.zeros(length, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)[:, : dim // 2]
    return table.float()


class PositionalEncoding(nn.Module):
    """y[b, t] = s x[b, t] + P[t] (Vaswani et al. 3.4-3.5): P learned (a vector per position) or sinusoidal; s is
    sqrt(D) for token embeddings and 1 for a ViT's patches (scale_input off)."""

    def __init__(self, length: int, dim: int, kind: str, scale_input: bool = True):
        super().__init__()
        self.scale = math.sqrt(dim) if scale_input else 1.0
        if kind == "learned":
            self.positions = nn.Parameter(torch.randn(length, dim) * 0.02)  # [T, D]
        else:
            self.register_buffer("positions", sinusoidal_table(length, dim), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, T, D]
        return x * self.scale + self.positions`;

export const LAYER_NORM = `class LayerNorm(nn.Module):
    """(x - mean) / sqrt(var + eps) * gamma + beta over the last axis (Ba et al. 2016), the variance biased."""

    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim))
        self.beta = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) * torch.rsqrt(variance + self.eps) * self.gamma + self.beta`;

const MASKED_MEAN = `def masked_mean(x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
    """The mean over the real positions: sum_t m[b, t] x[b, t] / max(1, sum_t m[b, t]); [B, T, D] -> [B, D]."""
    if mask is None:
        return x.mean(dim=1)
    weights = mask[:, :, None]  # [B, T, 1]
    return (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)`;

const PATCH_EMBEDDING = `class PatchEmbedding(nn.Module):
    """The Vision Transformer's tokens (Dosovitskiy et al. 2021, 3.1): p x p patches, row by row, each flattened as
    (row, column, channel) and projected by the kernel [p, p, C, D]; with a class token, [cls; patches]."""

    def __init__(self, channels: int, patch: int, dim: int, class_token: bool):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(patch, patch, channels, dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        nn.init.xavier_uniform_(self.kernel.view(-1, dim))
        self.class_token = nn.Parameter(torch.randn(1, dim) * 0.02) if class_token else None
        self.patch = patch

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [B, H, W, C] -> [B, (1 +) HW / p^2, D]
        y = F.conv2d(x.permute(0, 3, 1, 2), self.kernel.permute(3, 2, 0, 1), self.bias, self.patch)  # [B, D, H/p, W/p]
        patches = y.flatten(2).transpose(1, 2)  # [B, HW / p^2, D], row by row
        if self.class_token is None:
            return patches
        return torch.cat([self.class_token.expand(x.shape[0], 1, -1), patches], dim=1)`;

/** Token embeddings, positions, normalisation and pooling over a sequence. */
export const SEQUENCE_OPS = {
  embedding: {
    classes: { Embedding: EMBEDDING },
    construct: (args) => `Embedding(${args.vocabSize}, ${Number(args.params['dim'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('embeddings'),
    keepsPositions: always,
  },
  positionalEncoding: {
    classes: { PositionalEncoding: POSITIONAL_ENCODING },
    construct: ({ inputShapes, params }) =>
      `PositionalEncoding(${inputShapes[0]![0]}, ${last(inputShapes[0])}, ${quote(params['kind'])}, ${pyBool(params['scaleInput'] !== false)})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    // The sinusoidal table is computed, not trained: only learned positions are a weight.
    weights: (nodeId, attribute, params) =>
      params['kind'] === 'learned' ? ownWeights('positions')(nodeId, attribute) : [],
    keepsPositions: always,
  },
  layerNorm: {
    classes: { LayerNorm: LAYER_NORM },
    construct: ({ inputShapes, params }) => `LayerNorm(${last(inputShapes[0])}, ${Number(params['epsilon'])})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: ownWeights('gamma', 'beta'),
    keepsPositions: always,
  },
  patchEmbedding: {
    classes: { PatchEmbedding: PATCH_EMBEDDING },
    construct: ({ inputShapes, params }) =>
      `PatchEmbedding(${last(inputShapes[0])}, ${Number(params['patchSize'])}, ${Number(params['dim'])}, ${pyBool(params['classToken'] !== false)})`,
    forward: ({ inputs, module }) => `${module}(${inputs[0]})`,
    weights: (nodeId, attribute, params) =>
      ownWeights('kernel', 'bias', ...(params['classToken'] !== false ? ['class_token'] : []))(nodeId, attribute),
    keepsPositions: never,
  },
  firstToken: {
    classes: {},
    construct: () => null,
    forward: ({ inputs }) => `${inputs[0]}[:, 0]`,
    weights: () => [],
    keepsPositions: never,
  },
  globalAveragePool1d: {
    classes: { masked_mean: MASKED_MEAN },
    construct: () => null,
    forward: ({ inputs, masks }) => `masked_mean(${inputs[0]}, ${masks[0]})`,
    weights: () => [],
    keepsPositions: never,
  },
} satisfies Partial<Record<OpName, PythonOp>>;
